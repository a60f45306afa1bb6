"""In-process request cost: our build vs the released python-fasthtml vs a raw Starlette app, like for like.

    .venv/bin/python bench/bench_app.py [--rounds 5] [--n 2000] [--ref ~/.fh-anchors/ref/bin/python] [--only ours-sync,...]
                                        [--baseline DIR]

`--uvicorn` serves each implementation with a real uvicorn server on loopback instead and reports requests per
second for `hello` and `params` with 1 and 8 keep-alive connections (`--seconds` each; the client shares the machine).

`--baseline DIR` adds `baseline-sync`/`baseline-async` columns: our app run with the `fasthtml` package found in `DIR`
(for example an older commit unpacked with `git archive <commit> fasthtml | tar -x -C DIR`), for before/after tables.

Each implementation serves the same five endpoints: `hello` (a small FT fragment), `page200` (a full page with a
200-row table), `form` (an htmx form post filled into a dataclass), `session` (read and write the session) and
`params` (typed path and query parameters). Every implementation runs twice: with sync handlers (`def`, which the
frameworks run in a worker thread) and with async handlers (`async def`, run on the event loop), so each column is
compared with its like: a sync handler pays one thread hand-off per request in all three frameworks. Raw Starlette's
sync variant is what Starlette itself does with a `def` endpoint (`run_in_threadpool`), after reading the form on
the loop where needed.

Requests are driven straight into the ASGI app by a tiny in-process driver (`await app(scope, receive, send)`: no
sockets, no test client), so the figures are the framework's own cost. Each (implementation, round) runs in a fresh
subprocess; rounds alternate the order of implementations and the table shows medians in µs/request. `page200` runs
a tenth of `--n` requests (the reference takes ~20 ms per page).
"""
import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ENDPOINTS = ('hello', 'page200', 'form', 'session', 'params')


def _as_async(f):
    "An `async def` twin of the sync handler `f`, with the same signature and annotations"
    import functools

    async def handler(*args, **kw): return f(*args, **kw)
    return functools.update_wrapper(handler, f)


@dataclass
class Profile:
    "The form both apps fill"
    name: str
    age: int
    email: str


ROWS = [(i, f'name {i}', i * 3) for i in range(200)]  # the page200 table, the same in every app


def fasthtml_app(mode: str = 'sync'):
    "The benchmark app written with FastHTML (run under our build or the reference), with sync or async handlers"
    from fasthtml.common import P, Table, Td, Titled, Tr, fast_app

    app, _ = fast_app(secret_key='bench-secret', key_fname='/dev/null')

    def hello(): return P('hello')

    def page200(): return Titled('Rows', Table(*[Tr(Td(a), Td(b), Td(c)) for a, b, c in ROWS]))

    def form(profile: Profile): return P(f'{profile.name} {profile.age} {profile.email}')

    def session_visit(session):
        session['n'] = session.get('n', 0) + 1
        return P(f"visit {session['n']}")

    def item(item_id: int, q: str = '', limit: int = 10): return P(f'{item_id} {q} {limit}')

    wrap = _as_async if mode == 'async' else (lambda f: f)
    app.get('/hello')(wrap(hello))
    app.get('/page200')(wrap(page200))
    app.post('/form')(wrap(form))
    app.get('/session')(wrap(session_visit))
    app.get('/items/{item_id}')(wrap(item))
    return app


def starlette_app(mode: str = 'async'):
    "The same endpoints in plain Starlette: hand-built HTML, manual form parsing and casting; sync runs in the threadpool"
    from html import escape

    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.sessions import SessionMiddleware
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    def hello(req): return HTMLResponse('<p>hello</p>')

    def page200(req):
        body = ''.join(f'<tr><td>{a}</td><td>{escape(b)}</td><td>{c}</td></tr>' for a, b, c in ROWS)
        return HTMLResponse(f'<!doctype html><html><head><title>Rows</title></head><body><main class="container">'
                            f'<h1>Rows</h1><table>{body}</table></main></body></html>')

    def form_page(f):
        p = Profile(name=f['name'], age=int(f['age']), email=f['email'])
        return HTMLResponse(f'<p>{escape(p.name)} {p.age} {escape(p.email)}</p>')

    def session(req):
        req.session['n'] = req.session.get('n', 0) + 1
        return HTMLResponse(f"<p>visit {req.session['n']}</p>")

    def items(req):
        item_id = int(req.path_params['item_id'])
        q, limit = req.query_params.get('q', ''), int(req.query_params.get('limit', 10))
        return HTMLResponse(f'<p>{item_id} {escape(q)} {limit}</p>')

    def endpoint(f):
        "Starlette runs a `def` endpoint in its threadpool itself; the async variant calls it on the loop"
        if mode == 'sync': return f
        async def run(req): return f(req)
        return run

    async def form(req):
        f = await req.form()
        return form_page(f) if mode == 'async' else await run_in_threadpool(form_page, f)

    routes = [Route('/hello', endpoint(hello)), Route('/page200', endpoint(page200)),
              Route('/form', form, methods=['POST']), Route('/session', endpoint(session)),
              Route('/items/{item_id}', endpoint(items))]
    return Starlette(routes=routes, middleware=[Middleware(SessionMiddleware, secret_key='bench-secret')])


def _requests(cookie: bytes) -> dict:
    "Endpoint -> (method, path, query, headers, body) of the benchmarked request"
    form = b'name=Ada+Lovelace&age=36&email=ada%40example.com'
    htmx = [(b'hx-request', b'1')]
    return {'hello': ('GET', '/hello', b'', htmx, b''),
            'page200': ('GET', '/page200', b'', [], b''),
            'form': ('POST', '/form', b'', htmx + [(b'content-type', b'application/x-www-form-urlencoded'),
                                                   (b'content-length', str(len(form)).encode())], form),
            'session': ('GET', '/session', b'', htmx + [(b'cookie', cookie)], b''),
            'params': ('GET', '/items/42', b'q=hello&limit=5', htmx, b'')}


async def _call(app, method, path, query, headers, body):
    scope = {'type': 'http', 'asgi': {'version': '3.0'}, 'http_version': '1.1', 'method': method, 'scheme': 'http',
             'path': path, 'raw_path': path.encode(), 'query_string': query, 'root_path': '',
             'headers': [(b'host', b'bench')] + headers, 'client': ('127.0.0.1', 1234), 'server': ('bench', 80)}
    sent = False
    out = {}

    async def receive():
        nonlocal sent
        if sent: return {'type': 'http.disconnect'}
        sent = True
        return {'type': 'http.request', 'body': body, 'more_body': False}

    async def send(msg):
        if msg['type'] == 'http.response.start': out['status'], out['headers'] = msg['status'], msg['headers']
        elif msg['type'] == 'http.response.body': out['body'] = out.get('body', b'') + msg.get('body', b'')

    await app(scope, receive, send)
    return out


async def _lifespan_start(app):
    "Run the app's startup (fast_app apps may set things up there)"
    q = asyncio.Queue()
    await q.put({'type': 'lifespan.startup'})
    done = asyncio.Event()

    async def receive():
        if done.is_set(): await asyncio.Event().wait()
        return await q.get()

    async def send(msg):
        if msg['type'].startswith('lifespan.startup'): done.set()

    task = asyncio.ensure_future(app({'type': 'lifespan', 'asgi': {'version': '3.0'}, 'state': {}}, receive, send))
    await done.wait()
    return task


async def _worker(impl: str, n: int) -> dict:
    framework, mode = impl.rsplit('-', 1)
    app = starlette_app(mode) if framework == 'starlette' else fasthtml_app(mode)
    task = await _lifespan_start(app)
    first = await _call(app, 'GET', '/session', b'', [], b'')
    cookie = next(v for k, v in first['headers'] if k == b'set-cookie').split(b';')[0]
    res = {}
    for name, req in _requests(cookie).items():
        check = await _call(app, *req)
        assert check['status'] == 200, f'{impl} {name}: status {check["status"]} {check.get("body", b"")[:300]!r}'
        count = max(20, n // 10) if name == 'page200' else n
        for _ in range(max(20, count // 20)): await _call(app, *req)
        t0 = time.perf_counter()
        for _ in range(count): await _call(app, *req)
        res[name] = (time.perf_counter() - t0) / count * 1e6
    task.cancel()
    return res


def _run_worker(python: str, impl: str, n: int, path: str = '') -> dict:
    env = {**os.environ, 'PYTHONHASHSEED': '0', 'PYTHONPATH': path}
    p = subprocess.run([python, __file__, '--worker', impl, '--n', str(n)], capture_output=True, text=True,
                       cwd='/tmp', env=env, check=False)
    if p.returncode != 0: raise SystemExit(f'{impl} worker failed ({python}):\n{p.stderr[-2000:]}')
    return json.loads(p.stdout.strip().splitlines()[-1])


def _serve(impl: str, port: int) -> None:
    "Serve the benchmark app of `impl` with uvicorn on loopback (a `--uvicorn` server subprocess)"
    import uvicorn
    framework, mode = impl.rsplit('-', 1)
    app = starlette_app(mode) if framework == 'starlette' else fasthtml_app(mode)
    uvicorn.run(app, host='127.0.0.1', port=port, log_level='warning', access_log=False)


async def _load(port: int, path: str, conns: int, seconds: float) -> float:
    "Requests per second over `conns` keep-alive connections sending `path` back to back for `seconds`"
    req = f'GET {path} HTTP/1.1\r\nHost: bench\r\nHX-Request: 1\r\n\r\n'.encode()

    async def conn(stop: float) -> int:
        r, w = await asyncio.open_connection('127.0.0.1', port)
        n = 0
        while time.perf_counter() < stop:
            w.write(req)
            head = await r.readuntil(b'\r\n\r\n')
            size = next(int(ln.split(b':')[1]) for ln in head.split(b'\r\n') if ln.lower().startswith(b'content-length'))
            await r.readexactly(size)
            n += 1
        w.close()
        return n
    await asyncio.gather(*[conn(time.perf_counter() + 0.3) for _ in range(conns)])   # warm up
    return sum(await asyncio.gather(*[conn(time.perf_counter() + seconds) for _ in range(conns)])) / seconds


def _uvicorn_round(python: str, impl: str, path: str, seconds: float) -> dict:
    import socket
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    env = {**os.environ, 'PYTHONHASHSEED': '0', 'PYTHONPATH': path}
    srv = subprocess.Popen([python, __file__, '--serve', impl, '--port', str(port)], cwd='/tmp', env=env)
    try:
        for _ in range(200):
            try:
                socket.create_connection(('127.0.0.1', port), timeout=1).close()
                break
            except OSError: time.sleep(0.05)
        return {f'{ep} c={c}': asyncio.run(_load(port, url, c, seconds))
                for ep, url in (('hello', '/hello'), ('params', '/items/42?q=hello&limit=5')) for c in (1, 8)}
    finally:
        srv.terminate()
        srv.wait(10)


IMPLS = ('ours-sync', 'ours-async', 'reference-sync', 'reference-async', 'starlette-sync', 'starlette-async')
RATIOS = (('baseline-sync', 'ours-sync', 'base/ours sync'), ('baseline-async', 'ours-async', 'base/ours async'),
          ('reference-sync', 'ours-sync', 'ref/ours sync'), ('reference-async', 'ours-async', 'ref/ours async'),
          ('ours-sync', 'starlette-sync', 'ours/starl sync'), ('ours-async', 'starlette-async', 'ours/starl async'))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--n', type=int, default=2000, help='requests per endpoint per round (page200: a tenth)')
    ap.add_argument('--ref', default=os.environ.get('FH_REF_PYTHON', str(Path.home() / '.fh-anchors/ref/bin/python')))
    ap.add_argument('--only', help='comma-separated implementations to run (default: all of ' + ', '.join(IMPLS) + ')')
    ap.add_argument('--baseline', help='a folder holding another `fasthtml` package to run as baseline-sync/-async')
    ap.add_argument('--uvicorn', action='store_true', help='serve with uvicorn and report requests per second')
    ap.add_argument('--seconds', type=float, default=2.0, help='with --uvicorn: load time per endpoint and concurrency')
    ap.add_argument('--worker', help=argparse.SUPPRESS)
    ap.add_argument('--serve', help=argparse.SUPPRESS)
    ap.add_argument('--port', type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(asyncio.run(_worker(a.worker, a.n))))
        return
    if a.serve: return _serve(a.serve, a.port)
    impls = [i for i in IMPLS if not a.only or i in a.only.split(',')]
    if a.baseline: impls[:0] = ['baseline-sync', 'baseline-async']
    paths = {i: str(Path(a.baseline).resolve()) if i.startswith('baseline') else '' for i in impls}
    if not Path(a.ref).exists():
        print(f'(no reference interpreter at {a.ref}: skipping it; set --ref)', file=sys.stderr)
        impls = [i for i in impls if not i.startswith('reference')]
    python = {i: a.ref if i.startswith('reference') else sys.executable for i in impls}
    runs = {k: [] for k in impls}
    for r in range(a.rounds):
        order = impls if r % 2 == 0 else list(reversed(impls))
        for impl in order:
            if a.uvicorn: runs[impl].append(_uvicorn_round(python[impl], impl, paths[impl], a.seconds))
            else: runs[impl].append(_run_worker(python[impl], impl, a.n, paths[impl]))
        print(f'round {r + 1}/{a.rounds} done', file=sys.stderr)
    if a.uvicorn: return _uvicorn_table(runs, impls, a)
    med = {impl: {e: statistics.median(run[e] for run in rs) for e in ENDPOINTS} for impl, rs in runs.items()}
    ratios = [(x, y, label) for x, y, label in RATIOS if x in med and y in med]
    print(f'{"µs/request":10s}' + ''.join(f'{c:>16s}' for c in impls) + ''.join(f'{lb:>17s}' for _, _, lb in ratios))
    for e in ENDPOINTS:
        line = f'{e:10s}' + ''.join(f'{med[c][e]:16.1f}' for c in impls)
        print(line + ''.join(f'{med[x][e] / med[y][e]:17.2f}' for x, y, _ in ratios))
    print(f'(medians of {a.rounds} alternating rounds of {a.n} requests per endpoint, page200 {max(20, a.n // 10)};'
          ' ref/ours > 1: ours is faster; ours/starl: our overhead over raw Starlette)')


def _uvicorn_table(runs: dict, impls: list, a) -> None:
    keys = list(runs[impls[0]][0])
    med = {impl: {k: statistics.median(run[k] for run in rs) for k in keys} for impl, rs in runs.items()}
    print(f'{"req/s":14s}' + ''.join(f'{c:>16s}' for c in impls))
    for k in keys: print(f'{k:14s}' + ''.join(f'{med[c][k]:16.0f}' for c in impls))
    print(f'(uvicorn on loopback, medians of {a.rounds} alternating rounds of {a.seconds}s per row; higher is better)')


if __name__ == '__main__':
    main()

"""In-process request throughput: our build vs the released python-fasthtml vs a raw Starlette app.

    .venv/bin/python bench/bench_app.py [--rounds 5] [--n 2000] [--ref ~/.fh-anchors/ref/bin/python]

Each implementation serves the same five endpoints: `hello` (a small FT fragment), `page200` (a full page with a
200-row table), `form` (an htmx form post filled into a dataclass), `session` (read and write the session) and
`params` (typed path and query parameters). Requests are driven straight into the ASGI app (no sockets, no test
client), so the figures are the framework's own cost. Each (implementation, round) runs in a fresh subprocess;
rounds alternate between implementations and the table shows medians in µs/request and the ratio to ours.
"""
import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ENDPOINTS = ('hello', 'page200', 'form', 'session', 'params')


def fasthtml_app():
    "The benchmark app written with FastHTML (run under our build or the reference)"
    from dataclasses import dataclass

    from fasthtml.common import P, Table, Td, Titled, Tr, fast_app

    app, _ = fast_app(secret_key='bench-secret', key_fname='/dev/null')

    @dataclass
    class Profile:
        name: str
        age: int
        email: str

    rows = [(i, f'name {i}', i * 3) for i in range(200)]

    @app.get('/hello')
    def hello(): return P('hello')

    @app.get('/page200')
    def page200(): return Titled('Rows', Table(*[Tr(Td(a), Td(b), Td(c)) for a, b, c in rows]))

    @app.post('/form')
    def form(profile: Profile): return P(f'{profile.name} {profile.age} {profile.email}')

    @app.get('/session')
    def session_visit(session):
        session['n'] = session.get('n', 0) + 1
        return P(f"visit {session['n']}")

    @app.get('/items/{item_id}')
    def item(item_id: int, q: str = '', limit: int = 10): return P(f'{item_id} {q} {limit}')

    return app


def starlette_app():
    "The same endpoints in plain Starlette: hand-built HTML, manual form parsing and casting"
    from dataclasses import dataclass
    from html import escape

    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.sessions import SessionMiddleware
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    @dataclass
    class Profile:
        name: str
        age: int
        email: str

    rows = [(i, f'name {i}', i * 3) for i in range(200)]

    async def hello(req): return HTMLResponse('<p>hello</p>')

    async def page200(req):
        body = ''.join(f'<tr><td>{a}</td><td>{escape(b)}</td><td>{c}</td></tr>' for a, b, c in rows)
        return HTMLResponse(f'<!doctype html><html><head><title>Rows</title></head><body><main class="container">'
                            f'<h1>Rows</h1><table>{body}</table></main></body></html>')

    async def form(req):
        f = await req.form()
        p = Profile(name=f['name'], age=int(f['age']), email=f['email'])
        return HTMLResponse(f'<p>{escape(p.name)} {p.age} {escape(p.email)}</p>')

    async def session(req):
        req.session['n'] = req.session.get('n', 0) + 1
        return HTMLResponse(f"<p>visit {req.session['n']}</p>")

    async def items(req):
        item_id = int(req.path_params['item_id'])
        q, limit = req.query_params.get('q', ''), int(req.query_params.get('limit', 10))
        return HTMLResponse(f'<p>{item_id} {escape(q)} {limit}</p>')

    routes = [Route('/hello', hello), Route('/page200', page200), Route('/form', form, methods=['POST']),
              Route('/session', session), Route('/items/{item_id}', items)]
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
    app = starlette_app() if impl == 'starlette' else fasthtml_app()
    task = await _lifespan_start(app)
    first = await _call(app, 'GET', '/session', b'', [], b'')
    cookie = next(v for k, v in first['headers'] if k == b'set-cookie').split(b';')[0]
    res = {}
    for name, req in _requests(cookie).items():
        check = await _call(app, *req)
        assert check['status'] == 200, f'{impl} {name}: status {check["status"]} {check.get("body", b"")[:300]!r}'
        for _ in range(max(50, n // 20)): await _call(app, *req)
        t0 = time.perf_counter()
        for _ in range(n): await _call(app, *req)
        res[name] = (time.perf_counter() - t0) / n * 1e6
    task.cancel()
    return res


def _run_worker(python: str, impl: str, n: int) -> dict:
    env = {**os.environ, 'PYTHONHASHSEED': '0', 'PYTHONPATH': ''}
    p = subprocess.run([python, __file__, '--worker', impl, '--n', str(n)], capture_output=True, text=True,
                       cwd='/tmp', env=env, check=False)
    if p.returncode != 0: raise SystemExit(f'{impl} worker failed ({python}):\n{p.stderr[-2000:]}')
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--n', type=int, default=2000, help='requests per endpoint per round')
    ap.add_argument('--ref', default=os.environ.get('FH_REF_PYTHON', str(Path.home() / '.fh-anchors/ref/bin/python')))
    ap.add_argument('--worker', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(asyncio.run(_worker(a.worker, a.n))))
        return
    impls = {'ours': sys.executable, 'reference': a.ref, 'starlette': sys.executable}
    if not Path(a.ref).exists():
        print(f'(no reference interpreter at {a.ref}: skipping it; set --ref)', file=sys.stderr)
        del impls['reference']
    runs = {k: [] for k in impls}
    for r in range(a.rounds):
        order = list(impls) if r % 2 == 0 else list(reversed(impls))
        for impl in order: runs[impl].append(_run_worker(impls[impl], 'starlette' if impl == 'starlette' else impl, a.n))
        print(f'round {r + 1}/{a.rounds} done', file=sys.stderr)
    med = {impl: {e: statistics.median(run[e] for run in rs) for e in ENDPOINTS} for impl, rs in runs.items()}
    cols = list(impls)
    head = f'{"endpoint":10s}' + ''.join(f'{c + " µs":>16s}' for c in cols)
    head += ''.join(f'{c + "/ours":>16s}' for c in cols if c != 'ours')
    print(head)
    for e in ENDPOINTS:
        line = f'{e:10s}' + ''.join(f'{med[c][e]:16.1f}' for c in cols)
        line += ''.join(f'{med[c][e] / med["ours"][e]:16.2f}' for c in cols if c != 'ours')
        print(line)
    print(f'(medians of {a.rounds} alternating rounds of {a.n} requests per endpoint; ratio > 1: ours is faster)')


if __name__ == '__main__':
    main()

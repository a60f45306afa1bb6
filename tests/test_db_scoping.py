"""Many requests at once on one table, through a real uvicorn server: no `ThreadingViolationError` from sync handlers
sharing a SQLite connection, and the `xtra` scope set in Beforeware is the handler's own, whatever another user's
request does meanwhile — for sync and async Beforeware and handlers, on fastlite (`open_db` of a path) and on the
SQLAlchemy adapter (`open_db` of a URL)."""
from __future__ import annotations

import asyncio
import contextvars
import threading

import httpx
import pytest
import uvicorn

from fasthtml.common import Beforeware, Response, fast_app
from fasthtml.db import open_db
from fastlite import NotFoundError
from ports import free_port

USERS = ('ann', 'bob')
ROUNDS = 40  # per user: each round lists, inserts and toggles concurrently with the other user's round


def make_app(target: str, before_async: bool, handler_async: bool):
    db = open_db(target)
    items = db.t.items.create(id=int, name=str, n=int, done=bool, pk='id', transform=True)
    items.dataclass()

    def scope(req): items.xtra(name=req.headers['x-user'])
    async def ascope(req):
        await asyncio.sleep(0)  # let the other user's request run in between
        items.xtra(name=req.headers['x-user'])

    app, _ = fast_app(before=Beforeware(ascope if before_async else scope),
                      exception_handlers={NotFoundError: lambda req, exc: Response('missing', 404)})

    # The handlers answer with the names of the rows they saw: the client checks that they are all its own.
    def listing(): return ','.join(sorted({r.name for r in items()})) or '-'
    def add(n: int):
        row = items.insert(n=n, done=False)
        return f'{row.id} {row.name}'
    def toggle(id: int):
        row = items[id]
        row.done = not row.done
        return items.update(row).name

    if handler_async:
        async def alisting(): return listing()
        async def aadd(n: int): return add(n)
        async def atoggle(id: int): return toggle(id)
        app.get('/')(alisting); app.post('/')(aadd); app.post('/toggle/{id}')(atoggle)
    else: app.get('/')(listing); app.post('/')(add); app.post('/toggle/{id}')(toggle)
    return app, db, items


async def _user(cli: httpx.AsyncClient, user: str, out: dict) -> None:
    hdr = {'x-user': user, 'hx-request': '1'}
    for n in range(ROUNDS):
        reqs = [cli.get('/', headers=hdr), cli.post('/', params={'n': n}, headers=hdr)]
        if out['ids'][user]: reqs.append(cli.post(f"/toggle/{out['ids'][user][-1]}", headers=hdr))
        for r in await asyncio.gather(*reqs):
            out['codes'].append(r.status_code)
            if r.status_code != 200: continue
            if r.request.method == 'GET':
                if r.text != '-': out['seen'][user].add(r.text)  # '-': no rows yet
            elif r.url.path == '/':
                id_, name = r.text.split()
                out['ids'][user].append(int(id_))
                out['seen'][user].add(name)
            else: out['seen'][user].add(r.text)


def run_two_users(app) -> dict:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host='127.0.0.1', port=port, log_level='warning'))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    out = {'codes': [], 'seen': {u: set() for u in USERS}, 'ids': {u: [] for u in USERS}, 'cross': []}
    try:
        while not server.started: th.join(0.05)
        async def go():
            async with httpx.AsyncClient(base_url=f'http://127.0.0.1:{port}', timeout=60) as cli:
                await asyncio.gather(*(_user(cli, u, out) for u in USERS))
                # Each user's toggles of the other user's rows are 404s, never a change.
                for u, other in (USERS, USERS[::-1]):
                    for id_ in out['ids'][other][:5]:
                        r = await cli.post(f'/toggle/{id_}', headers={'x-user': u, 'hx-request': '1'})
                        out['cross'].append(r.status_code)
        asyncio.run(go())
    finally:
        server.should_exit = True
        th.join(10)
    return out


@pytest.fixture(params=['fastlite', 'sqlalchemy'])
def target(request, tmp_path):
    if request.param == 'fastlite': return str(tmp_path/'data'/'app.db')
    pytest.importorskip('sqlalchemy')
    return f'sqlite+pysqlite:///{tmp_path}/sa.db'


@pytest.mark.parametrize('before_async', [False, True], ids=['sync-before', 'async-before'])
@pytest.mark.parametrize('handler_async', [False, True], ids=['sync-handler', 'async-handler'])
def test_two_users_never_see_each_others_rows(target, before_async, handler_async):
    app, db, items = make_app(target, before_async, handler_async)
    out = run_two_users(app)
    assert set(out['codes']) == {200}, sorted(set(out['codes']))
    assert out['seen'] == {u: {u} for u in USERS}
    assert out['cross'] == [404] * 10
    rows = items(xtra={'name': 'ann'}) + items(xtra={'name': 'bob'})
    assert len(rows) == 2 * ROUNDS  # every acknowledged insert is stored, in the right user's name
    assert sorted(r.id for r in rows if r.name == 'ann') == sorted(out['ids']['ann'])
    db.close()


def test_sync_handlers_hammering_one_sqlite_table(tmp_path):
    "16 clients x 60 mixed requests through sync handlers: no 500 (ThreadingViolationError), every write stored"
    db = open_db(str(tmp_path/'data'/'h.db'))
    items = db.t.items.create(id=int, n=int, pk='id')
    items.insert_all([{'n': -1 - i} for i in range(3000)])  # reads that take a while: threads overlap in SQLite
    app, _ = fast_app()
    @app.post('/')
    def add(n: int): return str(items.insert(n=n)['n'])
    @app.get('/')
    def count(): return str(len(items()))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host='127.0.0.1', port=port, log_level='warning'))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    codes, echoed = [], []
    try:
        while not server.started: th.join(0.05)
        async def client(i):
            async with httpx.AsyncClient(base_url=f'http://127.0.0.1:{port}', timeout=60) as cli:
                for k in range(60):
                    n = i * 1000 + k
                    r = await (cli.post('/', params={'n': n}) if k % 3 == 0 else cli.get('/'))
                    codes.append(r.status_code)
                    if k % 3 == 0 and r.status_code == 200: echoed.append((n, int(r.text)))
        async def go(): await asyncio.gather(*(client(i) for i in range(16)))
        asyncio.run(go())
    finally:
        server.should_exit = True
        th.join(10)
    assert set(codes) == {200}, sorted(set(codes))
    assert all(a == b for a, b in echoed)  # each insert answered with its own row, not another thread's
    assert sorted(r['n'] for r in items('n >= 0')) == sorted(n for n, _ in echoed) and len(echoed) == 16 * 20
    db.close()


def test_scope_in_a_thread_stays_in_that_thread(tmp_path):
    "A scope set in a worker thread's context is not the main thread's, and a copied context carries it"
    db = open_db(str(tmp_path/'s.db'))
    items = db.t.items.create(id=int, name=str, pk='id')
    items.insert(name='ann'); items.insert(name='bob')
    items.xtra(name='ann')
    got = []
    t = threading.Thread(target=contextvars.copy_context().run, args=(lambda: got.append([r['name'] for r in items()]),))
    t.start(); t.join()
    assert got == [['ann']]
    def other():
        items.xtra(name='bob')
        got.append([r['name'] for r in items()])
    t = threading.Thread(target=contextvars.copy_context().run, args=(other,))
    t.start(); t.join()
    assert got[-1] == ['bob'] and [r['name'] for r in items()] == ['ann']
    db.close()

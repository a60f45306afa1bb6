"Health probes: /healthz and /readyz answer before any auth (Beforeware or middleware), run checks, report latency."
import asyncio
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import Mount
from starlette.testclient import TestClient

from fasthtml.authmw import user_pwd_auth
from fasthtml.common import Beforeware, fast_app
from fasthtml.core import FastHTML
from fasthtml.health import Health, db_ping, install_health
from ports import free_port

ROOT = Path(__file__).resolve().parents[1]


def redirect_all(req): return RedirectResponse('/login', status_code=303)


def test_probes_skip_an_auth_beforeware_that_redirects_everything():
    app = FastHTML(before=Beforeware(redirect_all), health=True, secret_key='k')
    @app.get('/')
    def home(): return 'secret'
    cli = TestClient(app, follow_redirects=False)
    assert cli.get('/').status_code == 303
    r = cli.get('/healthz')
    assert (r.status_code, r.json(), r.headers['cache-control']) == (200, {'status': 'ok'}, 'no-store')
    assert 'set-cookie' not in r.headers  # the session middleware never ran
    r = cli.get('/readyz')
    assert (r.status_code, r.json()) == (200, {'status': 'ok', 'checks': {}})


def test_probes_skip_basic_auth_middleware_too():
    app = FastHTML(middleware=[user_pwd_auth({'ann': 'pw'})], health=True, secret_key='k')
    @app.get('/')
    def home(): return 'secret'
    cli = TestClient(app)
    assert cli.get('/').status_code == 401
    assert cli.get('/', auth=('ann', 'pw')).text == 'secret'
    assert cli.get('/healthz').status_code == 200 and cli.get('/readyz').status_code == 200


def test_probes_skip_middleware_added_later():
    "`add_middleware` after the app was made wraps the app, yet the probes still answer first"
    from fasthtml.authmw import BasicAuthMiddleware
    app = FastHTML(health=True, secret_key='k')
    app.add_middleware(BasicAuthMiddleware, cb=lambda user, pwd: False)
    cli = TestClient(app)
    assert cli.get('/').status_code == 401
    assert cli.get('/healthz').status_code == 200 and cli.get('/readyz').status_code == 200


def test_without_health_there_are_no_probes():
    app = FastHTML(secret_key='k')
    assert TestClient(app).get('/healthz').status_code == 404
    with pytest.raises((AttributeError, RuntimeError)): app.ready_check('x', lambda: None)  # pyright: ignore


def test_fast_app_checks_sync_async_and_the_database(tmp_path):
    app, _rt, todos, _Todo = fast_app(str(tmp_path/'t.db'), todo={'id': int, 'title': str, 'pk': 'id'}, health=True,
                                    key_fname=str(tmp_path/'.sesskey'))
    app.ready_check('db', db_ping(todos.db))
    @app.ready_check
    def disk(): return True
    @app.ready_check('cache', timeout=0.5)
    async def cache(): await asyncio.sleep(0)
    body = TestClient(app).get('/readyz').json()
    assert body['status'] == 'ok' and list(body['checks']) == ['db', 'disk', 'cache']
    for report in body['checks'].values():
        assert report['status'] == 'ok' and isinstance(report['latency_ms'], float) and report['latency_ms'] >= 0


def test_a_failing_check_gives_503_with_each_checks_report():
    def down(): raise ConnectionError('postgresql://admin:hunter2@db.internal/app refused')
    async def hangs(): await asyncio.sleep(30)
    app = FastHTML(secret_key='k', health={'timeout': 0.1, 'checks': {'ok': lambda: 1, 'down': down, 'hangs': hangs}})
    r = TestClient(app).get('/readyz')
    assert r.status_code == 503 and r.json()['status'] == 'fail'
    checks = r.json()['checks']
    assert checks['ok']['status'] == 'ok'
    assert checks['down'] == {'status': 'fail', 'latency_ms': checks['down']['latency_ms'], 'error': 'ConnectionError'}
    assert checks['hangs']['error'] == 'timed out after 0.1 s' and checks['hangs']['latency_ms'] >= 100
    assert 'hunter2' not in r.text  # a check's error message can hold secrets: only its class is shown


def test_checks_run_concurrently():
    "Each check waits for the other: run one after the other, both would time out"
    a, b = asyncio.Event(), asyncio.Event()
    async def first(): a.set(); await b.wait()
    async def second(): b.set(); await a.wait()
    h = Health(timeout=2, checks={'first': first, 'second': second})
    passed, body = asyncio.run(h.readiness_report())
    assert passed, body


def test_a_broken_database_fails_the_ping(tmp_path):
    app, _rt, todos, _Todo = fast_app(str(tmp_path/'t.db'), todo={'id': int, 'pk': 'id'}, health=True,
                                    key_fname=str(tmp_path/'.sesskey'))
    app.ready_check('db', db_ping(todos.db, 'SELECT count(*) FROM todo'))
    cli = TestClient(app)
    assert cli.get('/readyz').status_code == 200
    todos.db.q('DROP TABLE todo')
    r = cli.get('/readyz')
    assert r.status_code == 503 and r.json()['checks']['db']['error'] == 'SQLError'


def test_state_changes_are_logged_once(caplog):
    state = {'up': False}
    app = FastHTML(secret_key='k', health={'checks': {'svc': lambda: state['up']}})
    cli = TestClient(app)
    with caplog.at_level(logging.INFO, logger='fasthtml.health'):
        for _ in range(3): assert cli.get('/readyz').status_code == 503
        state['up'] = True
        for _ in range(2): assert cli.get('/readyz').status_code == 200
    msgs = [r.getMessage() for r in caplog.records if r.name == 'fasthtml.health']
    assert msgs == ["readiness check 'svc' failing: returned False", "readiness check 'svc' passing again"]


def test_methods_head_and_paths():
    app = FastHTML(secret_key='k', health={'liveness': '/livez', 'readiness': None})
    cli = TestClient(app)
    assert cli.get('/livez').json() == {'status': 'ok'}
    assert cli.get('/healthz').status_code == 404 and cli.get('/readyz').status_code == 404
    r = cli.head('/livez')
    assert r.status_code == 200 and r.content == b''
    r = cli.post('/livez')
    assert (r.status_code, r.headers['allow']) == (405, 'GET, HEAD')


def test_mounted_app_answers_under_its_prefix():
    inner = FastHTML(secret_key='k', health=True)
    outer = Starlette(routes=[Mount('/api', inner)])
    cli = TestClient(outer)
    assert cli.get('/api/healthz').json() == {'status': 'ok'}
    assert cli.get('/healthz').status_code == 404


def test_plain_starlette_app_and_bad_settings():
    app = Starlette()
    h = install_health(app, {'readiness': '/ready'})
    h.add('one', lambda: None)
    app.ready_check('two', lambda: None)  # a plain Starlette app gets the function on the instance
    checks = TestClient(app).get('/ready').json()['checks']
    assert checks['one']['status'] == 'ok' and checks['two']['status'] == 'ok'
    assert 'ready_check' not in vars(FastHTML(health=True))  # FastHTML's method, not shadowed by an instance copy
    with pytest.raises(ValueError, match=r"Unknown health setting\(s\) \['paths'\]"): FastHTML(health={'paths': 1})
    with pytest.raises(TypeError, match='True or a dict'): install_health(Starlette(), 'yes')  # type: ignore[arg-type]
    with pytest.raises(ValueError, match='positive number'): FastHTML(health={'timeout': -1})
    with pytest.raises(ValueError, match='needs a name'): Health().add('', lambda: None)
    started = Starlette()
    TestClient(started).get('/')
    with pytest.raises(RuntimeError, match='already started'): install_health(started, True)


def test_example_app_under_uvicorn(tmp_path):
    "examples/health_app.py in a real server: the app needs a login, the probes don't; DRAINING flips /readyz"
    port = free_port()
    cmd = [sys.executable, '-m', 'uvicorn', 'health_app:app', '--host', '127.0.0.1', '--port', str(port),
           '--app-dir', str(ROOT/'examples'), '--log-level', 'warning']
    proc = subprocess.Popen(cmd, cwd=tmp_path, env={**os.environ, 'PYTHONUNBUFFERED': '1'},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=f'http://127.0.0.1:{port}') as cli:
            deadline = time.monotonic() + 20
            while True:
                try: r = cli.get('/healthz'); break
                except httpx.TransportError:
                    assert proc.poll() is None and time.monotonic() < deadline, proc.stdout and proc.stdout.read()
                    time.sleep(0.1)
            assert (r.status_code, r.json()) == (200, {'status': 'ok'})
            assert cli.get('/').status_code == 303
            r = cli.get('/readyz')
            assert r.status_code == 200 and set(r.json()['checks']) == {'db', 'not_draining'}
            (tmp_path/'DRAINING').touch()
            r = cli.get('/readyz')
            assert r.status_code == 503 and r.json()['checks']['not_draining']['error'] == 'returned False'
            assert cli.get('/healthz').status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)


def test_db_ping_on_a_sqlalchemy_database(tmp_path):
    "`SQLDatabase` (the PostgreSQL adapter of fasthtml.db) has the same `q`; SQLite through SQLAlchemy stands in"
    pytest.importorskip('sqlalchemy')
    from fasthtml.db import SQLDatabase
    db = SQLDatabase(f'sqlite:///{tmp_path}/sa.db')
    app = FastHTML(secret_key='k', health={'checks': {'db': db_ping(db)}})
    assert TestClient(app).get('/readyz').json()['checks']['db']['status'] == 'ok'
    app.ready_check('missing', db_ping(db, 'SELECT * FROM nowhere'))
    r = TestClient(app).get('/readyz')
    assert r.status_code == 503 and r.json()['checks']['missing']['error'] == 'OperationalError'
    db.close()


def test_a_lambda_returning_a_coroutine_is_awaited():
    "`lambda: client.ping()` is a sync function that returns a coroutine: its result is what counts"
    async def down(): return False
    async def up(): return True
    app = FastHTML(secret_key='k', health={'checks': {'up': lambda: up(), 'down': lambda: down()}})
    checks = TestClient(app).get('/readyz').json()['checks']
    assert (checks['up']['status'], checks['down'].get('error')) == ('ok', 'returned False')

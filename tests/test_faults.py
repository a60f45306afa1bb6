"""Faults: a raising handler gives a 500 page (traceback only in debug) and the server keeps serving; 200 SSE and
WebSocket clients that vanish mid-stream leave no task, generator or file descriptor behind; shutdown lets in-flight
requests finish and leaves SQLite unlocked."""
from __future__ import annotations

import asyncio
import base64
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import uvicorn
from starlette.testclient import TestClient

from fasthtml.common import FastHTML, P
from fasthtml.sse import SSEStream, sse_event
from ports import free_port


def raising_app(debug: bool) -> FastHTML:
    app = FastHTML(secret_key='k', key_fname='/dev/null', debug=debug)

    @app.get('/boom')
    def boom(): raise RuntimeError('secret internal detail xyz')

    @app.get('/aboom')
    async def aboom(): raise KeyError('another internal detail')

    @app.get('/ok')
    def ok(): return P('fine')
    return app


@pytest.mark.parametrize('path', ['/boom', '/aboom'])
def test_production_500_is_short_and_hides_the_error(path):
    cli = TestClient(raising_app(debug=False), raise_server_exceptions=False)
    r = cli.get(path)
    assert r.status_code == 500
    assert 'Traceback' not in r.text and 'internal detail' not in r.text and 'File "' not in r.text
    assert len(r.text) < 500
    assert cli.get('/ok').status_code == 200


def test_debug_500_shows_the_traceback():
    cli = TestClient(raising_app(debug=True), raise_server_exceptions=False)
    r = cli.get('/boom', headers={'accept': 'text/html'})
    assert r.status_code == 500
    assert 'RuntimeError' in r.text and 'secret internal detail xyz' in r.text and 'Traceback' in r.text


# ---- a real server in a thread, for disconnects

class ThreadServer:
    "uvicorn in a thread of this process, so tasks on its loop and this process's fds can be counted"
    port: int
    server: uvicorn.Server
    thread: threading.Thread
    loop: asyncio.AbstractEventLoop
    state: dict

    def tasks(self) -> int:
        async def count(): return len(asyncio.all_tasks())
        return asyncio.run_coroutine_threadsafe(count(), self.loop).result(10)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(20)


_loops: dict[int, asyncio.AbstractEventLoop] = {}   # server thread id -> its event loop (set by GET /loop)


def _open_fds() -> int: return len(os.listdir('/proc/self/fd'))


def _settle(check, timeout: float = 20) -> None:
    "Wait for `check()` to hold (resources are freed asynchronously), without asserting on time"
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline: time.sleep(0.05)


def stream_app():
    app = FastHTML(secret_key='k', key_fname='/dev/null')
    state = {'open': 0, 'closed': 0, 'ws_open': 0, 'ws_closed': 0}

    async def ticks():
        state['open'] += 1
        try:
            while True:
                yield sse_event(P('tick'), event='tick')
                await asyncio.sleep(0.01)
        finally:
            state['open'] -= 1
            state['closed'] += 1

    @app.get('/sse')
    def sse(): return SSEStream(ticks())

    @app.get('/loop')
    async def loop_marker():
        _loops[threading.get_ident()] = asyncio.get_running_loop()
        return 'ok'

    def conn(): state['ws_open'] += 1

    def disconn(): state['ws_closed'] += 1

    @app.ws('/ws', conn=conn, disconn=disconn)
    async def ws(msg: str, send): await send(P(msg))
    return app, state


@pytest.fixture
def server():
    app, state = stream_app()
    srv = ThreadServer()
    srv.port = free_port()
    srv.server = uvicorn.Server(uvicorn.Config(app, host='127.0.0.1', port=srv.port, log_level='error', lifespan='off'))
    srv.thread = threading.Thread(target=srv.server.run, daemon=True)
    srv.thread.start()
    deadline = time.monotonic() + 20
    while not srv.server.started:
        assert time.monotonic() < deadline, 'server did not start'
        time.sleep(0.02)
    _raw_get(srv.port, '/loop')
    srv.loop = _loops[srv.thread.ident]
    srv.state = state
    yield srv
    srv.stop()


def _raw_get(port: int, path: str) -> bytes:
    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
        s.sendall(f'GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'.encode())
        out = b''
        while chunk := s.recv(65536): out += chunk
    return out


def _vanishing_sse(port: int) -> None:
    "Open the stream, read the first event, then drop the connection without a word"
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    s.sendall(b'GET /sse HTTP/1.1\r\nHost: x\r\n\r\n')
    got = b''
    while b'event: tick' not in got: got += s.recv(4096)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')  # RST on close
    s.close()


def _vanishing_ws(port: int) -> None:
    "Complete a WebSocket handshake, send one frame, then drop the TCP connection (no close frame)"
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
               f'Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n').encode())
    got = b''
    while b'\r\n\r\n' not in got: got += s.recv(4096)
    assert b' 101 ' in got, got
    payload = b'{"msg": "hi"}'
    mask = os.urandom(4)
    s.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    s.recv(4096)  # the echoed fragment
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
    s.close()


def test_200_vanishing_sse_clients_free_everything(server):
    _vanishing_sse(server.port)   # warm up: first-use imports and caches
    _settle(lambda: server.state['open'] == 0)
    tasks0, fds0 = server.tasks(), _open_fds()
    for _ in range(200): _vanishing_sse(server.port)
    _settle(lambda: server.state['open'] == 0 and server.tasks() <= tasks0 and _open_fds() <= fds0)
    assert server.state == {**server.state, 'open': 0, 'closed': 201}
    assert server.tasks() <= tasks0
    assert _open_fds() <= fds0 + 2
    assert b'200 OK' in _raw_get(server.port, '/loop')


def test_200_vanishing_ws_clients_free_everything(server):
    _vanishing_ws(server.port)
    _settle(lambda: server.state['ws_closed'] == 1)
    tasks0, fds0 = server.tasks(), _open_fds()
    for _ in range(200): _vanishing_ws(server.port)
    _settle(lambda: server.state['ws_closed'] == 201 and server.tasks() <= tasks0 and _open_fds() <= fds0)
    assert server.state['ws_open'] == server.state['ws_closed'] == 201
    assert server.tasks() <= tasks0
    assert _open_fds() <= fds0 + 2


SHUTDOWN_APP = textwrap.dedent('''
    import asyncio, sqlite3
    from fasthtml.common import FastHTML
    app = FastHTML(secret_key='k', key_fname='/dev/null')

    @app.post('/slow')
    async def slow(n: int):
        con = sqlite3.connect('shutdown.db', timeout=5)
        with con: con.execute('insert into t values (?)', (n,))
        await asyncio.sleep(1.5)          # still in flight when SIGTERM arrives
        with con: con.execute('insert into t values (?)', (n + 1000,))
        con.close()
        return f'done {n}'

    @app.get('/ready')
    def ready(): return 'up'
''')


def test_graceful_shutdown_finishes_in_flight_and_unlocks_sqlite(tmp_path):
    (tmp_path/'shutdown_app.py').write_text(SHUTDOWN_APP)
    with sqlite3.connect(tmp_path/'shutdown.db') as con: con.execute('create table t (n int)')
    port = free_port()
    proc = subprocess.Popen([sys.executable, '-m', 'uvicorn', 'shutdown_app:app', '--port', str(port),
                             '--log-level', 'warning'], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if b'up' in _raw_get(port, '/ready'): break
            except OSError: pass
            assert time.monotonic() < deadline and proc.poll() is None, 'server did not start'
            time.sleep(0.1)
        results = {}

        def post(n):
            with socket.create_connection(('127.0.0.1', port), timeout=20) as s:
                body = f'n={n}'.encode()
                s.sendall(b'POST /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
                          b'Content-Type: application/x-www-form-urlencoded\r\n'
                          + f'Content-Length: {len(body)}\r\n\r\n'.encode() + body)
                out = b''
                while chunk := s.recv(65536): out += chunk
            results[n] = out
        threads = [threading.Thread(target=post, args=(n,)) for n in range(5)]
        for t in threads: t.start()
        _settle(lambda: sqlite3.connect(tmp_path/'shutdown.db').execute('select count(*) from t').fetchone()[0] >= 5)
        proc.send_signal(signal.SIGTERM)
        for t in threads: t.join(30)
        # uvicorn finishes the shutdown, then re-raises the signal it caught: exit status -SIGTERM.
        assert proc.wait(30) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for n in range(5): assert results[n].startswith(b'HTTP/1.1 200') and f'done {n}'.encode() in results[n]
    con = sqlite3.connect(tmp_path/'shutdown.db', timeout=0)
    with con: con.execute('insert into t values (-1)')     # timeout=0: fails at once if a lock was left behind
    assert sorted(r[0] for r in con.execute('select n from t')) == [-1, *range(5), *range(1000, 1005)]

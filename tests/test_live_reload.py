"Live reload: the /live-reload websocket, the injected script and its settings, and the close on server restart."
from __future__ import annotations

import threading
import time

import pytest
import uvicorn
from starlette.testclient import TestClient

from fasthtml.common import FastHTMLWithLiveReload, P, fast_app
from fasthtml.live_reload import LiveReloadJs


def page_app(**kw):
    app, rt = fast_app(live=True, **kw)
    @rt('/')
    def get(): return P('hello', id='p')
    return app


def test_fast_app_live_is_live_reload_app_with_settings():
    app = page_app(reload_attempts=7, reload_interval=250)
    assert isinstance(app, FastHTMLWithLiveReload)
    html = TestClient(app).get('/').text
    assert '/live-reload' in html and 'attempts++ >= 7' in html and 'setTimeout(connect, 250)' in html


def test_script_only_on_full_pages():
    cli = TestClient(page_app())
    assert '/live-reload' in cli.get('/').text
    frag = cli.get('/', headers={'HX-Request': '1'}).text
    assert '/live-reload' not in frag and 'hello' in frag


def test_plain_app_has_no_live_reload():
    app, rt = fast_app()
    @rt('/')
    def get(): return P('x')
    assert '/live-reload' not in TestClient(app).get('/').text


def test_websocket_accepts_and_stays_open():
    with TestClient(page_app()).websocket_connect('/live-reload') as ws:
        ws.send_text('ping')  # ignored: the socket only signals by closing
        ws.send_text('ping')


def test_routes_and_hdrs_kept():
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    def other(req): return PlainTextResponse('other')
    app = FastHTMLWithLiveReload(routes=[Route('/o', other)], hdrs=[P('mine', id='mine')], reload_interval=10)
    @app.get('/')
    def index(): return P('x')
    cli = TestClient(app)
    assert cli.get('/o').status_code == 200
    html = cli.get('/').text
    assert 'id="mine"' in html and 'setTimeout(connect, 10)' in html


@pytest.mark.parametrize('kw', [{'reload_attempts': -1}, {'reload_interval': 'fast'}, {'reload_attempts': True}])
def test_bad_settings_are_clear_errors(kw):
    with pytest.raises(ValueError, match='must be a non-negative integer'): LiveReloadJs(**kw)


def test_server_shutdown_closes_the_socket():
    "A restart (`serve(reload=True)` / `uvicorn --reload`) stops the server, which closes the socket: the page's cue"
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect
    server = uvicorn.Server(uvicorn.Config(FastHTMLWithLiveReload(), host='127.0.0.1', port=0, log_level='warning',
                                           lifespan='off'))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not (server.started and server.servers) and time.monotonic() < deadline: time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    with connect(f'ws://127.0.0.1:{port}/live-reload', open_timeout=10) as ws:
        server.should_exit = True
        with pytest.raises(ConnectionClosed) as e: ws.recv(timeout=20)
    t.join(10)
    assert e.value.rcvd is not None and e.value.rcvd.code == 1012  # "service restart"

"WebSockets: parameters from the JSON message, injected ws/send/session/htmx, FT replies, broadcast, close codes."
from __future__ import annotations

import json
import logging

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from fasthtml.common import APIRouter, Div, FastHTML, Li, P, Ul, fast_app, to_xml
from fasthtml.htmx import htmx_exts


def msg(**kw) -> str: return json.dumps(kw)


@pytest.fixture
def app():
    app, _ = fast_app(exts='ws', secret_key='test-secret')
    @app.ws('/typed')
    async def typed(name: str, n: int, ratio: float = 0.5, flag: bool = False):
        return P(f'{name}|{n + 1}|{ratio * 2}|{flag}', id='out')
    @app.ws('/inject')
    async def inject(ws, send, session, htmx):
        await send(Div('pushed first', id='a'))
        return P(f'{type(ws).__name__}|{htmx.target}|{htmx.trigger}|{session.get("k")}', id='b')
    @app.ws('/sync')
    def sync_handler(msg: str): return Div(P(msg), P('two'))
    @app.ws('/boom')
    async def boom(msg: str): raise ValueError('secret internal detail')
    return app


def test_params_typed_from_json(app):
    with TestClient(app).websocket_connect('/typed') as c:
        c.send_text(msg(name='x', n='41', ratio='2', flag='1'))
        assert c.receive_text() == '<p id="out">x|42|4.0|True</p>\n'
        c.send_text(msg(name='y', n=1))  # defaults fill in
        assert c.receive_text() == '<p id="out">y|2|1.0|False</p>\n'


@pytest.mark.parametrize('payload,reply', [
    (msg(name='x'), 'Missing required field: n'),
    (msg(name='x', n='seven'), "Invalid value for n: 'seven'"),
    ('not json', 'Invalid message: send a JSON object (htmx `ws-send` does)'),
    ('[1, 2]', 'Invalid message: send a JSON object, not list'),
])
def test_bad_messages_get_an_error_text_and_the_socket_stays_open(app, payload, reply):
    with TestClient(app).websocket_connect('/typed') as c:
        c.send_text(payload)
        assert c.receive_text() == reply
        c.send_text(msg(name='ok', n=0))
        assert c.receive_text() == '<p id="out">ok|1|1.0|False</p>\n'


def test_bytes_message_and_invalid_utf8(app):
    with TestClient(app).websocket_connect('/typed') as c:
        c.send_bytes(msg(name='b', n=1).encode())
        assert c.receive_text() == '<p id="out">b|2|1.0|False</p>\n'
        c.send_bytes(b'\xff\xfe')
        assert c.receive_text() == 'Invalid message: not UTF-8 text'


def test_injected_ws_send_session_and_htmx_headers(app):
    with TestClient(app).websocket_connect('/inject') as c:
        c.send_text(msg(HEADERS={'HX-Target': 'chat', 'HX-Trigger': 'form1'}))
        assert c.receive_text() == '<div id="a">pushed first</div>\n'
        assert c.receive_text() == '<p id="b">WebSocket|chat|form1|None</p>\n'


def test_sync_handler_returning_ft_sends_html(app):
    with TestClient(app).websocket_connect('/sync') as c:
        c.send_text(msg(msg='hi'))
        assert c.receive_text() == to_xml(Div(P('hi'), P('two')))


def test_handler_error_closes_with_1011_without_leaking_the_message(app, caplog):
    with caplog.at_level(logging.ERROR, logger='fasthtml.ws'), TestClient(app).websocket_connect('/boom') as c:
        c.send_text(msg(msg='x'))
        with pytest.raises(WebSocketDisconnect) as e: c.receive_text()
    assert (e.value.code, e.value.reason) == (1011, 'Internal server error')
    assert 'secret internal detail' not in e.value.reason
    assert 'websocket handler boom failed' in caplog.text  # the developer sees it in the log


def test_conn_disconn_and_broadcast_to_all_clients():
    app = FastHTML()
    clients, events = {}, []
    async def on_conn(ws, send):
        clients[id(ws)] = send
        events.append('conn')
        await send(P('welcome', id='status'))
    def on_disconn(ws):
        clients.pop(id(ws), None)
        events.append('disconn')
    @app.ws('/chat', conn=on_conn, disconn=on_disconn)
    async def chat(text: str):
        for send in list(clients.values()): await send(Ul(Li(text), id='messages', hx_swap_oob='beforeend'))
    cli = TestClient(app)
    with cli.websocket_connect('/chat') as a, cli.websocket_connect('/chat') as b:
        assert a.receive_text() == b.receive_text() == '<p id="status">welcome</p>\n'
        a.send_text(msg(text='hello'))
        expected = to_xml(Ul(Li('hello'), id='messages', hx_swap_oob='beforeend'))
        assert a.receive_text() == expected and b.receive_text() == expected
    assert events == ['conn', 'conn', 'disconn', 'disconn'] and not clients


def test_send_to_a_closed_client_returns_false():
    app, kept = FastHTML(), {}
    @app.ws('/keep', conn=lambda send: kept.setdefault('send', send))
    async def keep(x: str = ''): return None
    @app.ws('/poke')
    async def poke(): return P(str(await kept['send']('late')))
    cli = TestClient(app)
    with cli.websocket_connect('/keep'): pass
    with cli.websocket_connect('/poke') as c:
        c.send_text('{}')
        assert c.receive_text() == '<p>False</p>\n'


def test_conn_error_closes_1011_and_still_runs_disconn():
    app, seen = FastHTML(), []
    def bad_conn(): raise RuntimeError('db down')
    @app.ws('/x', conn=bad_conn, disconn=lambda: seen.append('disconn'))
    async def x(): return 'never'
    with TestClient(app).websocket_connect('/x') as c, pytest.raises(WebSocketDisconnect) as e: c.receive_text()
    assert e.value.code == 1011 and seen == ['disconn']


def test_api_router_ws():
    ar = APIRouter(prefix='/api')
    @ar.ws('/echo')
    async def echo(msg: str): return P(msg.upper())
    app = FastHTML()
    ar.to_app(app)
    with TestClient(app).websocket_connect('/api/echo') as c:
        c.send_text(msg(msg='hey'))
        assert c.receive_text() == '<p>HEY</p>\n'


def test_ws_extension_header():
    app, rt = fast_app(exts='ws')
    @rt('/')
    def get(): return P('x')
    assert f'<script src="{htmx_exts["ws"]}"></script>' in TestClient(app).get('/').text
    assert htmx_exts['ws'] == 'https://cdn.jsdelivr.net/npm/htmx-ext-ws@2.0.3/ws.js'


def test_message_headers_cannot_claim_origin_or_cookies():
    "htmx's headers in a message fill header params, but origin, cookie and authorization come from the handshake"
    app = FastHTML(htmx4=True, secret_key='k')
    @app.ws('/ws')
    async def ws(origin: str = '-', authorization: str = '-', hx_source: str = '-', user_agent: str = '-'):
        return f'{origin}|{authorization}|{hx_source}|{user_agent}'
    hdrs = {'Origin': 'http://testserver', 'User-Agent': 'real'}
    with TestClient(app).websocket_connect('/ws', headers=hdrs) as c:
        c.send_text(msg(headers={'Origin': 'https://evil.example', 'Authorization': 'Bearer x', 'HX-Source': 'form#f',
                                 'User-Agent': 'claimed'}))
        assert c.receive_text() == 'http://testserver|-|form#f|claimed'
        c.send_text(msg(HEADERS={'Origin': 'https://evil.example', 'HX-Trigger': 't'}))
        assert c.receive_text() == 'http://testserver|-|-|real'

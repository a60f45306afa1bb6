"""CSRF protection (`fast_app(csrf=True)`, fasthtml.csrf): forged, missing and other-session tokens are refused;
exempt routes, WebSockets from the app's own pages and safe methods pass; forms, multipart uploads and htmx requests
carry the token; with the switch off nothing changes."""
import asyncio
import base64
import json
import logging
import re

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from fasthtml.common import *
from fasthtml.csrf import CsrfConfig, csrf_exempt, csrf_token, install_csrf
from fasthtml.render import _facts

TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(csrf=True, **kw):
    app, rt = fast_app(csrf=csrf, secret_key='test-secret', **kw)

    @rt('/')
    def get(): return Titled('t', Form(Input(name='title'), method='post', action='/save'))

    @rt('/save')
    def post(d: dict): return f'saved {json.dumps(d, sort_keys=True)}'

    @app.put('/item')
    async def put_item(title: str): return f'put {title}'

    @app.delete('/item')
    def delete_item(): return 'deleted'

    @app.post('/json')
    async def post_json(req): return f'json {json.dumps(await req.json())}'

    @app.post('/raw')
    async def post_raw(req):
        form = await req.form()
        return f'raw {sorted(form.keys())}'

    @app.post('/upload')
    async def post_upload(upload: UploadFile, note: str = ''):
        data = await upload.read()
        return f'{upload.filename} {len(data)} {note}'

    @app.post('/frag')
    def frag(): return Div(Form(Input(name='x'), hx_post='/save'), Form(Input(name='q'), method='get'))

    @app.post('/hook')
    @csrf_exempt
    def hook(): return 'hook below'

    @csrf_exempt
    @app.post('/hook2')
    def hook2(): return 'hook above'

    @app.get('/login')
    def login(session):
        session.clear()
        return 'fresh session'

    @app.ws('/ws')
    async def ws(msg: str, send): await send(Div(f'echo {msg}', id='out'))
    return app


@pytest.fixture(scope='module')
def app(): return make_app()


def token_of(cli) -> str:
    return TOKEN_RE.search(cli.get('/').text)[1]


@pytest.fixture
def cli(app):
    c = TestClient(app)
    c.token = token_of(c)
    return c


def test_page_form_carries_token_and_post_with_it_passes(cli):
    r = cli.post('/save', data={'title': 'a', 'csrf_token': cli.token})
    assert r.status_code == 200
    assert r.text == 'saved {"title": "a"}'  # the handler never sees the field


def test_missing_token_is_403_with_a_reason_and_a_log_line(cli, caplog):
    with caplog.at_level(logging.WARNING, logger='fasthtml.csrf'):
        r = cli.post('/save', data={'title': 'a'})
    assert r.status_code == 403
    assert 'CSRF token missing' in r.text and 'X-CSRF-Token' in r.text
    assert any('403 POST /save' in m and 'missing' in m for m in caplog.messages)


# Fixed bytes, not os.urandom: xdist workers must collect the same parameter ids.
_WELL_FORMED_FORGERY = base64.urlsafe_b64encode(bytes(range(64))).rstrip(b'=').decode()  # a token of no session

@pytest.mark.parametrize('forged', [_WELL_FORMED_FORGERY, 'x' * 86, 'not-a-token', '', 'A' * 500, '\u00e9' * 86])
def test_forged_tokens_are_403(cli, forged):
    assert cli.post('/save', data={'title': 'a', 'csrf_token': forged}).status_code == 403
    assert cli.post('/save', data={'title': 'a'}, headers={'X-CSRF-Token': forged.encode('utf-8')}
                    ).status_code == 403


def test_token_replayed_from_another_session_is_403(app, cli):
    other = TestClient(app)
    other.get('/')  # has a session and a secret of its own
    r = other.post('/save', data={'title': 'a', 'csrf_token': cli.token})
    assert r.status_code == 403 and 'does not belong to this session' in r.text
    fresh = TestClient(app)  # no session at all
    r = fresh.post('/save', data={'title': 'a', 'csrf_token': cli.token})
    assert r.status_code == 403 and 'has none yet' in r.text
    assert other.post('/save', headers={'X-CSRF-Token': cli.token}, data={'title': 'a'}).status_code == 403


def test_tokens_are_masked_per_response_and_all_stay_valid(cli):
    t2 = token_of(cli)
    assert t2 != cli.token
    for t in (cli.token, t2):
        assert cli.post('/save', data={'title': 'a', 'csrf_token': t}).status_code == 200


def test_a_new_session_invalidates_old_tokens(cli):
    assert cli.get('/login').text == 'fresh session'
    assert cli.post('/save', data={'title': 'a', 'csrf_token': cli.token}).status_code == 403
    assert cli.post('/save', data={'title': 'a', 'csrf_token': token_of(cli)}).status_code == 200


def test_safe_methods_are_unaffected(app):
    c = TestClient(app)
    assert c.get('/login').status_code == 200
    assert c.head('/').status_code == 200
    assert c.options('/save').status_code in (200, 405)  # answered by the app, not refused by the check
    page = TestClient(app).get('/')
    assert 'csrf_token' in page.text


def test_pages_without_forms_do_not_touch_the_session(app):
    r = TestClient(app).get('/login')
    assert 'set-cookie' not in r.headers or '_csrf' not in r.headers['set-cookie']


def test_htmx_requests_with_the_header(cli):
    h = {'HX-Request': 'true', 'X-CSRF-Token': cli.token}
    assert cli.put('/item', data={'title': 'x'}, headers=h).text == 'put x'
    assert cli.delete('/item', headers=h).text == 'deleted'
    assert cli.delete('/item', headers={'HX-Request': 'true'}).status_code == 403
    # header and field together (an htmx-submitted form): the field is still taken out of the body
    r = cli.post('/save', data={'title': 'a', 'csrf_token': cli.token}, headers=h)
    assert r.text == 'saved {"title": "a"}'


def test_json_bodies_need_the_header(cli):
    assert cli.post('/json', json={'a': 1}).status_code == 403
    assert cli.post('/json', json={'a': 1}, headers={'X-CSRF-Token': cli.token}).text == 'json {"a": 1}'
    assert cli.post('/save', content=b'title=a', headers={'content-type': 'text/plain'}).status_code == 403


def test_handler_reading_the_raw_form_gets_the_body_without_the_field(cli):
    assert cli.post('/raw', data={'a': '1', 'b': '2', 'csrf_token': cli.token}).text == "raw ['a', 'b']"


def test_multipart_forms(cli):
    files = {'upload': ('a.bin', b'\x00' * 200_000)}
    # our forms put the field first: it is found and cut out before the upload streams through
    r = cli.post('/upload', files={'csrf_token': (None, cli.token), **files, 'note': (None, 'n')})
    assert r.status_code == 200 and r.text == 'a.bin 200000 n'
    # the field after a file part is not searched for: the header is needed then
    r = cli.post('/upload', files={**files, 'csrf_token': (None, cli.token)})
    assert r.status_code == 403
    r = cli.post('/upload', files={**files, 'note': (None, 'n')}, headers={'X-CSRF-Token': cli.token})
    assert r.text == 'a.bin 200000 n'
    assert cli.post('/upload', files=files).status_code == 403
    # only the token: the handler sees an empty form
    r = cli.post('/raw', files={'csrf_token': (None, cli.token)})
    assert r.text == 'raw []'
    # a multipart body without a boundary is the form parser's 400, after the header check passed
    r = cli.post('/raw', content=b'x', headers={'content-type': 'multipart/form-data', 'X-CSRF-Token': cli.token})
    assert r.status_code == 400


def test_fragment_forms_get_the_field_too(cli):
    html = cli.post('/frag', headers={'HX-Request': 'true', 'X-CSRF-Token': cli.token}).text
    assert html.count('name="csrf_token"') == 1  # the hx-post form, not the GET form
    assert cli.post('/save', data={'csrf_token': TOKEN_RE.search(html)[1]}).status_code == 200


def test_exempt_routes_above_and_below_the_route_decorator(app):
    c = TestClient(app)
    assert c.post('/hook').text == 'hook below'
    assert c.post('/hook2').text == 'hook above'


def test_exempt_path_patterns_and_unknown_settings():
    app = make_app(csrf={'exempt': ['/sa.*']})
    assert TestClient(app).post('/save', data={'x': '1'}).status_code == 200
    with pytest.raises(TypeError, match='Unknown CSRF setting'): make_app(csrf={'exempted': []})


def test_exempt_applies_to_the_route_the_router_picks():
    app = FastHTML(csrf=True, secret_key='k')

    @app.post('/same')
    def first(): return 'first'

    @app.post('/other')
    @csrf_exempt
    def other(): return 'other'
    c = TestClient(app)
    assert c.post('/same').status_code == 403
    assert c.post('/other').text == 'other'


def test_plain_starlette_routes_are_protected_too():
    app = FastHTML(csrf=True, secret_key='k')
    async def raw(req): return PlainTextResponse('raw')
    app.router.routes.append(Route('/raw', raw, methods=['POST']))
    assert TestClient(app).post('/raw').status_code == 403


def test_websocket_from_the_apps_own_page_passes_and_cross_site_is_refused(app):
    c = TestClient(app)
    for headers in ({}, {'origin': 'http://testserver'}):
        with c.websocket_connect('/ws', headers=headers) as ws:
            ws.send_text('{"msg": "hi"}')
            assert 'echo hi' in ws.receive_text()
    for origin in ('https://evil.example', 'null', 'http://testserver.evil.example'):
        with pytest.raises(WebSocketDisconnect) as e, c.websocket_connect('/ws', headers={'origin': origin}): pass
        assert e.value.code == 1008


def test_trusted_origins_may_open_websockets():
    app = make_app(csrf={'trusted_origins': ['https://admin.example.com']})
    with TestClient(app).websocket_connect('/ws', headers={'origin': 'https://admin.example.com'}) as ws:
        ws.send_text('{"msg": "x"}')
        assert 'echo x' in ws.receive_text()


def test_csrf_token_helper_and_install_errors():
    app = FastHTML(secret_key='k')
    install_csrf(app, {'field': 'tok', 'header': 'X-Tok'})
    assert app.csrf_config == CsrfConfig(field='tok', header='X-Tok')

    @app.get('/')
    def index(req: Request): return P(csrf_token(req), id='t')

    @app.post('/p')
    def p(): return 'ok'
    c = TestClient(app)
    tok = re.search(r'<p id="t">([^<]+)</p>', c.get('/').text)[1]
    assert c.post('/p', data={'tok': tok}).text == 'ok'
    assert c.post('/p', headers={'X-Tok': tok}).text == 'ok'
    assert c.post('/p', data={'csrf_token': tok}).status_code == 403
    with pytest.raises(RuntimeError, match='already started'): install_csrf(app)  # the client started it
    with pytest.raises(ValueError, match='already on'): install_csrf(FastHTML(csrf=True, secret_key='k'))
    with pytest.raises(RuntimeError, match='fast_app\\(csrf=True\\)'):
        csrf_token({'type': 'http'})


def test_shared_header_nodes_are_not_changed(app):
    before = repr(app.hdrs)
    c = TestClient(app)
    for _ in range(3): c.get('/')
    assert repr(app.hdrs) == before


def test_tokens_do_not_fill_the_render_cache(app):
    c = TestClient(app)
    for _ in range(5): c.get('/')
    cached = [k for f in _facts.values() for key in f.opens for k in key if 'csrf' in str(k)]
    assert all('value' not in str(k) and 'content' not in str(k) for k in cached)
    assert not any(len(str(v)) == 86 for f in _facts.values() for key in f.opens for _, v in key)


def test_concurrent_sessions_get_their_own_tokens(app):
    async def run():
        clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://testserver')
                   for _ in range(8)]
        pages = await asyncio.gather(*[c.get('/') for c in clients])
        toks = [TOKEN_RE.search(p.text)[1] for p in pages]
        ok = await asyncio.gather(*[c.post('/save', data={'t': '1', 'csrf_token': t}) for c, t in zip(clients, toks)])
        crossed = await asyncio.gather(*[c.post('/save', data={'csrf_token': t})
                                         for c, t in zip(clients, toks[1:] + toks[:1])])
        for c in clients: await c.aclose()
        return [r.status_code for r in ok], [r.status_code for r in crossed]
    ok, crossed = asyncio.run(run())
    assert ok == [200] * 8 and crossed == [403] * 8


def test_with_the_feature_off_nothing_changes():
    on, off, plain = make_app(), make_app(csrf=False), make_app(csrf=None)
    r_off, r_plain = TestClient(off).get('/'), TestClient(plain).get('/')
    assert r_off.text == r_plain.text and 'csrf' not in r_off.text
    assert 'set-cookie' not in r_off.headers
    c = TestClient(off)
    assert c.post('/save', data={'title': 'a', 'csrf_token': 'kept'}).text == 'saved {"csrf_token": "kept", "title": "a"}'
    assert c.delete('/item').text == 'deleted'
    assert not any(m.cls.__name__ == 'CSRFMiddleware' for m in off.user_middleware)
    assert any(m.cls.__name__ == 'CSRFMiddleware' for m in on.user_middleware)


def test_forms_rendered_to_text_inside_a_sync_handler_get_the_token():
    app = FastHTML(csrf=True, secret_key='k')

    @app.get('/')
    def index(): return Div(NotStr(str(Form(Input(name='a'), method='post', action='/p'))))  # rendered in the worker

    @app.post('/p')
    def p(a: str): return f'got {a}'
    c = TestClient(app)
    tok = TOKEN_RE.search(c.get('/').text)[1]
    assert c.post('/p', data={'a': '1', 'csrf_token': tok}).text == 'got 1'

"""App core behaviours: hooks, injects, body_wrap, static routes, routers, sessions, websockets, helpers."""
import asyncio
import inspect
import json
import runpy
import sys
from dataclasses import dataclass

import itsdangerous
import pytest
from starlette.testclient import TestClient

from fasthtml.common import (H1, A, APIRouter, ApiReturn, Beforeware, Client, Div, FastHTML, FtResponse, Main, P,
                             Redirect, Span, Title, into, serve)

HX = {'HX-Request': '1'}


def mk(**kw):
    return FastHTML(secret_key='test-key', default_hdrs=False, canonical=False, **kw)


# ---- Beforeware, after, per-route before, injects

def test_beforeware_skip_regexes_and_short_circuit():
    seen = []
    def guard(req, session):
        seen.append(req.url.path)
        if not session.get('user'): return Redirect('/login')
    app = mk(before=Beforeware(guard, skip=[r'/login', r'/static/.*', r'.*\.css']))
    @app.get('/login')
    def login(): return 'login page'
    @app.get('/private')
    def private(): return 'secret'
    @app.get('/static/{f}')
    def static(f: str): return f
    @app.get('/login/{x}')
    def login_x(x: str): return x
    cli = TestClient(app, follow_redirects=False)
    assert cli.get('/login').text == 'login page'
    assert cli.get('/static/x').text == 'x'
    r = cli.get('/private')
    assert (r.status_code, r.headers['location']) == (303, '/login')
    assert seen == ['/private']
    # A skip pattern matches the whole path, not a prefix.
    cli.get('/login/extra')
    assert seen == ['/private', '/login/extra']


def test_after_gets_the_return_value_and_may_replace_it():
    got = []
    def log(resp): got.append(resp)
    def swap(resp):
        if resp == 'old': return 'new'
    app = mk(after=[log, swap])
    @app.get('/')
    def index(): return 'old'
    @app.get('/d')
    def d(): return {'a': 1}
    cli = TestClient(app)
    assert cli.get('/').text == 'new'
    assert cli.get('/d').json() == {'a': 1}
    assert got == ['old', {'a': 1}]


def test_after_and_before_appended_later_are_used():
    app = mk()
    @app.get('/')
    def index(): return P('x')
    cli = TestClient(app)
    assert cli.get('/', headers=HX).text == '<p>x</p>\n'
    app.after.append(lambda req: req.injects.append(Span('late')))
    assert cli.get('/', headers=HX).text == '<p>x</p>\n<span>late</span>'
    app.before.append(lambda req: 'stopped' if req.url.path == '/' else None)
    assert cli.get('/', headers=HX).text.startswith('stopped')


def test_injects_go_after_the_content_on_pages_and_fragments():
    def add(req): req.injects.append(Div('toast', id='t'))
    app = mk(after=add, ftrs=[P('foot')])
    @app.get('/')
    def index(): return Title('T'), Main(P('body'))
    @app.get('/j')
    def j(): return {'a': 1}
    @app.get('/r')
    def r(): return Redirect('/')
    cli = TestClient(app, follow_redirects=False)
    page = cli.get('/').text
    assert page.index('<p>body</p>') < page.index('<div id="t">toast</div>') < page.index('<p>foot</p>')
    assert cli.get('/', headers=HX).text.endswith('</main><div id="t">toast</div>\n')
    # A redirect is not an FT response: the injects do not replace it.
    assert cli.get('/r').status_code == 303


def test_ftresponse_keeps_status_with_injects():
    app = mk(after=lambda req: req.injects.append(Span('i')))
    @app.get('/')
    def index(): return FtResponse(P('x'), status_code=201)
    r = TestClient(app).get('/', headers=HX)
    assert (r.status_code, r.text) == (201, '<p>x</p>\n<span>i</span>')


def test_per_route_before():
    app = mk()
    def only_admin(req):
        if req.query_params.get('admin') != '1': return P('no')
    @app.get('/a', before=only_admin)
    def a(): return P('yes')
    @app.get('/b')
    def b(): return P('open')
    cli = TestClient(app)
    assert cli.get('/a', headers=HX).text == '<p>no</p>\n'
    assert cli.get('/a?admin=1', headers=HX).text == '<p>yes</p>\n'
    assert cli.get('/b', headers=HX).text == '<p>open</p>\n'


def test_body_wrap_app_and_route():
    app = mk(body_wrap=lambda c, req: Div(*c, cls='app'))
    @app.get('/')
    def index(): return P('x')
    @app.get('/own', body_wrap=lambda c, req: Main(*c))
    def own(): return P('y')
    cli = TestClient(app)
    assert '<div class="app">' in cli.get('/').text
    assert '<main>' in cli.get('/own').text and 'class="app"' not in cli.get('/own').text
    # Fragments are not wrapped.
    assert cli.get('/', headers=HX).text == '<p>x</p>\n'


def test_lists_and_generators_render_like_tuples():
    app = mk()
    @app.get('/l')
    def lst(): return [P('a'), P('b')]
    @app.get('/g')
    def gen(): return (P(i) for i in range(2))
    @app.get('/ld')
    def ld(): return [{'a': 1}, {'b': 2}]
    cli = TestClient(app)
    assert cli.get('/l', headers=HX).text == '<p>a</p>\n<p>b</p>\n'
    assert cli.get('/g', headers=HX).text == '<p>0</p>\n<p>1</p>\n'
    assert cli.get('/ld', headers=HX).text == "{'a': 1}{'b': 2}"
    assert '<p>a</p>' in cli.get('/l').text


def test_nested_hdrs_are_flattened():
    from fasthtml.common import Meta
    app = FastHTML(secret_key='k', default_hdrs=False, canonical=False, hdrs=[[Meta(name='a')], (Meta(name='b'),)])
    @app.get('/')
    def index(): return P('x')
    text = TestClient(app).get('/').text
    assert '<meta name="a">' in text and '<meta name="b">' in text and '[' not in text


def test_exception_handler_response_keeps_its_status():
    class Gone(Exception): pass
    app = mk(exception_handlers={Gone: lambda req, exc: FtResponse(P('gone'), status_code=404)})
    @app.get('/')
    def index(): raise Gone()
    r = TestClient(app).get('/', headers=HX)
    assert (r.status_code, r.text) == (404, '<p>gone</p>\n')


def test_missing_file_response_is_404():
    from starlette.responses import FileResponse
    app = mk()
    @app.get('/')
    def index(): return FileResponse('does-not-exist.txt')
    r = TestClient(app).get('/')
    assert (r.status_code, r.text) == (404, '404 Not Found')


def test_custom_response_object_has_no_vary():
    from starlette.responses import PlainTextResponse
    class Custom:
        def __response__(self, req): return PlainTextResponse('c')
    app = mk()
    @app.get('/')
    def index(): return Custom()
    r = TestClient(app).get('/')
    assert r.text == 'c' and 'vary' not in r.headers


# ---- static routes

@pytest.fixture
def static_app(tmp_path):
    root = tmp_path / 'public'
    (root / 'css').mkdir(parents=True)
    (root / 'css' / 'a.css').write_text('body{}')
    (root / 'page.md').write_text('# hi')
    (tmp_path / 'secret.txt').write_text('SECRET')
    (tmp_path / 'secret.md').write_text('SECRET')
    app = mk()
    app.static_route_exts(static_path=str(root))
    app.static_route('.md', prefix='/docs/', static_path=str(root))
    return app


def _raw_get(app, path: str) -> tuple[int, bytes]:
    "Send a GET with `path` exactly as given (no client-side normalisation of `..`)"
    out = {'status': None, 'body': b''}
    async def receive(): return {'type': 'http.request', 'body': b'', 'more_body': False}
    async def send(msg):
        if msg['type'] == 'http.response.start': out['status'] = msg['status']
        elif msg['type'] == 'http.response.body': out['body'] += msg.get('body', b'')
    scope = {'type': 'http', 'asgi': {'version': '3.0'}, 'http_version': '1.1', 'method': 'GET', 'scheme': 'http',
             'path': path, 'raw_path': path.encode(), 'query_string': b'', 'root_path': '',
             'headers': [(b'host', b'testserver')], 'server': ('testserver', 80), 'client': ('1.2.3.4', 1)}
    asyncio.run(app(scope, receive, send))
    return out['status'], out['body']


def test_static_routes_serve_files(static_app):
    cli = TestClient(static_app)
    assert cli.get('/css/a.css').text == 'body{}'
    assert cli.get('/docs/page.md').text == '# hi'
    assert cli.get('/css/none.css').status_code == 404


@pytest.mark.parametrize('path', ['/../secret.txt', '/css/../../secret.txt', '/docs/../secret.md', '//etc/passwd.txt',
                                  '/docs//etc/hostname.md', '/css/a\x00.css'])
def test_static_routes_refuse_traversal(static_app, path):
    status, body = _raw_get(static_app, path)
    assert status == 404 and b'SECRET' not in body


def test_static_percent_encoded_dots(static_app):
    r = TestClient(static_app).get('/%2e%2e/secret.txt')
    assert r.status_code == 404 and 'SECRET' not in r.text


# ---- routers, client, serve

def test_apirouter_to_app_with_prefix_and_ws():
    ar = APIRouter('/api')
    @ar('/items')
    def items(n: int = 1): return f'items {n}'
    @ar.post('/add')
    def add(x: int): return f'added {x}'
    @ar.ws('/live')
    async def live(msg: str): return f'echo {msg}'
    app = mk()
    ar.to_app(app)
    cli = TestClient(app)
    assert cli.get('/api/items?n=3').text == 'items 3'
    assert cli.post('/api/add', data={'x': '2'}).text == 'added 2'
    assert cli.get('/api/add').status_code == 405
    assert (str(items), items.to(n=2)) == ('/api/items', '/api/items?n=2')
    with cli.websocket_connect('/api/live') as ws:
        ws.send_text('{"msg": "hi"}')
        assert ws.receive_text() == 'echo hi'


def test_sync_client():
    app = mk()
    @app.get('/')
    def index(q: str = ''): return f'q={q}'
    @app.post('/p')
    def p(a: int): return str(a * 2)
    cli = Client(app)
    assert cli.get('/?q=z').text == 'q=z'
    assert cli.post('/p', data={'a': '21'}).text == '42'


def test_serve_does_nothing_when_not_main(monkeypatch):
    import uvicorn
    calls = []
    monkeypatch.setattr(uvicorn, 'run', lambda *a, **k: calls.append((a, k)))
    serve()
    assert calls == []


def test_serve_runs_uvicorn_when_main(monkeypatch, tmp_path):
    import uvicorn
    calls = []
    monkeypatch.setattr(uvicorn, 'run', lambda *a, **k: calls.append((a, k)))
    f = tmp_path / 'myapp.py'
    f.write_text('from fasthtml.common import serve\nserve()\n')
    runpy.run_path(str(f), run_name='__main__')
    (args, kw), = calls
    assert args == ('myapp:app',) and kw['port'] == 5001 and kw['reload'] is True


# ---- sessions

def test_session_cookie_is_signed_and_garbage_is_an_empty_session():
    app = mk()
    @app.get('/set')
    def set_(session): session['n'] = 5; return 'ok'
    @app.get('/get')
    def get_(session): return json.dumps(dict(session))
    cli = TestClient(app)
    cli.get('/set')
    cookie = cli.cookies['session_']
    assert app.decode_session(cookie) == {'n': 5}
    assert cli.get('/get').text == '{"n": 5}'
    payload, ts, sig = cookie.rsplit('.', 2)
    for bad in ['garbage', payload + '.' + ts + '.AAAA', 'eyJuIjogOTl9.' + ts + '.' + sig, '\x7f', '.' * 50]:
        r = TestClient(app, cookies={'session_': bad}).get('/get')
        assert (r.status_code, r.text) == (200, '{}'), bad
    with pytest.raises(itsdangerous.BadSignature): app.decode_session('garbage')


def test_get_testclient_and_get_client_set_the_session():
    app = mk()
    @app.get('/')
    def index(auth): return f'auth={auth}'
    @app.get('/s')
    def s(session): return session.get('auth', 'none')
    assert app.get_testclient(auth='bob').get('/s').text == 'bob'
    assert app.get_client(auth='joe').get('/s').text == 'joe'


# ---- websockets

def test_websocket_params_send_conn_disconn():
    log = []
    app = mk()
    async def conn(send, session): await send(Div('hi', id='n'))
    def disconn(ws): log.append('closed')
    @app.ws('/ws', conn=conn, disconn=disconn)
    async def ws(msg: str, send, data, n: int = 1):
        await send(P(f'got {msg}'))
        log.append((n, data))
        return Div(f'bye {msg}', id='n'), P('x')
    with TestClient(app).websocket_connect('/ws') as c:
        assert c.receive_text() == '<div id="n">hi</div>\n'
        c.send_text(json.dumps({'msg': 'bob', 'n': '3', 'HEADERS': {'HX-Request': 'true'}}))
        assert c.receive_text() == '<p>got bob</p>\n'
        assert c.receive_text() == '<div id="n">bye bob</div>\n<p>x</p>\n'
        c.send_text('{}')
        assert c.receive_text() == 'Missing required field: msg'
        c.send_text('[1]')
        assert c.receive_text().startswith('Invalid message')
        c.send_bytes(b'\xff\xfe')
        assert c.receive_text() == 'Invalid message: not UTF-8 text'
    assert log == [(3, {'msg': 'bob', 'n': '3'}), 'closed']


def test_add_websocket_route_and_sync_handler():
    app = mk()
    def echo(msg: str): return 'plain ' + msg
    app.add_websocket_route('/e', echo)
    with TestClient(app).websocket_connect('/e') as c:
        c.send_text('{"msg": "x"}')
        assert c.receive_text() == 'plain x'


# ---- helpers from the reference's core

def test_host_routes():
    app = mk()
    @app.get('/h', host='{sub}.example.com')
    def h(sub: str): return f'sub={sub}'
    @app.get('/h')
    def h2(): return 'any host'
    cli = TestClient(app)
    assert cli.get('http://a.example.com/h').text == 'sub=a'
    assert cli.get('http://other.org/h').text == 'any host'


def test_api_return_negotiates():
    app = mk()
    @app.get('/')
    def index(ret: ApiReturn, x: int = 1): return ret(P('html'), x=x)
    cli = TestClient(app)
    assert cli.get('/?x=3', headers=HX).text == '<p>html</p>\n'
    assert cli.get('/?x=3', headers={**HX, 'accept': 'application/json'}).json() == {'x': 3}
    assert cli.get('/', headers={**HX, 'accept': 'text/html,application/json;q=0.9'}).text == '<p>html</p>\n'


def test_into_passes_the_result_and_adds_params():
    app = mk()
    def themed(res, theme: str = 'light'): return Div(res, cls=theme)
    @app.get('/')
    @into(themed)
    def index(x: int): return P(x)
    assert list(inspect.signature(index).parameters) == ['x', 'theme']
    cli = TestClient(app)
    assert cli.get('/?x=2&theme=dark', headers=HX).text == '<div class="dark">\n  <p>2</p>\n</div>\n'
    assert 'class="light"' in cli.get('/?x=2', headers=HX).text


def test_devtools_json():
    app = mk()
    app.devtools_json('/srv/proj', 'abc')
    r = TestClient(app).get('/.well-known/appspecific/com.chrome.devtools.json')
    assert r.json() == {'workspace': {'root': '/srv/proj', 'uuid': 'abc'}}


def test_cancel_on_disconnect_passes_results_through():
    from fasthtml.common import cancel_on_disconnect
    app = mk()
    @app.get('/')
    @cancel_on_disconnect
    async def index(n: int = 1): return P(n)
    assert TestClient(app).get('/?n=4', headers=HX).text == '<p>4</p>\n'


def test_until_disconnect_cancels_on_disconnect():
    from fasthtml.common import until_disconnect
    cancelled = []
    class Req:
        async def receive(self): return {'type': 'http.disconnect'}
    async def slow():
        try: await asyncio.sleep(30)
        except asyncio.CancelledError: cancelled.append(True); raise
    async def main():
        r = await until_disconnect(Req(), slow())
        await asyncio.sleep(0)
        return r
    r = asyncio.run(main())
    assert r.status_code == 204 and cancelled == [True]


# ---- hostile input: a clear 4xx, never a 500

@dataclass
class Profile:
    name: str
    age: int


@pytest.fixture
def hostile():
    app = mk()
    @app.post('/form')
    def form(name: str, age: int = 0): return f'{name} {age}'
    @app.post('/prof')
    def prof(p: Profile): return f'{p.name} {p.age}'
    @app.get('/n/{i}')
    def n(i: int): return str(i)
    @app.get('/q')
    def q(i: int, s: str = ''): return f'{i} {s!r}'
    from fasthtml.common import UploadFile
    @app.post('/up')
    async def up(f: UploadFile): return str(len(await f.read()))
    return TestClient(app, raise_server_exceptions=False)


MP = 'multipart/form-data; boundary=x'
FORM = 'application/x-www-form-urlencoded'

@pytest.mark.parametrize('url,body,ctype,status,text', [
    ('/form', b'garbage', 'multipart/form-data', 400, 'Invalid form-data: no boundary'),
    ('/form', b'--x\r\nbroken', MP, 400, 'Missing required field: name'),
    ('/form', b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\naaaa\r\n--x', MP, 400, None),
    ('/form', b'{bad json', 'application/json', 400, 'Invalid JSON body'),
    ('/form', b'[1, 2]', 'application/json', 400, 'JSON body must be an object'),
    ('/form', b'name=a', 'text/plain', 400, 'Missing required field: name'),
    ('/form', b'\x00\x01\x02', 'application/octet-stream', 400, 'Missing required field: name'),
    ('/form', b'name=a&age=old', FORM, 404, None),
    ('/form', b'name=a&age=1e999', FORM, 404, None),
    ('/prof', b'{"name": "a", "age": "x"}', 'application/json', 400, None),
    ('/prof', b'{"name": "a"}', 'application/json', 400, 'Missing required field: age'),
    ('/up', b'--x\r\nContent-Disposition: form-data; name="f"\r\n\r\nabc\r\n--x--\r\n', MP, 400, None),
])
def test_bad_bodies_are_4xx(hostile, url, body, ctype, status, text):
    r = hostile.post(url, content=body, headers={'content-type': ctype})
    assert r.status_code == status, r.text
    if text: assert r.text == text


def test_odd_but_valid_values_are_accepted(hostile):
    assert hostile.post('/form', content=b'name=\xff\xfe&age=1', headers={'content-type': FORM}).status_code == 200
    assert hostile.post('/form', content=b'name=a%00b&age=1', headers={'content-type': FORM}).text == 'a\x00b 1'
    big = '9' * 30
    assert hostile.post('/form', data={'name': 'a', 'age': big}).text == f'a {big}'
    assert hostile.get('/q?i=1&s=%ff%fe').status_code == 200


@pytest.mark.parametrize('url', ['/n/' + '9' * 5000, '/q?i=' + '9' * 5000, '/q?i=%00', '/q?i=1%002', '/n/abc'])
def test_bad_typed_values_are_404(hostile, url):
    assert hostile.get(url).status_code == 404


def test_no_500_on_empty_multipart(hostile):
    r = hostile.post('/up', content=b'', headers={'content-type': MP})
    assert (r.status_code, r.text) == (400, 'Missing required field: f')


def test_unknown_module_names_not_leaked():
    # `fasthtml.core` exposes the reference's names, including those added for parity.
    from fasthtml import core
    for n in ['ApiReturn', 'HostRoute', 'StaticImmutable', 'add_sig_param', 'cancel_on_disconnect', 'empty',
              'iframe_scr', 'into', 'signal_shutdown', 'until_disconnect', 'vurl']:
        assert n in core.__all__ and hasattr(core, n)
    assert 'ws' in dir(sys.modules['fasthtml.app'].FastHTML)
    assert H1 and A  # imported names used by apps through the star surface

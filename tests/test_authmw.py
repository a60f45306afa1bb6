"""`fasthtml.authmw`: HTTP Basic auth compared black-box with the reference, plus hostile input.

The same scenario (an app behind `user_pwd_auth`, requests with good, bad and malformed credentials) runs under the
reference interpreter and ours; status, the challenge header, the body and what the handler saw must agree. Where the
reference fails with a server error (an `AuthenticationError` escaping as a 500) we answer 401 instead, on purpose.
"""
import asyncio
import base64
import json

import pytest
from refbridge import OUR_PYTHON, REF_PYTHON, SKIP_REASON, has_ref, run_json
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from fasthtml.authmw import BasicAuthMiddleware, auth_hdrs, basic_logout, user_pwd_auth
from fasthtml.common import Client, Middleware, fast_app


def b64(s) -> str:
    return 'Basic ' + base64.b64encode(s if isinstance(s, bytes) else s.encode()).decode()


SCENARIO = r'''
import base64, json, sys
from fasthtml.common import *
def b64(s): return 'Basic ' + base64.b64encode(s if isinstance(s, bytes) else s.encode()).decode()
out = {}
app, rt = fast_app(middleware=[user_pwd_auth(alice='pw1', carol='a:b', skip=['/open', '/pub/.*'])], secret_key='s')
@rt('/{p:path}')
def index(req, auth, p: str): return f"{p}|{auth!r}|{req.scope.get('user')!r}|{req.scope.get('auth')!r}"
@rt('/logout')
def logout(req): return basic_logout(req)
c = Client(app)
from starlette.testclient import TestClient
tc = TestClient(app)
CREDS = {'none': None, 'good': b64('alice:pw1'), 'badpw': b64('alice:nope'), 'nouser': b64('dave:pw1'),
         'nocolon': b64('alicepw1'), 'badb64': 'Basic !!!notbase64', 'nonutf8': b64(b'al\xffice:pw1'),
         'bearer': 'Bearer abc', 'lower': 'basic ' + b64('alice:pw1')[6:], 'upper': 'BASIC ' + b64('alice:pw1')[6:],
         'spaces': 'Basic  ' + b64('alice:pw1')[6:], 'tab': 'Basic\t' + b64('alice:pw1')[6:],
         'trail': b64('alice:pw1') + '  ', 'extracolon': b64('alice:pw1:x'), 'colonpw': b64('carol:a:b'),
         'emptycreds': b64(':'), 'empty': '', 'onlyscheme': 'Basic', 'nopad': b64('alice:pw12').rstrip('='),
         'caseuser': b64('Alice:pw1'), 'spaceuser': b64(' alice:pw1'), 'nul': b64('alice:pw1\x00'),
         'utf8': b64('élan:pässword')}
for path in ['/', '/open', '/open/sub', '/pub/a/b', '/logout', '/x?q=1']:
    for name, h in CREDS.items():
        try:
            r = c.get(path, headers={} if h is None else {'Authorization': h})
            out[f'GET {path} {name}'] = [r.status_code, r.headers.get('www-authenticate'), r.headers.get('content-type'),
                                          r.text]
        except Exception as e: out[f'GET {path} {name}'] = ['EXC', type(e).__name__]
for meth in ['post', 'put', 'delete', 'head', 'options']:
    r = tc.request(meth.upper(), '/', headers={})
    out[f'{meth} none'] = [r.status_code, r.headers.get('www-authenticate')]
    r = tc.request(meth.upper(), '/', headers={'Authorization': b64('alice:pw1')})
    out[f'{meth} good'] = [r.status_code]
r = c.get('/', headers=[('Authorization', b64('alice:x')), ('Authorization', b64('alice:pw1'))])
out['dup first bad'] = [r.status_code]
r = c.get('/', headers=[('Authorization', b64('alice:pw1')), ('Authorization', b64('alice:x'))])
out['dup first good'] = [r.status_code]
app2, rt2 = fast_app(middleware=[user_pwd_auth({'bob': 'pw'})], secret_key='s')
@rt2('/')
def g2(auth): return f'hi {auth}'
app3, rt3 = fast_app(middleware=[user_pwd_auth(lambda u, p: (u, p) == ('z', 'y'), alice='q')], secret_key='s')
@rt3('/')
def g3(auth): return f'hi {auth}'
for nm, a in (('mapping', app2), ('func', app3)):
    for cr in ('bob:pw', 'bob:x', 'z:y', 'alice:q'):
        r = Client(a).get('/', headers={'Authorization': b64(cr)})
        out[f'{nm} {cr}'] = [r.status_code, r.text]
print(json.dumps({'results': out, 'hdrs': auth_hdrs, 'all': sorted(__import__('fasthtml.authmw').authmw.__dict__.keys()
      & {'BasicAuthMiddleware', 'auth_hdrs', 'basic_logout', 'user_pwd_auth'})}))
'''

# Cases where the reference lets an AuthenticationError escape (a 500); we answer 401 with the challenge.
REF_CRASHES = {'badb64', 'nonutf8', 'empty', 'onlyscheme', 'nopad', 'utf8'}


@pytest.fixture(scope='module')
def both():
    if not has_ref(): pytest.skip(SKIP_REASON)
    return run_json(SCENARIO, REF_PYTHON), run_json(SCENARIO, OUR_PYTHON)


def test_same_responses_as_reference(both):
    ref, ours = both
    assert ref['hdrs'] == ours['hdrs'] and ref['all'] == ours['all']
    assert ref['results'].keys() == ours['results'].keys()
    diffs = {}
    for k, r in ref['results'].items():
        o = ours['results'][k]
        if r[0] == 'EXC':
            assert k.split()[-1] in REF_CRASHES, f'unexpected reference crash for {k}: {r}'
            continue
        if r != o: diffs[k] = (r, o)
    assert not diffs, f'(reference, ours) differ: {json.dumps(diffs, indent=1)}'


def test_reference_crashes_are_401_or_success_here(both):
    "Malformed credentials are a 401 with the challenge, never a 500; UTF-8 credentials (RFC 7617) work"
    _, ours = both
    for k, o in ours['results'].items():
        name = k.split()[-1]
        if name not in REF_CRASHES or k.startswith(('GET /open ', 'GET /pub')): continue
        if name == 'utf8': assert o[0] == 401, k  # no such user in this app; see test_utf8_credentials
        else: assert o[:2] == [401, 'Basic realm="login"'], (k, o)


def _app(**kw):
    app, rt = fast_app(middleware=[user_pwd_auth(**kw)], secret_key='s', exts='ws')

    @rt('/')
    def index(auth): return f'hi {auth}'
    return app


def test_utf8_credentials():
    c = Client(_app(élan='pässword'))
    assert c.get('/', headers={'Authorization': b64('élan:pässword')}).text == 'hi élan'
    assert c.get('/', headers={'Authorization': b64('élan:password')}).status_code == 401


def test_401_is_plain_and_has_challenge():
    r = Client(_app(alice='pw')).get('/')
    assert (r.status_code, r.text, r.headers['www-authenticate']) == (401, 'not authenticated', 'Basic realm="login"')
    assert 'content-type' not in r.headers  # as the reference: a bare Response


@pytest.mark.parametrize('raw', [b'Basic \xff\xfe', b'Basic ' + b'A' * 20000, b'\x00\x01', b'Basic ====', b'Basic =',
                                 b'Basic YQ', b'Digest username="alice"', b'Basic ' + base64.b64encode(b'\xc3(:pw')])
def test_hostile_headers_are_401(raw):
    "Raw header bytes (not UTF-8, huge, control chars, truncated padding) go straight into the ASGI scope"
    mw = BasicAuthMiddleware(_app(alice='pw'), cb=lambda u, p: True)
    sent = []

    async def receive(): return {'type': 'http.request', 'body': b'', 'more_body': False}

    async def send(m): sent.append(m)
    scope = {'type': 'http', 'method': 'GET', 'path': '/', 'raw_path': b'/', 'query_string': b'', 'root_path': '',
             'headers': [(b'host', b'testserver'), (b'authorization', raw)], 'scheme': 'http', 'server': ('t', 80)}
    asyncio.run(mw(scope, receive, send))
    assert sent[0]['status'] == 401
    assert (b'www-authenticate', b'Basic realm="login"') in sent[0]['headers']


def test_websocket_refused_without_credentials():
    app = _app(alice='pw')

    @app.ws('/ws')
    async def ws(msg: str, send): await send('x')
    client = TestClient(app)
    with pytest.raises(WebSocketDisconnect) as e, client.websocket_connect('/ws'): pass
    assert e.value.code == 1008
    with client.websocket_connect('/ws', headers={'Authorization': b64('alice:pw')}) as w:
        w.send_text('{"msg": "hi"}')
        assert 'x' in w.receive_text()


def test_lifespan_passes_through():
    "The reference crashes on the lifespan scope; startup handlers run behind our middleware"
    ran = []
    app, rt = fast_app(middleware=[user_pwd_auth(alice='pw')], secret_key='s', on_startup=[lambda: ran.append(1)])

    @rt('/')
    def index(auth): return f'hi {auth}'
    with TestClient(app) as c: assert c.get('/', headers={'Authorization': b64('alice:pw')}).text == 'hi alice'
    assert ran == [1]


def test_async_callback_and_returned_value():
    async def cb(user, pwd): return {'user': user} if pwd == 'ok' else None
    app, rt = fast_app(middleware=[Middleware(BasicAuthMiddleware, cb=cb)], secret_key='s')

    @rt('/')
    def index(req, auth): return f"{auth}|{req.scope.get('user')}"
    c = Client(app)
    assert c.get('/', headers={'Authorization': b64('amy:ok')}).text == 'amy|None'
    assert c.get('/', headers={'Authorization': b64('amy:no')}).status_code == 401


def test_skip_patterns():
    app = _app(alice='pw', skip='/health')  # a single string is one pattern (the reference iterates its characters)
    c = Client(app)
    assert c.get('/health').status_code == 404  # skipped, then routed: no such route
    assert c.get('/').status_code == 401
    with pytest.raises(ValueError, match="Bad skip pattern '\\['"): BasicAuthMiddleware(app, cb=len, skip=['['])
    with pytest.raises(TypeError, match='needs a callable cb'): BasicAuthMiddleware(app, cb='alice')


def test_password_check_is_constant_time(monkeypatch):
    from fasthtml import authmw
    seen = []
    real = authmw.compare_digest
    monkeypatch.setattr(authmw, 'compare_digest', lambda a, b: seen.append((a, b)) or real(a, b))
    cb = user_pwd_auth(alice='pw').kwargs['cb']
    assert cb('alice', 'pw') and not cb('alice', 'px') and not cb('nobody', '')
    assert seen == [(b'pw', b'pw'), (b'px', b'pw'), (b'', b'')]  # unknown users are compared too


def test_bad_lookup_is_a_clear_error():
    with pytest.raises(TypeError, match='lookup must be a mapping'): user_pwd_auth(42)


def test_basic_logout():
    from starlette.requests import Request
    def req(host: bytes):
        return Request({'type': 'http', 'scheme': 'https', 'path': '/a', 'query_string': b'x=1', 'server': ('srv', 8000),
                        'headers': [(b'host', host)]})
    assert basic_logout(req(b'example.com')) == 'https://logout:logout@example.com/'  # as the reference
    assert basic_logout(req(b'example.com:80')) == 'https://logout:logout@example.com:80/'  # as the reference
    # The reference echoes any Host header into the link; ours falls back to the server address
    for bad in (b'user:pw@example.com', b'a b', b'evil.com/path', b'"><script>'):
        assert basic_logout(req(bad)) == 'https://logout:logout@srv:8000/', bad
    assert auth_hdrs == {'WWW-Authenticate': 'Basic realm="login"'}

"""`fasthtml.oauth` end to end: an app served by uvicorn logs in against `tests/oauth_provider.py` over real HTTP.

The "browser" is an httpx client that follows each redirect by hand (app -> provider authorize -> app callback), so
every hop can be checked. Failures (denied consent, forged/missing/replayed state, expired code, provider 500s, a
provider that is down) must each end on an error page, never a 500.
"""
import os
import re
import threading
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from fasthtml.common import FastHTML, P, RedirectResponse
from fasthtml.oauth import Auth0AppClient, GitHubAppClient, GoogleAppClient, HuggingFaceClient, OAuth, redir_url
from oauth_provider import Provider
from ports import free_port

os.environ['OAUTHLIB_INSECURE_TRANSPORT'] = '1'  # the test provider speaks plain http on loopback


@pytest.fixture(scope='module')
def provider():
    with Provider() as p: yield p


@pytest.fixture(autouse=True)
def _reset(provider): provider.reset()


class Serve:
    "Run an ASGI app with uvicorn on a free loopback port"
    def __init__(self, app):
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host='127.0.0.1', port=self.port, log_level='error'))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started: time.sleep(0.01)
        self.url = f'http://127.0.0.1:{self.port}'

    def stop(self):
        self.server.should_exit = True
        self.thread.join(5)


def make_app(provider, cls=OAuth, error_route=False, **kw):
    seen = {}
    class Auth(cls):
        def get_auth(self, info, ident, session, state):
            seen.update(info=info, ident=ident, state=state)
            if info.login == 'mallory': return None
            return RedirectResponse('/', status_code=303)
    app = FastHTML(secret_key='test')
    cli = GitHubAppClient(provider.client_id, provider.client_secret, **provider.urls)
    oauth = Auth(app, cli, **kw)
    @app.get('/')
    def home(auth): return P(f'home auth={auth!r}')
    @app.get('/login')
    def login(req): return oauth.login_link(req, state='back-to-/x')
    @app.get('/open')
    def open_(auth): return P(f'open auth={auth!r}')
    if error_route:
        @app.get('/error')
        def error(session): return P(f"custom error: {session.get('oauth_error')}")
    return app, oauth, seen


@pytest.fixture
def served(provider):
    srv = []
    def go(**kw):
        app, oauth, seen = make_app(provider, **kw)
        s = Serve(app)
        srv.append(s)
        return httpx.Client(base_url=s.url), oauth, seen
    yield go
    for s in srv: s.stop()


def login_link(c):
    r = c.get('/login')
    assert r.status_code == 200
    return r.text


def to_callback(c, provider):
    "Start a login and return the callback URL the provider redirects the browser to"
    r = c.get(login_link(c))
    assert r.status_code == 302 and r.headers['location'].startswith(str(c.base_url).rstrip('/') + '/redirect?')
    return r.headers['location']


def test_full_flow(served, provider):
    c, _oauth, seen = served()
    r = c.get('/')
    assert (r.status_code, r.headers['location']) == (303, '/login')
    link = login_link(c)
    q = parse_qs(urlsplit(link).query)
    assert link.startswith(provider.urls['base_url'])
    assert q['redirect_uri'] == [str(c.base_url).rstrip('/') + '/redirect']
    assert q['state'][0] != 'back-to-/x' and len(q['state'][0]) >= 16  # a nonce, not the app's state
    r = c.get(link)
    r = c.get(r.headers['location'])
    assert (r.status_code, r.headers['location']) == (303, '/')
    assert seen['ident'] == 123 and seen['state'] == 'back-to-/x'
    assert seen['info'].email == 'ada@example.com' and seen['info'].missing is None  # AttrDictDefault
    assert [e[0] for e in provider.log] == ['authorize', 'token', 'userinfo']
    assert c.get('/').text.count('home auth=123') == 1
    r = c.get('/logout')
    assert (r.status_code, r.headers['location']) == (303, '/login')
    assert c.get('/').status_code == 303


def test_skip_and_always_skipped(served):
    c, _oauth, _seen = served(skip=['/open'])
    assert c.get('/open').text.count('open auth=None') == 1
    assert c.get('/login').status_code == 200  # login_path stays open even when `skip` is given
    assert c.get('/').status_code == 303


@pytest.mark.parametrize('error_route', [False, True])
def test_denied_consent(served, provider, error_route):
    c, _oauth, seen = served(error_route=error_route)
    provider.deny = True
    r = c.get(to_callback(c, provider))
    if error_route:
        assert (r.status_code, r.headers['location']) == (303, '/error')
        assert 'custom error: You declined' in c.get('/error').text
    else:
        assert r.status_code == 403 and 'Login failed' in r.text and 'declined' in r.text
    assert not seen and c.get('/').status_code == 303


def test_forged_state(served, provider):
    c, _oauth, seen = served()
    url = to_callback(c, provider)
    r = c.get(re.sub(r'state=[^&]+', 'state=forged', url))
    assert r.status_code == 400 and 'invalid or was already used' in r.text
    assert [e[0] for e in provider.log] == ['authorize']  # the code was never exchanged
    assert not seen and c.get('/').status_code == 303


def test_missing_state_and_code(served, provider):
    c, _oauth, _seen = served()
    url = to_callback(c, provider)
    r = c.get(re.sub(r'&state=[^&]+', '', url))
    assert r.status_code == 400 and 'invalid' in r.text
    assert c.get('/redirect').status_code == 400
    r = c.get(f"/redirect?state={parse_qs(urlsplit(to_callback(c, provider)).query)['state'][0]}")
    assert r.status_code == 400 and 'no authorization code' in r.text


def test_state_from_another_session(served, provider):
    "A callback URL started in the attacker's session is refused in the victim's (login CSRF)"
    c, _oauth, seen = served()
    url = to_callback(c, provider)
    victim = httpx.Client(base_url=c.base_url)
    assert victim.get(url).status_code == 400 and not seen


def test_replayed_callback(served, provider):
    c, _oauth, _seen = served()
    url = to_callback(c, provider)
    assert c.get(url).status_code == 303
    c.cookies.clear()
    assert c.get(url).status_code == 400


def test_expired_code(served, provider):
    c, _oauth, seen = served()
    provider.code_ttl = -1
    r = c.get(to_callback(c, provider))
    assert r.status_code == 400 and 'expired or already used' in r.text and not seen


@pytest.mark.parametrize('where', ['token', 'userinfo'])
def test_provider_500(served, provider, where):
    c, _oauth, seen = served()
    provider.fail = where
    r = c.get(to_callback(c, provider))
    assert r.status_code == 502 and 'provider failed' in r.text and not seen


def test_provider_down(served, provider):
    c, oauth, _seen = served()
    url = to_callback(c, provider)
    oauth.cli.token_url = f'http://127.0.0.1:{free_port()}/token'
    r = c.get(url)
    assert r.status_code == 502 and 'could not be reached' in r.text


def test_get_auth_refuses(served, provider):
    c, _oauth, _seen = served()
    provider.user['login'] = 'mallory'
    r = c.get(to_callback(c, provider))
    assert (r.status_code, r.headers['location']) == (303, '/login')
    assert c.get('/').status_code == 303


def test_hooks_check_invalid_logout_async(provider):
    class Auth(OAuth):
        async def get_auth(self, info, ident, session, state): return True
        def check_invalid(self, req, session, auth):
            if auth == 'banned': return True
            if auth == 'odd': return P('odd user')
        def logout(self, session): return P('bye')
    app = FastHTML(secret_key='s')
    Auth(app, GitHubAppClient('a', 'b'), skip=['/set'])
    @app.get('/set')
    def set_(session, v: str): session['auth'] = v
    @app.get('/')
    def home(auth): return f'home {auth}'
    c = TestClient(app, base_url='http://localhost', follow_redirects=False)
    c.get('/set?v=alice')
    assert c.get('/').text == 'home alice'
    c.get('/set?v=odd')
    assert 'odd user' in c.get('/').text
    c.get('/set?v=banned')
    assert c.get('/').headers['location'] == '/login'
    assert c.get('/').headers['location'] == '/login'  # banned user was logged out
    c.get('/set?v=alice')
    assert 'bye' in c.get('/logout').text and c.get('/').status_code == 303
    assert c.post('/redirect').status_code == 405


def test_async_get_auth_true_and_post_callback(served, provider):
    "`get_auth` may be async; True means a redirect home; `redir_method='post'` takes the code from a form post"
    class Async(OAuth):
        async def get_auth(self, info, ident, session, state): return True
    c, _oauth, _seen = served(cls=Async, redir_method='post')
    url = to_callback(c, provider)
    assert c.get(url).status_code == 405
    r = c.post('/redirect', data=dict(parse_qs(urlsplit(url).query)))
    assert (r.status_code, r.headers['location']) == (303, '/')
    assert 'home auth=123' in c.get('/').text


def test_redir_url_https(provider):
    app, oauth, _seen = make_app(provider)
    for base, fwd, want in [('http://localhost:5001', None, 'http://localhost:5001/redirect'),
                            ('http://myapp.com', None, 'https://myapp.com/redirect'),
                            ('http://internal:8000', 'public.example', 'https://public.example/redirect')]:
        c = TestClient(app, base_url=base, follow_redirects=False)
        r = c.get('/login', headers={'x-forwarded-host': fwd} if fwd else {})
        assert parse_qs(urlsplit(r.text).query)['redirect_uri'] == [want]
    oauth.https = False
    c = TestClient(app, base_url='http://myapp.com')
    assert 'redirect_uri=http%3A%2F%2Fmyapp.com%2Fredirect' in c.get('/login').text


def test_client_methods(provider):
    cli = GitHubAppClient(provider.client_id, provider.client_secret, **provider.urls)
    def code(): return parse_qs(urlsplit(httpx.get(cli.login_link('http://x/cb')).headers['location']).query)['code'][0]
    assert cli.retr_id(code(), 'http://x/cb') == 123
    assert cli.parse_response(code(), 'http://x/cb') is None and cli.token['access_token']
    assert cli.get_info()['email'] == 'ada@example.com'
    assert cli.get_info(cli.token['access_token'])['login'] == 'ada'
    with pytest.raises(httpx.HTTPStatusError): cli.parse_response('bogus', 'http://x/cb')
    with pytest.raises(httpx.HTTPStatusError): cli.retr_info(code(), 'http://other/cb')  # redirect_uri must match
    with pytest.raises(ValueError, match='No access token'): GitHubAppClient('a', 'b').get_info()
    hf = HuggingFaceClient(provider.client_id, provider.client_secret, **provider.urls)
    assert hf.retr_id(code(), 'http://x/cb') == 'u-123'
    g = GoogleAppClient(provider.client_id, provider.client_secret, **provider.urls)
    assert 'scope=openid+' in g.login_link('http://x/cb')


def test_auth0_discovery(provider):
    a = Auth0AppClient(provider.url, provider.client_id, provider.client_secret)
    assert (a.base_url, a.token_url, a.info_url) == tuple(provider.urls.values())
    link = a.login_link('http://localhost:5001/cb')
    assert parse_qs(urlsplit(link).query)['redirect_uri'] == ['http://localhost:5001/cb']
    with pytest.raises(httpx.HTTPError): Auth0AppClient(f'http://127.0.0.1:{free_port()}', 'a', 'b')


def test_redir_url_helper():
    app = FastHTML()
    @app.get('/')
    def home(req): return redir_url(req, '/cb')
    assert TestClient(app, base_url='http://localhost:5001').get('/').text == 'http://localhost:5001/cb'
    assert TestClient(app, base_url='http://a.com').get('/').text == 'https://a.com/cb'


def test_apple_client_secret_reaches_the_token_endpoint():
    "Sign in with Apple: the token request carries an ES256 client secret the provider can verify with the public key"
    crypto = pytest.importorskip('cryptography.hazmat.primitives.asymmetric.ec')
    import base64
    import json

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from fasthtml.oauth import AppleAppClient
    key = crypto.generate_private_key(crypto.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    def seg(x: str) -> bytes: return base64.urlsafe_b64decode(x + '=' * (-len(x) % 4))
    def b64(d: dict) -> str: return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip('=')
    seen = {}
    async def token(req):
        form = await req.form()
        h, p, sig = str(form['client_secret']).split('.')
        raw = seg(sig)
        try: key.public_key().verify(encode_dss_signature(int.from_bytes(raw[:32], 'big'), int.from_bytes(raw[32:], 'big')),
                                     f'{h}.{p}'.encode(), crypto.ECDSA(hashes.SHA256()))
        except Exception: return JSONResponse({'error': 'invalid_client'}, status_code=400)  # noqa: BLE001
        seen.update(header=json.loads(seg(h)), claims=json.loads(seg(p)), form=dict(form))
        id_token = f"{b64({'alg': 'RS256'})}.{b64({'sub': 'apple-001', 'email': 'ada@example.com'})}.sig"
        return JSONResponse({'access_token': 'at', 'token_type': 'Bearer', 'id_token': id_token})
    srv = Serve(Starlette(routes=[Route('/token', token, methods=['POST'])]))
    try:
        cli = AppleAppClient('com.example.web', 'KEY123', 'TEAM99', pem.decode(), token_url=srv.url + '/token')
        assert cli.retr_id('code-1', 'https://app.example.com/redirect') == 'apple-001'
        assert cli.get_info()['email'] == 'ada@example.com'
    finally: srv.stop()
    assert seen['header'] == {'alg': 'ES256', 'kid': 'KEY123', 'typ': 'JWT'}
    c = seen['claims']
    assert (c['iss'], c['sub'], c['aud'], c['exp'] - c['iat']) == ('TEAM99', 'com.example.web', 'https://appleid.apple.com',
                                                                   180 * 24 * 3600)
    assert abs(c['iat'] - time.time()) < 60
    assert (seen['form']['code'], seen['form']['client_id']) == ('code-1', 'com.example.web')
    other = crypto.generate_private_key(crypto.SECP256R1())
    wrong = other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    srv = Serve(Starlette(routes=[Route('/token', token, methods=['POST'])]))
    try:
        with pytest.raises(httpx.HTTPStatusError):
            AppleAppClient('com.example.web', 'KEY123', 'TEAM99', wrong, token_url=srv.url + '/token').retr_id('c', 'https://a/r')
    finally: srv.stop()

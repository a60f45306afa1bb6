"""The auth examples run: `examples/oauth_app.py` logs in against the loopback test provider over real HTTP;
`examples/basic_auth_app.py` challenges, accepts its configured user and leaves `/public` open."""
import base64
import runpy
from pathlib import Path

import httpx
from starlette.testclient import TestClient

from oauth_provider import Provider
from test_oauth import Serve

EX = Path(__file__).parent.parent / 'examples'


def test_oauth_example(monkeypatch):
    with Provider() as p:
        monkeypatch.setenv('OAUTH_BASE_URL', p.url)
        app = runpy.run_path(str(EX / 'oauth_app.py'))['app']
        s = Serve(app)
        try:
            c = httpx.Client(base_url=s.url)
            assert c.get('/').headers['location'] == '/login'
            link = httpx.URL(c.get('/login').text.split('href="')[-1].split('"')[0].replace('&amp;', '&'))
            r = c.get(c.get(link).headers['location'])
            assert (r.status_code, r.headers['location']) == (303, '/')
            assert 'Hello Ada (id 123)' in c.get('/').text
            p.deny = True
            link = httpx.URL(c.get('/login').text.split('href="')[-1].split('"')[0].replace('&amp;', '&'))
            r = c.get(c.get(link).headers['location'])
            assert r.headers['location'] == '/error' and 'You declined' in c.get('/error').text
        finally: s.stop()


def test_basic_auth_example(monkeypatch):
    monkeypatch.setenv('BASIC_AUTH_USERS', 'alice:s3cret,bob:x:y')
    app = runpy.run_path(str(EX / 'basic_auth_app.py'))['app']
    c = TestClient(app)
    def hdr(u): return {'Authorization': 'Basic ' + base64.b64encode(u.encode()).decode()}
    r = c.get('/')
    assert r.status_code == 401 and 'Basic' in r.headers['www-authenticate']
    assert 'Hello, alice!' in c.get('/', headers=hdr('alice:s3cret')).text
    assert 'Hello, bob!' in c.get('/', headers=hdr('bob:x:y')).text
    for bad in ('alice:wrong', 'nobody:s3cret', 'alice:'):
        assert c.get('/', headers=hdr(bad)).status_code == 401
    assert c.get('/public').status_code == 200

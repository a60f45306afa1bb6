"Session cookies: ours and the released FastHTML's (Starlette's `SessionMiddleware`) read each other's, black-box."
import base64
import json

import pytest
from refbridge import needs_ref, ref_run
from starlette.testclient import TestClient

from fasthtml.common import fast_app

APP = '''
from fasthtml.common import fast_app
app, rt = fast_app(secret_key='shared-secret', key_fname='/dev/null', session_cookie='sid', max_age=3600,
                   sess_path='/', same_site='strict', sess_https_only=True, sess_domain='example.com')
@rt('/set')
def get(session, v: str): session['v'] = v; session['n'] = session.get('n', 0) + 1; return 'set'
@rt('/get')
def get(session): return f"{session.get('v')} {session.get('n')}"
@rt('/clear')
def get(session): session.clear(); return 'cleared'
'''

RUNNER = r'''
import json, sys
spec = json.load(sys.stdin)
ns = {}
exec(spec['app'], ns)
from starlette.testclient import TestClient
out = []
for url, cookie in spec['reqs']:
    c = TestClient(ns['app'], base_url='https://example.com')
    r = c.get(url, headers={'cookie': f'sid={cookie}'} if cookie else {})
    out.append({'body': r.text, 'set_cookie': r.headers.get('set-cookie'), 'vary': r.headers.get('vary')})
print(json.dumps(out))
'''


def ours(reqs: list) -> list:
    ns = {}
    exec(APP, ns)  # noqa: S102 -- the same app source runs under both implementations
    out = []
    for url, cookie in reqs:
        c = TestClient(ns['app'], base_url='https://example.com')
        r = c.get(url, headers={'cookie': f'sid={cookie}'.encode()} if cookie else {})
        out.append({'body': r.text, 'set_cookie': r.headers.get('set-cookie'), 'vary': r.headers.get('vary')})
    return out


def reference(reqs: list) -> list:
    return ref_run(RUNNER, stdin=json.dumps({'app': APP, 'reqs': reqs}), timeout=120)


def cookie_value(set_cookie: str) -> str: return set_cookie.split(';', 1)[0].split('=', 1)[1]


def attrs(set_cookie: str) -> str: return set_cookie.split(';', 1)[1]


@needs_ref
@pytest.mark.parametrize('writer,reader', [(reference, ours), (ours, reference)])
def test_sessions_cross_read(writer, reader):
    "A cookie written by one reads back in the other, and a write there carries on from it"
    first = writer([['/set?v=ada', None]])[0]
    c1 = cookie_value(first['set_cookie'])
    got = reader([['/get', c1], ['/set?v=bob', c1]])
    assert got[0]['body'] == 'ada 1'
    c2 = cookie_value(got[1]['set_cookie'])
    assert writer([['/get', c2]])[0]['body'] == 'bob 2'


@needs_ref
def test_same_headers_as_reference():
    "Set-Cookie attributes, Vary and clearing match the reference; a read alone sends no cookie"
    mine, ref = ours([['/set?v=x', None]])[0], reference([['/set?v=x', None]])[0]
    assert attrs(mine['set_cookie']) == attrs(ref['set_cookie'])
    assert mine['vary'] == ref['vary']
    c = cookie_value(mine['set_cookie'])
    for url in ['/get', '/clear', '/get']:
        m, r = ours([[url, c]])[0], reference([[url, c]])[0]
        assert m == r, url


@pytest.mark.parametrize('bad', ['garbage', '', 'a.b.c', 'eyJ2IjogMX0=.ZZZZZZ.xxxxxxxxxxxxxxxxxxxxxxxxxxx', '\u00e9\u00e9',
                                 'null'])
def test_bad_cookie_is_an_empty_session(bad):
    "Tampered, garbage or foreign cookies are an empty session, never a 500"
    r = ours([['/get', bad], ['/clear', bad]])
    assert r[0]['body'] == 'None None' and r[0]['set_cookie'] is None
    assert r[1]['body'] == 'cleared' and r[1]['set_cookie'] is None


def test_tampered_payload_is_rejected():
    "Changing the payload of a valid cookie breaks its signature"
    c = cookie_value(ours([['/set?v=ada', None]])[0]['set_cookie'])
    rest = c.split('.', 1)[1]
    forged = base64.b64encode(json.dumps({'v': 'admin', 'n': 1}).encode()).decode()
    assert ours([['/get', f'{forged}.{rest}']])[0]['body'] == 'None None'
    assert ours([['/get', c]])[0]['body'] == 'ada 1'


def test_default_middleware_is_cookie_sessions():
    from fasthtml.app import CookieSessions
    app, _ = fast_app(secret_key='k', key_fname='/dev/null')
    assert any(m.cls is CookieSessions for m in app.user_middleware)

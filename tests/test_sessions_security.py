"Session cookies: signed, HttpOnly, SameSite=Lax, Secure when configured; key file 0600; a new secret logs everyone out."
from __future__ import annotations

import os
import stat

from starlette.testclient import TestClient

from fasthtml.common import FastHTML


def make_app(**kw) -> FastHTML:
    kw.setdefault('secret_key', 'first-secret')
    app = FastHTML(key_fname='/dev/null', **kw) if 'key_fname' not in kw else FastHTML(**kw)

    @app.get('/login')
    def login(session):
        session['user'] = 'alice'
        return 'in'

    @app.get('/who')
    def who(session): return session.get('user', 'nobody')
    return app


def set_cookie(r) -> str:
    cookies = r.headers.get_list('set-cookie')
    assert len(cookies) == 1, cookies
    return cookies[0]


def test_cookie_flags_default():
    c = set_cookie(TestClient(make_app()).get('/login')).lower()
    assert c.startswith('session_=')
    flags = {p.strip().split('=')[0] for p in c.split(';')[1:]}
    assert {'httponly', 'samesite', 'path', 'max-age'} <= flags
    assert 'samesite=lax' in c
    assert 'secure' not in flags


def test_secure_when_configured():
    c = set_cookie(TestClient(make_app(sess_https_only=True), base_url='https://testserver').get('/login')).lower()
    assert '; secure' in c and 'httponly' in c and 'samesite=lax' in c


def test_same_site_configurable():
    c = set_cookie(TestClient(make_app(same_site='strict')).get('/login')).lower()
    assert 'samesite=strict' in c


def test_cookie_is_signed_and_round_trips():
    cli = TestClient(make_app())
    cli.get('/login')
    assert cli.get('/who').text == 'alice'
    value = cli.cookies['session_']
    payload, ts, sig = value.rsplit('.', 2)
    # Forge: same payload with another user, keep the old signature.
    import base64
    forged = base64.b64encode(b'{"user": "mallory"}').decode() + f'.{ts}.{sig}'
    cli2 = TestClient(make_app())
    assert cli2.get('/who', headers={'cookie': f'session_={forged}'}).text == 'nobody'
    assert cli2.get('/who', headers={'cookie': f'session_={payload}'}).text == 'nobody'


def test_changed_secret_invalidates_old_cookies():
    old = TestClient(make_app(secret_key='first-secret'))
    old.get('/login')
    cookie = old.cookies['session_']
    new = TestClient(make_app(secret_key='second-secret'))
    assert new.get('/who', headers={'cookie': f'session_={cookie}'}).text == 'nobody'
    again = TestClient(make_app(secret_key='first-secret'))
    assert again.get('/who', headers={'cookie': f'session_={cookie}'}).text == 'alice'


def test_generated_key_is_reused(tmp_path):
    fname = tmp_path/'.sesskey'
    a = FastHTML(key_fname=str(fname))
    b = FastHTML(key_fname=str(fname))
    assert a.secret_key == b.secret_key == fname.read_text().strip()
    assert len(a.secret_key) >= 32


def test_generated_key_file_is_private(tmp_path):
    old = os.umask(0o022)
    try: FastHTML(key_fname=str(tmp_path/'.sesskey'))
    finally: os.umask(old)
    assert stat.S_IMODE((tmp_path/'.sesskey').stat().st_mode) == 0o600

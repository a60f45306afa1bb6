"""Security headers and CSP nonces (`fast_app(security_headers=True)`, fasthtml.security): the headers, the nonce on
every script/style the renderer writes (never on raw strings), htmx fragments stamped with the page's nonce, the
settings, and nothing changed with the switch off."""
import re

import pytest
from starlette.responses import HTMLResponse
from starlette.testclient import TestClient

from fasthtml.common import *
from fasthtml.live_reload import LiveReloadJs
from fasthtml.render import _facts, to_xml
from fasthtml.security import SecurityConfig, csp_nonce, install_security_headers, security_config

NONCE_RE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")


def make_app(security_headers=True, **kw):
    app, rt = fast_app(security_headers=security_headers, secret_key='test-secret',
                       hdrs=[Link(rel='stylesheet', href='/app.css'), Link(rel='icon', href='/f.ico'),
                             Script(src='/app.js'), Style('body{margin:0}')], **kw)
    setup_toasts(app)

    @rt('/')
    def get():
        return Titled('t', Div(Script('go()'), Style('p{}'), NotStr('<script>evil()</script>'),
                               Script('{"a": 1}', type='application/ld+json'), P('x', style='color:red')))

    @rt('/frag')
    def frag(): return Div(Script('frag()'), NotStr('<script>evil()</script>'))

    @rt('/own')
    def own(): return HTMLResponse('x', headers={'X-Frame-Options': 'SAMEORIGIN', 'Referrer-Policy': 'no-referrer'})

    @rt('/nonce')
    def nonce(req): return csp_nonce(req)
    return app


@pytest.fixture(scope='module')
def app(): return make_app()


def nonce_of(r) -> str: return NONCE_RE.search(r.headers['content-security-policy'])[1]


def test_default_headers(app):
    r = TestClient(app).get('/')
    assert r.headers['x-content-type-options'] == 'nosniff'
    assert r.headers['referrer-policy'] == 'strict-origin-when-cross-origin'
    assert r.headers['x-frame-options'] == 'DENY'
    csp = r.headers['content-security-policy']
    n = nonce_of(r)
    assert csp == (f"default-src 'self'; script-src 'self' 'nonce-{n}'; style-src 'self' 'nonce-{n}'; "
                   "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                   "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    assert len(n) >= 22


def test_hsts_only_over_https(app):
    assert 'strict-transport-security' not in TestClient(app).get('/').headers
    r = TestClient(app, base_url='https://testserver').get('/')
    assert r.headers['strict-transport-security'] == 'max-age=63072000; includeSubDomains'


def test_every_rendered_script_and_style_gets_the_nonce_and_raw_strings_do_not(app):
    r = TestClient(app).get('/')
    n, html = nonce_of(r), r.text
    scripts = re.findall(r'<script[^>]*>', html)
    styles = re.findall(r'<style[^>]*>', html)
    assert len(scripts) >= 6 and len(styles) >= 3
    assert [s for s in scripts + styles if f'nonce="{n}"' not in s] == ['<script>']  # only the injected one
    assert '<script>evil()</script>' in html
    assert f'<link rel="stylesheet" href="/app.css" nonce="{n}">' in html
    assert '<link rel="icon" href="/f.ico">' in html
    assert 'style="color:red"' in html


def test_nonces_are_fresh_per_request_and_headers_are_not_changed(app):
    before = repr(app.hdrs)
    c = TestClient(app)
    nonces = {nonce_of(c.get('/')) for _ in range(5)}
    assert len(nonces) == 5
    assert repr(app.hdrs) == before
    assert not any(n in str(key) for f in _facts.values() for key in f.opens for n in nonces)


def test_htmx_fragments_use_the_pages_nonce(app):
    c = TestClient(app)
    page_nonce = nonce_of(c.get('/'))
    r = c.get('/frag', headers={'HX-Request': 'true', 'FH-Nonce': page_nonce})
    assert f'<script nonce="{page_nonce}">frag()</script>' in r.text and '<script>evil()</script>' in r.text
    assert 'FH-Nonce' in r.headers['vary'] and 'HX-Request' in r.headers['vary']
    for bad in ({'FH-Nonce': page_nonce}, {'HX-Request': 'true', 'FH-Nonce': 'x"><script>'},
                {'HX-Request': 'true', 'FH-Nonce': 'short'}):
        r = c.get('/frag', headers=bad)
        assert page_nonce not in r.text and nonce_of(r) in r.text and 'FH-Nonce' not in r.headers['vary']


def test_the_page_tells_htmx_its_nonce(app):
    html = TestClient(app).get('/').text
    n = re.search(r'<meta name="htmx-config" content=\'\{"allowEval": false, "inlineStyleNonce": "([^"]+)"\}\'>', html)[1]
    assert html.index('name="htmx-config"') < html.index('htmx.js')
    assert 'const n = document.currentScript.nonce;\n  const H = "FH-Nonce";' in html and n in html  # the htmx hook


def test_an_existing_htmx_config_is_merged():
    app = make_app(htmx4=True)
    html = TestClient(app).get('/').text
    metas = re.findall(r'<meta name="htmx-config"[^>]*>', html)
    assert len(metas) == 1 and '"metaCharacter": "-"' in metas[0] and 'inlineStyleNonce' in metas[0]


def test_handler_headers_win(app):
    r = TestClient(app).get('/own')
    assert r.headers['x-frame-options'] == 'SAMEORIGIN' and r.headers['referrer-policy'] == 'no-referrer'
    assert r.headers['x-content-type-options'] == 'nosniff'


def test_every_response_gets_them(app):
    c = TestClient(app)
    for r in (c.get('/missing'), c.post('/'), c.get('/nonce')):
        assert r.headers['x-content-type-options'] == 'nosniff' and 'content-security-policy' in r.headers
    r = c.get('/nonce')
    assert r.text == nonce_of(r)


def test_settings():
    app = make_app({'hsts': None, 'referrer_policy': None, 'frame_options': 'SAMEORIGIN', 'allow_eval': True,
                    'csp': {'img-src': "'self' https://img.example.com", 'object-src': None},
                    'extra': {'Cross-Origin-Opener-Policy': 'same-origin'}})
    r = TestClient(app, base_url='https://testserver').get('/')
    assert 'strict-transport-security' not in r.headers and 'referrer-policy' not in r.headers
    assert r.headers['x-frame-options'] == 'SAMEORIGIN' and r.headers['cross-origin-opener-policy'] == 'same-origin'
    csp = r.headers['content-security-policy']
    assert "'unsafe-eval'" in csp and "img-src 'self' https://img.example.com" in csp
    assert 'allowEval' not in r.text  # htmx may evaluate: the policy allows it
    assert 'object-src' not in csp and "frame-ancestors 'self'" in csp
    r = TestClient(make_app({'csp': "script-src {nonce}", 'csp_report_only': True})).get('/')
    assert 'content-security-policy' not in r.headers
    assert r.headers['content-security-policy-report-only'] == f"script-src 'nonce-{NONCE_RE.search(r.headers['content-security-policy-report-only'])[1]}'"
    r = TestClient(make_app({'csp': False})).get('/')
    assert 'content-security-policy' not in r.headers and 'nonce=' not in r.text
    assert r.headers['x-content-type-options'] == 'nosniff'
    with pytest.raises(TypeError, match=r"Unknown security header setting\(s\) \['csp_policy'\]"):
        make_app({'csp_policy': ''})
    with pytest.raises(ValueError, match='not valid'): make_app({'csp': {'img src': "'self'"}})
    assert security_config(True) == SecurityConfig()


def test_install_errors_and_helper():
    app = FastHTML(security_headers=True, secret_key='k')
    with pytest.raises(ValueError, match='already on'): install_security_headers(app)
    TestClient(app).get('/')
    with pytest.raises(RuntimeError, match='already started'): install_security_headers(app)
    with pytest.raises(RuntimeError, match='security_headers=True'): csp_nonce({'type': 'http'})


def test_with_csrf_the_head_script_is_stamped_and_a_403_has_the_headers():
    app = make_app(csrf=True)
    c = TestClient(app)
    r = c.get('/')
    n = nonce_of(r)
    assert re.search(rf'<script nonce="{n}">\(\(\) => {{\n  const H = "X-CSRF-Token"', r.text)
    r = c.post('/')
    assert r.status_code == 403 and r.headers['x-frame-options'] == 'DENY'


def test_live_reload_script_is_stamped():
    app = make_app(live=True)
    r = TestClient(app).get('/')
    assert f'<script nonce="{nonce_of(r)}">\n    (() => {{\n        let attempts' in r.text
    assert 'live-reload' in to_xml(LiveReloadJs())


def test_websockets_pass_through():
    app = make_app()

    @app.ws('/ws')
    async def ws(msg: str, send): await send(P(msg, id='o'))
    with TestClient(app).websocket_connect('/ws') as w:
        w.send_text('{"msg": "hi"}')
        assert 'hi' in w.receive_text()


def test_with_the_feature_off_nothing_changes():
    off, plain = make_app(False), make_app(None)
    r_off, r_plain = TestClient(off).get('/'), TestClient(plain).get('/')
    assert r_off.text == r_plain.text and 'nonce' not in r_off.text and 'FH-Nonce' not in r_off.text
    for h in ('content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'):
        assert h not in r_off.headers

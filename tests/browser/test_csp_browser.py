"""A strict CSP in Chromium (examples/csp_app.py, htmx 2 and htmx 4): every script and style fasthtml renders runs
(inline ones, fasthtml.js, css-scope-inline, htmx's indicator style, toasts, live reload, scripts in htmx fragments),
injected markup does not, and htmx keeps working, CSRF header included."""
from __future__ import annotations

from playwright.sync_api import expect

import pytest

pytestmark = pytest.mark.browser

# Record CSP violations from the very start of each document (init scripts are not subject to the page's CSP).
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push([e.effectiveDirective, e.blockedURI, e.sample].join(' ')));"""


def test_strict_csp_keeps_fasthtml_and_htmx_working(serve_example, page, shot, htmx_version):
    srv = serve_example('csp_app', htmx=htmx_version)
    console = []
    page.on('console', lambda m: console.append(m.text))
    page.add_init_script(WATCH)
    resp = page.goto(srv.url + '/')
    assert "script-src 'self' 'nonce-" in resp.headers['content-security-policy']
    page.wait_for_function('typeof htmx === "object"')
    assert page.evaluate('htmx.version').split('.')[0] == str(htmx_version)

    # our inline script and style, a style attribute, css-scope-inline, fasthtml.js
    expect(page.locator('#inline')).to_have_text('inline script ran')
    expect(page.locator('#styled')).to_have_css('color', 'rgb(0, 128, 0)')
    expect(page.locator('#attr')).to_have_css('color', 'rgb(128, 0, 0)')
    expect(page.locator('#scoped')).to_have_css('color', 'rgb(0, 0, 255)')
    assert page.evaluate('typeof window.proc_htmx') == 'function'
    # htmx's indicator style (htmx 2: an inserted <style> with inlineStyleNonce; htmx 4: a constructed sheet)
    expect(page.locator('#spinner')).to_have_css('opacity', '0')
    # injected markup has no nonce
    assert page.evaluate('window.injected') is None

    # a fragment's own script runs (stamped with the page's nonce); one injected into it does not
    page.click('#load')
    expect(page.locator('#frag-text')).to_have_text('fragment script ran')
    assert page.evaluate('window.injectedFragment') is None

    # an htmx POST passes the CSRF check (header from the nonce'd hook script) and its toast shows
    page.click('#save')
    expect(page.locator('#saved-text')).to_have_text('saved')
    expect(page.locator('#fh-toast-container .fh-toast')).to_contain_text('Saved under a strict CSP')

    # live reload's script ran and its WebSocket (connect-src 'self') opened
    for _ in range(100):
        if any('LiveReload connected' in m for m in console): break
        page.wait_for_timeout(100)
    assert any('LiveReload connected' in m for m in console), console

    violations = page.evaluate('window.__violations')
    shot(page, f'csp_htmx{htmx_version}')
    # the two injected scripts were refused, and nothing of ours (toasts have no inline handlers) under either htmx
    injected = [v for v in violations if v.startswith('script-src-elem inline')]
    assert len(injected) == 2, violations
    assert [v for v in violations if v not in injected] == [], violations

"""CSRF protection in Chromium (examples/csrf_app.py, htmx 2 and htmx 4): plain forms, htmx forms, header-only htmx
requests, uploads and the app's own WebSocket work; a forged request from the page's own script without the token,
a form posted from another site and a WebSocket opened from another site are refused."""
from __future__ import annotations

from playwright.sync_api import expect

import pytest

from .conftest import open_page

pytestmark = pytest.mark.browser


def test_csrf_app_in_the_browser(serve_example, page, shot, htmx_version):
    srv = serve_example('csrf_app', htmx=htmx_version)
    open_page(page, srv.url + '/', htmx_version)
    notes = page.locator('#notes li')

    page.fill('#text', 'plain form')  # a full page post, redirected back
    page.click('#add')
    expect(notes).to_have_text(['plain form'])
    page.fill('#hx-text', 'htmx form')  # field and header
    page.click('#hx-add')
    expect(notes).to_have_text(['plain form', 'htmx form'])
    page.click('#clear')  # hx-delete from a button: the header alone
    expect(notes).to_have_count(0)

    # the app's own WebSocket
    page.fill('#msg', 'hi')
    page.click('#echo')
    expect(page.locator('#ws-out')).to_have_text('echo: hi')

    # a script on the page that does not send the token (the cookie goes along; only the token is missing)
    forged = page.evaluate("""fetch('/notes', {method: 'POST', body: new URLSearchParams({text: 'forged'})})
                              .then(async r => [r.status, await r.text()])""")
    assert forged[0] == 403 and 'CSRF token missing' in forged[1]

    # an upload (multipart, the field first)
    page.set_input_files('#file', files=[{'name': 'a.txt', 'mimeType': 'text/plain', 'buffer': b'hello world'}])
    page.click('#send-file')
    expect(page.locator('#uploaded')).to_have_text('a.txt: 11 bytes')
    shot(page, f'csrf_upload_htmx{htmx_version}')

    # another site: the same app seen from http://localhost:<port> is another origin (and site) to the browser
    page.goto(srv.url.replace('127.0.0.1', 'localhost') + '/')
    ws_state = page.evaluate(f"""new Promise(done => {{
        const ws = new WebSocket('{srv.url.replace('http', 'ws')}/ws');
        ws.onopen = () => done('open'); ws.onclose = e => done('closed');
    }})""")
    assert ws_state == 'closed'  # the handshake got a 403 (from its own origin it opened, above)
    with page.expect_navigation():
        page.evaluate(f"""() => {{
            const f = document.createElement('form');
            f.method = 'post'; f.action = '{srv.url}/notes';
            for (const [k, v] of [['text', 'evil'], ['csrf_token', 'A'.repeat(86)]]) {{
                const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i);
            }}
            document.body.appendChild(f); f.submit();
        }}""")
    assert 'Forbidden: CSRF token' in page.content()
    page.goto(srv.url + '/')
    expect(page.locator('#notes li')).to_have_count(0)

"""The browser scenarios of issues 4 and 13, each against a real example app in `examples/`, under htmx 2 and htmx 4.

The `htmx_version` fixture runs each test twice; the example reads `FH_HTMX` and loads that htmx (with its idioms)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

import pytest

from .conftest import open_page, wait_until

pytestmark = pytest.mark.browser


def test_counter_swaps_fragment(serve_example, page, shot, htmx_version):
    srv = serve_example('counter', htmx=htmx_version)
    open_page(page, srv.url + '/', htmx_version)
    expect(page.locator('#count')).to_have_text('0')
    page.evaluate('window.__marker = 42')  # survives only if the page is not reloaded
    for n in (1, 2, 3):
        page.click('#inc')
        expect(page.locator('#count')).to_have_text(str(n))
    assert page.evaluate('window.__marker') == 42
    shot(page, f'counter_htmx{htmx_version}')
    page.click('#reset')
    expect(page.locator('#count')).to_have_text('0')


def test_form_errors_then_redirect(serve_example, page, shot, htmx_version):
    srv = serve_example('form_validate', htmx=htmx_version)
    open_page(page, srv.url + '/', htmx_version)
    page.evaluate('window.__marker = 1')
    page.fill('#email', 'not-an-email')
    page.click('#submit')
    expect(page.locator('#email-error')).to_have_text('Enter a valid email address')
    expect(page.locator('#name-error')).to_have_text('Name is required')
    expect(page.locator('#email')).to_have_value('not-an-email')  # the swapped form keeps the input
    assert page.evaluate('window.__marker') == 1  # errors came in as a fragment
    assert page.locator('form#signup').count() == 1  # outerHTML: replaced, not nested
    shot(page, f'form_errors_htmx{htmx_version}')
    page.fill('#name', 'Ada')
    page.fill('#email', 'ada@example.com')
    page.click('#submit')
    page.wait_for_url(re.compile(r'/welcome\?name=Ada$'))
    expect(page.locator('#welcome')).to_have_text('Welcome, Ada!')
    shot(page, f'form_welcome_htmx{htmx_version}')


def test_sse_clock_updates_and_ends_on_close(serve_example, browser_ctx, page, shot, htmx_version):
    srv = serve_example('sse_clock', htmx=htmx_version)
    open_page(page, srv.url + '/', htmx_version)
    ticks = page.locator('#tick')
    expect(ticks).to_have_attribute('data-n', re.compile(r'^([3-9]|\d\d+)$'))  # at least 3 events arrived
    assert srv.get_json('/status')['open'] == 1
    shot(page, f'sse_clock_htmx{htmx_version}')
    page.close()
    st = wait_until(lambda: (s := srv.get_json('/status'))['open'] == 0 and s, what='the SSE generator to end')
    assert st['ended'] == 1


def test_ws_chat_between_two_tabs(serve_example, browser_ctx, page, shot, htmx_version):
    srv = serve_example('chat_ws', htmx=htmx_version)
    other = browser_ctx.new_page()
    for p in (page, other):
        open_page(p, srv.url + '/', htmx_version)
        expect(p.locator('#status')).to_have_text('connected')
    page.fill('#msg', 'hello from tab one')
    page.press('#msg', 'Enter')
    expect(other.locator('#messages li')).to_have_text(['hello from tab one'])
    expect(page.locator('#messages li')).to_have_text(['hello from tab one'])
    expect(page.locator('#msg')).to_have_value('')  # the sender's input was swapped back empty
    other.fill('#msg', 'and back from tab two')
    other.click('#send')
    expect(page.locator('#messages li')).to_have_text(['hello from tab one', 'and back from tab two'])
    shot(page, f'chat_tab1_htmx{htmx_version}')
    shot(other, f'chat_tab2_htmx{htmx_version}')
    other.close()


def test_live_reload_on_edit(serve_example, page, shot, tmp_path, htmx_version):
    # `python live_reload_app.py` -> serve(reload=True)
    srv = serve_example('live_reload_app', copy=True, script=True, htmx=htmx_version)
    open_page(page, srv.url + '/', htmx_version)
    expect(page.locator('#message')).to_have_text('Hello, live reload')
    page.evaluate('window.__marker = 7')
    src = tmp_path/'app'/'live_reload_app.py'
    src.write_text(src.read_text().replace("'Hello, live reload'", "'Edited while open'"))
    expect(page.locator('#message')).to_have_text('Edited while open', timeout=30000)
    assert page.evaluate('window.__marker') is None  # a real reload, not a swap
    shot(page, f'live_reload_htmx{htmx_version}')


def test_toast_after_redirect(serve_example, page, shot, htmx_version):
    srv = serve_example('toasts_redirect', htmx=htmx_version)
    open_page(page, srv.url + '/', htmx_version)
    page.fill('#title', 'my note')
    page.click('#save')
    page.wait_for_url(srv.url + '/')
    expect(page.locator('#fh-toast-container')).to_contain_text('Saved my note')
    shot(page, f'toast_form_htmx{htmx_version}')
    page.reload()
    expect(page.locator('#fh-toast-container')).not_to_contain_text('Saved my note')  # shown once
    page.click('#hx-save')  # htmx POST -> HX-Redirect -> full page with the toast
    expect(page.locator('#fh-toast-container')).to_contain_text('Saved via htmx')
    shot(page, f'toast_htmx_htmx{htmx_version}')


def test_error_toast_on_failed_request(serve_example, page, shot, htmx_version):
    srv = serve_example('toasts_redirect', htmx=htmx_version)
    page.route('**/unreachable', lambda route: route.abort())  # no answer at all (a page route wins over the guard)
    open_page(page, srv.url + '/', htmx_version)
    toasts = page.locator('#fh-toast-container .fh-toast-error')
    page.click('#reject')  # 422 carrying the server's own error toast: shown, and no generic one beside it
    expect(toasts).to_have_text([re.compile(r'^\s*Rejected: that title is taken\s*x\s*$')])
    page.click('#fail')  # 500 from a bug in the handler: the generic toast names the status
    expect(toasts).to_have_text([re.compile(r'Rejected: that title is taken'), 'Request failed: 500 Internal Server Error'])
    page.click('#unreachable')
    expect(toasts.nth(2)).to_have_text('Request failed: the server did not answer')
    expect(toasts).to_have_count(3)
    shot(page, f'error_toasts_htmx{htmx_version}')
    page.click('#fh-toast-container .fh-toast-dismiss')  # the server toast's close button (plain DOM, no htmx API)
    expect(toasts).to_have_count(2)
    if htmx_version == 2:  # htmx 2 swaps no error response (htmx 4 swaps them unless its `noSwap` config says not)
        expect(page.locator('#result')).to_be_empty()
    page.click('#invalid')  # a 422 meant to be shown: htmx 4 swaps it and needs no toast; htmx 2 does not swap it
    if htmx_version == 4:
        expect(page.locator('#result #invalid-msg')).to_have_text('that input is invalid')
        page.wait_for_timeout(300)
        expect(toasts).to_have_count(2)
    else:
        expect(toasts.nth(2)).to_have_text('Request failed: 422 Unprocessable Entity')


def test_form_errors_keep_the_focused_field(serve_example, page, htmx_version):
    # htmx 4.0.0's settle step put the old `value` attribute back into the focused field; the framework pins 4.0.1
    srv = serve_example('form_validate', htmx=htmx_version)
    open_page(page, srv.url + '/', htmx_version)
    page.fill('#email', 'typed-in-place')
    page.press('#email', 'Enter')  # submitted from the field: it keeps the focus through the swap
    expect(page.locator('#email-error')).to_have_text('Enter a valid email address')
    expect(page.locator('#email')).to_have_value('typed-in-place', timeout=2000)

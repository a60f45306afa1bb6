"The six browser scenarios of issue 4, each against a real example app in `examples/`."
from __future__ import annotations

import re
import time

from playwright.sync_api import expect

import pytest

pytestmark = pytest.mark.browser


def wait_until(cond, timeout: float = 15, what: str = 'condition'):
    "Poll `cond` until true; a failure message names `what` (no timing is asserted, the limit is generous)"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if v := cond(): return v
        time.sleep(0.05)
    raise AssertionError(f'timed out waiting for {what}')


def test_counter_swaps_fragment(serve_example, page, shot):
    srv = serve_example('counter')
    page.goto(srv.url + '/')
    expect(page.locator('#count')).to_have_text('0')
    page.evaluate('window.__marker = 42')  # survives only if the page is not reloaded
    for n in (1, 2, 3):
        page.click('#inc')
        expect(page.locator('#count')).to_have_text(str(n))
    assert page.evaluate('window.__marker') == 42
    assert page.evaluate("typeof htmx") == 'object'
    shot(page, 'counter')
    page.click('#reset')
    expect(page.locator('#count')).to_have_text('0')


def test_form_errors_then_redirect(serve_example, page, shot):
    srv = serve_example('form_validate')
    page.goto(srv.url + '/')
    page.evaluate('window.__marker = 1')
    page.fill('#email', 'not-an-email')
    page.click('#submit')
    expect(page.locator('#email-error')).to_have_text('Enter a valid email address')
    expect(page.locator('#name-error')).to_have_text('Name is required')
    expect(page.locator('#email')).to_have_value('not-an-email')  # the swapped form keeps the input
    assert page.evaluate('window.__marker') == 1  # errors came in as a fragment
    assert page.locator('form#signup').count() == 1  # outerHTML: replaced, not nested
    shot(page, 'form_errors')
    page.fill('#name', 'Ada')
    page.fill('#email', 'ada@example.com')
    page.click('#submit')
    page.wait_for_url(re.compile(r'/welcome\?name=Ada$'))
    expect(page.locator('#welcome')).to_have_text('Welcome, Ada!')
    shot(page, 'form_welcome')


def test_sse_clock_updates_and_ends_on_close(serve_example, browser_ctx, page, shot):
    srv = serve_example('sse_clock')
    page.goto(srv.url + '/')
    ticks = page.locator('#tick')
    expect(ticks).to_have_attribute('data-n', re.compile(r'^([3-9]|\d\d+)$'))  # at least 3 events arrived
    assert srv.get_json('/status')['open'] == 1
    shot(page, 'sse_clock')
    page.close()
    st = wait_until(lambda: (s := srv.get_json('/status'))['open'] == 0 and s, what='the SSE generator to end')
    assert st['ended'] == 1


def test_ws_chat_between_two_tabs(serve_example, browser_ctx, page, shot):
    srv = serve_example('chat_ws')
    other = browser_ctx.new_page()
    for p in (page, other):
        p.goto(srv.url + '/')
        expect(p.locator('#status')).to_have_text('connected')
    page.fill('#msg', 'hello from tab one')
    page.press('#msg', 'Enter')
    expect(other.locator('#messages li')).to_have_text(['hello from tab one'])
    expect(page.locator('#messages li')).to_have_text(['hello from tab one'])
    expect(page.locator('#msg')).to_have_value('')  # the sender's input was swapped back empty
    other.fill('#msg', 'and back from tab two')
    other.click('#send')
    expect(page.locator('#messages li')).to_have_text(['hello from tab one', 'and back from tab two'])
    shot(page, 'chat_tab1')
    shot(other, 'chat_tab2')
    other.close()


def test_live_reload_on_edit(serve_example, page, shot, tmp_path):
    srv = serve_example('live_reload_app', copy=True, script=True)  # `python live_reload_app.py` -> serve(reload=True)
    page.goto(srv.url + '/')
    expect(page.locator('#message')).to_have_text('Hello, live reload')
    page.evaluate('window.__marker = 7')
    src = tmp_path/'app'/'live_reload_app.py'
    src.write_text(src.read_text().replace("'Hello, live reload'", "'Edited while open'"))
    expect(page.locator('#message')).to_have_text('Edited while open', timeout=30000)
    assert page.evaluate('window.__marker') is None  # a real reload, not a swap
    shot(page, 'live_reload')


def test_toast_after_redirect(serve_example, page, shot):
    srv = serve_example('toasts_redirect')
    page.goto(srv.url + '/')
    page.fill('#title', 'my note')
    page.click('#save')
    page.wait_for_url(srv.url + '/')
    expect(page.locator('#fh-toast-container')).to_contain_text('Saved my note')
    shot(page, 'toast_form')
    page.reload()
    expect(page.locator('#fh-toast-container')).not_to_contain_text('Saved my note')  # shown once
    page.click('#hx-save')  # htmx POST -> HX-Redirect -> full page with the toast
    expect(page.locator('#fh-toast-container')).to_contain_text('Saved via htmx')
    shot(page, 'toast_htmx')

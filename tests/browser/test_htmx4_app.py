"""The htmx 4 example app (`examples/htmx4_app.py`) in Chromium: a fragment plus HxPartials updating two more targets,
an inherited target, one SSE message carrying two HxPartials, a WebSocket answered with HxPartials, toasts after a
redirect and on a failed request. One server serves the whole module."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import EXAMPLES, Server, open_page, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture(scope='module')
def app_url(tmp_path_factory):
    srv = Server('htmx4_app', EXAMPLES, tmp_path_factory.mktemp('htmx4_app')/'htmx4_app.log')
    yield srv
    srv.stop()


def test_fragment_and_partials_inheritance_ws(app_url, page, shot):
    open_page(page, app_url.url + '/', 4)
    page.evaluate('window.__marker = 4')  # survives only while every step is a swap
    n0 = int(page.locator('#n-items').inner_text())
    for i, item in enumerate(('tea', 'milk'), 1):  # main fragment into #items; partials into #n-items, #last, #item
        page.fill('#item', item)
        page.click('#add')
        expect(page.locator('#items li').last).to_have_text(item)
        expect(page.locator('#n-items')).to_have_text(str(n0 + i))
        expect(page.locator('#last')).to_have_text(item)
        expect(page.locator('#item')).to_have_value('')
    expect(page.locator('#items li')).to_have_count(n0 + 2)
    assert page.locator('hx-partial, template[hx]').count() == 0  # the partials were consumed, not inserted
    page.click('#add')  # an empty item: only a partial comes back, nothing is added
    expect(page.locator('#last')).to_have_text('an empty item was not added')
    expect(page.locator('#items li')).to_have_count(n0 + 2)

    page.click('#blue')  # the buttons inherit hx-target from their container (`hx_target_inherited`)
    expect(page.locator('#colour')).to_have_text('picked blue')
    page.click('#red')
    expect(page.locator('#colour')).to_have_text('picked red')

    page.fill('#echo-text', 'over the socket')  # WebSocket: the answer is two partials (log line, emptied input)
    page.press('#echo-text', 'Enter')
    expect(page.locator('#echo-log li')).to_have_text(['over the socket'])
    expect(page.locator('#echo-text')).to_have_value('')
    assert page.evaluate('window.__marker') == 4
    shot(page, 'htmx4_app')


def test_one_sse_message_updates_two_targets(app_url, browser_ctx, page, shot):
    ended = app_url.get_json('/feed/status')['ended']
    open_page(page, app_url.url + '/', 4)
    expect(page.locator('#feed-n')).to_have_attribute('data-n', re.compile(r'^([3-9]|\d\d+)$'))
    # Both spans are replaced by the same message: read them together, they carry the same number.
    for _ in range(5):
        n, t = page.evaluate("[document.querySelector('#feed-n').dataset.n, document.querySelector('#feed-time').dataset.n]")
        assert n == t, (n, t)
    assert re.fullmatch(r'\d\d:\d\d:\d\d\.\d{3}', page.locator('#feed-time').inner_text())
    assert page.locator('#feed').inner_html() == ''  # partials only: the connecting element itself stays empty
    shot(page, 'htmx4_sse')
    page.close()
    wait_until(lambda: app_url.get_json('/feed/status')['ended'] > ended, what='the SSE generator to end')


def test_toasts_after_redirect_and_on_failure(app_url, page, shot):
    open_page(page, app_url.url + '/', 4)
    page.click('#save')  # htmx POST -> HX-Redirect -> the page it lands on shows the toast
    expect(page.locator('#fh-toast-container .fh-toast-success')).to_have_text('Saved')
    page.click('#fail')
    expect(page.locator('#fh-toast-container .fh-toast-error')).to_have_text('Request failed: 500 Internal Server Error')
    expect(page.locator('#fail-result')).to_be_empty()  # hx_status_5xx='swap:none': the error body is not swapped in
    shot(page, 'htmx4_toasts')

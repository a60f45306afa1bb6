"""Issue #8 items 2 and 4 in a real browser, under htmx 2 and htmx 4: `@validated` swaps the re-rendered form in place
(examples/validate_app.py), and a rate-limited htmx click shows a toast (examples/ratelimit_app.py), with and without a
strict CSP."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import open_page

pytestmark = pytest.mark.browser


def test_validated_form_shows_errors_in_place_then_redirects(serve_example, page, shot, htmx_version):
    srv = serve_example('validate_app', htmx=htmx_version)
    open_page(page, srv.url + '/', htmx_version)
    page.evaluate('window.__marker = 1')  # survives only if no full page load happens

    # the newsletter form: no id (HX-Retarget: closest form) and an hx-select meant for its success answer
    # (HX-Reselect picks the form); htmx_status=422 on htmx 4, which swaps 4xx answers, 200 on htmx 2
    page.fill('#address', 'nope')
    with page.expect_response(lambda r: r.url.endswith('/subscribe')) as info:
        page.click('#subscribe')
    assert info.value.status == (422 if htmx_version == 4 else 200)
    expect(page.locator('#address-error')).to_have_text('Enter a valid email address.')
    expect(page.locator('#address')).to_have_value('nope')
    assert page.locator('form').count() == 2 and page.locator('form form').count() == 0
    assert page.inner_html('#sub-result') == ''
    page.fill('#address', 'ada@example.org')
    page.click('#subscribe')
    expect(page.locator('#sub-result #subscribed')).to_have_text('Subscribed ada@example.org.')
    assert page.locator('#unselected').count() == 0

    page.fill('#username', 'admin')
    page.fill('#email', 'ada@example.org')
    page.fill('#password', 'short')
    page.select_option('#plan', 'pro')
    page.click('#submit')
    # age is missing: a type/required error, reported before __post_init__ runs
    expect(page.locator('#age-error')).to_have_text('This field is required.')
    expect(page.locator('#age')).to_have_attribute('aria-invalid', 'true')
    expect(page.locator('#age')).to_have_attribute('aria-describedby', 'age-error')
    expect(page.locator('#username')).to_have_value('admin')   # what the user typed is kept ...
    expect(page.locator('#plan')).to_have_value('pro')
    expect(page.locator('#password')).to_have_value('')        # ... except the password
    assert page.locator('form#signup').count() == 1             # swapped in place (HX-Retarget/outerHTML), not nested
    assert page.locator('#result').inner_html() == ''           # the form's own hx-target was overridden
    assert page.evaluate('window.__marker') == 1

    page.fill('#age', '36')
    page.fill('#password', 'short')
    page.fill('#email', 'not-an-email')
    page.click('#submit')
    expect(page.locator('#password-error')).to_have_text('Use at least 8 characters.')
    expect(page.locator('#email-error')).to_have_text('Enter a valid email address.')
    expect(page.locator('#age-error')).to_have_count(0)         # fixed fields lose their message
    expect(page.locator('#age')).to_have_value('36')

    page.fill('#email', 'ada@example.org')
    page.fill('#password', 'long enough')
    page.click('#submit')
    expect(page.locator('#username-error')).to_have_text('admin is taken: choose another name.')
    shot(page, f'validate_taken_htmx{htmx_version}')

    page.fill('#username', 'ada')
    page.fill('#password', 'long enough')
    page.click('#submit')
    page.wait_for_url(re.compile(r'/welcome\?name=ada&plan=pro$'))
    expect(page.locator('#welcome')).to_have_text('Welcome, ada! Plan: pro.')


# CSP violations from the very start of each document (init scripts are not subject to the page's CSP)
WATCH_CSP = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push([e.effectiveDirective, e.blockedURI, e.sample].join(' ')));"""


@pytest.mark.parametrize('csp', [False, True], ids=['nocsp', 'csp'])
def test_rate_limited_htmx_click_shows_a_toast(serve_example, page, shot, htmx_version, csp, monkeypatch):
    """The 429 toast lands in the toast container (not in the button's target), goes after its 8 s or on its close
    button, and the same under htmx 2 (which swaps no 4xx by itself) and htmx 4 (which swaps every status), with or
    without a strict CSP (which refuses inline handlers such as `onclick` and `hx-on`)."""
    monkeypatch.setenv('FH_CSP', '1' if csp else '0')
    srv = serve_example('ratelimit_app', htmx=htmx_version)
    page.add_init_script(WATCH_CSP)
    page.clock.install()  # time runs on; `fast_forward` skips the toast's 8 s
    open_page(page, srv.url + '/', htmx_version)
    if csp: assert page.evaluate("document.querySelector('script[nonce]') !== null")
    for n in (1, 2, 3):
        page.click('#ping')
        expect(page.locator('#pings')).to_have_text(str(n))
    toasts = page.locator('body > #fh-toast-container > .fh-toast')
    for i in range(2):
        if i == 1 and htmx_version == 4:  # htmx 4's compatibility config for htmx 2's no-swap of 4xx stops the main
            page.evaluate("htmx.config.noSwap = [204, 304, '4xx', '5xx']")  # swap only: the toast still comes
        with page.expect_response(lambda r: r.url.endswith('/ping')) as info:
            page.click('#ping')
        resp = info.value
        assert resp.status == 429 and int(resp.headers['retry-after']) >= 1
        # exactly one toast, a warning, in the one container at the body's end: not swapped into #pings or nested
        expect(toasts).to_have_count(1)
        expect(toasts).to_have_class('fh-toast fh-toast-warning')
        expect(toasts).to_contain_text(re.compile(r'Too many requests: try again in \d+ s\.'))
        assert page.locator('#fh-toast-container').count() == 1
        assert page.inner_html('#pings') == '3'                  # the button's target was left alone
        if i == 0:
            shot(page, f'ratelimit_toast_htmx{htmx_version}{"_csp" if csp else ""}')
            page.clock.fast_forward(7000)
            expect(toasts).to_have_count(1)                      # still there before its 8 s are up ...
            page.clock.fast_forward(1500)
            expect(toasts).to_have_count(0)                      # ... and gone after
        else:
            page.click('#fh-toast-container .fh-toast-dismiss')  # the close button
            expect(toasts).to_have_count(0)
    assert page.evaluate('window.__violations') == []
    page.click('#plain-ping')                                    # without htmx: a page, not a blank one
    expect(page.locator('#fh-rate-limited')).to_contain_text('Too many requests')

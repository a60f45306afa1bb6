"""Fragments by target in Chromium (issue 16 part 3): on examples/partials_app.py, whose one handler returns the whole
page (`partials='auto'`), each link and form updates only its target, under htmx 2 and htmx 4.

Every step runs through real htmx and through HtmxClient; after each, the two `<main>` trees must be equal (see
test_htmxclient_diff.py for the canonical form). Elements outside the step's target carry a JavaScript property
set before the step: still there afterwards means they were not re-rendered."""
from __future__ import annotations

import difflib
import importlib.util
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fasthtml.htmxclient import HtmxClient

from .conftest import open_page
from .test_htmxclient_diff import SNAPSHOT_JS, browser_step, canon, run_step

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

MAIN_JS = SNAPSHOT_JS.replace("'#app'", "'main'")
MARK_JS = "() => document.querySelectorAll('main *').forEach(e => { e.__mark = 1 })"
# Which elements of <main> were re-rendered (lost their mark) outside the target (its children for an innerHTML
# swap, the element too for outerHTML) and the out-of-band elements; and was the target's part re-rendered at all?
CHECK_JS = """([target, outer, oob]) => {
  const t = document.querySelector(target), within = (o, e) => o && (o === e || o.contains(e));
  const bad = [...document.querySelectorAll('main *')].filter(e => e.__mark !== 1
      && !(outer ? within(t, e) : (e !== t && t.contains(e))) && !oob.some(s => within(document.querySelector(s), e)));
  const fresh = outer ? t.__mark !== 1 : [...t.querySelectorAll('*')].some(e => e.__mark !== 1);
  return {bad: bad.map(e => e.outerHTML.slice(0, 100)), fresh};
}"""
OOB = ['#open-count']

# (step, its target, whether the page declares an outerHTML swap for it): the forms in the list, the filter links and
# both forms fill #list (innerHTML); the Refresh link replaces #stats; every answer also brings #open-count out of band
STEPS = [
    (('click', '#toggle-1'), '#list', False),
    (('click', '#stats a'), '#stats', True),
    (('submit', '#add', {'name': 'Browser task'}), '#list', False),
    (('click', '#show-done'), '#list', False),
    (('submit', '#search', {'q': 'ship'}), '#list', False),
]


def load_example():
    spec = importlib.util.spec_from_file_location('partials_app_browser', ROOT/'examples'/'partials_app.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def canon4(html: str) -> str:
    "`canon`, without htmx 4's marker of the elements it processed"
    return canon(html).replace(" data-htmx-powered='true'", '')


def main_of(c: HtmxClient) -> str: return canon4(c.doc.css_first('main').html)


def wait_main(page, want: str, what: str, timeout: float = 10) -> None:
    "Poll until the browser's <main> equals HtmxClient's (htmx swaps asynchronously); fail with a diff otherwise"
    deadline, got = time.monotonic() + timeout, ''
    while time.monotonic() < deadline:
        s = page.evaluate(MAIN_JS)
        if s and not s['busy']:
            got = canon4(s['html'])
            if got == want: return
        time.sleep(0.05)
    diff = '\n'.join(difflib.unified_diff(got.splitlines(), want.splitlines(), 'chromium', 'HtmxClient', lineterm=''))
    raise AssertionError(f'{what}: the DOMs differ\n{diff}')


def test_links_and_forms_update_only_their_target(serve_example, page, shot, htmx_version):
    srv = serve_example('partials_app', htmx=htmx_version)
    c = HtmxClient(load_example().app)
    c.get('/')
    open_page(page, srv.url + '/', htmx_version)
    expect(page).to_have_title('Tasks (2 open)')
    page.evaluate('window.__marker = 42')  # survives only if the page is never reloaded
    page.fill('#q', 'half-typed')          # a field outside the targets keeps what the user typed
    c.fill('#q', 'half-typed')
    wait_main(page, main_of(c), 'the first page')
    for i, (step, target, outer) in enumerate(STEPS):
        page.evaluate(MARK_JS)
        run_step(c, step)
        browser_step(page, srv.url, step)
        wait_main(page, main_of(c), f'step {i} {step}')
        res = page.evaluate(CHECK_JS, [target, outer, OOB])
        assert res == {'bad': [], 'fresh': True}, f'step {i} {step}: {res}'
        expect(page).to_have_title(c.title)
    assert page.evaluate('window.__marker') == 42
    for sel in ('main', 'h1', '#list', '#stats', 'form#add', 'form#search'): expect(page.locator(sel)).to_have_count(1)
    expect(page.locator('#list > li')).to_have_count(1)
    expect(page.locator('#open-count')).to_have_text('2')  # task 1 done, "Browser task" added
    expect(page).to_have_title('Tasks (2 open)')
    shot(page, f'partials_htmx{htmx_version}')

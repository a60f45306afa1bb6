"""Differential test: every scenario of examples/htmx_scenarios.py runs through HtmxClient (in-process) and through
real htmx (served offline by the app) in headless Chromium; after each step the two DOMs must match.

A DOM is compared as a canonical tree of the page's `#app`: attributes sorted, htmx's transient classes
(`htmx-request`, `htmx-settling`, ...) dropped, whitespace-only text dropped, and the live values of fields
(typed text, checked boxes, selected options) written as attributes on both sides."""
from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from selectolax.lexbor import LexborHTMLParser

from fasthtml.htmxclient import HtmxClient

from .conftest import EXAMPLES, HTMX_VERSIONS, Server

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT/'tests'))
from test_htmxclient import run_step


def _load():
    spec = importlib.util.spec_from_file_location('htmx_scenarios_diff', ROOT/'examples'/'htmx_scenarios.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

SCEN = _load()

# The browser's DOM with live field values written into attributes (on a clone, so the page is untouched)
SNAPSHOT_JS = """() => {
  const app = document.querySelector('#app'); if (!app) return null;
  const src = app.querySelectorAll('input, textarea, select'), c = app.cloneNode(true);
  const dst = c.querySelectorAll('input, textarea, select');
  src.forEach((e, i) => { const d = dst[i];
    if (e.tagName === 'INPUT' && (e.type === 'checkbox' || e.type === 'radio')) {
      if (e.checked) d.setAttribute('checked', ''); else d.removeAttribute('checked'); }
    else if (e.tagName === 'INPUT') d.setAttribute('value', e.value);
    else if (e.tagName === 'TEXTAREA') d.textContent = e.value;
    else [...e.options].forEach((o, j) => { if (o.selected) d.options[j].setAttribute('selected', '');
                                            else d.options[j].removeAttribute('selected'); });
  });
  return {html: c.outerHTML, title: document.title, url: location.href,
          busy: document.querySelectorAll('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added').length};
}"""


def canon(html: str) -> str:
    "A canonical text of the element tree in `html`"
    doc = LexborHTMLParser(f'<body>{html}</body>')
    out = []
    def walk(n, depth):
        for c in n.iter(include_text=True):
            if c.is_text_node:
                t = re.sub(r'\s+', ' ', c.text_content or '').strip()
                if t: out.append('  '*depth + repr(t))
            elif c.is_element_node:
                attrs = dict(c.attributes)
                attrs.pop('data-hx-revealed', None)  # htmx's own marker of a fired `revealed`
                attrs.pop('data-htmx-powered', None)  # htmx 4's marker of a processed element
                if c.tag == 'input' and (attrs.get('type') or '') not in ('checkbox', 'radio'):
                    attrs.setdefault('value', '')  # an untouched field: no attribute in one, '' in the other
                if 'class' in attrs:
                    cls = ' '.join(x for x in (attrs['class'] or '').split() if not x.startswith('htmx-'))
                    if cls: attrs['class'] = cls
                    else: del attrs['class']
                if c.tag == 'textarea':
                    attrs['#value'] = c.text(deep=True)
                out.append('  '*depth + c.tag + ' ' + ' '.join(f'{k}={v!r}' for k, v in sorted(attrs.items())))
                if c.tag != 'textarea': walk(c, depth + 1)
    walk(doc.body, 0)
    return '\n'.join(out)


def client_state(c: HtmxClient) -> dict:
    app = c.doc.css_first('#app')
    return {'dom': canon(app.html if app is not None else ''), 'title': c.title, 'path': c.url.split('/', 3)[3]}


def browser_state(page) -> dict|None:
    try: s = page.evaluate(SNAPSHOT_JS)
    except PlaywrightError: return None  # the page is navigating
    if s is None or s['busy']: return None
    return {'dom': canon(s['html']), 'title': s['title'], 'path': s['url'].split('/', 3)[3]}


def browser_step(page, base: str, step: tuple) -> None:
    kind, sel, *rest = step
    if kind == 'get': page.goto(base + sel)
    elif kind == 'click': page.click(sel)
    elif kind == 'confirm':
        page.once('dialog', lambda d: d.accept())
        page.click(sel)
    elif kind == 'submit':
        form = page.locator(sel)
        for name, v in rest[0].items(): form.locator(f'[name="{name}"]').fill(str(v))
        form.evaluate('f => f.requestSubmit()')
    elif kind == 'change':
        page.locator(sel).select_option(rest[0]) if page.locator(sel).evaluate('e => e.tagName') == 'SELECT' \
            else page.locator(sel).fill(rest[0])
        page.locator(sel).dispatch_event('change')
    elif kind == 'type': page.locator(sel).press_sequentially(rest[0])
    elif kind == 'reveal': page.locator(sel).scroll_into_view_if_needed()
    else: raise ValueError(kind)


def wait_same(page, want: dict, what: str, timeout: float = 10) -> None:
    "Poll the browser until its state equals `want` (htmx works asynchronously); fail with a diff otherwise"
    deadline, got = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        got = browser_state(page)
        if got == want: return
        time.sleep(0.05)
    import difflib
    diff = '\n'.join(difflib.unified_diff((got or {}).get('dom', '').splitlines(), want['dom'].splitlines(),
                                          'chromium', 'HtmxClient', lineterm=''))
    raise AssertionError(f'{what}: the DOMs differ\n{diff}\nbrowser title/path: '
                         f'{got and (got["title"], got["path"])}, client: {(want["title"], want["path"])}')


@pytest.fixture(scope='module', params=HTMX_VERSIONS, ids=[f'htmx{v}' for v in HTMX_VERSIONS])
def scenarios_server(request, tmp_path_factory):
    "One server of examples/htmx_scenarios.py per htmx version for the whole module (every scenario page resets its state)"
    v = request.param
    srv = Server('htmx_scenarios', EXAMPLES, tmp_path_factory.mktemp(f'scen{v}')/'scen.log', env={'FH_HTMX': str(v)})
    yield srv
    srv.stop()


@pytest.mark.parametrize('name', list(SCEN.SCENARIOS))
def test_same_dom_as_real_htmx(name, scenarios_server, page):
    srv = scenarios_server
    c = HtmxClient(SCEN.app)
    for i, step in enumerate(SCEN.SCENARIOS[name]):
        run_step(c, step)
        browser_step(page, srv.url, step)
        if step[0] == 'get': page.wait_for_function('typeof htmx === "object"')
        wait_same(page, client_state(c), f'{name}, step {i} {step}')

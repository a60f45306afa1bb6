"""Where htmx 4 is written differently, in Chromium under htmx 2 and htmx 4: `HxPartial` (a fragment plus partials
updating two more targets, one SSE message carrying two partials) and an inherited target (`hx_target` on a container
under htmx 2, `hx_target_inherited` under htmx 4).

htmx understands `<hx-partial>` from htmx.org 2.0.11 on (backported from htmx 4); while the framework's default htmx 2
is older, the htmx 2 app here loads 2.0.11 itself (served offline like the default). WebSocket partials are htmx 4
only: htmx 2's ws extension applies out-of-band elements, not partials (see examples/htmx4_app.py for htmx 4)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fasthtml.responses import htmxsrc

from .conftest import HTMX_VERSIONS, open_page, serve_source

pytestmark = pytest.mark.browser


def _version(src: str) -> tuple[int, ...]:
    m = re.search(r'htmx\.org@(\d+)\.(\d+)\.(\d+)', src)
    assert m, src
    return tuple(int(x) for x in m.groups())

# htmx 2 with <hx-partial>: the framework's own when new enough, else 2.0.11
HTMX2_SRC = htmxsrc.attrs['src'] if _version(htmxsrc.attrs['src']) >= (2, 0, 11) else \
    'https://cdn.jsdelivr.net/npm/htmx.org@2.0.11/dist/htmx.js'

APP = f'''
import asyncio, os
from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.sse import SSEStream, sse_event

HTMX4 = os.environ.get('FH_HTMX') == '4'
if HTMX4: app, rt = fast_app(htmx4=True, exts='sse')
else: app, rt = fast_app(htmx=False, hdrs=(Script(src={HTMX2_SRC!r}), fhjsscr), exts='sse')  # its own htmx 2
offline_assets(app)
sse = {{'hx_sse_connect': '/feed'}} if HTMX4 else {{'hx_ext': 'sse', 'sse_connect': '/feed', 'sse_swap': 'message'}}
items = []

@rt('/')
def get():
    return Titled('partials',
        P(Span('0', id='n'), ' ', Span('-', id='last')), Ul(id='items'),
        Form(Input(name='item', id='item'), Button('Add', id='add'), hx_post='/items', hx_target='#items',
             hx_swap='beforeend'),
        P(Span('-', id='feed-n'), ' ', Span('-', id='feed-copy')), Div(id='feed', **sse),
        Div(Button('Red', id='red', hx_get='/pick/red'), Button('Blue', id='blue', hx_get='/pick/blue'),
            **{{'hx_target_inherited' if HTMX4 else 'hx_target': '#picked'}}),
        P('none', id='picked'))

@rt('/pick/{{colour}}')
def get(colour: str): return f'picked {{colour}}'

@rt('/items')
def post(item: str):
    items.append(item)
    return Li(item), HxPartial(str(len(items)), hx_target='#n'), HxPartial(item, hx_target='#last')

async def messages():
    n = 0
    while True:
        n += 1
        yield sse_event((HxPartial(Span(str(n), id='feed-n', data_n=n), hx_target='#feed-n', hx_swap='outerHTML'),
                         HxPartial(Span(str(n), id='feed-copy', data_n=n), hx_target='#feed-copy', hx_swap='outerHTML')))
        await asyncio.sleep(0.2)

@rt('/feed')
def get(): return SSEStream(messages())
'''


@pytest.fixture(scope='module', params=HTMX_VERSIONS, ids=[f'htmx{v}' for v in HTMX_VERSIONS])
def partials_app(request, tmp_path_factory):
    with serve_source(tmp_path_factory, 'partials_app', APP, request.param) as srv: yield srv


def test_fragment_plus_two_partials(partials_app, page):
    open_page(page, partials_app.url + '/', partials_app.htmx_version)
    assert page.locator('script[src*="htmx.org@"][src$="htmx.js"], script[src*="htmx.org@"][src$="htmx.min.js"]').count() == 1
    if partials_app.htmx_version == 2: assert _version('htmx.org@' + page.evaluate('htmx.version')) >= (2, 0, 11)
    for i, item in enumerate(('tea', 'milk'), 1):
        page.fill('#item', item)
        page.click('#add')
        expect(page.locator('#items li')).to_have_count(i)  # the main fragment, into the form's target
        expect(page.locator('#n')).to_have_text(str(i))     # partial 1
        expect(page.locator('#last')).to_have_text(item)    # partial 2
    assert page.locator('hx-partial, template').count() == 0  # the wrappers were consumed


def test_one_sse_message_two_partials(partials_app, page):
    open_page(page, partials_app.url + '/', partials_app.htmx_version)
    expect(page.locator('#feed-n')).to_have_attribute('data-n', re.compile(r'^([3-9]|\d\d+)$'))
    for _ in range(5):  # both spans come from the same message
        a, b = page.evaluate("['#feed-n', '#feed-copy'].map(s => document.querySelector(s).dataset.n)")
        assert a == b, (a, b)
    assert page.locator('#feed').inner_html() == ''


def test_inherited_target(partials_app, page):
    open_page(page, partials_app.url + '/', partials_app.htmx_version)
    page.click('#blue')
    expect(page.locator('#picked')).to_have_text('picked blue')  # not into the button itself
    page.click('#red')
    expect(page.locator('#picked')).to_have_text('picked red')
    expect(page.locator('#red')).to_have_text('Red')

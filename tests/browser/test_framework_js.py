"""The JavaScript the framework ships, in Chromium under htmx 2 and htmx 4: fasthtml.js (`proc_htmx`), the
notebook iframe pair (`iframe_scr` in the app's page posts its height, `jupyter.HTMX`'s iframe follows it) after an
htmx swap and after a WebSocket message, and `jupyter.show`'s `htmx.process` of displayed components.
(The toasts' script is covered by test_scenarios.py's toast tests.)"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import HTMX_VERSIONS, open_page, serve_source, wait_until

pytestmark = pytest.mark.browser

APP = '''
import os
from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.core import iframe_scr
from fasthtml.jupyter import HTMX, _HTMX_PROCESS

HTMX4 = os.environ.get('FH_HTMX') == '4'
app, rt = fast_app(htmx4=HTMX4, exts='ws', hdrs=(iframe_scr,))
setup_toasts(app)
offline_assets(app)
PORT = int(os.environ['PORT'])
connect = {'hx_ws_connect': '/ws'} if HTMX4 else {'hx_ext': 'ws', 'ws_connect': '/ws'}
sender = {'hx_ws_send': True} if HTMX4 else {'ws_send': True}

@rt('/')
def get():  # the notebook side: the cell output `HTMX()` displays
    return Title('notebook'), NotStr(HTMX('/frame', host='127.0.0.1', port=PORT).data)

@rt('/frame')
def get():  # the app shown in the iframe
    return Title('frame'), Script("proc_htmx('.fancy', e => e.dataset.seen = 'yes')"), Main(
        Button('grow', id='grow', hx_post='/grow', hx_target='#rows', hx_swap='beforeend'),
        Form(Button('ws grow', id='ws-grow'), **sender),
        Form(Hidden('1', name='quiet'), Button('ws quiet', id='ws-quiet'), **sender),
        Div(Div('first', cls='fancy', id='fancy-0', style='height:100px'), id='rows'), **connect)

@rt('/grow')
def post(): return Div('grown', cls='fancy', id='fancy-1', style='height:300px')

@rt('/toasts')
def get():  # toasts in the page and in a fragment: timed and closed by toast_js, no inline handler
    return Title('toasts'), Main(Div(Toast('page toast', duration=1500), id='fh-toast-container'),
        Button('short', id='short', hx_get='/toast/short', hx_target='#spot'),
        Button('long', id='long', hx_get='/toast/long', hx_target='#spot'), Div(id='spot'))

@rt('/toast/{kind}')
def get(kind: str):
    return Toast(f'{kind} toast', 'info', dismiss=True, duration=400 if kind == 'short' else 60000)

@rt('/hooks')
def get():  # `hx_on__after_swap` is one spelling for both versions
    return Title('hooks'), Main(Button('swap', id='swap', hx_get='/swapped', hx_on__after_swap="this.dataset.swapped = 'yes'"))

@rt('/swapped')
def get(): return 'swapped'

@app.ws('/ws')
async def ws(send, quiet: str = ''):
    if quiet: return '{"note": "data only"}'  # JSON without content: no swap, only the message event
    return Div(Div('by socket', id='ws-row', style='height:200px'), id='rows', hx_swap_oob='beforeend')

@rt('/shown')
def get():  # what `jupyter.show(component)` puts into a notebook cell: the component, then htmx.process
    return Title('shown'), Div(id='cell')

@rt('/cell')
def get():
    return NotStr(to_xml(Button('load', id='shown-btn', hx_get='/hello', hx_swap='outerHTML')) + _HTMX_PROCESS)

@rt('/hello')
def get(): return P('hello from a displayed component', id='hello')
'''


@pytest.fixture(scope='module', params=HTMX_VERSIONS, ids=[f'htmx{v}' for v in HTMX_VERSIONS])
def js_app(request, tmp_path_factory):
    "The app above under one htmx version, shared by the module's tests (they change no state)"
    with serve_source(tmp_path_factory, 'js_app', APP, request.param) as srv: yield srv


def test_proc_htmx_and_iframe_height(js_app, page, shot):
    htmx_version = js_app.htmx_version
    open_page(page, js_app.url + '/frame', htmx_version)  # fasthtml.js: proc_htmx runs on the page and on swaps
    expect(page.locator('#fancy-0')).to_have_attribute('data-seen', 'yes')
    page.click('#grow')
    expect(page.locator('#fancy-1')).to_have_attribute('data-seen', 'yes')

    page.goto(js_app.url + '/')  # the notebook's iframe grows with the app inside it
    iframe = page.locator('iframe')
    frame = page.frame_locator('iframe')
    expect(frame.locator('#fancy-0')).to_be_visible()
    height = lambda: iframe.evaluate('e => e.getBoundingClientRect().height')
    inner = lambda: iframe.evaluate('e => e.contentDocument.documentElement.offsetHeight')
    wait_until(lambda: abs(height() - inner() - 1) < 2, what='the iframe to take its content height')
    before = height()
    frame.locator('#grow').click()  # an htmx swap inside the frame
    expect(frame.locator('#fancy-1')).to_be_visible()
    wait_until(lambda: height() >= before + 290, what='the iframe to grow after an htmx swap')
    before = height()
    frame.locator('#ws-grow').click()  # a WebSocket message inside the frame
    expect(frame.locator('#ws-row')).to_be_visible()
    wait_until(lambda: height() >= before + 190, what='the iframe to grow after a WebSocket message')
    # A message that swaps nothing fires no swap event: only iframe_scr's message listener reports the new height.
    frame.locator('#rows').evaluate("e => e.style.height = (e.offsetHeight + 150) + 'px'")
    before = height()
    frame.locator('#ws-quiet').click()
    wait_until(lambda: height() >= before + 140, what='the iframe to grow after a WebSocket message that swaps nothing')
    shot(page, f'notebook_iframe_htmx{htmx_version}')


def test_shown_component_is_live(js_app, page):
    htmx_version = js_app.htmx_version
    open_page(page, js_app.url + '/shown', htmx_version)
    # A notebook inserts the cell's HTML after the page has loaded; its script then activates the htmx attributes.
    page.evaluate("""async () => {
        const html = await (await fetch('/cell')).text();
        const cell = document.getElementById('cell');
        cell.innerHTML = html;
        for (const old of cell.querySelectorAll('script')) {  // innerHTML does not run scripts; a notebook does
            const s = document.createElement('script'); s.textContent = old.textContent; old.replaceWith(s);
        }
    }""")
    page.click('#shown-btn')
    expect(page.locator('#hello')).to_have_text('hello from a displayed component')


def test_hx_on_after_swap(js_app, page):
    htmx_version = js_app.htmx_version
    open_page(page, js_app.url + '/hooks', htmx_version)
    page.click('#swap')
    expect(page.locator('#swap')).to_have_attribute('data-swapped', 'yes')  # hx-on--after-swap fired


def test_toasts_time_out_and_close_without_inline_handlers(js_app, page):
    open_page(page, js_app.url + '/toasts', js_app.htmx_version)
    expect(page.locator('.fh-toast')).to_have_text(['page toast'])
    expect(page.locator('.fh-toast')).to_have_count(0)  # the page's toast went after its 1.5 s
    page.click('#short')
    expect(page.locator('#spot .fh-toast')).to_have_text(re.compile('short toast'))
    expect(page.locator('#spot .fh-toast')).to_have_count(0)  # and the fragment's after 400 ms
    page.click('#long')
    expect(page.locator('#spot .fh-toast')).to_have_text(re.compile('long toast'))
    page.click('#spot .fh-toast-dismiss')
    expect(page.locator('#spot .fh-toast')).to_have_count(0)
    assert page.locator('[onclick], [hx-on-transitionend]').count() == 0

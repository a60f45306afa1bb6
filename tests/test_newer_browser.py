"""Issue #14 helpers in headless Chromium, under htmx 2 and htmx 4: `HtmxOn` fires once per event whichever htmx is
loaded, `PicoBusy` marks the requesting element busy while its request runs, and the script `htmx_config_port`
shows in a notebook sends the page's htmx requests to another port of the same host, and the `ws_client` page
connects to the app's websocket (a message the server sends lands in its `Main`)."""
from __future__ import annotations

import pytest

# The browser rig's fixtures (`page` and what it needs: the driver, a browser, a context), whatever their chain is.
from browser.conftest import *
from browser.conftest import HTMX_VERSIONS, Server

APP = '''
import asyncio, os
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.jupyter import htmx_config_port, ws_client
from fasthtml.pico import PicoBusy

v4 = os.environ.get('FH_HTMX') == '4'
InteractiveShell.instance()  # what htmx_config_port displays in a notebook, captured for this page
with capture_output() as shown: htmx_config_port(int(os.environ.get('OTHER_PORT', '1')))
config_port = NotStr(shown.outputs[0].data['text/html'])
count_swaps = HtmxOn('afterSwap', 'document.body.dataset.swaps = String(+(document.body.dataset.swaps || 0) + 1)')
app, rt = fast_app(htmx4=v4, pico=False, hdrs=(count_swaps, *PicoBusy()), middleware=[cors_allow], exts='ws')
offline_assets(app)

main = ws_client(app, 'chat', frame=False)  # the notebook's websocket client page, without a notebook
async def greet(send): await send(Main(P('hello over the socket', id='greeting'), id=main.id, hx_swap_oob='true'))
@app.ws('/ws', conn=greet)
async def ws(msg: str): pass

@rt
def index(): return Button('Go', id='go', hx_get='/slow', hx_target='#out'), Div(id='out')

@rt
async def slow():
    await asyncio.sleep(0.6)
    return P('done', id='res')

@rt
def notebook(): return config_port, Button('Ask', id='ask', hx_get='/whoami', hx_target='#who'), Div(id='who')

@rt
def whoami(): return P(f"port {os.environ['PORT']}", id='answer')
'''


@pytest.fixture
def servers(tmp_path):
    "Two servers of the same app; the first's notebook page points htmx at the second's port"
    (tmp_path/'newer_app.py').write_text(APP)
    started = []
    def start(htmx: int) -> tuple[Server, Server]:
        other = Server('newer_app', tmp_path, tmp_path/'other.log', env={'FH_HTMX': str(htmx)})
        started.append(other)
        first = Server('newer_app', tmp_path, tmp_path/'first.log', env={'FH_HTMX': str(htmx), 'OTHER_PORT': str(other.port)})
        started.append(first)
        return first, other
    yield start
    for s in started: s.stop()


def _open(pg, url: str, htmx: int) -> None:
    pg.goto(url)
    pg.wait_for_function('typeof htmx === "object"')
    assert pg.evaluate('htmx.version').split('.')[0] == str(htmx)


@pytest.mark.parametrize('htmx', HTMX_VERSIONS, ids=[f'htmx{v}' for v in HTMX_VERSIONS])
def test_htmx_on_pico_busy_and_config_port(servers, page, htmx):
    from playwright.sync_api import expect
    first, other = servers(htmx)
    _open(page, first.url + '/', htmx)
    page.click('#go')
    expect(page.locator('#go')).to_have_attribute('aria-busy', 'true')   # PicoBusy: busy while the request runs
    expect(page.locator('#res')).to_have_text('done')
    expect(page.locator('#go')).to_have_attribute('aria-busy', 'false')
    assert page.evaluate('document.body.dataset.swaps') == '1'  # HtmxOn: one spelling fired, once

    _open(page, first.url + '/notebook', htmx)
    page.click('#ask')
    expect(page.locator('#answer')).to_have_text(f'port {other.port}')  # answered by the other server

    _open(page, first.url + '/chat', htmx)  # ws_client's page connects; the server's greeting lands in its Main
    expect(page.locator('main > #greeting')).to_have_text('hello over the socket')

"""What htmx 4 sends, seen by a real server from headless Chromium, and what it needs back: a fragment for a
targeted request, the whole page for a boosted link and for a history restore (`HX-Request-Type: full`).

The app runs twice: with our page-or-fragment rule, and with the reference's (a fragment for every request with
`HX-Request` except a history restore), to show what that rule breaks under htmx 4 (docs/differences.md, "htmx 4").
A second app checks the hx-ws message envelope end to end."""
from __future__ import annotations

import textwrap
import time

import pytest

from .conftest import Server

pytestmark = pytest.mark.browser

APP = textwrap.dedent('''
    import os
    from fasthtml.common import *
    from fasthtml.assets import offline_assets
    import fasthtml.responses

    if os.environ.get('FH_RULE') == 'ref':  # the reference's rule: only HX-Request and the history restore count
        fasthtml.responses.is_full_page = lambda req, resp=None: ('hx-request' not in req.headers
                                                                   or 'hx-history-restore-request' in req.headers)
    seen = []
    def record(req):
        if req.url.path != '/seen' and not req.url.path.startswith('/_fh/'):
            seen.append({'path': req.url.path, **{k: v for k, v in req.headers.items() if k.startswith('hx-')}})

    def layout(content, req): return Nav(A('home', href='/', id='tohome'), A('page b', href='/b', id='tob')), *content
    app, rt = fast_app(htmx4=True, before=record, ftrs=(Footer('site footer', id='ftr'),), body_wrap=layout,
                       bodykw={'hx_boost_inherited': 'true'}, secret_key='k')

    @rt('/')
    def get(): return Titled('Home', P('home body', id='home'),
                             Button('load', hx_get='/frag', hx_target='#slot', id='loadbtn'), Div(id='slot'),
                             Button('both', hx_get='/both', hx_target='#main', id='bothbtn'), Div(id='main'),
                             Button('only', hx_get='/only', hx_target='#main', id='onlybtn'), Ul(Li('first'), id='side'))
    @rt('/b')
    def get(): return Titled('Page B', P('b body', id='bbody'))
    @rt('/frag')
    def get(): return P('fragment', id='fragp')
    @rt('/both')
    def get(): return P('main part', id='mainp'), HxPartial(Li('pushed', id='li2'), hx_target='#side', hx_swap='beforeend')
    @rt('/only')
    def get(): return HxPartial(Li('only partial', id='li3'), hx_target='#side', hx_swap='beforeend')
    @rt('/seen')
    def get(): return JSONResponse(seen)
    offline_assets(app)
''')


@pytest.fixture
def serve(tmp_path):
    servers = []
    def start(rule: str) -> Server:
        (tmp_path/'h4app.py').write_text(APP)
        s = Server('h4app', tmp_path, tmp_path/'h4app.log', env={'FH_RULE': rule})
        servers.append(s)
        return s
    yield start
    for s in servers: s.stop()


def last_request(srv: Server, path: str, timeout: float = 10) -> dict:
    "The HX-* headers of the latest request the server saw for `path`"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hits = [r for r in srv.get_json('/seen') if r['path'] == path]
        if hits: return hits[-1]
        time.sleep(0.05)
    raise AssertionError(f'no request for {path}')


def layout_state(page) -> dict:
    return page.evaluate('''() => ({title: document.title, bodies: document.querySelectorAll('body').length,
        footers: document.querySelectorAll('#ftr').length, navs: document.querySelectorAll('nav').length,
        h1: document.querySelector('h1')?.textContent})''')


@pytest.mark.parametrize('rule', ['ours', 'ref'])
def test_htmx4_boost_and_history_restore(serve, page, rule):
    srv = serve(rule)
    page.goto(srv.url + '/')
    page.wait_for_function('typeof htmx === "object"')
    assert page.evaluate('htmx.version') == '4.0.1'
    assert page.evaluate('htmx.config.metaCharacter') == '-'  # the htmx-config meta of htmx4=True

    # A targeted request: htmx 4 names its source and target as tag#id and asks for a partial.
    page.click('#loadbtn')
    page.wait_for_selector('#slot #fragp')
    frag = last_request(srv, '/frag')
    assert (frag['hx-request'], frag['hx-request-type'], frag['hx-source'], frag['hx-target']) == \
        ('true', 'partial', 'button#loadbtn', 'div#slot')

    # `HxPartial` beside the main fragment, and alone (the main target is left as it is).
    page.click('#bothbtn')
    page.wait_for_selector('#side #li2')
    assert page.inner_text('#main') == 'main part'
    page.click('#onlybtn')
    page.wait_for_selector('#side #li3')
    assert page.inner_text('#main') == 'main part' and page.locator('#side li').count() == 3

    # A boosted link (hx-boost-inherited on <body>, spelled with the '-' meta character) asks for the full page.
    page.click('#tob')
    page.wait_for_selector('#bbody')
    b = last_request(srv, '/b')
    assert (b['hx-request'], b['hx-boosted'], b['hx-request-type']) == ('true', 'true', 'full')
    assert page.url == srv.url + '/b'
    after_boost = layout_state(page)

    # Back: htmx 4 restores the page with a request of its own (no local history cache).
    page.go_back()
    page.wait_for_selector('#home')
    restore = last_request(srv, '/')
    assert (restore.get('hx-history-restore-request'), restore.get('hx-request-type')) == ('true', 'full')
    after_back = layout_state(page)

    if rule == 'ours':  # the page keeps its layout, footer and title through both
        assert after_boost == {'title': 'Page B', 'bodies': 1, 'footers': 1, 'navs': 1, 'h1': 'Page B'}
        assert after_back == {'title': 'Home', 'bodies': 1, 'footers': 1, 'navs': 1, 'h1': 'Home'}
        # And the restored page still works: its button and the boosted link.
        page.click('#loadbtn')
        page.wait_for_selector('#slot #fragp')
        page.click('#tob')
        page.wait_for_selector('#bbody')
        assert layout_state(page)['footers'] == 1
    else:  # the reference's fragment replaces the whole body: layout and footer are gone after a boosted link
        assert after_boost['footers'] == 0 and after_boost['navs'] == 0 and after_boost['h1'] == 'Page B'
        # The history restore carries no HX-Request (htmx 4.0.1): a full page under both rules, the layout comes back.
        assert after_back == {'title': 'Home', 'bodies': 1, 'footers': 1, 'navs': 1, 'h1': 'Home'}
    assert restore.get("hx-request") is None  # htmx 4.0.1 sends no HX-Request with a restore: a page by any rule


WS_APP = textwrap.dedent('''
    import asyncio
    from fasthtml.common import *
    from fasthtml.assets import offline_assets
    from fasthtml.sse import SSEStream

    app, rt = fast_app(htmx4=True, exts=['ws', 'sse'], secret_key='k')
    @rt('/')
    def get(): return Titled('WS', Div(Form(Input(name='msg', id='msg'), Input(name='n', value='3'), Button('send', id='send'),
                                            hx_ws_send=True, id='f'),
                                       Div(id='out'), Ul(id='side'), hx_ws_connect='/ws', hx_target='#out'),
                             Div(id='feed', hx_sse_connect='/feed', hx_on_upd="this.dataset.got = event.detail.data"),
                             Ul(id='side2'))
    @rt('/feed')
    def get():
        async def events():
            yield sse_message(P('tick', id='tick'))                        # unnamed: swapped into #feed
            yield sse_message(HxPartial(Li('from sse'), hx_target='#side2', hx_swap='beforeend'))
            yield sse_message('named data', event='upd')                 # named: a DOM event, no swap
            await asyncio.sleep(60)                                        # ended by the disconnect
        return SSEStream(events())
    @app.ws('/ws')
    async def ws(msg: str, n: int, htmx, hx_source: str = 'none', hx_current_url: str = 'none'):
        return (P(f'{msg}|{n + 1}|{htmx.source}|{hx_source}|{hx_current_url.endswith("/")}', id='echo'),
                HxPartial(Li(msg), hx_target='#side', hx_swap='beforeend'))
    offline_assets(app)
''')


def test_htmx4_websocket_and_sse(tmp_path, page):
    """hx-ws's message (fields and lower-case `headers`) fills typed params, `htmx` and header params; HxPartial applies.
    Over SSE: an unnamed event is swapped, an HxPartial in one goes to its target, a named one is only a DOM event."""
    (tmp_path/'h4ws.py').write_text(WS_APP)
    srv = Server('h4ws', tmp_path, tmp_path/'h4ws.log')
    try:
        page.goto(srv.url + '/')
        page.wait_for_function('typeof htmx === "object"')
        for word in ('hello', 'again'):
            page.fill('#msg', word)
            page.click('#send')
            page.wait_for_function(f'document.querySelector("#echo")?.textContent.startsWith("{word}|")')
            assert page.inner_text('#echo') == f'{word}|4|form#f|form#f|True'
        assert page.locator('#side li').all_inner_texts() == ['hello', 'again']
        page.wait_for_function('document.querySelector("#feed").dataset.got === "named data"')
        assert page.inner_html('#feed') == '<p id="tick">tick</p>'
        assert page.locator('#side2 li').all_inner_texts() == ['from sse']
    finally:
        page.goto('about:blank')  # close the event stream and the socket first: uvicorn waits for open connections
        srv.stop()

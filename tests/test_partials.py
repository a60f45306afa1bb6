"""Fragments by target (issue 16 part 3): `partials='auto'` apps and `@partials` routes, through the test client and
HtmxClient (examples/partials_app.py); apps that do not opt in answer as before."""
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastcore.xml import FT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request

from fasthtml.common import *
from fasthtml.htmxclient import HtmxClient
from starlette.testclient import TestClient
from fasthtml.partials import PARTIALS_VARY, partials, select_partial

EXAMPLE = Path(__file__).resolve().parents[1]/'examples'/'partials_app.py'


def shop_page(n: int = 2):
    "A page with a list filled innerHTML, a box swapped outerHTML, a counter out of band"
    return (Title(f'Shop ({n})'),
            Main(H1('Shop'),
                 Form(Input(name='q'), id='search', hx_get='/', hx_target='#results'),
                 Ul(*[Li(f'item {i}') for i in range(n)], id='results'),
                 Div(P(f'{n} items'), Button('Refresh', id='refresh', hx_get='/', hx_target='#cart', hx_swap='outerHTML'),
                     id='cart'),
                 Span(str(n), id='count', hx_swap_oob='true')))


def make_app(**kw):
    app, rt = fast_app(**kw)

    @rt('/')
    def index(n: int = 2): return shop_page(n)

    @rt('/add')
    def post(): return shop_page(3)

    return app


HX = {'HX-Request': 'true'}


@pytest.fixture(scope='module')
def client(): return TestClient(make_app(partials='auto'))


def test_full_request_gets_the_page(client):
    r = client.get('/')
    assert r.text.startswith('<!doctype html>')
    for part in ('<h1>Shop</h1>', '<form', 'id="results"', 'id="cart"', '<title>Shop (2)</title>'): assert part in r.text


def test_inner_target_gets_its_children_title_and_oob(client):
    r = client.get('/?n=3', headers={**HX, 'HX-Target': 'results', 'HX-Trigger': 'search'})
    assert r.status_code == 200
    assert r.text == ('<title>Shop (3)</title>\n  <li>item 0</li>\n  <li>item 1</li>\n  <li>item 2</li>\n'
                      '<span hx-swap-oob="true" id="count">3</span>')


def test_outer_target_gets_the_element(client):
    r = client.get('/', headers={**HX, 'HX-Target': 'cart', 'HX-Trigger': 'refresh'})
    assert r.text.startswith('<title>Shop (2)</title>\n<div id="cart">\n  <p>2 items</p>')
    assert 'id="results"' not in r.text and '<h1>' not in r.text
    assert r.text.endswith('<span hx-swap-oob="true" id="count">2</span>')


def test_post_returning_the_page_is_narrowed_too(client):
    r = client.post('/add', headers={**HX, 'HX-Target': 'results'})
    assert r.text.count('<li>') == 3 and '<form' not in r.text and 'id="count">3<' in r.text


def test_vary_names_the_headers_the_part_depends_on(client):
    r = client.get('/', headers={**HX, 'HX-Target': 'results'})
    vary = [v.strip() for v in r.headers['vary'].split(',')]
    assert all(h in vary for h in PARTIALS_VARY.split(', ')), vary
    assert not any(h in client.get('/').headers['vary'] for h in ('HX-Target', 'HX-Source'))


@pytest.mark.parametrize('headers', [
    {'HX-Target': 'nowhere'},                             # an id the page does not have
    {'HX-Trigger': 'search'},                             # no target id (htmx 2 sends none for a target without id)
    {'HX-Target': 'results', 'HX-Boosted': 'true'},       # boosted navigation swaps the body
], ids=['unknown-id', 'no-target', 'boosted'])
def test_left_whole(client, headers):
    whole = TestClient(make_app()).get('/', headers={**HX, **headers}).text
    assert client.get('/', headers={**HX, **headers}).text == whole
    assert '<h1>Shop</h1>' in whole


def test_history_restore_gets_the_full_page(client):
    r = client.get('/', headers={**HX, 'HX-Target': 'results', 'HX-History-Restore-Request': 'true'})
    assert r.text.startswith('<!doctype html>')


def test_app_not_opted_in_is_unchanged():
    "Without `partials`, an htmx request with a target gets the whole fragment, byte for byte as before"
    plain = TestClient(make_app())
    r = plain.get('/', headers={**HX, 'HX-Target': 'results', 'HX-Trigger': 'search'})
    assert r.text.startswith('<title>Shop (2)</title>') and '<h1>Shop</h1>' in r.text and '<form' in r.text
    assert 'HX-Target' not in r.headers['vary']
    assert r.text == plain.get('/', headers=HX).text


def test_htmx4_request_types(client):
    "htmx 4 names the target `tag#id` and says `HX-Request-Type`: `partial` is narrowed, `full` gets the page"
    h4 = {**HX, 'HX-Target': 'ul#results', 'HX-Source': 'form#search', 'HX-Request-Type': 'partial'}
    r = client.get('/', headers=h4)
    assert r.text == ('<title>Shop (2)</title>\n  <li>item 0</li>\n  <li>item 1</li>\n'
                      '<span hx-swap-oob="true" id="count">2</span>')
    r = client.get('/', headers={**h4, 'HX-Target': 'div#cart', 'HX-Source': 'button#refresh'})
    assert r.text.startswith('<title>Shop (2)</title>\n<div id="cart">')
    r = client.get('/', headers={**h4, 'HX-Request-Type': 'full', 'HX-Target': 'body'})
    assert r.text.startswith('<!doctype html>') and '<h1>Shop</h1>' in r.text
    r = client.get('/', headers={**h4, 'HX-Target': 'ul'})  # a target without id: the whole fragment
    assert '<h1>Shop</h1>' in r.text


def test_route_opt_in_and_out():
    "`@partials('auto')` narrows one route of an app that did not opt in; `@partials(None)` keeps one whole"
    app, rt = fast_app()

    @rt('/a')
    @partials('auto')
    def get(): return shop_page()

    @partials('auto')  # above the route decorator works too
    @rt('/b')
    def get(): return shop_page()  # noqa: F811

    @rt('/c')
    def get(): return shop_page()  # noqa: F811

    c = TestClient(app)
    hx = {**HX, 'HX-Target': 'results'}
    for path in ('/a', '/b'): assert '<form' not in c.get(path, headers=hx).text and '<li>' in c.get(path, headers=hx).text
    assert '<form' in c.get('/c', headers=hx).text

    app2, rt2 = fast_app(partials='auto')

    @rt2('/whole')
    @partials(None)
    def get(): return shop_page()  # noqa: F811

    assert '<form' in TestClient(app2).get('/whole', headers=hx).text


def test_handler_retarget_and_reswap_win():
    "A handler's `HX-Retarget`/`HX-Reswap` are what htmx will use, so the part follows them; `HX-Reselect` keeps all"
    app, rt = fast_app(partials='auto')

    @rt('/')
    def get(hdr: str = ''):
        if hdr == 'retarget': return shop_page(), HtmxResponseHeaders(retarget='#cart', reswap='outerHTML')
        if hdr == 'reselect': return shop_page(), HtmxResponseHeaders(reselect='#cart')
        return shop_page()

    c = TestClient(app)
    r = c.get('/?hdr=retarget', headers={**HX, 'HX-Target': 'results', 'HX-Trigger': 'search'})
    assert '<div id="cart">' in r.text and '<li>' not in r.text and r.headers['hx-retarget'] == '#cart'
    r = c.get('/?hdr=reselect', headers={**HX, 'HX-Target': 'results'})
    assert '<form' in r.text


def test_errors_and_non_ft_responses_pass_through(client):
    "Handlers returning strings, JSON or redirects are not touched"
    app, rt = fast_app(partials='auto')

    @rt('/s')
    def get(): return 'plain text'

    @rt('/j')
    def get(): return {'a': 1}  # noqa: F811

    c = TestClient(app)
    hx = {**HX, 'HX-Target': 'results'}
    assert c.get('/s', headers=hx).text == 'plain text'
    assert c.get('/j', headers=hx).json() == {'a': 1}
    assert c.get('/missing', headers=hx).status_code == 404


# ---- the example, through HtmxClient (the browser test drives the same steps in Chromium)

@pytest.fixture
def example():
    spec = importlib.util.spec_from_file_location('partials_app', EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_example_with_htmxclient(example):
    c = HtmxClient(example.app)
    c.get('/')
    assert c.title == 'Tasks (2 open)'
    page_before = c.html('nav') + c.html('#add') + c.html('#stats')
    c.click('#toggle-1')  # a form in the list: the list, the open count (out of band) and the title change
    assert c.text('#open-count') == '1' and c.title == 'Tasks (1 open)'
    assert c.find('#toggle-1').text() == 'Reopen'
    assert c.text('#stats-text') == '3 tasks, 1 done'  # another target: not updated
    assert c.html('nav') + c.html('#add') + c.html('#stats') == page_before
    assert c.requests[-1].headers['HX-Target'] == 'list'
    c.click('#stats a')  # the link without an id: outerHTML, read from the page's only request into #stats
    assert c.text('#stats-text') == '3 tasks, 2 done' and len(c.find_all('#stats')) == 1
    c.submit('#add', name='Write a test')
    assert [li.attributes['id'] for li in c.find_all('#list > li')] == ['task-1', 'task-2', 'task-3', 'task-4']
    c.click('#show-done')
    assert [li.attributes['id'] for li in c.find_all('#list > li')] == ['task-1', 'task-2']
    c.submit('#search', q='ship')
    assert [li.attributes['id'] for li in c.find_all('#list > li')] == ['task-3']
    assert len(c.find_all('h1')) == 1 and len(c.find_all('form#add')) == 1  # nothing nested


def test_example_without_javascript_gets_pages(example):
    "The links and forms carry `href`/`action`: a browser without htmx gets whole pages"
    c = TestClient(example.app)
    r = c.post('/toggle/3')
    assert r.text.startswith('<!doctype html>') and 'Tasks (1 open)' in r.text
    assert c.get('/?show=open').text.count('<li id=') == 1


# ---- property: the one-walk selection agrees with a plain recursive reading of the same rules

IDS = ['t', 'a', 'b']


@st.composite
def trees(draw, depth=0):
    "A random FT node: ids from a small set (so targets repeat), some out-of-band, text and nested children"
    kw = {}
    if draw(st.booleans()): kw['id'] = draw(st.sampled_from(IDS))
    if draw(st.integers(0, 4)) == 0: kw['hx_swap_oob'] = 'true'
    kids = draw(st.lists(st.one_of(st.text('x<&', max_size=2), trees(depth + 1)), max_size=0 if depth > 2 else 3))
    return draw(st.sampled_from([Div, Span, P, Section]))(*kids, **kw)


def reference(items: list, tid: str):
    "The expected (target, inside an OOB?, OOB elements) by plain recursion"
    found, oobs = [], []
    def rec(n, in_target: bool, in_oob: bool):
        if not isinstance(n, FT): return
        is_target = n.attrs.get('id') == tid and not found
        if is_target: found.append((n, in_oob))
        elif 'hx-swap-oob' in n.attrs and not (in_target or in_oob): oobs.append(n); in_oob = True
        for c in n.children: rec(c, in_target or is_target, in_oob)
    for o in items: rec(o, False, False)
    return (found[0] if found else (None, False)), oobs


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trees(), min_size=1, max_size=3), st.booleans())
def test_selection_matches_reference(items, outer):
    hs = [(b'hx-request', b'true'), (b'hx-target', b't')]
    if outer: items = [Button('go', id='go', hx_get='/', hx_target='#t', hx_swap='outerHTML'), *items]
    req = Request({'type': 'http', 'headers': hs + ([(b'hx-trigger', b'go')] if outer else []), 'path': '/',
                   'query_string': b'', 'app': SimpleNamespace(partials='auto')})
    got = select_partial(req, list(items))
    (target, in_oob), oobs = reference(items, 't')
    if target is None: assert got == items; return
    main = [] if in_oob else [target if outer else got[0]]
    assert got == main + oobs
    if not outer and not in_oob: assert list(got[0].children) == list(target.children)


def hx_request(**headers) -> Request:
    hs = [(b'hx-request', b'true')] + [(k.replace('_', '-').lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({'type': 'http', 'headers': hs, 'path': '/p', 'query_string': b'',
                    'app': SimpleNamespace(partials='auto')})


@pytest.mark.parametrize('page, kind', [
    ([Div(Button('go', hx_get='/'), P('a'), id='x', hx_target='this', hx_swap='outerHTML')], 'outer'),  # inherited this
    ([Div(P('a'), id='x', hx_get='/', hx_trigger='every 1s', hx_swap='outerHTML')], 'outer'),  # the target polls itself
    ([Div(P('a'), id='x', hx_get='/', hx_trigger='every 1s')], 'inner'),
    ([Button('go', hx_get='/', hx_target='#x', data_hx_swap='outerHTML'), Div(P('a'), id='x')], 'outer'),  # data-hx-*
    ([Button('go', hx_get='/', hx_target='closest div'), Div(P('a'), id='x', hx_swap='outerHTML')], 'inner'),  # no vote
], ids=['this-inherited', 'self-outer', 'self-inner', 'data-prefix', 'unknown-selector'])
def test_swap_read_from_the_page_without_trigger_id(page, kind):
    got = select_partial(hx_request(HX_Target='x'), page)
    target = next(o for o in page if o.attrs.get('id') == 'x')
    assert got == [target] if kind == 'outer' else (len(got) == 1 and list(got[0].children) == list(target.children))


def test_disagreeing_requests_warn_once(caplog):
    page = [Button('a', hx_get='/', hx_target='#x', hx_swap='outerHTML'), Button('b', hx_get='/', hx_target='#x'),
            Div(P('a'), id='x')]
    with caplog.at_level('WARNING', logger='fasthtml.partials'):
        for _ in range(2): got = select_partial(hx_request(HX_Target='x'), page)
    assert list(got[0].children) == list(page[2].children)  # htmx's default, innerHTML
    msgs = [r.getMessage() for r in caplog.records if r.name == 'fasthtml.partials']
    assert len(msgs) == 1 and '#x' in msgs[0] and 'Give the triggering elements ids' in msgs[0]

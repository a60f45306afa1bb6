"""HtmxClient on the scenarios of examples/htmx_scenarios.py (the same steps the browser differential test drives),
plus its refusals and request details."""
import importlib.util
import json
from pathlib import Path

import pytest

from fasthtml.common import *
from fasthtml.htmxclient import HtmxClient, HtmxUnsupported

SCEN = Path(__file__).resolve().parents[1]/'examples'/'htmx_scenarios.py'


def load_scenarios():
    spec = importlib.util.spec_from_file_location('htmx_scenarios', SCEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_step(c: HtmxClient, step: tuple) -> None:
    "One scenario step through HtmxClient (the browser test does the same with Playwright)"
    kind, sel, *rest = step
    if kind == 'get': c.get(sel)
    elif kind == 'click': c.click(sel)
    elif kind == 'confirm': c.click(sel, confirm=True)
    elif kind == 'submit': c.submit(sel, **rest[0])
    elif kind == 'change': c.change(sel, rest[0])
    elif kind == 'type':
        c.fill(sel, (c.value(sel) or '') + rest[0])
        c.trigger(sel, 'keyup')
    elif kind == 'reveal': c.trigger(sel, 'revealed')
    else: raise ValueError(f'unknown step {kind!r}')


@pytest.fixture(scope='module')
def scen(): return load_scenarios()


def play(scen, name: str) -> HtmxClient:
    c = HtmxClient(scen.app)
    for step in scen.SCENARIOS[name]: run_step(c, step)
    return c


def test_at_least_ten_scenarios(scen):
    assert len(scen.SCENARIOS) >= 10


def test_counter(scen):
    c = play(scen, 'counter')
    assert c.text('#count') == '3'
    assert len(c.find_all('#count')) == 1  # outerHTML replaced, not nested
    assert c.requests[-1].headers == {'HX-Request': 'true', 'HX-Current-URL': 'http://testserver/s/counter',
                                      'HX-Target': 'count', 'HX-Trigger': 'inc',
                                      'HX-Trigger-Name': 'inc'}  # fasthtml names a button by its id


def test_form_errors_then_redirect(scen):
    c = play(scen, 'form_errors')
    assert c.text('#email-error') == 'Enter a valid email address' and c.text('#name-error') == ''
    assert c.value('#email') == 'x' and c.value('#name') == 'Ada'
    assert len(c.find_all('form')) == 1
    c = play(scen, 'redirect')
    assert c.url == 'http://testserver/welcome?name=Ada'
    assert c.text('#welcome') == 'Welcome, Ada!'


def test_oob(scen):
    c = play(scen, 'oob')
    assert [li.text(deep=False).strip() for li in c.find_all('#items li')] == ['tea', 'milk']
    assert c.text('#n-items') == '2'
    assert [p.text() for p in c.find('#status').css('p')] == ['added milk']  # innerHTML out of band: the children
    assert c.text('#last-n') == '#2'  # a nested out-of-band element, gone from the <li>
    assert c.find('#last-n').attributes.get('hx-swap-oob') is None  # swapped in without the attribute


def test_retarget_reswap(scen):
    c = play(scen, 'retarget')
    assert c.text('#result') == 'all good'
    assert [p.text() for p in c.find_all('#errors p.err')] == ['it failed', 'it failed']


def test_delete_rows_with_confirm(scen):
    c = play(scen, 'delete_rows')
    assert [b.id for b in c.find_all('#rows button')] == ['del-4']
    c.get('/s/rows')
    with pytest.raises(AssertionError, match='hx-confirm'): c.click('#del-3')
    c.click('#del-3', confirm=False)
    assert c.exists('#del-3')


def test_infinite_scroll(scen):
    c = play(scen, 'infinite_scroll')
    assert [td.text() for td in c.find_all('#feed td')] == [f'item {i}' for i in range(15)]


def test_toasts_and_server_event(scen):
    c = play(scen, 'toasts')
    assert [t.text() for t in c.find_all('#toasts .toast')] == ['Saved 1', 'Saved 2']
    assert c.text('#saved-at') == 'saved 2 times'  # `saved from:body` reloaded it
    assert [e['name'] for e in c.events] == ['saved', 'saved']


def test_select_title_push(scen):
    c = play(scen, 'select_title')
    assert c.text('#content') == 'second' and not c.exists('#hdr')
    assert c.title == 'Second page'
    assert c.url == 'http://testserver/select/next' and c.history[-1] == c.url


def test_search_include_vals(scen):
    c = play(scen, 'search')
    assert c.requests[-1].url == 'http://testserver/search?q=apb&limit=2&src=box'
    assert [li.text() for li in c.find_all('#results li')] == ['via box']
    c.get('/s/search')
    run_step(c, ('type', '#q', 'ap'))
    assert [li.text() for li in c.find_all('#results li')] == ['apple', 'apricot', 'via box']


def test_swaps_location_load(scen):
    c = play(scen, 'swaps')
    assert c.text('#lazy') == 'loaded'
    body = c.find('#app').html
    assert '<b class="frag">beforebegin</b><div id="box"><b class="frag">located</b></div>' in body
    assert c.requests[-1].headers['HX-Target'] == 'box' and c.requests[-1].url.endswith('m=located')
    assert not c.exists('#inner')


def test_choices_values(scen):
    c = play(scen, 'choices')
    assert json.loads(c.text('#echo')) == [['act', 'a'], ['agree', 'yes'], ['note', 'note'], ['size', 's']]
    c.get('/s/choices')
    c.click('#act-b')
    assert json.loads(c.text('#echo')) == [['act', 'b'], ['note', 'note'], ['size', 'l']]


def test_refuses_what_it_does_not_model():
    app, rt = fast_app()
    @rt('/')
    def get(): return Div(Button('x', id='b', hx_get='/', hx_trigger='click[ctrlKey]'),
                          Button('z', id='d', onclick='go()'))
    @rt('/ext')
    def get(): return Div('x', hx_ext='json-enc')  # noqa: F811
    c = HtmxClient(app)
    c.get('/')
    with pytest.raises(HtmxUnsupported, match='filter'): c.click('#b')
    with pytest.raises(HtmxUnsupported, match='onclick'): c.click('#d')
    with pytest.raises(HtmxUnsupported, match='hx-ext'): c.get('/ext')


def test_script_in_swap_fails_loudly_unless_ignored():
    app, rt = fast_app()
    @rt('/')
    def get(): return Div(Button('x', id='b', hx_get='/frag', hx_target='#t'), Div(id='t'))
    @rt('/frag')
    def get(): return Script('alert(1)')  # noqa: F811
    c = HtmxClient(app)
    c.get('/')
    with pytest.raises(HtmxUnsupported, match='script'): c.click('#b')
    c = HtmxClient(app, scripts='ignore')
    c.get('/')
    c.click('#b')
    assert c.html('#t') == '<div id="t"><script>alert(1)</script></div>'


def test_status_codes_and_refresh_and_verbs():
    app, rt = fast_app()
    hits = []
    @rt('/')
    def get(): return Div(Div('keep', id='t'), Button('e', id='e', hx_get='/err', hx_target='#t'),
                          Button('n', id='n', hx_put='/nc', hx_target='#t', hx_vals={'a': 1, 'b': True}),
                          Button('r', id='r', hx_delete='/ref?x=1', hx_target='#t', name='who', value='me'))
    @rt('/err')
    def get(): return Response('boom', status_code=500)  # noqa: F811
    @rt('/nc')
    async def put(req):
        hits.append(dict(await req.form()))
        return Response(status_code=204)
    @rt('/ref')
    def delete(req):
        hits.append(dict(req.query_params))
        return HtmxResponseHeaders(refresh='true')
    c = HtmxClient(app)
    c.get('/')
    c.click('#e'); assert c.text('#t') == 'keep'  # 5xx: no swap
    c.click('#n'); assert c.text('#t') == 'keep' and hits[-1] == {'n': '', 'a': '1', 'b': 'true'}  # 204: no swap
    c.click('#r'); assert hits[-1] == {'x': '1', 'who': 'me'}  # DELETE sends its values in the query
    assert c.requests[-1].method == 'GET' and c.requests[-1].url == 'http://testserver/'  # HX-Refresh reloads

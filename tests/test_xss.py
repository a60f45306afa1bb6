"""No user string reaches a page unescaped: an XSS corpus through every FT tag, helper, attribute path and the
response pipeline; the parsed output must have exactly the elements and attributes the developer wrote.
Only the explicitly raw helpers (`NotStr`, `Safe`, `Script`, `Style` and the JS helpers built on them) are exempt."""
from __future__ import annotations

import inspect

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from fasthtml import components
from fasthtml import pico
from fasthtml import svg
from fasthtml import xtend
from fasthtml.common import FastHTML, Safe, to_xml

PAYLOADS = [
    '<script>alert(1)</script>',
    '"><script>alert(2)</script>',
    "'><img src=x onerror=alert(3)>",
    '" onmouseover="alert(4)" x="',
    "' onfocus='alert(5)' autofocus '",
    '</title><script>alert(6)</script>',
    '</textarea><script>alert(7)</script>',
    '</style><script>alert(8)</script>',
    '<svg onload=alert(9)>',
    '<iframe srcdoc="<script>alert(10)</script>">',
    '<!--<img src="--><img src=x onerror=alert(11)//">',
    '<a href="javascript:alert(12)">x</a>',
    '&lt;script&gt;alert(13)&lt;/script&gt;',
    '&#60;script&#62;alert(14)&#60;/script&#62;',
    '<scr<script>ipt>alert(15)</script>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(16)>',
    '<details open ontoggle=alert(17)>',
    '<body onload=alert(18)>',
    '`><img src=x onerror=alert(19)>',
    '\x00<script>alert(20)</script>',
    '<ScRiPt>alert(21)</sCrIpT>',
    '<input autofocus onfocus=alert(22)>',
    '{{constructor.constructor("alert(23)")()}}',
    '"\'><![CDATA[<script>alert(24)</script>]]>',
    '<plaintext><script>alert(25)</script>',
    '\u2028\u2029<script>alert(26)</script>',
]
BENIGN = 'harmless text'

# Raw by design: their children are code or markup the developer wrote, never user data.
RAW = {'Script', 'Style', 'ScriptX', 'StyleX', 'NotStr', 'Safe', 'Surreal', 'On', 'Prev', 'Now', 'AnyNow', 'run_js',
       'HtmxOn', 'jsd', 'Html', 'Sitemap_url', 'Socials', 'Favicon', 'YouTubeEmbed', 'LdJson', 'LdContactPoint',
       'LdOrg', 'LdWebsite', 'LdCourseInstance', 'LdCourse', 'Nbsp', 'Fragment', 'Math', 'Xmp', 'Noscript',
       'Template', 'Iframe', 'File'}


def structure(html: str) -> list[tuple[str, tuple[str, ...]]]:
    "Every element with its attribute names, in document order: what a payload must not be able to change"
    soup = BeautifulSoup(html, 'html.parser')
    return [(el.name, tuple(sorted(el.attrs))) for el in soup.find_all(True)]


ATTRS = ['id', 'cls', 'title', 'name', 'value', 'href', 'src', 'alt', 'placeholder', 'hx_get', 'hx_vals',
         'data_user', 'aria_label', 'style', 'content']


def build(factory, s: str):
    return factory(s, s, **{a: s for a in ATTRS})


def tag_factories() -> dict[str, object]:
    out = {}
    for mod in (components, svg):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if name[0].isupper() and callable(obj) and name not in RAW and not inspect.isclass(obj): out[name] = obj
    # SVG shapes that take typed points or numbers (Polyline, Path...) are covered by their attributes instead.
    for name in [n for n, f in out.items() if _fails(f)]: out[name] = _attrs_only(out[name])
    return out


def _fails(factory) -> bool:
    try: build(factory, BENIGN)
    except (TypeError, ValueError): return True
    return False


def _attrs_only(factory):
    def make(s, *_, **kw): return factory(**kw)
    return make




TAGS = tag_factories()


def test_corpus_covers_many_tags():
    assert len(TAGS) > 150, len(TAGS)


@pytest.mark.parametrize('name', sorted(TAGS))
def test_every_tag_escapes_children_and_attributes(name):
    factory = TAGS[name]
    expected = structure(to_xml(build(factory, BENIGN)))
    for p in PAYLOADS:
        html = to_xml(build(factory, p))
        assert structure(html) == expected, (name, p, html)
        assert '<script' not in html.lower(), (name, p, html)


@pytest.mark.parametrize('p', PAYLOADS)
def test_helpers_escape(p):
    "The xtend and pico helpers that take user data: titles, links, forms, inputs, cards"
    cases = [
        (lambda s: xtend.A(s, href=s, hx_get=s, target_id=s), ),
        (lambda s: xtend.AX(s, hx_get=s, target_id=s, hx_swap=s), ),
        (lambda s: xtend.Form(components.Input(value=s, name=s), action=s, id=s), ),
        (lambda s: xtend.Hidden(value=s, id=s), ),
        (lambda s: xtend.CheckboxX(checked=True, label=s, value=s, id=s, name=s), ),
        (lambda s: xtend.Titled(s, components.P(s)), ),
        (lambda s: pico.Card(s, header=s, footer=s), ),
        (lambda s: pico.Group(s, components.Input(value=s)), ),
        (lambda s: pico.Search(s), ),
        (lambda s: pico.Grid(s, s), ),
        (lambda s: pico.DialogX(s, header=s, footer=s, id=s), ),
        (lambda s: pico.Container(s), ),
        (lambda s: components.Textarea(s, name=s), ),
        (lambda s: components.Title(s), ),
        (lambda s: components.Option(s, value=s, selected=True), ),
        (lambda s: components.P(*[s] * 3, **{'hx-on:click': s, 'x-data': s}), ),
        (lambda s: components.Div(components.Ul(components.Li(s)), (s, (s,)), None, False, 3), ),
    ]
    for (make,) in cases:
        expected = structure(to_xml(make(BENIGN)))
        html = to_xml(make(p))
        assert structure(html) == expected, (p, html)


def test_list_and_object_children_are_escaped():
    class Obj:
        def __str__(self): return '<img src=x onerror=alert(1)>'
    html = to_xml(components.Div(['<script>alert(1)</script>'], {'k': '<b>'}, Obj()))
    assert structure(html) == [('div', ())], html


def test_sse_and_fill_form_escape():
    p = PAYLOADS[1]
    msg = components.sse_message(components.P(p))
    assert '<script' not in msg
    form = components.fill_form(xtend.Form(components.Input(name='n'), components.Textarea(name='t')), {'n': p, 't': p})
    html = to_xml(form)
    assert structure(html) == structure(to_xml(components.fill_form(
        xtend.Form(components.Input(name='n'), components.Textarea(name='t')), {'n': BENIGN, 't': BENIGN})))


def test_raw_helpers_are_raw():
    "The documented escape hatches do not escape: a developer choosing them owns the content"
    assert to_xml(components.Div(components.NotStr('<b>x</b>'))) == '<div><b>x</b></div>\n'
    assert to_xml(components.Div(Safe('<b>x</b>'))) == '<div><b>x</b></div>\n'


def make_app() -> FastHTML:
    app = FastHTML(secret_key='k', key_fname='/dev/null')

    @app.get('/page')
    def page(q: str): return components.Title(q), components.Main(components.H1(q), components.P(q, title=q))

    @app.get('/frag')
    def frag(q: str): return components.Div(q, id=q, hx_get=q)

    @app.get('/text')
    def text(q: str): return q

    @app.post('/form')
    def form(q: str): return xtend.Titled(q, components.Input(value=q))
    return app


@pytest.mark.parametrize('p', PAYLOADS)
def test_responses_escape_request_data(p):
    cli = TestClient(make_app())
    for path, hx in (('/page', False), ('/page', True), ('/frag', True), ('/frag', False)):
        headers = {'hx-request': '1'} if hx else {}
        safe = structure(cli.get(path, params={'q': BENIGN}, headers=headers).text)
        got = cli.get(path, params={'q': p}, headers=headers).text
        assert structure(got) == safe, (path, hx, p, got)
    safe = structure(cli.post('/form', data={'q': BENIGN}).text)
    assert structure(cli.post('/form', data={'q': p}).text) == safe


def test_plain_string_responses_are_html_as_written():
    "As in the reference, a returned `str` is HTML the handler wrote (docs/security.md): user data goes in an FT"
    r = TestClient(make_app()).get('/text', params={'q': '<script>alert(1)</script>'})
    assert r.headers['content-type'].startswith('text/html')
    assert r.text == '<script>alert(1)</script>'
    r = TestClient(make_app()).get('/frag', params={'q': '<script>alert(1)</script>'})
    assert '<script>' not in r.text


def test_ld_json_cannot_close_its_script():
    html = to_xml(xtend.LdJson('Product', {'name': '</script><script>alert(1)</script>'}, script=True))
    assert html.lower().count('<script') == 1 and html.lower().count('</script') == 1, html


def corpus_page():
    "Every tag and helper with every payload, for the browser check"
    items = []
    for name in sorted(TAGS):
        if name in ('Head', 'Body', 'Title', 'Base', 'Meta', 'Link'): continue
        for p in PAYLOADS: items.append(build(TAGS[name], p))
    for p in PAYLOADS:
        items += [xtend.A(p, href=p), pico.Card(p, header=p, footer=p), xtend.CheckboxX(label=p, value=p),
                  components.Textarea(p), xtend.Titled(p)]
    return items

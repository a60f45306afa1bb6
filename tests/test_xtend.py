"""xtend helpers render exactly like the reference python-fasthtml (black-box comparison, many calls)."""
import pytest
from _xtend_ref import our_snapshots, ref_snapshots
from refbridge import needs_ref

pytestmark = needs_ref

# Every call of the acceptance app 21_components_xtend.py, then the documented variations of each helper.
CASES = [
    # acceptance app calls
    "X.AX('ax link', '/target', 'tid', 'outerHTML')", "X.A('a default href')", "X.Hidden('hval', id='hid')",
    "X.CheckboxX(True, 'Check me', id='cb')", "X.CheckboxX(False, name='cb2')", "X.Nbsp()",
    "X.Fragment(P('f1'), P('f2'))", "X.clear('cleared')",
    ("Div(X.AX('ax link', '/target', 'tid', 'outerHTML'), X.A('a default href'), X.Hidden('hval', id='hid'),"
     " *X.CheckboxX(True, 'Check me', id='cb'), *X.CheckboxX(False, name='cb2'), X.Nbsp(),"
     " X.Fragment(P('f1'), P('f2')), X.clear('cleared'), id='xtend')"),
    "X.Surreal('me().classAdd(\"x\")')", "X.On('alert(1)')", "X.On('go()', 'mouseover', sel='.b')", "X.Prev('p()')",
    "X.Now('n()')", "X.AnyNow('.c', 'a()')", "X.run_js('console.log({a})', a=1)", "X.HtmxOn('afterSwap', 'done()')",
    "X.Socials('Site title', 'Site', 'A description', 'https://example.com/img.png', url='https://example.com')",
    "X.Favicon('/light.ico', '/dark.ico')", "X.LdJson('Organization', {'name': 'Acme', 'url': 'https://acme.test'})",
    "X.YouTubeEmbed('dQw4w9WgXcQ', start_time=5)",
    "X.Titled('Markdown', Div('# Hello *world*', cls='marked'), Pre(Code('print(1)', cls='language-python')))",
    # acceptance app 01_ft_render.py (the calls that reach xtend)
    "X.Script('if (a < b && c > d) { console.log(\"ok\"); }')", "X.Style('p > span { color: \"red\"; }')",
    "Div(X.Fragment(P('frag1'), P('frag2')), id='custom')",
    # A / AX / Form / Hidden / CheckboxX
    "X.A('hi', hx_get='/x', target_id='t', hx_swap='outerHTML', href='/h', cls='c')",
    "X.A('x', data_x=1, hx_get='/g', href='/h', hx_swap='s', target_id='t', id='i')", "X.A()", "X.A('a', 'b', P('c'))",
    "X.AX('t')", "X.AX('x', '/g', 't', 's', '/h', data_x=1, id='i')", "X.AX('x', hx_vals={'a': 1})",
    "X.Form(Input(name='a'), id='f')", "X.Form(enctype='x', target_id='t')", "X.Form()",
    "X.Form(Input(name='a'), hx_post='/p', cls='k')",
    "X.Hidden()", "X.Hidden(1, name='n')", "X.Hidden(0)", "X.Hidden('v', 'i', hx_get='/x')",
    "X.CheckboxX(label='L')", "X.CheckboxX(checked=True, label='L', value='v', id='i', name='n', cls='k', hx_post='/p')",
    "X.CheckboxX()", "X.CheckboxX(True)", "X.CheckboxX(1, id='a', name='b')",
    # Script / Style
    "X.Script('a<b && \"x\"')", "X.Script(src='/a.js')", "X.Script('x', type='module', id='s')", "X.Script()",
    "X.Script('x', cls='c', title='t', style='s', data_a=1)",
    "X.Style('p > span {color:\"red\"}', 'b{}')", "X.Style()", "X.Style('a', id='i', media='print')",
    # surreal helpers
    "X.On('go()', 'mouseover', sel='.b', me=False)", "X.On('go()', sel='-')", "X.On('X', sel=\"a'b\")",
    "X.Prev('p()', 'keyup')", "X.Now('n()', '.x')", "X.Now('X', sel=\"a'b\")", "X.AnyNow('#i', 'X')",
    "X.Surreal('')",
    # run_js
    "X.run_js('z()', id='myid')", "X.run_js('z({a})', a=True)", "X.run_js('x({b}, {c})', id='i', b='s\"q', c=[1, {'k': None}])",
    "X.run_js('{{a}} {b}', id='i', b=1.5)",
    # HtmxOn
    *[f"X.HtmxOn({ev!r}, 'C')" for ev in ['afterSwap', 'after-swap', 'after_swap', 'xhr:progress', 'htmx:afterSwap',
                                          'AfterSwap', 'load', 'beforeRequest', 'oobAfterSwap', 'sseOpen', 'XMLHttp',
                                          'noSSESourceError', 'validation:validate', 'before:history:update',
                                          'historyCacheMissError', 'a1b', 'x2Y', 'ABC', 'abcDEF', 'aBCd',
                                          'ABCdef', 'XmlHttp', 'a1B', 'X2y', 'A', 'a', 'after-Swap', 'After-swap',
                                          'after--swap', 'after_Swap', 'AFTER-SWAP', 'a:b-c_d', 'a:bC', 'a b', 'a.b',
                                          '', '-a', 'a-', 'HTMLElement', 'myHTML', 'myHTMLPage', 'a11B', 'A1',
                                          'ab1Cd', 'aB-cD']],
    # jsd
    "X.jsd('org', 'repo', 'dist', 'x.js')", "X.jsd('org', 'repo', 'dist', 'x.css')",
    "X.jsd('org', 'repo', 'dist', 'x.js', ver='1.2', prov='npm')", "X.jsd('org', 'repo', 'dist', 'x.js', typ='url')",
    "X.jsd('org', 'repo', 'dist', 'x.js', typ='css')", "X.jsd('org', 'repo', 'dist', 'x.js', esm=True)",
    "X.jsd('org', 'repo', '', 'x.js', esm=True, ver='2')", "X.jsd('o','r','d','x.js', defer=True, type='module')",
    "X.jsd('o','r','d','x.css', typ='css', media='print')", "X.jsd('o','r','d','x.css', typ='weird')",
    # Titled / Fragment
    "X.Titled()", "X.Titled('T', P('x'), cls='c', id='i', hx_get='/x')", "X.Titled('T', cls=None)",
    "X.Fragment()", "X.Fragment('a', P('b'))", "Div(X.Fragment(P('a'), 'x'))", "(X.Fragment(P('a')), P('b'))",
    # Socials / Favicon / YouTube / clear / sid
    "X.Socials('T', 'S', 'D', 'I', w=1, h=2, twitter_site='@ts', creator='@cr', card='summary_large_image')",
    "X.Socials('T', 'S', 'D', '/img.jpg', url='https://u.com')", "X.Socials('T', 'S', 'D', 'http://x/img.jpg')",
    "X.Socials('T', 'S', 'D', 'img.png', url='https://u.com/')", "X.Socials('T', 'S', 'D', 'img', url='u.com')",
    "X.YouTubeEmbed('abc', width=1, height=2, no_controls=True, title='T', cls='c', id='x', data_a=1)",
    "X.YouTubeEmbed('abc')", "X.YouTubeEmbed('abc', start_time=3, no_controls=True)", "X.YouTubeEmbed('a', start_time=-1)",
    "X.clear('x')", "X.sid_scr", "X.Nbsp()", "Div('a', X.Nbsp(), 'b')",
    "X.upload_pb_attrs()", "X.upload_pb_attrs('x')",
    # JSON-LD
    "X.LdContactPoint('customer service', email='a@b', phone='1')", "X.LdContactPoint('cs')",
    "X.LdContactPoint('cs', script=True)", "X.LdContactPoint('cs', extra1='e', area_served='US')",
    "X.LdContactPoint('c', email='', phone='')",
    "X.LdOrg('Acme')", "X.LdOrg('Acme', script=True)",
    "X.LdOrg('Acme', url='u', logo='l', alt_name='a', same_as=['s'], contact_points=[X.LdContactPoint('cs')], foo='bar')",
    "X.LdOrg('A', url='', logo='', alt_name='', same_as=[], contact_points=[])",
    "X.LdWebsite('W', 'u')", "X.LdWebsite('W', 'u', potential_action={'a': 1})", "X.LdWebsite('W', 'u', script=True)",
    "X.LdCourseInstance()", "X.LdCourseInstance('Blended', '2020', '2021', {'a': 1}, {'b': 2}, x=1)",
    "X.LdCourseInstance(script=True)", "X.LdCourseInstance(course_mode='', start_date='')",
    "X.LdCourse('C', 'D', X.LdOrg('P'))", "X.LdCourse('C', 'D', {'p': 1}, course_instance=X.LdCourseInstance(), y=2)",
    "X.LdCourse('C', 'D', {}, script=True)", "X.LdCourse('C', 'D', {}, course_instance={})",
    "X.LdJson('Thing', {'a': '\"\\'', 'u': 'é'}, script=True)", "X.LdJson('T', {}, script=True)",
    "X.LdJson('T', {'a': 1}, extra={'e': 2})", "X.LdJson('T', {'a': 1}, id='x')",
    "X.LdJson('T', {'a': 1, '@type': 'Z', '@context': 'c'})", "X.LdJson('T', {'a': 1}, script=True, id='x', extra={'e': 2})",
    "X.LdJson('T', {'a': 1}, extra={'a': 2, '@type': 'Q'})",
    # sitemap entries
    "X.sitemap_url('/a', 'https://base.com')", "X.sitemap_url('/a')",
    "X.sitemap_url({'loc': '/b', 'lastmod': '2024', 'changefreq': 'daily', 'priority': 0.5}, 'https://base.com')",
    "X.sitemap_url({'loc': '/c', 'x': 1}, 'https://b')",
    # brace helpers
    *[f"X.double_braces({s!r})" for s in ['{a}', '{ a }', '{\na}', 'a{\n', '}\n', '{{a}}', 'x = {', '{;', ';}', '{}',
                                           '{:', ':}', '{"', "'}", '}', '{', '}}', '{{', 'a{{ ', ' }}a', 'x\n}}',
                                           '{\u3000', '\xa0}', 'function f() {\n  return {a: 1};\n}']],
    *[f"X.undouble_braces({s!r})" for s in ['{{a}}', '{{ }}', '{{\n', '\n}}', '{{;', '{{{', '}}}', 'a{{', '}}a',
                                             '\n{{a', 'x\n}}', '{{\u3000', '\xa0}}']],
    "X.loose_format('{x} {{y}} { z }\\n{ {x}', x=1)", "X.loose_format('{x}', x=1, y=2)",
    "X.loose_format('{x} {q}', x=1)", "X.loose_format('a {{ b }} {c}', c='C')",
    "X.loose_format('function f() {\\n  return {x};\\n}', x=[1])",
    # css vars
    "X.replace_css_vars(':root { color: var(--tpl-main); bg: var(--tpl-bg-x); o: var(--other-main); q: var(--tpl-missing) }', main='red', bg_x='blue')",
    "X.replace_css_vars('o: var(--other-main); m: var(--tpl-main)', pre='other', main='red')",
    "X.replace_css_vars('a: var(--tpl-main-x); b: var(--tpl-main); c: var( --tpl-main )', main='R', main_x='MX')",
    "X.replace_css_vars('a: var(--tpl-main)')", "X.replace_css_vars('var(--tpl-a_b) var(--tpl-a-b) var(--tpl-A)', a_b='1', A='2')",
    "X.replace_css_vars('var(--tpl-a) var(--a)', pre='', a='Z')", "X.replace_css_vars('var(--tpl-a, red) var(--tpl-a)', a='Z')",
]

FILE_CASES = [
    "X.ScriptX('s.js')",
    ("X.ScriptX('s.js', src='/x', nomodule=True, type='module', _async=True, defer=True, charset='utf8',"
     " crossorigin='anonymous', integrity='sha')"),
    "X.StyleX('s.css', main='red', bg_x='blue')",
    "X.StyleX('s.css', main='red', type='text/css', media='print', id='i', cls='c', nonce='n', title='t')",
    "X.StyleX('s.css', crossorigin='c', integrity='i', scoped=True, title='t', nonce='n', media='m', type='t')",
    "X.StyleX('s.css')",
]


@pytest.fixture(scope='module')
def snaps():
    return ref_snapshots(CASES), our_snapshots(CASES)


@pytest.mark.parametrize('i', range(len(CASES)), ids=[c[:60] for c in CASES])
def test_same_as_reference(snaps, i):
    ref, ours = snaps
    assert ours[i] == ref[i], CASES[i]


@pytest.fixture(scope='module')
def file_snaps(tmp_path_factory):
    d = tmp_path_factory.mktemp('files')
    (d / 's.js').write_text('console.log("{a}");\nfunction f() { return 1; }\n')
    (d / 's.css').write_text(':root { color: var(--tpl-main); bg: var(--tpl-bg-x); o: var(--other-main) }\n'
                             'p{margin:var(--tpl-main)}')
    return ref_snapshots(FILE_CASES, cwd=str(d)), our_snapshots(FILE_CASES, cwd=str(d))


@pytest.mark.parametrize('i', range(len(FILE_CASES)), ids=[c[:60] for c in FILE_CASES])
def test_files_same_as_reference(file_snaps, i):
    ref, ours = file_snaps
    assert ours[i] == ref[i], FILE_CASES[i]


def test_scriptx_passes_extra_attributes(tmp_path):
    "Deliberate difference: the reference drops `ScriptX`'s extra keywords; we render them like any attribute"
    from fasthtml.render import to_xml
    from fasthtml.xtend import ScriptX
    (tmp_path / 'a.js').write_text('go();')
    assert to_xml(ScriptX(tmp_path / 'a.js', defer=True, id='s', data_a=1)) == \
        '<script defer data-a="1" id="s">go();</script>'


def _random_texts(alphabet: str, n: int, seed: int) -> list:
    import random
    rnd = random.Random(seed)
    return [''.join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))) for _ in range(n)]


def test_brace_helpers_on_random_text():
    "double/undouble_braces and loose_format agree with the reference on 400 random brace-heavy strings"
    texts = _random_texts('{}{}; :"\'\nax', 400, 1)
    exprs = [f"(X.double_braces({t!r}), X.undouble_braces({t!r}), X.loose_format({t!r}, x=1))" for t in texts]
    assert our_snapshots(exprs) == ref_snapshots(exprs)


def test_htmx_event_names_on_random_names():
    "HtmxOn spells 400 random event names like the reference"
    # htmx event names are letters and separators (the reference title-cases some names mixing digits in)
    names = _random_texts('aBcXYz-_: ', 400, 2)
    exprs = [f"X.HtmxOn({n!r}, 'f()')" for n in names]
    assert our_snapshots(exprs) == ref_snapshots(exprs)


def test_ld_json_escapes_markup_in_its_script():
    "Deliberate difference (docs/differences.md): `<`, `>`, `&` in the data become JSON escapes inside the script"
    import json
    from fasthtml import xtend
    from fasthtml.render import to_xml
    html = to_xml(xtend.LdJson('Thing', {'a': '<b>&</b>'}, script=True))
    assert '<b>' not in html and '\\u003cb\\u003e\\u0026' in html
    body = html.split('>', 1)[1].rsplit('</script>', 1)[0]
    assert json.loads(body)['a'] == '<b>&</b>'

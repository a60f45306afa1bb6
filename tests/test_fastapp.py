"""fast_app: every argument wired through, compared with the released python-fasthtml where it is observable.

The differential tests build the same apps under our build and the reference (one subprocess each, all configurations
in one go) and compare the responses after the acceptance harness' canonicalisation.
"""
import json
import textwrap

import pytest
from fasthtml.common import *
from refbridge import ACC, OUR_PYTHON, REF_PYTHON, has_ref, load_compare, run_json
from starlette.testclient import TestClient

from fasthtml.live_reload import FastHTMLWithLiveReload


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def page(app, path='/', **kw):
    return TestClient(app).get(path, **kw)


def test_returns_app_and_route_decorator(in_tmp):
    app, rt = fast_app()
    assert isinstance(app, FastHTML) and rt == app.route
    assert (in_tmp / '.sesskey').exists(), 'the generated session key is kept in key_fname'


def test_secret_key_and_key_fname(in_tmp):
    app, _ = fast_app(secret_key='s3cret')
    assert app.secret_key == 's3cret' and not (in_tmp / '.sesskey').exists()
    app, _ = fast_app(key_fname='my.key')
    assert (in_tmp / 'my.key').read_text().strip() == app.secret_key


def test_pico_follows_default_hdrs(in_tmp):
    for kw, has_pico, has_htmx in [({}, True, True), ({'pico': False}, False, True),
                                   ({'default_hdrs': False}, False, False),
                                   ({'default_hdrs': False, 'pico': True}, True, False)]:
        app, rt = fast_app(**kw)
        rt('/')(lambda: P('x'))
        text = page(app).text
        assert ('pico.min.css' in text) == has_pico, kw
        assert ('htmx.org' in text) == has_htmx, kw


def test_hdrs_after_pico_and_single_component(in_tmp):
    app, rt = fast_app(hdrs=Style('p {color: red}'), ftrs=(P('footer'),))
    rt('/')(lambda: P('body'))
    text = page(app).text
    assert text.index('pico.min.css') < text.index('p {color: red}')
    assert text.index('<p>body</p>') < text.index('<p>footer</p>')


def test_title_htmlkw_bodykw_body_wrap(in_tmp):
    app, rt = fast_app(title='My app', htmlkw={'lang': 'fr'}, bodykw={'cls': 'dark'},
                       body_wrap=lambda body, req: Main(body, id='wrapped'))
    rt('/')(lambda: P('x'))
    text = page(app).text
    assert '<title>My app</title>' in text and '<html lang="fr">' in text and 'class="dark"' in text
    assert 'id="wrapped"' in text


def test_static_files_from_static_path(in_tmp):
    (in_tmp / 'public').mkdir()
    (in_tmp / 'public' / 'site.css').write_text('body {margin: 0}')
    app, _ = fast_app(static_path='public')
    r = page(app, '/site.css')
    assert r.status_code == 200 and r.text == 'body {margin: 0}'
    assert page(app, '/missing.css').status_code == 404


def test_sessions_options(in_tmp):
    app, rt = fast_app(session_cookie='sid', max_age=60, same_site='strict', sess_https_only=True, sess_path='/')

    @rt('/')
    def get(session):
        session['a'] = 1
        return P('x')
    cookie = page(app).headers['set-cookie']
    assert cookie.startswith('sid=') and 'Max-Age=60' in cookie and 'samesite=strict' in cookie.lower()
    assert 'secure' in cookie.lower()


def test_before_middleware_exception_handlers(in_tmp):
    seen = []
    mw_seen = []

    class Tag:
        def __init__(self, app): self.app = app
        async def __call__(self, scope, receive, send):
            mw_seen.append(scope['type'])
            await self.app(scope, receive, send)

    app, rt = fast_app(before=Beforeware(lambda req: seen.append(req.url.path), skip=['/skip']),
                       middleware=[Middleware(Tag)],
                       exception_handlers={404: lambda req, exc: Response('nothing here', status_code=404)})
    rt('/')(lambda: P('x'))
    rt('/skip')(lambda: P('y'))
    page(app)
    page(app, '/skip')
    assert seen == ['/'] and 'http' in mw_seen
    assert page(app, '/nope').text == 'nothing here'


def test_routes_and_lifespan_hooks(in_tmp):
    sub, srt = fast_app()
    srt('/')(lambda: P('books'))
    events = []
    app, _ = fast_app(routes=[Mount('/books', sub)], on_startup=[lambda: events.append('up')],
                       on_shutdown=[lambda: events.append('down')])
    with TestClient(app) as c:
        assert '<p>books</p>' in c.get('/books/', headers={'HX-Request': '1'}).text
    assert events == ['up', 'down']


def test_exts_and_live(in_tmp):
    app, rt = fast_app(exts='ws', live=True, reload_attempts=3, reload_interval=250)
    rt('/')(lambda: P('x'))
    assert isinstance(app, FastHTMLWithLiveReload)
    text = page(app).text
    assert 'htmx-ext-ws' in text or 'ws.js' in text
    assert 'attempts++ >= 3' in text and 'setTimeout(connect, 250)' in text
    assert any(getattr(r, 'path', None) == '/live-reload' for r in app.routes)


def test_canonical_off(in_tmp):
    app, rt = fast_app(canonical=False)
    rt('/')(lambda: P('x'))
    assert 'rel="canonical"' not in page(app).text


def test_db_single_table_with_render(in_tmp):
    app, rt, rooms, Room = fast_app('data/rooms.db', render=lambda r: Li(r.name), id=int, name=str, pk='id')
    assert (in_tmp / 'data' / 'rooms.db').exists()
    rooms.insert(name='lobby')

    @rt('/')
    def get(): return Ul(*rooms())
    assert '<li>lobby</li>' in page(app, headers={'HX-Request': '1'}).text
    assert rooms.name == 'items' and Room.__name__ == 'Items'


def test_db_several_tables_and_migration(in_tmp):
    _app, _rt, (_users, _User), (posts, _Post) = fast_app('app.db', users={'name': str, 'pk': 'name'},
                                                          posts={'id': int, 'title': str, 'pk': 'id'})
    posts.insert(title='hello')
    # Reopening with a new column migrates the table and keeps the rows.
    _app, _rt, posts2, _Post2 = fast_app('app.db', tbls={'posts': {'id': int, 'title': str, 'draft': bool, 'pk': 'id'}})
    assert [p.title for p in posts2()] == ['hello'] and 'draft' in posts2.c


def test_db_bad_specs_name_the_problem(in_tmp):
    with pytest.raises(ValueError, match=r"mixed table specs \['todos', 'pk'\]"):
        fast_app('x.db', todos={'id': int}, pk='id')
    with pytest.raises(TypeError, match="spec of table 'todos' is True"):
        fast_app('x.db', tbls={'todos': True})


def test_table_kwargs_ignored_without_db_file(in_tmp):
    assert len(fast_app(todos={'id': int, 'pk': 'id'})) == 2


# ---- differential: the same apps under the reference

CONFIGS = {
    'default': {},
    'no-pico': {'pico': False},
    'no-default-hdrs': {'default_hdrs': False},
    'pico-only': {'default_hdrs': False, 'pico': True},
    'hdrs-ftrs': {'hdrs': "(Style('p {color: red}'), Script('let x = 1'))", 'ftrs': "(P('footer'),)"},
    'title-html-body': {'title': "'My app'", 'htmlkw': "{'lang': 'fr'}", 'bodykw': "{'cls': 'dark'}"},
    'no-surreal-htmx': {'surreal': False, 'htmx': False},
    'exts-ws': {'exts': "'ws'"},
    'canonical-off': {'canonical': False},
    'body-wrap': {'body_wrap': "lambda b, req: Div(b, id='wrap')"},
    'htmx4': {'htmx4': True},
    'htmx4-exts': {'htmx4': True, 'exts': "['ws', 'ws4', 'sse4', 'live', 'multipart']"},
    'htmx4-no-surreal': {'htmx4': True, 'surreal': False, 'pico': False},
    'nb-hdrs': {'nb_hdrs': True},
    'exts-list': {'exts': "['ws', 'head-support']"},
    'exts-repeated': {'exts': "['ws', 'morph', 'ws']"},
    'pico-hdrs-list': {'pico': True, 'hdrs': "[Link(rel='stylesheet', href='/site.css')]"},
}

SCRIPT = textwrap.dedent('''
    import json, os, sys, tempfile
    os.chdir(tempfile.mkdtemp())
    os.makedirs('public'); open('public/site.css', 'w').write('body {margin: 0}')
    from fasthtml.common import *
    from starlette.testclient import TestClient
    configs = json.loads(sys.argv[1])
    out = {}
    for name, kw in configs.items():
        kw = {k: (eval(v) if isinstance(v, str) else v) for k, v in kw.items()}
        app, rt = fast_app(secret_key='diff', static_path='public', **kw)
        @rt('/')
        def get(): return Titled('Page', P('body'))
        @rt('/frag')
        def get(): return P('fragment'), Div('two')
        c = TestClient(app)
        res = {}
        for label, path, hdrs in [('page', '/', {}), ('frag', '/frag', {'HX-Request': '1'}),
                                  ('static', '/site.css', {}), ('missing', '/nope.css', {})]:
            r = c.get(path, headers=hdrs)
            res[label] = [r.status_code, r.headers.get('content-type'), r.text]
        out[name] = res
    print(json.dumps(out))
''')


def _run(python, tmp_path):
    script = tmp_path / 'fastapp_diff.py'
    script.write_text(SCRIPT)
    return run_json(python=python, script=script, args=[json.dumps(CONFIGS)], cwd=tmp_path)


@pytest.fixture(scope='module')
def both(tmp_path_factory):
    if not (has_ref() and (ACC / 'compare.py').exists()):
        pytest.skip(f'no reference interpreter at {REF_PYTHON} or no harness at {ACC}')
    tmp = tmp_path_factory.mktemp('fastapp-diff')
    return _run(REF_PYTHON, tmp), _run(OUR_PYTHON, tmp), load_compare()


@pytest.mark.parametrize('config', CONFIGS)
def test_fast_app_matches_reference(config, both):
    ref, ours, cmp = both
    for label in ref[config]:
        (rs, rct, rtext), (os_, oct_, otext) = ref[config][label], ours[config][label]
        assert (rs, rct) == (os_, oct_), f'{config} {label}: status/content-type {(rs, rct)} vs ours {(os_, oct_)}'
        if 'html' in (rct or ''):
            assert cmp.canon_html(rtext) == cmp.canon_html(otext), f'{config} {label}:\nref:  {rtext}\nours: {otext}'
        else:
            assert rtext == otext, f'{config} {label}'

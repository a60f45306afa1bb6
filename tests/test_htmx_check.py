"""fh_htmx_check on htmx 2 sample apps (tests/htmx_check_apps): every migration found at its file:line (a route where
no line is known), nothing on a clean htmx 4 app, exit 2 on a file that does not import; the development-mode
warnings of htmx 4 apps; and a comparison with htmx's own checker (dist/scripts/upgrade-check.py), run beside ours."""
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from fasthtml.check import AppImportError, fetch_pages, load_app
from fasthtml.common import Div, FastHTML, NotStr, P, Titled
from fasthtml.htmx_check import HtmxV2Warnings, fh_htmx_check, install_dev_warnings, main
from fasthtml.live_reload import FastHTMLWithLiveReload

ROOT = Path(__file__).resolve().parents[1]
APPS = ROOT/'tests'/'htmx_check_apps'
# htmx's checker ships in the htmx.org 4 package of the asset cache (the newest 4.x there)
HTMX_CHECKER = max(Path.home().glob('.cache/fasthtml-assets/htmx.org@4.*/dist/scripts/upgrade-check.py'),
                   default=Path('upgrade-check.py not cached'), key=lambda p: [int(x) for x in re.findall(r'\d+', p.parts[-4])])
DROP_EXT = 'dropped (loading the extension is enough: exts= on the app)'
INH = ' (requests inside rely on it)'


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the apps' session key files land here


def found(name):
    return [(Path(m.file).name, m.line or m.route, m.old, m.new) for m in fh_htmx_check(APPS/name)]


def test_ws_sse_and_hx_ext():
    sse_swap = 'dropped (htmx 4 swaps unnamed messages into the hx-sse-connect element; named ones are DOM events)'
    assert found('v2_realtime.py') == [
        ('v2_realtime.py', 8, 'hx-ext="ws"', DROP_EXT), ('v2_realtime.py', 8, 'ws-connect', 'hx-ws-connect'),
        ('v2_realtime.py', 8, 'ws-send', 'hx-ws-send'),
        ('v2_realtime.py', 9, 'hx-ext="sse"', DROP_EXT), ('v2_realtime.py', 9, 'sse-connect', 'hx-sse-connect'),
        ('v2_realtime.py', 9, 'sse-swap', sse_swap), ('v2_realtime.py', 9, 'sse-close', 'hx-sse-close'),
        ('v2_realtime.py', 19, 'ws-connect', 'hx-ws-connect'),  # a route with a path parameter: from the source
        ('v2_realtime.py', '/raw', 'hx-on::after-swap', 'hx-on--after-swap')]  # raw HTML: no FT call, the route


def test_event_names():
    assert found('v2_events.py') == [
        ('v2_events.py', 4, 'htmx:afterSwap', 'htmx-after-swap'),  # in a script of the app's headers
        ('v2_events.py', 8, 'hx-on--before-send', 'hx-on--before-request'),
        ('v2_events.py', 8, 'hx-on--load', 'hx-on--after-init'),
        ('v2_events.py', 9, 'hx-on:htmx:configrequest', 'hx-on-htmx-config-request'),
        ('v2_events.py', 10, 'htmx:afterSettle', 'htmx-after-settle')]  # in hx-trigger
    # hx_on__after_swap (line 11) renders hx-on--after-swap: htmx 4's spelling under FastHTML's metaCharacter '-'


def test_inheritance():
    assert found('v2_inherit.py') == [
        ('v2_inherit.py', 8, 'hx-target', 'hx-target-inherited' + INH),
        ('v2_inherit.py', 8, 'hx-swap', 'hx-swap-inherited' + INH),
        ('v2_inherit.py', 9, 'hx-boost', 'hx-boost-inherited' + INH),
        ('v2_inherit.py', 10, 'hx-target', 'hx-target-inherited' + INH),  # a form's, inherited by its own button
        ('v2_inherit.py', 19, 'hx-confirm', 'hx-confirm-inherited' + INH),  # a path-parameter route: the source
        ('v2_inherit.py', '/', 'hx-boost', 'hx-boost-inherited' + INH)]  # on <body>, built by FastHTML: the route


def test_server_headers():
    src = 'HX-Source (now tag#id, e.g. button#save)'
    assert found('v2_headers.py') == [
        ('v2_headers.py', 11, 'HX-Trigger', src), ('v2_headers.py', 11, 'htmx.trigger_name', 'htmx.source (tag#id)'),
        ('v2_headers.py', 12, 'HX-Trigger', src),  # `'hx-trigger' in req.headers` and `req.headers['HX-Trigger']`
        ('v2_headers.py', 13, 'HX-Trigger-After-Swap', 'HX-Trigger'),
        ('v2_headers.py', 13, 'htmx.trigger', 'htmx.source (now tag#id)')]


def test_renamed_and_removed_attributes_config_and_api():
    assert [(ln, old, new) for _, ln, old, new in found('v2_attrs.py')] == [
        (4, 'config defaultSwapStyle', 'defaultSwap'), (8, 'hx-disable', 'hx-ignore'),
        (8, 'hx-disabled-elt', 'hx-disable'), (9, 'hx-vars', 'hx-vals (with a js: value)'),
        (9, 'hx-params', 'dropped (filter parameters in an htmx-config-request listener)'),
        (10, 'hx-prompt', 'hx-prompt (load the hx-prompt extension)'), (10, 'hx-request', 'hx-config'),
        (11, 'hx-disinherit', 'dropped (inheritance is explicit in htmx 4)'),
        (11, 'hx-history', 'dropped (htmx 4 keeps no history cache)'), (12, 'htmx.addClass()', 'elt.classList.add()')]


def test_outer_html_with_only_oob_answers():
    "htmx 4 skips an empty main swap: an outerHTML element whose handler answers only OOB elements stays"
    new = 'hx-swap="delete" (htmx 4 skips an empty main swap, so the element stays; or add swapEmpty:true)'
    assert found('v2_empty_swap.py') == [
        ('v2_empty_swap.py', 9, 'hx-swap="outerHTML" with POST /remove/1 answering only hx-swap-oob elements', new),
        ('v2_empty_swap.py', 10, 'hx-swap="outerHTML swap:0.1s" with GET /tick answering only hx-swap-oob elements', new)]
    # not flagged: /mixed answers a main element too, the last button swaps innerHTML


def test_clean_v4_app_and_examples():
    assert fh_htmx_check(APPS/'clean_v4.py') == []
    assert fh_htmx_check(ROOT/'examples'/'counter.py', ROOT/'examples'/'todos.py') == []


@pytest.mark.parametrize('example, olds', [('chat_ws', {'hx-ext="ws"', 'ws-connect', 'ws-send'}),
                                             ('sse_clock', {'hx-ext="sse"', 'sse-connect', 'sse-swap'})])
def test_examples_on_both_htmx(example, olds, monkeypatch):
    "The realtime examples run on htmx 2 or 4 (FH_HTMX=4): the htmx 2 variant has findings, the htmx 4 one none"
    assert {m.old for m in fh_htmx_check(ROOT/'examples'/f'{example}.py')} == olds
    monkeypatch.setenv('FH_HTMX', '4')
    assert fh_htmx_check(ROOT/'examples'/f'{example}.py') == []


def test_exit_codes_and_output(capsys):
    assert main([str(APPS/'clean_v4.py')]) == 0
    assert 'nothing to change' in capsys.readouterr().err
    assert main([str(APPS/'v2_inherit.py')]) == 1
    out = capsys.readouterr().out
    assert f'{APPS/"v2_inherit.py"}:8: hx-target -> hx-target-inherited{INH}\n' in out
    assert main([str(APPS/'broken_import.py'), str(APPS/'v2_realtime.py')]) == 2  # the others are still checked
    cap = capsys.readouterr()
    assert "did not import: ModuleNotFoundError: No module named 'nowhere_such_module'" in cap.err
    assert 'v2_realtime.py:/raw: hx-on::after-swap -> hx-on--after-swap' in cap.out
    with pytest.raises(AppImportError, match='broken_import.py did not import'): fh_htmx_check(APPS/'broken_import.py')
    assert main([str(APPS/'nope.py')]) == 2


def test_command_line(tmp_path):
    r = subprocess.run([sys.executable, '-m', 'fasthtml.htmx_check', 'tests/htmx_check_apps/v2_realtime.py'],
                       capture_output=True, text=True, cwd=ROOT, check=False)
    assert r.returncode == 1 and r.stdout.startswith('tests/htmx_check_apps/v2_realtime.py:8: hx-ext="ws" -> dropped')


def test_installed_script():
    "pyproject's [project.scripts] entry, as installed next to the interpreter"
    exe = shutil.which('fh_htmx_check', path=str(Path(sys.executable).parent))
    assert exe, 'fh_htmx_check is not installed: pip install -e . (pyproject [project.scripts])'
    r = subprocess.run([exe, str(APPS/'clean_v4.py')], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr


# ---- development-mode warnings of htmx 4 apps

class Grab(logging.Handler):
    def __init__(self):
        super().__init__()
        self.msgs = []

    def emit(self, record): self.msgs.append(record.getMessage())


@pytest.fixture
def warnings():
    grab, logger = Grab(), logging.getLogger('fasthtml.htmx')
    logger.addHandler(grab)
    yield grab.msgs
    logger.removeHandler(grab)


def v2_app(cls=FastHTML, install=True, **kw):
    app = cls(htmx4=True, **kw)
    if install: install_dev_warnings(app)  # idempotent: also right once FastHTML.__init__ installs it
    @app.get('/')
    def home(): return Titled('v2', Div(Div(ws_connect='/a'), Div(ws_connect='/b'), Div(hx_on__before_send='f()')))
    @app.get('/part')
    def part(): return Div(P('x'), sse_swap='m')
    @app.get('/raw')
    def raw(): return NotStr('<p ws-connect="/c">' + 'x' * 3_000_000 + '</p>')
    return app


def test_dev_warnings_once_per_name(warnings):
    cli = TestClient(v2_app(debug=True))
    page = cli.get('/')
    assert page.status_code == 200 and 'ws-connect="/a"' in page.text  # the response itself is untouched
    cli.get('/')
    cli.get('/part', headers={'HX-Request': 'true'})  # fragments too
    assert warnings == ['htmx 4 app renders ws-connect (htmx 2) on /: use hx-ws-connect',
                        'htmx 4 app renders hx-on--before-send (htmx 2) on /: use hx-on--before-request',
                        ('htmx 4 app renders sse-swap (htmx 2) on /part: dropped (htmx 4 swaps unnamed messages '
                         'into the hx-sse-connect element; named ones are DOM events)')]


def test_dev_warnings_skip_big_bodies(warnings):
    app = v2_app(debug=True)
    assert len(TestClient(app).get('/raw').text) > 3_000_000 and warnings == []


def test_dev_mode_is_debug_or_live_reload(warnings):
    assert install_dev_warnings(FastHTML(htmx4=True)) is False  # production: nothing installed, nothing paid
    assert install_dev_warnings(FastHTMLWithLiveReload(htmx4=True)) is True
    TestClient(v2_app(FastHTMLWithLiveReload)).get('/')
    assert len(warnings) == 2


def test_dev_warnings_wired_into_fasthtml(warnings):
    "The public route: FastHTML(htmx4=True, debug=True) installs the warnings itself"
    TestClient(v2_app(debug=True, install=False)).get('/')
    assert warnings[0] == 'htmx 4 app renders ws-connect (htmx 2) on /: use hx-ws-connect'
    assert not any(m.cls is HtmxV2Warnings for m in FastHTML(htmx4=False, debug=True).user_middleware)


# ---- beside htmx's own checker

def htmx_checker(*args):
    if not HTMX_CHECKER.exists(): pytest.skip(f'{HTMX_CHECKER} is not in the asset cache')
    r = subprocess.run([sys.executable, str(HTMX_CHECKER), '--no-color', *map(str, args)], capture_output=True,
                       text=True, check=False)
    return re.findall(r'^(\S+?):\d+: \[([\w-]+)\] (.*)$', r.stdout, re.MULTILINE)


def their_name(kind, msg):
    "The construct a line of htmx's checker names, as ours names it"
    if kind in ('old-event', 'renamed-config'): return re.search(r'"([^"]+)"', msg)[1]
    if kind == 'old-api': return re.match(r'(\S+?)\(\)', msg)[1] + '()'
    return msg.split()[0]


def our_name(old): return re.sub(r'="[^"]*"$', '', old).removeprefix('config ')


@pytest.mark.parametrize('name', ['v2_realtime', 'v2_events', 'v2_inherit', 'v2_headers', 'v2_attrs', 'clean_v4'])
def test_beside_htmx_checker(name, tmp_path):
    """htmx's checker reads templates, so it gets the rendered pages: all it finds there, we find; what we find beyond
    is the Python side it cannot see (routes with path parameters, headers read, hx-on's dash spellings)."""
    for got in fetch_pages(load_app(APPS/f'{name}.py'), ['/']): (tmp_path/'page.html').write_text(got.html or '')
    theirs = {their_name(k, m) for _, k, m in htmx_checker(tmp_path)}
    ours = {our_name(m.old) for m in fh_htmx_check(APPS/f'{name}.py')}
    if name == 'clean_v4':  # htmx 4's own hx-disable (disable while requesting) is not htmx 2's
        assert theirs == {'hx-disable'} and ours == set()
        return
    assert theirs <= ours
    assert ours - theirs == {
        'v2_realtime': {'hx-on::after-swap'},  # (/raw is not the page given to it)
        'v2_events': {'hx-on--before-send', 'hx-on--load', 'htmx:afterSettle'},
        'v2_inherit': {'hx-confirm'}, 'v2_attrs': set(),
        'v2_headers': {'HX-Trigger', 'htmx.trigger_name', 'HX-Trigger-After-Swap', 'htmx.trigger'}}[name]


def test_htmx_checker_on_python_sources():
    "Run on the .py files themselves, htmx's checker sees string literals only: no keyword attribute, no header read"
    theirs = {(Path(f).name, their_name(k, m)) for f, k, m in htmx_checker('--ext', '.py', APPS)}
    assert theirs == {('v2_attrs.py', 'defaultSwapStyle'), ('v2_attrs.py', 'htmx.addClass()'),
                      ('v2_events.py', 'htmx:afterSwap'), ('v2_events.py', 'htmx:configRequest'),
                      ('v2_events.py', 'htmx:afterSettle')}

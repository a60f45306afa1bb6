"""MonsterUI, the largest FastHTML component library, renders through our build exactly as through the reference.

Two throwaway venvs under /tmp (cached, keyed by pyproject.toml, the reference version and the checkout path):
- ours: `pip install -e <checkout>` then `pip install monsterui`; pip must keep our `python-fasthtml`;
- reference: `python-fasthtml==<ref version>` plus the same monsterui version.
The same app (cards, a form, a navbar, theme headers, tables, ...) is served by each; the pages must be equal after the
acceptance harness' canonicalisation (whitespace, attribute order, asset version numbers). Skipped only when the venvs
cannot be built (no package index reachable).
"""
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from refbridge import ACC, OUR_PYTHON, ROOT, load_compare, run, run_json

REF_VERSION = os.environ.get('FH_REF_VERSION', '0.14.14')
# The checkout's path is part of the key: the candidate venv holds an editable install of this very checkout.
KEY = hashlib.sha1((ROOT / 'pyproject.toml').read_bytes() + REF_VERSION.encode() + str(ROOT).encode()).hexdigest()[:12]
CAND_VENV = Path(f'/tmp/fh-monsterui-cand-{KEY}')
REF_VENV = Path(f'/tmp/fh-monsterui-ref-{KEY}')

APP = textwrap.dedent('''
    import json, sys
    from fasthtml.common import *
    from monsterui.all import *
    from starlette.testclient import TestClient

    app, rt = fast_app(hdrs=Theme.blue.headers(), secret_key='monsterui-test')

    @rt('/')
    def index():
        nav = NavBar(A('Home', href='/'), A('Docs', href='/docs'), brand=H3('Demo'))
        card = Card(P('A card body', cls=TextPresets.muted_sm), header=H3('Card title'),
                    footer=Button('Save', cls=ButtonT.primary))
        form = Form(LabelInput('Email', id='email', type='email'), LabelTextArea('Message', id='msg'),
                    LabelCheckboxX('Subscribe', id='sub'), LabelSelect(Option('One'), Option('Two'), label='Pick'),
                    Button('Send', cls=ButtonT.secondary), cls='space-y-4')
        table = TableFromDicts(['Name', 'Age'], [{'Name': 'Ada', 'Age': 36}, {'Name': 'Alan', 'Age': 41}])
        grid = Grid(*[Card(P(f'Item {i}')) for i in range(3)], cols=3)
        extras = DivFullySpaced(Label('New', cls=LabelT.primary), UkIcon('check'), Loading())
        return Title('MonsterUI'), Container(nav, card, form, table, grid, extras, Alert('Heads up', cls=AlertT.info))

    @rt('/frag')
    def frag(): return Card(H4('Fragment'), P('via htmx'))

    c = TestClient(app)
    out = {'page': c.get('/').text, 'frag': c.get('/frag', headers={'HX-Request': '1'}).text,
           'status': [c.get('/').status_code, c.get('/frag').status_code]}
    json.dump(out, sys.stdout)
''')


def _pip(venv: Path, *args: str) -> None:
    subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pip', 'install', '-q', *args], check=True,
                   capture_output=True, text=True, timeout=600)


def _build(venv: Path, *installs: tuple) -> str | None:
    "Create `venv` once (a `.ok` stamp marks success); None on success, else why it failed"
    if (venv / '.ok').exists(): return None
    try:
        subprocess.run([sys.executable, '-m', 'venv', '--clear', str(venv)], check=True, capture_output=True, timeout=300)
        for args in installs: _pip(venv, *args)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        return f'could not build {venv}: {(getattr(e, "stderr", "") or str(e))[-800:]}'
    (venv / '.ok').write_text('ok')
    return None


def _meta(venv: Path, code: str) -> str:
    return run(code, venv / 'bin' / 'python').strip()


@pytest.fixture(scope='module')
def venvs():
    why = _build(CAND_VENV, ('-e', str(ROOT)), ('monsterui',))
    if why: pytest.skip(why)
    mui = _meta(CAND_VENV, 'import importlib.metadata as m; print(m.version("monsterui"))')
    why = _build(REF_VENV, (f'python-fasthtml=={REF_VERSION}', f'monsterui=={mui}'))
    if why: pytest.skip(why)
    return CAND_VENV, REF_VENV


def test_pip_keeps_our_distribution(venvs):
    cand, _ = venvs
    info = json.loads(_meta(cand, 'import json, importlib.metadata as m, fasthtml; '
                                  'print(json.dumps([m.version("python-fasthtml"), fasthtml.__file__]))'))
    ours = run('import fasthtml; print(fasthtml.__version__)', OUR_PYTHON).strip()
    assert info[0] == ours, f'pip replaced our python-fasthtml {ours} with {info[0]}'
    assert info[1].startswith(str(ROOT)), f'fasthtml imports from {info[1]}, not from the checkout {ROOT}'


def _render(venv: Path, tmp_path: Path) -> dict:
    app = tmp_path / f'mui_app_{venv.name}.py'
    app.write_text(APP)
    return run_json(python=venv / 'bin' / 'python', script=app, cwd=tmp_path, env={'PYTHONHASHSEED': '0'})


def _canon(html: str) -> list:
    if not (ACC / 'compare.py').exists(): return [html]
    return load_compare().canon_html(html)


def test_monsterui_pages_match_reference(venvs, tmp_path):
    cand, ref = venvs
    ours, theirs = _render(cand, tmp_path), _render(ref, tmp_path)
    assert ours['status'] == theirs['status']
    for key in ('page', 'frag'):
        a, b = _canon(theirs[key]), _canon(ours[key])
        if a != b:
            import difflib
            diff = '\n'.join(list(difflib.unified_diff(a, b, 'reference', 'ours', lineterm='', n=1))[:60])
            pytest.fail(f'{key} differs from the reference:\n{diff}')

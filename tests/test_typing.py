"""Typed for editors: basedpyright over apps (basic mode) and over the package (standard mode).

Apps: `examples/`, `tests/typing_apps/idioms.py` (the idioms editors must accept, with `assert_type`) and verbatim
copies of the visible acceptance apps (`tests/typing_apps/acceptance/`). Every error must be one the app itself
causes (see `APP_OWN`); anything else is the framework's and fails the test. The package passes standard mode
with no error at all. `tools/typecheck.sh` runs the same checks from the shell and prints the counts by rule.
"""
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / 'tests' / 'typing_apps'

# Errors an app causes itself, whichever framework it imports: (rule, message pattern, why)
APP_OWN = [
    ('reportRedeclaration', r'', 'several handlers named `get`/`post` in one module (the routing idiom)'),
    ('reportArgumentType', r'^Expression of type "None" cannot be assigned to parameter of type',
     'a parameter annotated `x: int = None` (write `x: int | None = None`)'),
    ('reportAssignmentType', r'^Type "None" is not assignable to declared type',
     'a dataclass field annotated `x: date = None`'),
    ('reportReturnType', r'is not assignable to return type "(JSONResponse|PlainTextResponse|HTMLResponse)"',
     'a handler annotated with the response class it wants its plain return value turned into'),
    ('reportArgumentType', r'in function "__setitem__"', "the app's own dict literal, inferred narrower than used"),
    ('reportInvalidTypeForm', r'^Variable not allowed in type expression',
     'a dataclass made at run time (`fast_app(db, **tables)`) used as an annotation'),
    ('reportCallIssue', r'^Object of type "object" is not callable', "the app's own `object` annotation"),
]

# Modules of the package not yet clean in standard mode, each owed by its module's owner (see .team/typing-core.md).
# A ratchet: a module listed here that becomes clean fails the test until it is removed, so the list only shrinks.
PENDING_MODULES: set[str] = set()


def basedpyright_exe() -> str | None:
    "The basedpyright next to this interpreter, else the one on PATH"
    return shutil.which('basedpyright', path=str(Path(sys.executable).parent)) or shutil.which('basedpyright')


def basedpyright() -> str:
    exe = basedpyright_exe()
    if not exe: pytest.skip('basedpyright is not installed: pip install basedpyright (a PyPI package; bundles Node)')
    return exe


def run_pyright(tmp_path: Path, mode: str, targets: list, extra_paths: list = ()) -> list:
    "Error diagnostics of basedpyright in `mode` over `targets`, our checkout first on the import path"
    cfg = tmp_path / f'pyright-{mode}.json'
    cfg.write_text(json.dumps({'typeCheckingMode': mode, 'reportMissingModuleSource': False,
                               'extraPaths': [str(ROOT), *map(str, extra_paths)]}))
    p = subprocess.run([basedpyright(), '-p', str(cfg), '--pythonpath', sys.executable, '--outputjson',
                        *map(str, targets)], capture_output=True, text=True, cwd=ROOT, check=False, timeout=600)
    try: out = json.loads(p.stdout)
    except json.JSONDecodeError: pytest.fail(f'basedpyright gave no JSON (exit {p.returncode}): {p.stderr[-2000:]}')
    return [d for d in out['generalDiagnostics'] if d['severity'] == 'error']


def app_own(d: dict) -> bool:
    "Is diagnostic `d` one the app causes itself?"
    return any(d.get('rule') == rule and re.search(pat, d['message']) for rule, pat, _ in APP_OWN)


def fmt(d: dict) -> str:
    line = d['range']['start']['line'] + 1
    f = Path(d['file'])
    return f"{f.relative_to(ROOT) if f.is_relative_to(ROOT) else f.name}:{line} {d.get('rule')}: {d['message'].splitlines()[0]}"


@pytest.fixture(scope='module')
def app_errors(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('typing')
    return run_pyright(tmp, 'basic', [ROOT / 'examples', APPS], [APPS / 'acceptance'])


def test_apps_have_no_framework_caused_errors(app_errors):
    ours = [fmt(d) for d in app_errors if not app_own(d)]
    assert not ours, f'{len(ours)} errors caused by the framework:\n' + '\n'.join(ours)


def test_acceptance_apps_keep_their_own_errors(app_errors):
    "The copies are verbatim, so the acceptance apps' own errors stay exactly these (counts by rule)"
    by_rule = Counter(d.get('rule') for d in app_errors if app_own(d) and f'{APPS.name}/acceptance/' in d['file'])
    assert by_rule == {'reportRedeclaration': 99, 'reportArgumentType': 8, 'reportReturnType': 3,
                       'reportAssignmentType': 1, 'reportInvalidTypeForm': 2}, by_rule


def test_idioms_check_cleanly(app_errors):
    "The idiom apps have no error of any kind (their `assert_type`s included)"
    assert not [fmt(d) for d in app_errors if f'{APPS.name}/acceptance/' not in d['file'] and APPS.name in d['file']]


def test_package_passes_standard_mode(tmp_path):
    errs = run_pyright(tmp_path, 'standard', [ROOT / 'fasthtml'])
    ours = [d for d in errs if Path(d['file']).name not in PENDING_MODULES]
    assert not ours, f'{len(ours)} errors in standard mode:\n' + '\n'.join(map(fmt, ours))
    clean = sorted(PENDING_MODULES - {Path(d['file']).name for d in errs})
    assert not clean, f'now clean in standard mode, remove them from PENDING_MODULES: {clean}'


def test_py_typed_is_shipped():
    assert (ROOT / 'fasthtml' / 'py.typed').exists()
    pkg_data = (ROOT / 'pyproject.toml').read_text().split('[tool.setuptools.package-data]')[1].split('[')[1]
    assert 'py.typed' in pkg_data.split(']')[0], 'pyproject must list py.typed in the package data'


def _check_snippet(tmp_path: Path, src: str) -> list:
    (tmp_path / 'snippet.py').write_text(src)
    return run_pyright(tmp_path, 'basic', [tmp_path / 'snippet.py'])


def test_every_public_name_is_visible_statically(tmp_path):
    "Every name of `fasthtml.common` and of each module's `__all__` resolves for a checker (no import-time magic)"
    import importlib
    import pkgutil

    import fasthtml
    from fasthtml import common
    lines = ['from fasthtml.common import (' + ', '.join(common.__all__) + ')']
    for m in pkgutil.iter_modules(fasthtml.__path__):
        if m.name.startswith('_') or m.name == 'common': continue
        try: names = getattr(importlib.import_module(f'fasthtml.{m.name}'), '__all__', [])
        except ImportError: continue  # an optional dependency is missing
        if names: lines.append(f'from fasthtml.{m.name} import (' + ', '.join(names) + ')')
    errs = _check_snippet(tmp_path, '\n'.join(lines) + '\n')
    assert not errs, '\n'.join(d['message'] for d in errs)


def test_tag_keywords_are_typed(tmp_path):
    "Tag keywords are typed (a list or dict where a scalar belongs is caught; unpacked dicts of scalars pass), tags,\n    FT calls and custom tags return FT"
    src = ('from typing_extensions import assert_type\n'
           'from fasthtml.common import *\n'
           'from fasthtml.components import Uk_select\n'
           'Div(hx_swap=["a"])\n'
           'Button(hx_on_click={"a": 1})\n'
           'Button("x", **{"hx_confirm": "Sure?"}, **{"data-n": 1})\n'
           'assert_type(Form()(Div()), FT)\n'
           'assert_type(Uk_select(Option("a"), data_x=1), FT)\n'
           'assert_type(Div("a", hx_get="/x", hx_swap="outerHTML", anything_else=1), FT)\n')
    errs = _check_snippet(tmp_path, src)
    assert [(d['range']['start']['line'] + 1, d.get('rule')) for d in errs] == [
        (4, 'reportArgumentType'), (5, 'reportArgumentType')], '\n'.join(d['message'] for d in errs)


def test_docs_page_example_runs_and_checks(tmp_path, monkeypatch):
    "The example of docs/typing.md runs, and checks with no error"
    import re as _re
    page = (ROOT / 'docs' / 'typing.md').read_text()
    code = '\n'.join(_re.findall(r'```python\n(.*?)```', page, _re.DOTALL))
    monkeypatch.chdir(tmp_path)
    exec(compile(code, 'typing.md', 'exec'), {'__name__': 'docs_example'})  # noqa: S102 - our own docs page
    errs = _check_snippet(tmp_path, code)
    assert not errs, '\n'.join(fmt(d) for d in errs)

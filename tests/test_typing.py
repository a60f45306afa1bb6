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
]


def basedpyright() -> str:
    exe = shutil.which('basedpyright', path=str(Path(sys.executable).parent)) or shutil.which('basedpyright')
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
    return f"{Path(d['file']).relative_to(ROOT)}:{line} {d.get('rule')}: {d['message'].splitlines()[0]}"


@pytest.fixture(scope='module')
def app_errors(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('typing')
    return run_pyright(tmp, 'basic', [ROOT / 'examples', APPS], [APPS / 'acceptance'])


def test_apps_have_no_framework_caused_errors(app_errors):
    ours = [fmt(d) for d in app_errors if not app_own(d)]
    assert not ours, f'{len(ours)} errors caused by the framework:\n' + '\n'.join(ours)


def test_app_own_errors_are_the_expected_ones(app_errors):
    "The acceptance apps keep their own mistakes (copies are verbatim); the examples and idioms have none"
    by_rule = Counter(d.get('rule') for d in app_errors if app_own(d))
    assert by_rule == {'reportRedeclaration': 99, 'reportArgumentType': 9, 'reportReturnType': 3,
                       'reportAssignmentType': 1, 'reportInvalidTypeForm': 2}, by_rule
    assert not [fmt(d) for d in app_errors if 'acceptance' not in d['file'] and app_own(d)]


def test_package_passes_standard_mode(tmp_path):
    errs = run_pyright(tmp_path, 'standard', [ROOT / 'fasthtml'])
    assert not errs, f'{len(errs)} errors in standard mode:\n' + '\n'.join(map(fmt, errs))


def test_py_typed_is_shipped():
    assert (ROOT / 'fasthtml' / 'py.typed').exists()
    pkg_data = (ROOT / 'pyproject.toml').read_text().split('[tool.setuptools.package-data]')[1].split('[')[1]
    assert 'py.typed' in pkg_data.split(']')[0], 'pyproject must list py.typed in the package data'

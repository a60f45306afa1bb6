"""Black-box comparison with the released python-fasthtml: one test per acceptance app.

Every app of the shared harness (`../shared/acceptance/apps`) runs under the reference venv and under this checkout's
interpreter; each test compares one app's canonicalised responses with the harness' own `compare.py` rules.
Skipped only when the reference venv does not exist and cannot be created (no network, no `venv` module).

Deliberate differences are tolerated only when `docs/differences.md` lists them: a row holding a code span
`acc:<app>:<observation label>` (e.g. `acc:05_forms:profile missing age`) exempts that one observation.
"""
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACC = Path(os.environ.get('FH_ACCEPTANCE', ROOT.parent / 'shared' / 'acceptance'))
ANCHORS = Path(os.environ.get('FH_ANCHORS', Path.home() / '.fh-anchors'))
REF_PY = Path(os.environ.get('FH_REF_PYTHON', ANCHORS / 'ref' / 'bin' / 'python'))
OUT = Path(os.environ.get('FH_ACC_OUT', '/tmp/fh-acceptance'))
APPS = sorted(p.stem for p in (ACC / 'apps').glob('*.py') if not p.name.startswith('_')) if ACC.is_dir() else []


def _deliberate() -> set:
    "(app, label) pairs that docs/differences.md marks as deliberate differences"
    doc = ROOT / 'docs' / 'differences.md'
    if not doc.exists(): return set()
    return {(m[1], m[2].strip()) for m in re.finditer(r'`acc:([\w.-]+):([^`]+)`', doc.read_text())}


def _load_compare():
    spec = importlib.util.spec_from_file_location('fh_acc_compare', ACC / 'compare.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _ref_ready() -> str | None:
    "None when the reference interpreter works, else why it cannot be used"
    ok = lambda: REF_PY.exists() and subprocess.run([str(REF_PY), '-c', 'import fasthtml'], cwd='/',
                                                     capture_output=True, check=False).returncode == 0
    if ok(): return None
    p = subprocess.run(['bash', str(ACC / 'setup_venvs.sh'), 'ref'], env={**os.environ, 'FH_ANCHORS': str(ANCHORS)},
                       capture_output=True, text=True, check=False)
    if ok(): return None
    return f'reference venv {REF_PY.parent.parent} could not be created: {(p.stderr or p.stdout)[-500:]}'


def _run(python: Path, out: Path, keep: bool = True) -> dict:
    subprocess.run([sys.executable, str(ACC / 'run.py'), '--python', str(python), '--out', str(out), '-j', '4'],
                   check=True, capture_output=True, text=True)
    res = json.loads(out.read_text())['apps']
    if not keep: out.unlink()
    return res


@pytest.fixture(scope='session')
def observations():
    if not APPS: pytest.skip(f'no acceptance harness at {ACC}; set FH_ACCEPTANCE')
    why = _ref_ready()
    if why: pytest.skip(why)
    OUT.mkdir(parents=True, exist_ok=True)
    ver = subprocess.run([str(REF_PY), '-c', 'import importlib.metadata as m; print(m.version("python-fasthtml"))'],
                         capture_output=True, text=True, cwd='/', check=False).stdout.strip()
    h = hashlib.sha1(ver.encode())
    for f in sorted((ACC / 'apps').glob('*.py')) + [ACC / 'driver.py', ACC / 'obs.py', ACC / 'run.py']:
        h.update(f.read_bytes())
    ref_json = OUT / f'ref-pytest-{h.hexdigest()[:16]}.json'
    ref = json.loads(ref_json.read_text())['apps'] if ref_json.exists() else _run(REF_PY, ref_json)
    cand = _run(Path(sys.executable), OUT / f'cand-pytest-{os.getpid()}.json', keep=False)
    return ref, cand


@pytest.mark.parametrize('app', APPS)
def test_app_matches_reference(app, observations):
    ref, cand = observations
    cmp = _load_compare()
    r = ref[app]
    c = cand.get(app, {'ok': False, 'error': 'missing from candidate run', 'observations': []})
    assert r.get('ok'), f'the reference itself failed on {app}: {r.get("error")}'
    problems = []
    if not c.get('ok'): problems.append(f'candidate error: {(c.get("error") or "")[-1500:]}')
    cobs = {o['label']: o for o in c.get('observations', [])}
    tolerated = _deliberate()
    for o in r['observations']:
        if (app, o['label']) in tolerated: continue
        co = cobs.get(o['label'])
        if co is None:
            problems.append(f'--- {o["label"]}: missing in candidate')
            continue
        for field, lines in cmp.diff_obs(o, co, False):
            problems.append(f'--- {o["label"]} [{field}]\n' + '\n'.join(lines[:30]))
    assert not problems, f'{app}: {len(problems)} differences\n' + '\n'.join(problems[:8])

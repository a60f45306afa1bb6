"""Black-box comparison with the released python-fasthtml: one test per acceptance app.

Every app of the shared harness (`../shared/acceptance/apps`) runs under the reference venv and under this checkout's
interpreter; each test compares one app's canonicalised responses with the harness' own `compare.py` rules.
Skipped only when the reference venv does not exist and cannot be created (no network, no `venv` module).

Deliberate differences are tolerated only when `docs/differences.md` lists them: a row holding a code span
`acc:<app>:<observation label>` (e.g. `acc:05_forms:profile missing age`) exempts that one observation.
"""
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from refbridge import ACC, ANCHORS, OUR_PYTHON, REF_PYTHON, ROOT, has_ref, load_compare, run

OUT = Path(os.environ.get('FH_ACC_OUT', '/tmp/fh-acceptance'))
APPS = sorted(p.stem for p in (ACC / 'apps').glob('*.py') if not p.name.startswith('_')) if ACC.is_dir() else []


def _deliberate() -> set:
    "(app, label) pairs that docs/differences.md marks as deliberate differences"
    doc = ROOT / 'docs' / 'differences.md'
    if not doc.exists(): return set()
    return {(m[1], m[2].strip()) for m in re.finditer(r'`acc:([\w.-]+):([^`]+)`', doc.read_text())}


def _ref_ready() -> str | None:
    "None when the reference interpreter works, else why it cannot be used"
    def ok() -> bool:
        if not has_ref(): return False
        try: run('import fasthtml')
        except RuntimeError: return False
        return True
    if ok(): return None
    p = subprocess.run(['bash', str(ACC / 'setup_venvs.sh'), 'ref'], env={**os.environ, 'FH_ANCHORS': str(ANCHORS)},
                       capture_output=True, text=True, check=False)
    if ok(): return None
    return f'reference venv {REF_PYTHON.parent.parent} could not be created: {(p.stderr or p.stdout)[-500:]}'


def _run(python: Path, out: Path, keep: bool = True) -> dict:
    subprocess.run([str(OUR_PYTHON), str(ACC / 'run.py'), '--python', str(python), '--out', str(out), '-j', '4'],
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
    ver = run('import importlib.metadata as m; print(m.version("python-fasthtml"))').strip()
    h = hashlib.sha1(ver.encode())
    for f in sorted((ACC / 'apps').glob('*.py')) + [ACC / 'driver.py', ACC / 'obs.py', ACC / 'run.py']:
        h.update(f.read_bytes())
    ref_json = OUT / f'ref-pytest-{h.hexdigest()[:16]}.json'
    ref = json.loads(ref_json.read_text())['apps'] if ref_json.exists() else _run(REF_PYTHON, ref_json)
    cand = _run(OUR_PYTHON, OUT / f'cand-pytest-{os.getpid()}.json', keep=False)
    return ref, cand


@pytest.mark.parametrize('app', APPS)
def test_app_matches_reference(app, observations):
    ref, cand = observations
    cmp = load_compare()
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

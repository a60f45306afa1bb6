"""The one way tests run code under the reference `python-fasthtml` (or under ours) and compare the two.

- `REF_PYTHON`: the reference interpreter: `$FH_REF_PYTHON` (which `bash dev test` exports), else
  `$FH_ANCHORS/ref/bin/python`, else `~/.fh-anchors/ref/bin/python`.
- `has_ref()`, `SKIP_REASON`, `needs_ref`: whether it is there, and the skip marker for tests that need it.
- `run(code, python)` / `run_json(...)`: run a code string (or a script file) in a subprocess that cannot see this
  checkout's `fasthtml/` by accident (a fresh temporary cwd, `PYTHONSAFEPATH` so neither cwd nor the script's folder
  is on `sys.path`, no `PYTHONPATH`/`PYTHONHOME`/`VIRTUAL_ENV`), with a timeout; a failure raises with the child's
  stderr tail. `ref_run` / `our_run` are `run_json` under either side.
- `ACC`, `load_compare()`: the shared acceptance harness (`$FH_ACCEPTANCE`, else `../shared/acceptance`) and its
  `compare.py` (the canonicalisation rules), for the tests that compare whole pages.
- `ref_eval(exprs, setup)` evaluates each expression in a fresh reference interpreter (one subprocess for the whole
  batch) and returns a JSON-able dump of each result; `local_eval` does the same in this interpreter, so tests can
  compare the two dumps with `==`."""
import functools
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACC = Path(os.environ.get('FH_ACCEPTANCE') or ROOT.parent / 'shared' / 'acceptance')
ANCHORS = Path(os.environ.get('FH_ANCHORS') or Path.home() / '.fh-anchors')
REF_PYTHON = Path(os.environ.get('FH_REF_PYTHON') or ANCHORS / 'ref' / 'bin' / 'python')
OUR_PYTHON = Path(sys.executable)
SKIP_REASON = f'no reference interpreter at {REF_PYTHON}; set FH_REF_PYTHON (`bash dev test` creates it)'


def has_ref() -> bool:
    "Is the reference interpreter installed?"
    return REF_PYTHON.exists()


needs_ref = pytest.mark.skipif(not has_ref(), reason=SKIP_REASON)


@functools.cache
def load_compare():
    "The acceptance harness' `compare.py` as a module (`canon_html`, `diff_obs`, ...)"
    spec = importlib.util.spec_from_file_location('fh_acc_compare', ACC / 'compare.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_UNSET = ('PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV')


def run(code: str | None = None, python: Path | str = REF_PYTHON, *, script: Path | str | None = None,
        args: tuple | list = (), stdin: str | None = None, cwd: Path | str | None = None, env: dict | None = None,
        timeout: float = 300) -> str:
    "Run `code` (or the file `script`, with `args`) under `python` in an isolated subprocess; its stdout"
    assert (code is None) != (script is None), 'give either code or script'
    cmd = [str(python), *(['-c', code] if script is None else [str(script)]), *map(str, args)]
    child_env = {k: v for k, v in os.environ.items() if k not in _UNSET} | {'PYTHONSAFEPATH': '1'} | (env or {})
    with tempfile.TemporaryDirectory(prefix='fh-bridge-') as tmp:
        try:
            p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=cwd or tmp, env=child_env,
                               timeout=timeout, check=False)
        except subprocess.TimeoutExpired as e:
            err = e.stderr.decode(errors='replace') if isinstance(e.stderr, bytes) else (e.stderr or '')
            raise RuntimeError(f'{python} timed out after {timeout}s:\n{err[-3000:]}') from None
    if p.returncode: raise RuntimeError(f'{python} failed (exit {p.returncode}):\n{p.stderr[-3000:]}')
    return p.stdout


def run_json(code: str | None = None, python: Path | str = REF_PYTHON, **kw) -> object:
    "`run`, decoding the last line of stdout as JSON"
    out = run(code, python, **kw).strip()
    return json.loads(out.splitlines()[-1] if out else out)


def ref_run(code: str, **kw) -> object:
    "Run `code` (which prints one JSON line last) under the reference interpreter and return the decoded value"
    return run_json(code, REF_PYTHON, **kw)


def our_run(code: str, **kw) -> object:
    "Run `code` (which prints one JSON line last) under this checkout and return the decoded value"
    return run_json(code, OUR_PYTHON, **kw)


# Runs an app's source in a fresh directory under either interpreter and reports each request's response.
APP_RUNNER = r'''
import json, os, sys, tempfile
spec = json.load(sys.stdin)
os.chdir(tempfile.mkdtemp())
ns = {}
exec(spec['app'], ns)
from starlette.testclient import TestClient
c = TestClient(ns['app'], raise_server_exceptions=False, follow_redirects=False)
out = []
for m, url, kw in spec['reqs']:
    r = c.request(m, url, **kw)
    hdrs = {k: v for k, v in r.headers.items() if k in spec['headers']}
    if 'allow' in r.headers: hdrs['allow'] = sorted(r.headers['allow'].split(', '))  # a set in Starlette: any order
    out.append(dict(status=r.status_code, headers=hdrs, body=r.text))
print(json.dumps(out))
'''


def run_app(py, app: str, reqs: list, headers=('content-type', 'location', 'hx-redirect')) -> list:
    "Run `app` source under interpreter `py` (from a fresh directory); the responses to `reqs` with these `headers`"
    reqs = [r if isinstance(r, list) else ['GET', r, {}] for r in reqs]
    spec = {'app': app, 'reqs': reqs, 'headers': list(headers)}
    return run_json(APP_RUNNER, py, stdin=json.dumps(spec), timeout=120)


# Runs identically in both interpreters: turns any value into JSON-able data that shows FT structure exactly.
DUMP_SRC = r'''
def _dump(o, depth=0):
    from fastcore.xml import FT
    if depth > 50: return {'deep': repr(o)}
    if isinstance(o, FT):
        return {'ft': o.tag, 'type': type(o).__name__, 'void': o.void_,
                'children': _dump(o.children, depth+1),
                'attrs': [[k, _dump(v, depth+1)] for k, v in o.attrs.items()] if isinstance(o.attrs, dict) else repr(o.attrs),
                'listeners': type(o.__dict__.get('listeners_')).__name__}
    if isinstance(o, (tuple, list)):
        return {type(o).__name__: [_dump(x, depth+1) for x in o]}
    if isinstance(o, dict): return {'dict': [[_dump(k), _dump(v, depth+1)] for k, v in o.items()]}
    if type(o) in (str, int, float, bool) or o is None: return o
    return {'type': type(o).__name__, 'repr': repr(o)}

def _run(exprs, setup):
    import json, traceback
    from fastcore.xml import to_xml
    ns = {}
    exec(setup, ns)
    out = []
    for e in exprs:
        try:
            v = eval(e, ns)
            try: xml = str(to_xml(v))
            except Exception as ex: xml = 'ERR ' + type(ex).__name__
            out.append({'value': _dump(v), 'xml': xml})
        except Exception as ex: out.append({'error': type(ex).__name__})
    return out
'''

DEFAULT_SETUP = 'from fasthtml.components import *\nfrom fastcore.xml import FT, ft, to_xml, Safe, Html\n'


def ref_eval(exprs: list, setup: str = DEFAULT_SETUP) -> list:
    "Evaluate `exprs` (after `setup`) under the reference implementation; one result dict per expression"
    code = DUMP_SRC + '\nimport json, sys\nreq = json.load(sys.stdin)\nprint(json.dumps(_run(req["exprs"], req["setup"])))\n'
    return ref_run(code, stdin=json.dumps({'exprs': exprs, 'setup': setup}))


def local_eval(exprs: list, setup: str = DEFAULT_SETUP) -> list:
    "Evaluate `exprs` (after `setup`) under our implementation, dumped like `ref_eval`"
    ns = {}
    exec(DUMP_SRC, ns)  # noqa: S102 - the dump code must run identically in both interpreters
    return json.loads(json.dumps(ns['_run'](exprs, setup)))

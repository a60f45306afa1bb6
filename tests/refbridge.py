"""Run snippets under the reference `python-fasthtml` (in `~/.fh-anchors/ref`) and compare with ours.

`ref_eval(exprs, setup)` evaluates each expression in a fresh reference interpreter (one subprocess for the whole
batch) and returns a JSON-able dump of each result; `local_eval` does the same in this interpreter, so tests can
compare the two dumps with `==`."""
import json
import os
import subprocess
from pathlib import Path

REF_PYTHON = Path.home() / '.fh-anchors' / 'ref' / 'bin' / 'python'
SKIP_REASON = f'reference venv missing: {REF_PYTHON} (created by `dev test` / CI)'

def has_ref() -> bool:
    "Is the reference interpreter installed?"
    return REF_PYTHON.exists()

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

def ref_eval(exprs:list, setup:str=DEFAULT_SETUP) -> list:
    "Evaluate `exprs` (after `setup`) under the reference implementation; one result dict per expression"
    code = DUMP_SRC + '\nimport json, sys\nreq = json.load(sys.stdin)\nprint(json.dumps(_run(req["exprs"], req["setup"])))\n'
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV')}
    # Run from a neutral directory so the repo's own `fasthtml/` can't shadow the reference package.
    res = subprocess.run([str(REF_PYTHON), '-c', code], input=json.dumps({'exprs': exprs, 'setup': setup}),
                         capture_output=True, text=True, cwd='/', env=env, timeout=300, check=False)
    if res.returncode: raise RuntimeError(f'reference run failed:\n{res.stderr[-3000:]}')
    return json.loads(res.stdout)

def local_eval(exprs:list, setup:str=DEFAULT_SETUP) -> list:
    "Evaluate `exprs` (after `setup`) under our implementation, dumped like `ref_eval`"
    ns = {}
    exec(DUMP_SRC, ns)  # noqa: S102 - the dump code must run identically in both interpreters
    return json.loads(json.dumps(ns['_run'](exprs, setup)))

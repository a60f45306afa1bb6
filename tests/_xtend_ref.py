"""Differential helper for the xtend/js/pico/svg tests: evaluate the same expressions under the released
python-fasthtml (black-box, through `refbridge`) and under this checkout, and snapshot what they produce.

A snapshot holds the rendered HTML (`to_xml`) and the structure (tag, attrs, children, leaf kinds), so tests
can assert `ours == reference` for each expression without knowing the expected output by heart."""
from refbridge import OUR_PYTHON, REF_PYTHON, run_json

PRELUDE = '''
from fasthtml.components import *
import fasthtml.xtend as X
'''
REF_TO_XML = 'from fasthtml.components import to_xml\n'
OUR_TO_XML = 'from fasthtml.render import to_xml\n'

# Runs in both interpreters: turns any value into a JSON-able snapshot.
SNAPSHOT = r'''
import json
def _kind(v):
    if hasattr(v, 'tag') and hasattr(v, 'children') and hasattr(v, 'attrs'): return 'ft'
    if isinstance(v, (list, tuple)): return type(v).__name__
    if isinstance(v, dict): return 'dict'
    if type(v).__name__ in ('NotStr', 'Safe'): return 'raw'
    if isinstance(v, str): return 'str'
    return type(v).__name__

def _dump(v):
    k = _kind(v)
    if k == 'ft': return {'ft': type(v).__name__, 'tag': v.tag, 'attrs': {a: _dump(x) for a, x in v.attrs.items()},
                          'c': [_dump(c) for c in v.children]}
    if k in ('list', 'tuple'): return {k: [_dump(o) for o in v]}
    if k == 'dict': return {'dict': {str(a): _dump(x) for a, x in v.items()}}
    if k in ('raw', 'str'): return {k: str(v)}
    if k in ('int', 'float', 'bool', 'NoneType'): return {k: v}
    return {k: repr(v)}

def _snap(expr, ns):
    try: v = eval(expr, ns)
    except Exception as e: return {'error': type(e).__name__}
    try: html = str(to_xml(v)) if _kind(v) in ('ft', 'tuple', 'list') else None
    except Exception as e: html = 'ERROR ' + type(e).__name__
    return {'struct': _dump(v), 'html': html}
'''


def _runner(prelude: str, exprs: list, to_xml_import: str) -> str:
    return SNAPSHOT + prelude + to_xml_import + f'\nimport json as _j\nprint(_j.dumps([_snap(e, globals()) for e in {exprs!r}]))\n'


def ref_snapshots(exprs: list, prelude: str = PRELUDE, cwd: str | None = None) -> list:
    "Snapshots of `exprs` evaluated by the reference interpreter (isolated: our checkout is not on its path)"
    return run_json(_runner(prelude, exprs, REF_TO_XML), REF_PYTHON, cwd=cwd)


def our_snapshots(exprs: list, prelude: str = PRELUDE, cwd: str | None = None) -> list:
    "Snapshots of `exprs` evaluated by this checkout (in a subprocess, so both sides see the same cwd)"
    return run_json(_runner(prelude, exprs, OUR_TO_XML), OUR_PYTHON, cwd=cwd)

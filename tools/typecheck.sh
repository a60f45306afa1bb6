#!/usr/bin/env bash
# Typed for editors (issue 15): basedpyright in basic mode over the apps (examples/, tests/typing_apps/ and its
# verbatim copies of the acceptance apps) and in standard mode over the package, with the errors counted by rule.
# With a reference interpreter (`--ref PYTHON`, default ~/.fh-anchors/ref/bin/python when it exists) the acceptance
# copies are also checked against the released package, for the comparison table in docs/typing.md.
# Exit status 1 when the framework causes any app error or the package has any standard-mode error.
#   tools/typecheck.sh            # needs `pip install basedpyright` in the project venv
#   tools/typecheck.sh --no-ref   # ours only
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
REF=$HOME/.fh-anchors/ref/bin/python
case "${1:-}" in --ref) REF=$2 ;; --no-ref) REF= ;; esac
[ -n "$REF" ] && [ ! -x "$REF" ] && REF=
exec "$PY" - "$REF" <<'EOF'
import collections, json, subprocess, sys, tempfile
from pathlib import Path
sys.path.insert(0, 'tests')
from test_typing import APPS, PENDING_MODULES, ROOT, app_own, basedpyright_exe, fmt

ref_py = sys.argv[1]
tmp = Path(tempfile.mkdtemp())

def errors(mode, targets, python, extra):
    cfg = tmp / f'{mode}-{len(list(tmp.iterdir()))}.json'
    cfg.write_text(json.dumps({'typeCheckingMode': mode, 'reportMissingModuleSource': False,
                               'extraPaths': [str(p) for p in extra]}))
    p = subprocess.run([basedpyright_exe(), '-p', str(cfg), '--pythonpath', python, '--outputjson',
                        *map(str, targets)], capture_output=True, text=True, check=False)
    return [d for d in json.loads(p.stdout)['generalDiagnostics'] if d['severity'] == 'error']

def table(title, errs):
    own = collections.Counter(d.get('rule') for d in errs if app_own(d))
    fw = collections.Counter(d.get('rule') for d in errs if not app_own(d))
    print(f'\n{title}: {len(errs)} errors, {sum(fw.values())} caused by the framework')
    for rule in sorted(set(own) | set(fw), key=lambda r: -(own[r] + fw[r])):
        print(f'  {rule:32} app\'s own {own[rule]:4}   framework {fw[rule]:4}')
    return fw

acc = APPS / 'acceptance'
ours = errors('basic', [acc], sys.executable, [ROOT, acc])
fw = table('acceptance apps, ours', ours)
if ref_py: table('acceptance apps, released package', errors('basic', [acc], ref_py, [acc]))
apps = errors('basic', [ROOT / 'examples', *[p for p in APPS.glob('*.py')]], sys.executable, [ROOT, acc])
fw += table('examples and idiom apps, ours', apps)
pkg = errors('standard', [ROOT / 'fasthtml'], sys.executable, [ROOT])
pending = [d for d in pkg if Path(d['file']).name in PENDING_MODULES]
print(f'\npackage, standard mode: {len(pkg)} errors, {len(pkg) - len(pending)} outside the pending modules '
      f'({", ".join(sorted(PENDING_MODULES))}: {len(pending)})')
bad = [d for d in pkg if d not in pending]
for d in [*bad, *[d for d in ours + apps if not app_own(d)]]: print('  ' + fmt(d))
sys.exit(1 if fw or bad else 0)
EOF

#!/usr/bin/env bash
# Black-box comparison with the released python-fasthtml (../shared/acceptance): run every acceptance app under the
# reference and under this checkout, then compare the canonicalised responses.
#
#   tools/acceptance.sh                      all apps; exit 0 only when every observation matches
#   tools/acceptance.sh --apps 05,13 --show 5   some apps (substrings of their names); other options go to compare.py
#
#   FH_ACCEPTANCE   harness folder                (default: ../shared/acceptance beside the checkout)
#   FH_ANCHORS      folder of the reference venv  (default: ~/.fh-anchors; created by setup_venvs.sh when missing)
#   FH_CAND_PYTHON  interpreter of our build      (default: .venv/bin/python, the editable dev install)
#   FH_ACC_OUT      where observations go         (default: /tmp/fh-acceptance)
# The reference's observations are cached, keyed by the apps' and harness' content and the reference version.
set -euo pipefail
cd "$(dirname "$0")/.."
ACC="${FH_ACCEPTANCE:-$(cd .. && pwd)/shared/acceptance}"
ANCHORS="${FH_ANCHORS:-$HOME/.fh-anchors}"
REF_PY="$ANCHORS/ref/bin/python"
CAND_PY="${FH_CAND_PYTHON:-$PWD/.venv/bin/python}"
OUT="${FH_ACC_OUT:-/tmp/fh-acceptance}"
[ -d "$ACC/apps" ] || { echo "error: no acceptance harness at $ACC; set FH_ACCEPTANCE" >&2; exit 2; }
[ -x "$CAND_PY" ] || { echo "error: $CAND_PY not found; run 'bash dev test' once or set FH_CAND_PYTHON" >&2; exit 2; }

apps=""; rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --apps) apps="$2"; shift 2 ;;
    --apps=*) apps="${1#--apps=}"; shift ;;
    *) rest+=("$1"); shift ;;
  esac
done

if ! "$REF_PY" -c 'import fasthtml' 2>/dev/null; then
  echo "== creating the reference venv in $ANCHORS/ref" >&2
  FH_ANCHORS="$ANCHORS" bash "$ACC/setup_venvs.sh" ref >&2
fi

mkdir -p "$OUT"
ref_ver=$("$REF_PY" -c 'import importlib.metadata as m; print(m.version("python-fasthtml"))')
key=$( (cat "$ACC"/apps/*.py "$ACC"/driver.py "$ACC"/obs.py "$ACC"/run.py; echo "$ref_ver $apps") | sha1sum | cut -c1-16)
ref_json="$OUT/ref-$key.json"
if [ ! -s "$ref_json" ]; then
  python3 "$ACC/run.py" --python "$REF_PY" --out "$ref_json.tmp" ${apps:+--apps "$apps"} -j 4
  mv "$ref_json.tmp" "$ref_json"
fi
python3 "$ACC/run.py" --python "$CAND_PY" --out "$OUT/cand.json" ${apps:+--apps "$apps"} -j 4
python3 "$ACC/compare.py" "$ref_json" "$OUT/cand.json" ${apps:+--apps "$apps"} ${rest[@]+"${rest[@]}"}

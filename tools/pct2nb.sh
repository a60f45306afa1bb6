#!/usr/bin/env bash
# Author notebooks as jupytext percent scripts: `tools/pct2nb.sh /tmp/pct/01_components.py nbs/api/01_components.ipynb`
# creates or updates the notebook (keeping cell ids), then exports and cleans. The .py script is not committed.
set -euo pipefail
src=$1; dst=$2
if [ -f "$dst" ]; then jupytext --quiet --to ipynb --update "$src" -o "$dst"; else jupytext --quiet --to ipynb "$src" -o "$dst"; fi
nbdev-clean --fname "$dst"
nbdev-export

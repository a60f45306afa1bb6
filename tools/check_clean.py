"""Fail when a notebook under nbs/ carries outputs or execution counts (run `nbdev-clean` to fix)."""
import json, sys
from pathlib import Path

dirty = []
for nb in sorted((Path(__file__).resolve().parent.parent/'nbs').rglob('*.ipynb')):
    for cell in json.loads(nb.read_text())['cells']:
        if cell['cell_type'] == 'code' and (cell.get('outputs') or cell.get('execution_count') is not None):
            dirty.append(str(nb)); break
if dirty: sys.exit('error: notebooks with outputs (run nbdev-clean): ' + ', '.join(dirty))

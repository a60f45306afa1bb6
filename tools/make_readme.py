"""Generate README.md from nbs/index.ipynb (nbdev's own readme step needs Quarto, which is not available here).

`python tools/make_readme.py` writes README.md; `--check` exits 1 when README.md is out of date.
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _is_hidden(src: str) -> bool:
    return any(line.strip() in ('#| hide', '#|hide') or line.startswith('#| default_exp') for line in src.splitlines())


def render_readme(nb_path: Path = ROOT/'nbs'/'index.ipynb') -> str:
    "Markdown cells verbatim, visible code cells as python blocks with `#|` directives removed"
    cells = json.loads(nb_path.read_text())['cells']
    parts = ['<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->']
    for cell in cells:
        src = ''.join(cell['source'])
        if cell['cell_type'] == 'markdown': parts.append(src.strip())
        elif cell['cell_type'] == 'code' and not _is_hidden(src):
            code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
            if code: parts.append(f'```python\n{code}\n```')
    return '\n\n'.join(parts) + '\n'


if __name__ == '__main__':
    text, out = render_readme(), ROOT/'README.md'
    if '--check' in sys.argv:
        if not out.exists() or out.read_text() != text:
            sys.exit('error: README.md is out of date; run `python tools/make_readme.py` and commit it')
    else: out.write_text(text)

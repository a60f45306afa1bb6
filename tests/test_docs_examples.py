"""Every ```python block of the guide pages in docs/ runs, top to bottom, one namespace per page.

A block right after an `<!-- norun -->` line is shown but not run (it starts a server, needs a provider account...).
Blocks run in a temporary directory (SQLite files land there) under `__name__ == 'docs_example'`, so `serve()` is a
no-op as it is on import. Pages written by other work are listed in OTHER_PAGES and left to their own tests.
"""
from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1]/'docs'
OTHER_PAGES = {'differences.md', 'data.md', 'security.md', 'typing.md', 'tools.md'}
FENCE = re.compile(r'(?P<pre>^[^\n]*\n)?^```(?P<lang>[\w-]*)[^\n]*\n(?P<code>.*?)^```\s*$', re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[tuple[int, str, bool]]:
    "(line, code, runs) for each ```python block of a Markdown page"
    out = []
    for m in FENCE.finditer(text):
        if m.group('lang') != 'python': continue
        line = text.count('\n', 0, m.start('code'))
        out.append((line, m.group('code'), '<!-- norun -->' not in (m.group('pre') or '')))
    return out


PAGES = sorted(p for p in DOCS.glob('*.md') if p.name not in OTHER_PAGES)


def test_guide_pages_have_examples():
    "Each topic page teaches with at least one example that runs"
    for p in PAGES:
        if p.name in ('llms.md', 'performance.md'): continue
        assert any(runs for _, _, runs in python_blocks(p.read_text())), f'{p.name} has no runnable example'


@pytest.mark.parametrize('page', PAGES, ids=[p.stem for p in PAGES])
def test_page_examples_run(page: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('FASTHTML_OFFLINE', '1')
    mod = types.ModuleType('docs_example')  # a real module, so dataclasses and pickling can find the classes
    monkeypatch.setitem(sys.modules, 'docs_example', mod)
    ns = mod.__dict__
    for line, code, runs in python_blocks(page.read_text()):
        if not runs: continue
        try: exec(compile(code, f'{page.name}:{line + 1}', 'exec'), ns)  # noqa: S102 (our own docs)
        except Exception as e:
            raise AssertionError(f'example at {page.name}:{line + 1} failed: {e!r}\n{code}') from e

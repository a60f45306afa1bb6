"""MkDocs hooks for the fasthtml site.

- `nbs/api/*.ipynb` become the "API notebooks" pages (`api/<module>.html`), rendered by mkdocs-jupyter unexecuted.
- Each module gets a reference page (`reference/<module>.html`): mkdocstrings for the names it defines, and a table
  of the names it re-exports that links each one to where it is documented.
- After the build: a Markdown copy of every page next to it (`<page>.html.md`), `llms.txt` listing them and
  `llms-ctx.txt` with their text, made by the `llms-txt` package.
- Nothing from another host: the offline plugin's CDN polyfill is dropped; nav entries for pages that do not exist
  (yet) are dropped rather than failing the strict build.
"""
from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
NBS_API = ROOT/'nbs'/'api'
ALIAS_ONLY = {'common', 'core', 'starlette'}  # modules that gather names defined elsewhere


@dataclass
class ApiModule:
    name: str      # module name inside the package, e.g. 'core'
    notebook: Path
    title: str
    summary: str

    @property
    def nb_uri(self) -> str: return f'api/{self.name}.ipynb'
    @property
    def ref_uri(self) -> str: return f'reference/{self.name}.md'


def _cell_src(cell) -> str:
    src = cell.get('source', '')
    return ''.join(src) if isinstance(src, list) else src


@cache
def api_modules() -> tuple[ApiModule, ...]:
    "One entry per `nbs/api` notebook that exports a module, in notebook order"
    mods = []
    for nb in sorted(NBS_API.glob('*.ipynb')):
        cells = json.loads(nb.read_text())['cells']
        srcs = [_cell_src(c) for c in cells]
        exp = next((m.group(1) for s in srcs if (m := re.search(r'^#\s*\|\s*default_exp\s+(\S+)', s, re.MULTILINE))), None)
        if exp is None: continue
        head = next((s for c, s in zip(cells, srcs) if c['cell_type'] == 'markdown' and s.lstrip().startswith('# ')),
                    f'# {exp}')
        lines = head.strip().splitlines()
        title = lines[0][2:].strip()
        summary = ' '.join(ln.lstrip('> ').strip() for ln in lines[1:] if ln.startswith('>'))
        mods.append(ApiModule(exp, nb, title, summary))
    return tuple(mods)


def _griffe_pkg():
    import griffe
    return griffe.load('fasthtml', search_paths=[str(ROOT)], resolve_aliases=False)


@cache
def module_names() -> dict[str, tuple[list[str], list[tuple[str, str]]]]:
    "For each module: (names it defines, [(name, origin)] it re-exports), from its `__all__`"
    pkg = _griffe_pkg()
    out = {}
    for m in api_modules():
        mod = importlib.import_module(f'fasthtml.{m.name}')
        gmod = pkg[m.name]
        local, reexp = [], []
        for n in getattr(mod, '__all__', []):
            g = gmod.members.get(n)
            if g is not None and not g.is_alias and m.name not in ALIAS_ONLY: local.append(n)
            else: reexp.append((n, g.target_path if g is not None and g.is_alias else ''))
        out[m.name] = (local, reexp)
    return out


def _home(name: str, origin: str) -> str|None:
    "The module whose reference page documents `name`, following `origin` when it names one of ours"
    defined = {m: loc for m, (loc, _) in module_names().items()}
    if origin.startswith('fasthtml.'):
        mod = origin.split('.')[1]
        if name in defined.get(mod, ()): return mod
    return next((m for m, loc in defined.items() if name in loc), None)


def _runtime_origin(modname: str, name: str) -> str:
    obj = getattr(importlib.import_module(f'fasthtml.{modname}'), name, None)
    mod = getattr(obj, '__module__', None) if callable(obj) or isinstance(obj, type) else None
    return mod or ''


def reference_page(m: ApiModule) -> str:
    local, reexp = module_names()[m.name]
    out = [f'# `fasthtml.{m.name}` — {m.title}', '', m.summary, '',
           (f'The notebook [{m.title}](../{m.nb_uri}) explains this module with examples and tests. '
           f'Every name in `fasthtml.{m.name}.__all__` is listed below.'), '']
    if local:
        opts = json.dumps(local)
        out += ['## Defined here', '', f'::: fasthtml.{m.name}', '    options:', f'      members: {opts}',
                '      heading_level: 3', '']
    if reexp:
        out += ['## Re-exported names', '',
                'These names are importable from this module and defined in another one.', '',
                '| name | documented in |', '|---|---|']
        for n, origin in reexp:
            home = _home(n, origin)
            if home: where = f'[`fasthtml.{home}.{n}`][fasthtml.{home}.{n}]'
            else:
                src = origin if origin and not origin.startswith('fasthtml.') else _runtime_origin(m.name, n)
                where = f'`{src}` (a dependency)' if src else 'a dependency (star import)'
            out.append(f'| <span id="reexport-{n}"></span>`{n}` | {where} |')
        out.append('')
    return '\n'.join(out)


def reference_index() -> str:
    out = ['# API reference', '', ('One page per module: its public names (`__all__`) with signature and docstring. '
           'Apps usually import everything from `fasthtml.common`.'), '', '| module | what it is for |', '|---|---|']
    out += [f'| [`fasthtml.{m.name}`]({m.name}.md) | {m.summary} |' for m in api_modules()]
    return '\n'.join(out) + '\n'


# ---------------------------------------------------------------------------------------------------- mkdocs hooks
def _prune_nav(items, docs_dir: Path):
    "Drop nav entries whose page is missing from docs/ (pages written by other work that have not landed yet)"
    out = []
    for it in items:
        if isinstance(it, dict):
            (k, v), = it.items()
            if isinstance(v, list): out.append({k: _prune_nav(v, docs_dir)})
            elif isinstance(v, str) and not v.startswith('http') and not (docs_dir/v).exists(): continue
            else: out.append(it)
        elif isinstance(it, str) and not (docs_dir/it).exists(): continue
        else: out.append(it)
    return out


def on_config(config):
    config.extra['polyfills'] = [p for p in config.extra.get('polyfills', []) if '://' not in str(p)]
    docs_dir = Path(config.docs_dir)
    nav = _prune_nav(config.nav or [], docs_dir)
    for i, it in enumerate(nav):
        if not isinstance(it, dict): continue
        (k, _v), = it.items()
        if k == 'API notebooks': nav[i] = {k: [{f'{m.title} ({m.name})': m.nb_uri} for m in api_modules()]}
        if k == 'API reference':
            nav[i] = {k: [{'Overview': 'reference/index.md'}] + [{m.name: m.ref_uri} for m in api_modules()]}
    config.nav = nav
    return config


def on_files(files: Files, config):
    from mkdocs_jupyter.plugin import NotebookFile
    for m in api_modules():
        nbf = NotebookFile(File.generated(config, m.nb_uri, abs_src_path=str(m.notebook)), **config)
        nbf.abs_src_path = str(m.notebook)  # a cached property: the wrapper would recompute it from src_dir (None)
        files.append(nbf)
        files.append(File.generated(config, m.ref_uri, content=reference_page(m)))
    files.append(File.generated(config, 'reference/index.md', content=reference_index()))
    # placeholders so pages may link to them; the real text is written after the build
    for name in ('llms.txt', 'llms-ctx.txt'): files.append(File.generated(config, name, content=''))
    return files


# Absolute links in docstrings that point at pages of the reference implementation's site: where they live here.
LINK_MAP = {'/tutorials/quickstart_for_web_devs.html#code-highlighting': 'components.html#markdown-and-code-highlighting'}


def _flat_toc(items) -> list:
    out = []
    for it in items: out += [it, *_flat_toc(it.children)]
    return out


def _fix_toc(items, heads: list[tuple[str, str]]):
    "mkdocs-jupyter slugs TOC titles with code removed (`The class`), nbconvert keeps it: use the heading ids"
    toc = _flat_toc(items)
    ids = [i for i, _ in heads]
    if len(toc) == len(heads):
        for it, i in zip(toc, ids): it.id = i
        return
    by_title = {re.sub(r'<[^>]+>', '', t).strip(): i for i, t in heads}
    for it in toc:
        if it.id not in ids and (new := by_title.get(re.sub(r'<[^>]+>|`', '', it.title).strip())): it.id = new


def on_page_content(html, page, config, files):
    "Point docstring links at our pages; align a notebook page's table of contents with its heading ids"
    depth = page.file.url.count('/')
    for old, new in LINK_MAP.items(): html = html.replace(f'href="{old}"', f'href="{"../" * depth}{new}"')
    if page.file.src_uri.endswith('.ipynb'):
        heads = re.findall(r'<h[1-6][^>]*\bid="([^"]+)"[^>]*>(.*?)<a class="anchor-link"', html, re.DOTALL)
        _fix_toc(page.toc.items, heads)
    return html


_markdown: dict[str, tuple[str, str]] = {}  # page url -> (title, markdown source)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.endswith('.md'): _markdown[page.file.url] = (page.title or '', markdown)
    return markdown


def notebook_markdown(nb: Path) -> str:
    "A notebook as Markdown for llms-ctx: its prose, and its visible code cells as fenced Python"
    parts = []
    for c in json.loads(nb.read_text())['cells']:
        src = _cell_src(c).strip()
        if not src: continue
        if c['cell_type'] == 'markdown': parts.append(src)
        elif c['cell_type'] == 'code':
            if re.match(r'#\s*\|\s*(hide|default_exp)', src): continue
            parts.append(f'```python\n{src}\n```')
    return '\n\n'.join(parts) + '\n'


def llms_index(config) -> str:
    "llms.txt: the guide pages, then the API notebooks, then the reference pages as the optional part"
    guide, optional = [], []
    def walk(items):
        for it in items:
            (k, v), = it.items() if isinstance(it, dict) else ((None, it),)
            if isinstance(v, list): walk(v)
            elif v.endswith('.md') and not v.startswith(('reference/', 'llms')):
                url = v[:-3] + '.html'
                if url in _markdown:
                    title = k or _markdown[url][0]
                    (optional if v in ('performance.md',) else guide).append((title, url))
    walk(config.nav)
    out = [f'# {config.site_name}', '', f'> {config.site_description}', '',
           ('A from-scratch implementation of the FastHTML API: `from fasthtml.common import *` apps run unchanged. '
           'Each link below is the Markdown text of one page of this site.'), '', '## Docs', '']
    out += [f'- [{t}]({u}.md)' for t, u in guide]
    out += ['', '## API', '']
    out += [f'- [fasthtml.{m.name}](api/{m.name}.html.md): {m.summary}' for m in api_modules()]
    out += ['', '## Optional', '']
    out += [f'- [{t}]({u}.md)' for t, u in optional]
    out += [f'- [Reference: fasthtml.{m.name}](reference/{m.name}.html.md)' for m in api_modules()]
    return '\n'.join(out) + '\n'


def on_post_build(config):
    import llms_txt.core as lc
    site = Path(config.site_dir)
    for url, (_, md) in _markdown.items(): (site/f'{url}.md').write_text(md)
    for m in api_modules(): (site/f'api/{m.name}.html.md').write_text(notebook_markdown(m.notebook))
    index = llms_index(config)
    (site/'llms.txt').write_text(index)
    # llms-txt fetches each link over HTTP; the pages are right here, so read them from the built site instead
    lc.get_doc_content = lambda url: (site/url).read_text()
    (site/'llms-ctx.txt').write_text(lc.create_ctx(index, optional=False, n_workers=1))
    (site/'llms-ctx-full.txt').write_text(lc.create_ctx(index, optional=True, n_workers=1))


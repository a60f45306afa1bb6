"""The documentation site: it builds in strict mode, the API reference covers every public name, every public
function and class has a docstring, no internal link is broken, nothing loads from another host, and the build
writes llms.txt / llms-ctx.txt.

The site is built once per test session (shared by xdist workers through a lock) by `tools/build_docs.sh`. Without
the docs tools the tests skip and say how to install them; with `FH_REQUIRE_DOCS=1` they fail instead.
"""
from __future__ import annotations

import fcntl
import functools
import importlib
import inspect
import os
import re
import subprocess
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS_TOOLS = 'mkdocs-material mkdocs-jupyter mkdocstrings-python llms-txt'
HOW_TO = f'the docs tests need the docs tools: .venv/bin/pip install {DOCS_TOOLS}'


def _missing() -> str|None:
    for mod in ('mkdocs', 'material', 'mkdocs_jupyter', 'mkdocstrings_handlers.python', 'llms_txt'):
        try: importlib.import_module(mod)
        except ImportError: return f'{mod} is not installed'
    return None


def build_site(base: Path) -> tuple[Path, subprocess.CompletedProcess]:
    "Build the site once into `base/docs-site` (other processes wait on the lock and reuse it)"
    site, log = base/'docs-site', base/'docs-build.log'
    with open(base/'docs-build.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base/'docs-build.rc').exists():
            res = subprocess.run(['bash', str(ROOT/'tools'/'build_docs.sh'), str(site)], check=False, cwd=ROOT,
                                 capture_output=True, text=True, timeout=600)
            log.write_text(res.stdout + res.stderr)
            (base/'docs-build.rc').write_text(str(res.returncode))
    rc = int((base/'docs-build.rc').read_text())
    return site, subprocess.CompletedProcess([], rc, log.read_text(), '')


@pytest.fixture(scope='session')
def built_site(tmp_path_factory) -> Path:
    "The built site's folder; fails with the build log when the strict build fails"
    why = _missing()
    if why:
        if os.environ.get('FH_REQUIRE_DOCS') == '1': pytest.fail(f'{why}; {HOW_TO}')
        pytest.skip(f'{why}; {HOW_TO}')
    base = tmp_path_factory.getbasetemp()
    base = base.parent if os.environ.get('PYTEST_XDIST_WORKER') else base
    site, res = build_site(base)
    if res.returncode: pytest.fail(f'strict docs build failed:\n{res.stdout[-5000:]}')
    return site


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *a): pass


@pytest.fixture(scope='session')
def site_url(built_site):
    "The built site served over HTTP on a free loopback port"
    srv = ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(built_site)))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f'http://127.0.0.1:{srv.server_address[1]}/'
    srv.shutdown()
    srv.server_close()


def public_modules() -> list[str]:
    return sorted(p.stem for p in (ROOT/'fasthtml').glob('*.py') if not p.stem.startswith('_'))


def test_strict_build(built_site):
    for page in ('index.html', 'tutorial.html', 'routes.html', 'reference/index.html', 'api/core.html',
                 'performance.html', 'search/search_index.json'):
        assert (built_site/page).exists(), f'{page} missing from the built site'


@pytest.mark.parametrize('mod', public_modules())
def test_public_names_documented(mod):
    "Every public function and class defined in a module has a docstring"
    m = importlib.import_module(f'fasthtml.{mod}')
    assert hasattr(m, '__all__'), f'fasthtml.{mod} has no __all__'
    missing = []
    for name in m.__all__:
        obj = getattr(m, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)) or obj.__module__ != m.__name__: continue
        doc = obj.__dict__.get('__doc__') if inspect.isclass(obj) else obj.__doc__
        if not (doc or '').strip(): missing.append(name)
    assert not missing, f'fasthtml.{mod}: public names without a docstring: {missing}'


@pytest.mark.parametrize('mod', public_modules())
def test_api_reference_covers_all(built_site, mod):
    "Each name in `__all__` has an entry on the module's reference page"
    page = built_site/'reference'/f'{mod}.html'
    assert page.exists(), f'no reference page for fasthtml.{mod} (is there an nbs/api notebook for it?)'
    ids = set(re.findall(r'\bid="([^"]+)"', page.read_text()))
    m = importlib.import_module(f'fasthtml.{mod}')
    missing = [n for n in m.__all__ if f'fasthtml.{mod}.{n}' not in ids and f'reexport-{n}' not in ids]
    assert not missing, f'reference/{mod}.html has no entry for {missing}'


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.loads = [], set(), []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a: self.ids.add(a['id'])
        if tag == 'a' and a.get('name'): self.ids.add(a['name'])
        for k in ('href', 'src'):
            v = a.get(k)
            if not v: continue
            self.links.append(v)
            loads = tag in ('script', 'img', 'iframe') or (tag == 'link' and a.get('rel') != 'canonical')
            if loads and urlsplit(v).scheme in ('http', 'https'): self.loads.append(v)


def test_links_and_no_offsite_loads(site_url):
    "Crawl every page from the home page over HTTP: 0 broken internal links or anchors, no script/style from elsewhere"
    host = urlsplit(site_url).netloc
    seen, queue, pages = set(), [site_url], {}
    broken, offsite = [], []
    links_of: dict[str, list[str]] = {}
    while queue:
        url = queue.pop()
        if url in seen: continue
        seen.add(url)
        try:
            with urlopen(url, timeout=10) as r: body, ctype = r.read(), r.headers.get('content-type', '')
        except OSError as e:
            broken.append(f'{url}: {e}')
            continue
        if 'html' not in ctype: continue
        p = _Links()
        p.feed(body.decode('utf-8', 'replace'))
        pages[url] = p.ids
        offsite += [f'{url} loads {x}' for x in p.loads]
        links_of[url] = []
        for link in p.links:
            full = urljoin(url, link)
            parts = urlsplit(full)
            if parts.netloc != host or parts.scheme not in ('http', 'https'): continue
            links_of[url].append(full)
            queue.append(full.split('#')[0])
    for url, links in links_of.items():
        for full in links:
            page, _, frag = full.partition('#')
            if frag and page in pages and unquote(frag) not in pages[page]:
                broken.append(f'{url} -> #{frag} (no such anchor on {page})')
    assert len(pages) > 20, f'the crawl found only {len(pages)} pages'
    assert not broken, f'{len(broken)} broken internal links:\n' + '\n'.join(broken[:40])
    assert not offsite, 'pages load from another host:\n' + '\n'.join(offsite[:20])


def test_llms_txt(built_site):
    "llms.txt lists the pages, every link resolves, and llms-ctx.txt holds their text"
    from llms_txt import parse_llms_file
    txt = (built_site/'llms.txt').read_text()
    d = parse_llms_file(txt)
    assert d.title == 'fasthtml' and {'Docs', 'API', 'Optional'} <= set(d.sections)
    for sect in d.sections.values():
        for link in sect: assert (built_site/link['url']).exists(), f"llms.txt links to missing {link['url']}"
    ctx = (built_site/'llms-ctx.txt').read_text()
    assert ctx.startswith('<project title="fasthtml"')
    assert 'Tutorial: a todo app, step by step' in ctx and 'def fill_form' not in ctx.split('<doc')[0]
    assert len((built_site/'llms-ctx-full.txt').read_text()) > len(ctx)

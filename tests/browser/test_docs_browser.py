"The documentation site in Chromium: home page and a topic page render, the navigation leads there, search finds it."
from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *a): pass


@pytest.fixture
def docs_url(tmp_path_factory):
    from test_docs import _missing, build_site, HOW_TO  # the same one-per-session build as tests/test_docs.py
    why = _missing()
    if why:
        if os.environ.get('FH_REQUIRE_DOCS') == '1': pytest.fail(f'{why}; {HOW_TO}')
        pytest.skip(f'{why}; {HOW_TO}')
    base = tmp_path_factory.getbasetemp()
    base = base.parent if os.environ.get('PYTEST_XDIST_WORKER') else base
    site, res = build_site(base)
    if res.returncode: pytest.fail(f'strict docs build failed:\n{res.stdout[-5000:]}')
    srv = ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_address[1]}'
    srv.shutdown()
    srv.server_close()


def test_docs_home_nav_search(docs_url, page, shot):
    page.goto(docs_url + '/index.html')
    expect(page.locator('article h1')).to_contain_text('fasthtml')
    shot(page, 'docs_home')

    nav = page.locator('nav.md-nav--primary')
    nav.get_by_role('link', name='Routes', exact=True).first.click()  # the sidebar leads to a topic page
    expect(page).to_have_url(docs_url + '/routes.html')
    expect(page.locator('article h1')).to_contain_text('Routes')
    expect(page.locator('article pre code').first).to_contain_text('fast_app')
    shot(page, 'docs_routes')

    page.keyboard.press('/')  # Material's search shortcut; the index is served by the site itself
    box = page.locator('input.md-search__input')
    expect(box).to_be_focused()
    box.fill('fill_form')
    hits = page.locator('.md-search-result__item')
    expect(hits.first).to_be_visible()
    expect(page.locator('.md-search-result')).to_contain_text('Forms')
    shot(page, 'docs_search')
    hits.first.locator('a').first.click()
    expect(page.locator('article h1')).not_to_contain_text('Routes')

"The documentation site in Chromium: home page and a topic page render, the navigation leads there, search finds it."
from __future__ import annotations

import pytest
import test_docs
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The one-per-session strict build and its loopback server, shared with tests/test_docs.py.
built_site, site_url = test_docs.built_site, test_docs.site_url


@pytest.fixture
def docs_url(site_url) -> str:
    "The served site's base URL, without the trailing slash"
    return site_url.rstrip('/')


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

"""Chromium renders a page holding the whole XSS corpus (every tag and helper x every payload): no alert, no script
runs, no event handler exists, and the payload text is visible as text."""
from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Server

TESTS = Path(__file__).resolve().parents[1]

APP = f'''
import sys
sys.path.insert(0, {str(TESTS)!r})
from fasthtml.common import FastHTML, Div, Script
from test_xss import corpus_page, PAYLOADS

app = FastHTML(secret_key='k', key_fname='/dev/null', default_hdrs=False)

@app.get('/')
def index():
    # The one script of the page, ours: records whether anything else ran.
    return Script('window.__ran = [];'), Div(*corpus_page(), id='corpus')
'''


@pytest.mark.browser
def test_corpus_does_not_execute(browser_ctx, page, tmp_path):
    (tmp_path/'xss_app.py').write_text(APP)
    server = Server('xss_app', tmp_path, tmp_path/'xss_app.log')
    try:
        dialogs = []
        page.on('dialog', lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server.url + '/')
        page.wait_for_load_state('load')
        page.mouse.move(10, 10)
        page.keyboard.press('Tab')
        page.wait_for_timeout(300)   # let autofocus/onload/onerror handlers fire if any were live
        found = page.evaluate('''() => {
            const scripts = document.querySelectorAll('script').length;
            let handlers = 0;
            for (const el of document.querySelectorAll('*'))
                for (const a of el.attributes) if (a.name.startsWith('on')) handlers++;
            const iframes = document.querySelectorAll('iframe[srcdoc]').length;
            return {scripts, handlers, iframes, text: document.getElementById('corpus').textContent.length};
        }''')
    finally:
        server.stop()
    assert dialogs == []
    assert found['scripts'] == 1 and found['handlers'] == 0 and found['iframes'] == 0, found
    assert found['text'] > 10000

"""examples/demo.py, the app `bash dev demo` serves: its page and each htmx interaction."""
import importlib.util
from pathlib import Path

import pytest
from starlette.testclient import TestClient

DEMO = Path(__file__).resolve().parents[1] / 'examples' / 'demo.py'
HX = {'HX-Request': '1'}


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = importlib.util.spec_from_file_location('fh_demo', DEMO)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod, TestClient(mod.app)


def test_page(demo):
    _, c = demo
    page = c.get('/').text
    assert '<h1>FastHTML demo</h1>' in page and 'pico' in page
    assert 'hx-post="/count"' in page and 'hx-post="/ideas"' in page and 'Write a handler' in page


def test_counter_counts_per_session(demo):
    _, c = demo
    assert [c.post('/count', headers=HX).text for _ in range(3)] == ['1', '2', '3']
    assert '<strong id="count">3</strong>' in c.get('/').text


def test_add_idea_returns_the_list_with_a_toast(demo):
    mod, c = demo
    frag = c.post('/ideas', data={'text': 'Ship it'}, headers=HX).text
    assert frag.startswith('<ul id="ideas">') and 'Ship it' in frag
    assert mod.ideas[-1].text == 'Ship it'


def test_toggle_and_missing_idea(demo):
    mod, c = demo
    was = mod.ideas[0].done
    li = c.post('/ideas/0/toggle', headers=HX).text
    assert mod.ideas[0].done is not was and li.startswith('<li')
    r = c.post('/ideas/99/toggle', headers=HX)
    assert r.status_code == 404 and 'No idea number 99' in r.text

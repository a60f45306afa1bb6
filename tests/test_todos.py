"""`examples/todos.py`, the walkthrough todo app, end to end through the test client, on SQLite (the default) and on
PostgreSQL (the same file, `DATABASE_URL` set); plus a missing row answering 404 and fast_app opening a URL."""
from __future__ import annotations

import importlib.util
import itertools
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from fasthtml.common import fast_app
from fasthtml.db import SQLDatabase
from test_db import pg_server  # noqa: F401 (the throwaway PostgreSQL fixture)

EXAMPLE = Path(__file__).resolve().parents[1]/'examples'/'todos.py'
_n = itertools.count()


@pytest.fixture(params=['sqlite', 'postgresql'])
def target(request, tmp_path):
    if request.param == 'sqlite': return str(tmp_path/'data'/'todos.db')
    return request.getfixturevalue('pg_server').new_database()


def load_app(monkeypatch, tmp_path, target: str):
    "Import examples/todos.py afresh with `DATABASE_URL=target`, run in `tmp_path`"
    monkeypatch.setenv('DATABASE_URL', target)
    monkeypatch.chdir(tmp_path)
    spec = importlib.util.spec_from_file_location(f'todos_example_{next(_n)}', EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def login(c: TestClient, name: str, pwd: str = 'pw'):
    r = c.post('/login', data={'name': name, 'pwd': pwd}, follow_redirects=False)
    assert r.status_code == 303 and r.headers['location'] == '/'


HX = {'HX-Request': '1'}


def ids(html: str) -> list[int]: return [int(x) for x in re.findall(r'id="todo-(\d+)"', html)]


def test_todo_flow(monkeypatch, tmp_path, target):
    mod = load_app(monkeypatch, tmp_path, target)
    assert isinstance(mod.todos.db, SQLDatabase) == target.startswith('postgresql')
    c = TestClient(mod.app)
    assert c.get('/', follow_redirects=False).headers['location'] == '/login'
    login(c, 'ada')
    for title in ['Buy milk', 'Write <tests>', 'Ship it']:
        r = c.post('/', data={'title': title}, headers=HX)
        assert r.status_code == 200 and 'hx-swap-oob' in r.text
    page = c.get('/').text
    assert ids(page) == [1, 2, 3] and 'Write &lt;tests&gt;' in page
    r = c.post('/toggle/1', headers=HX)  # toggle
    assert '✅' in r.text and 'undo' in r.text
    assert '✅' not in c.post('/toggle/1', headers=HX).text
    form = c.get('/edit/2', headers=HX).text  # edit: the form comes filled from the row
    assert 'value="Write &lt;tests&gt;"' in form and re.search(r'<input type="hidden" value="2" id="id"', form)
    r = c.put('/', data={'id': '2', 'title': 'Write more tests', 'done': '1', 'details': 'lots'}, headers=HX)
    assert r.status_code == 200 and 'Write more tests' in r.text and '✅' in r.text
    assert 'lots' in c.get('/todos/2', headers=HX).text
    r = c.post('/reorder', data={'id': ['3', '1', '2']}, headers=HX)  # sort
    assert ids(r.text) == [3, 1, 2] and ids(c.get('/').text) == [3, 1, 2]
    assert c.delete('/todos/1', headers=HX).status_code == 200  # delete
    assert ids(c.get('/').text) == [3, 2]
    assert c.get('/todos/1', headers=HX).status_code == 404
    assert c.post('/toggle/1', headers=HX).status_code == 404


def test_users_see_only_their_todos(monkeypatch, tmp_path, target):
    mod = load_app(monkeypatch, tmp_path, target)
    ada, bob = TestClient(mod.app), TestClient(mod.app)
    login(ada, 'ada')
    login(bob, 'bob')
    ada.post('/', data={'title': 'ada secret'}, headers=HX)
    bob.post('/', data={'title': 'bob todo'}, headers=HX)
    assert 'ada secret' not in bob.get('/').text and ids(bob.get('/').text) == [2]
    for r in (bob.get('/todos/1', headers=HX), bob.get('/edit/1', headers=HX), bob.post('/toggle/1', headers=HX),
              bob.delete('/todos/1', headers=HX),
              bob.put('/', data={'id': '1', 'title': 'hacked'}, headers=HX)):
        assert r.status_code == 404
    assert 'ada secret' in ada.get('/').text
    bad = TestClient(mod.app)
    bad.post('/login', data={'name': 'ada', 'pwd': 'wrong'})
    assert bad.get('/', follow_redirects=False).status_code == 303  # wrong password: still logged out


def test_bad_input_is_4xx(monkeypatch, tmp_path):
    mod = load_app(monkeypatch, tmp_path, str(tmp_path/'t.db'))
    c = TestClient(mod.app, raise_server_exceptions=False)
    login(c, 'ada')
    assert 400 <= c.get('/todos/abc', headers=HX).status_code < 500
    assert 400 <= c.post('/reorder', data={'id': ['x']}, headers=HX).status_code < 500
    r = c.post('/', data={'title': '  '}, headers=HX)  # nothing to add
    assert r.status_code == 200 and ids(c.get('/').text) == []


def test_missing_row_is_404_by_default(tmp_path):
    "A NotFoundError from `table[id]` is a 404 (the reference answers 500) when the app maps nothing itself"
    app, rt, todos, _ = fast_app(str(tmp_path/'t.db'), todos={'id': int, 'title': str, 'pk': 'id'})

    @rt('/t/{id}')
    def get(id: int): return todos[id].title
    c = TestClient(app, raise_server_exceptions=False)
    todos.insert(title='x')
    assert c.get('/t/1').text == 'x'
    assert c.get('/t/2').status_code == 404
    assert c.get('/t/2', headers=HX).status_code == 404


def test_fast_app_opens_a_postgres_url(request):
    url = request.getfixturevalue('pg_server').new_database()
    _, _, todos, Todo = fast_app(url, todos={'id': int, 'title': str, 'done': bool, 'pk': 'id'})
    assert isinstance(todos.db, SQLDatabase)
    t = todos.insert(Todo(title='pg', done=False))
    assert todos[t.id].title == 'pg' and Todo.__name__ == 'Todos'
    _, _, todos2, _ = fast_app(url, todos={'id': int, 'title': str, 'done': bool, 'prio': int, 'pk': 'id'})
    assert list(todos2.columns_dict) == ['id', 'title', 'done', 'prio'] and todos2[t.id].title == 'pg'

"""The MiniDataAPI as apps meet it, on every backend `fasthtml.db.open_db` opens, from one parametrised suite.

Backends: SQLite through fastlite (the default), our SQLAlchemy adapter on SQLite, and the adapter on a real
PostgreSQL server started by the `pg_server` fixture (initdb + pg_ctl in a temporary directory, loopback port).
Without the PostgreSQL binaries those cases skip with a message; with `FH_REQUIRE_PG=1` (CI) they fail.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time

import pytest
from fastlite import NotFoundError

from fasthtml.common import Form, Input, fill_dataclass, fill_form, to_xml
from fasthtml.db import SQLDatabase, SQLITE_PRAGMAS, open_db
from ports import free_port

PG_HOW_TO = 'PostgreSQL tests need the server binaries: run `bash tools/pg_setup.sh` (Debian: apt-get install postgresql)'


def _pg_bin(name: str) -> str | None:
    return shutil.which(name) or next(iter(sorted(glob.glob(f'/usr/lib/postgresql/*/bin/{name}'), reverse=True)), None)


class PgServer:
    "A throwaway PostgreSQL cluster in a temporary directory on a free loopback port (as `postgres` when root)"
    def __init__(self):
        self.initdb, self.pg_ctl = _pg_bin('initdb'), _pg_bin('pg_ctl')
        self.dir = tempfile.mkdtemp(prefix='fh-pg-')
        self.data, self.port = os.path.join(self.dir, 'data'), free_port()
        self.user = None
        if os.geteuid() == 0:  # postgres refuses to run as root
            self.user = 'postgres'
            try: pw = pwd.getpwnam(self.user)
            except KeyError: raise RuntimeError('running as root needs a `postgres` user (tools/pg_setup.sh)') from None
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self._run(self.initdb, '-D', self.data, '-U', 'fh', '--auth=trust', '-E', 'UTF8', '--no-sync')
        opts = f'-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200'
        self._run(self.pg_ctl, '-D', self.data, '-o', opts, '-l', os.path.join(self.dir, 'log'), '-w', 'start')
        self.url = f'postgresql://fh@127.0.0.1:{self.port}'
        self._n = itertools.count()

    def _run(self, *cmd: str):
        if self.user: cmd = ('runuser', '-u', self.user, '--', *cmd)
        res = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)
        if res.returncode: raise RuntimeError(f'{cmd} failed:\n{res.stdout}\n{res.stderr}')

    def new_database(self) -> str:
        "URL of a fresh, empty database"
        import psycopg
        name = f'fh_{os.getpid()}_{next(self._n)}'
        with psycopg.connect(f'{self.url}/postgres', autocommit=True) as conn: conn.execute(f'CREATE DATABASE {name}')
        return f'{self.url}/{name}'

    def stop(self):
        try: self._run(self.pg_ctl, '-D', self.data, '-m', 'immediate', 'stop')
        finally: shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope='session')
def pg_server():
    "A running throwaway PostgreSQL, or a skip (a failure under FH_REQUIRE_PG=1) when it can't be had"
    why = None
    if not (_pg_bin('initdb') and _pg_bin('pg_ctl')): why = 'no initdb/pg_ctl found'
    else:
        try: import psycopg  # noqa: F401
        except ImportError: why = "psycopg is not installed (pip install 'psycopg[binary]')"
    if why:
        if os.environ.get('FH_REQUIRE_PG') == '1': pytest.fail(f'{why}; {PG_HOW_TO}')
        pytest.skip(f'{why}; {PG_HOW_TO}')
    srv = PgServer()
    yield srv
    srv.stop()


BACKENDS = ['fastlite', 'sqlalchemy-sqlite', 'postgresql']


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path):
    "(name, target string for open_db) for each backend"
    if request.param == 'fastlite': return request.param, str(tmp_path/'data'/'app.db')
    if request.param == 'sqlalchemy-sqlite':
        if os.environ.get('FH_REQUIRE_PG') != '1': pytest.importorskip('sqlalchemy', reason=PG_HOW_TO)
        return request.param, f'sqlite+pysqlite:///{tmp_path}/sa.db'
    return request.param, request.getfixturevalue('pg_server').new_database()


@pytest.fixture
def db(backend):
    d = open_db(backend[1])
    yield d
    d.close()


@pytest.fixture
def todos(db):
    t = db.t.todos.create(id=int, title=str, done=bool, name=str, priority=int, pk='id', transform=True)
    t.dataclass()
    return t


def test_open_db_picks_the_engine(backend, db):
    name, _ = backend
    assert isinstance(db, SQLDatabase) == (name != 'fastlite')
    if name == 'fastlite':  # fasthtml's SQLite settings
        assert [next(db.execute(f'PRAGMA {p}'))[0] for p in SQLITE_PRAGMAS] == ['wal', 1, 5000]


def test_insert_forms_and_get(todos):
    Todo = todos.cls
    a = todos.insert(Todo(title='a', done=False, name='u1', priority=1))
    b = todos.insert({'title': 'b', 'done': True, 'name': 'u2', 'priority': 2})
    c = todos.insert(title='c', name='u1')
    assert (a.id, b.id, c.id) == (1, 2, 3)
    assert isinstance(a, Todo) and a.title == 'a' and not a.done and bool(b.done) and c.done is None
    assert todos[2].title == 'b' and todos.get(2) == todos[2]
    assert todos.get(99, default=None) is None
    with pytest.raises(NotFoundError): todos[99]
    with pytest.raises(NotFoundError): todos.get(99)


def test_update_upsert_delete(todos):
    t = todos.insert(title='a', done=False, priority=1)
    t.done, t.title = True, 'A'
    u = todos.update(t)
    assert (u.title, bool(u.done)) == ('A', True) and todos[t.id].title == 'A'
    assert todos.update({'id': t.id, 'priority': 7}).priority == 7
    assert todos.update(id=t.id, title='kw').title == 'kw'
    with pytest.raises(NotFoundError): todos.update({'id': 99, 'title': 'x'})
    assert todos.upsert({'id': t.id, 'title': 'up', 'priority': 3}).title == 'up'
    assert todos.upsert({'id': 50, 'title': 'new'}).id == 50 and todos[50].title == 'new'
    assert todos.delete(t.id) is todos
    with pytest.raises(NotFoundError): todos.delete(t.id)
    with pytest.raises(NotFoundError): todos[t.id]
    assert [x.id for x in todos()] == [50]


def test_call_where_order_limit_offset_select(todos):
    for i, (title, done) in enumerate([('b', True), ('a', False), ('d', True), ('c', False)]):
        todos.insert(title=title, done=done, priority=10 - i, name='u')
    assert [t.title for t in todos()] == ['b', 'a', 'd', 'c']
    assert [t.title for t in todos(order_by='title')] == ['a', 'b', 'c', 'd']
    assert [t.title for t in todos(order_by='priority desc', limit=2)] == ['b', 'a']
    assert [t.title for t in todos(order_by='id', limit=2, offset=1)] == ['a', 'd']
    assert [t.title for t in todos(where='done=?', where_args=[True], order_by='id')] == ['b', 'd']
    assert [t.title for t in todos('title=?', ('c',))] == ['c']
    assert [t.title for t in todos(where='title=:t', where_args={'t': 'a'})] == ['a']
    assert [t.title for t in todos(where="title='a' or title=?", where_args=['d'], order_by='id')] == ['a', 'd']
    rows = todos(select='id, title', order_by='id', limit=1, as_cls=False)
    assert rows == [{'id': 1, 'title': 'b'}]
    assert todos(where='title=?', where_args=["x' or '1'='1"]) == []  # parameters, never SQL
    assert [(k, t.title) for k, t in todos(with_pk=True, order_by='id', limit=1)] == [(1, 'b')]


def test_in_and_pks(todos):
    todos.insert(title='a')
    assert (1 in todos, 2 in todos) == (True, False)
    assert list(todos.pks) == ['id']


def test_compound_keys(db):
    pubs = db.t.pubs.create(authors=str, year=int, title=str, pk=('authors', 'year'))
    pubs.dataclass()
    pubs.insert(authors='Alma', year=2019, title='FastHTML')
    pubs.insert({'authors': 'Alma', 'year': 2030, 'title': 'Beyond'})
    assert list(pubs.pks) == ['authors', 'year']
    assert pubs['Alma', 2019].title == 'FastHTML' and pubs[['Alma', 2030]].title == 'Beyond'
    assert (['Alma', 2019] in pubs, ('Alma', 2031) in pubs) == (True, False)
    assert pubs.update({'authors': 'Alma', 'year': 2019, 'title': 'FastHTML 2'}).title == 'FastHTML 2'
    pubs.delete(['Alma', 2030])
    with pytest.raises(NotFoundError): pubs['Alma', 2030]
    with pytest.raises(NotFoundError): pubs['Alma']  # half a key


def test_xtra_scopes_rows_per_user(todos):
    todos.insert(title='mine', name='u1')
    theirs = todos.insert(title='theirs', name='u2')
    todos.xtra(name='u1')
    assert [t.title for t in todos()] == ['mine']
    assert todos.insert(title='new').name == 'u1'  # inserts are stamped with the scope
    with pytest.raises(NotFoundError): todos[theirs.id]
    assert theirs.id not in todos
    with pytest.raises(NotFoundError): todos.update({'id': theirs.id, 'title': 'hacked'})
    with pytest.raises(NotFoundError): todos.delete(theirs.id)
    mine = todos[1]
    mine.name = 'u2'  # moving a row out of the scope is ignored
    assert todos.update(mine).name == 'u1'
    todos.xtra()
    assert todos[theirs.id].title == 'theirs' and len(todos()) == 3


def test_upsert_cannot_take_over_another_scope(backend, todos):
    if backend[0] == 'fastlite': pytest.skip("fastlite's upsert ignores xtra (documented in docs/data.md)")
    theirs = todos.insert(title='theirs', name='u2')
    todos.xtra(name='u1')
    with pytest.raises(NotFoundError): todos.upsert({'id': theirs.id, 'title': 'stolen'})
    todos.xtra()
    assert todos[theirs.id].title == 'theirs' and todos[theirs.id].name == 'u2'


def test_transform_adds_columns_and_keeps_rows(db):
    t = db.t.notes.create(id=int, body=str, pk='id', transform=True)
    t.insert(body='kept')
    t = db.t.notes.create(id=int, body=str, stars=int, pk='id', transform=True)
    N = t.dataclass()
    assert list(t.columns_dict) == ['id', 'body', 'stars']
    assert t[1].body == 'kept' and t[1].stars is None
    assert t.insert(N(body='x', stars=5)).stars == 5


def test_db_create_from_class(db):
    class User: name: str; email: str; year_started: int
    users = db.create(User, pk='name')
    users.insert(User(name='Braden', email='b@example.com', year_started=2018))
    assert users['Braden'].year_started == 2018
    with pytest.raises(NotFoundError): users['David']


def test_dataclass_round_trip_through_forms(todos):
    Todo = todos.cls
    t = todos.insert(title='Buy <milk>', done=True, name='u', priority=2)
    form = fill_form(Form(Input(name='title'), Input(name='done', type='checkbox'), Input(name='priority')), todos[t.id])
    html = to_xml(form)
    assert 'value="Buy &lt;milk&gt;"' in html and 'checked' in html and 'value="2"' in html
    edited = Todo(id=t.id, title='Buy bread', done=False, priority=None)  # as a form post yields it
    saved = todos.update(fill_dataclass(edited, todos[t.id]))
    assert (saved.title, bool(saved.done), saved.priority, saved.name) == ('Buy bread', False, None, 'u')


def test_sqlite_style_values_work_on_every_backend(todos):
    "Code written against SQLite (`done=1`, form strings) runs unchanged on PostgreSQL"
    t = todos.insert(title='x', done=1, priority='3')
    assert bool(todos[t.id].done) and todos[t.id].priority == 3
    assert [x.id for x in todos(where='done=?', where_args=[True])] == [t.id]


def test_errors_name_the_bad_value(backend, todos):
    if backend[0] == 'fastlite': pytest.skip('fastlite raises its own errors')
    with pytest.raises(ValueError, match='no column'): todos.insert(title='x', nope=1)
    with pytest.raises(ValueError, match="more '\\?'"): todos(where='id=? and title=?', where_args=[1])


def test_sqldatabase_is_safe_from_many_threads(backend, todos):
    "Each call is its own transaction on a pooled connection: concurrent handlers don't share one"
    if backend[0] == 'fastlite': pytest.skip('fastlite shares one apsw connection (serialised by apsw)')
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(8) as ex: list(ex.map(lambda i: todos.insert(title=f't{i}'), range(200)))
    assert todos.count == 200 and len({t.id for t in todos()}) == 200


def test_failed_statement_leaves_the_database_usable(backend, todos):
    if backend[0] == 'fastlite': pytest.skip('adapter property')
    todos.insert(id=1, title='a')
    with pytest.raises(Exception): todos.insert(id=1, title='dup')  # noqa: B017 (driver-specific)
    assert todos.insert(title='b').id == 2


def test_postgres_url_spellings(pg_server):
    url = pg_server.new_database()
    for u in (url, url.replace('postgresql://', 'postgres://'), url.replace('postgresql://', 'postgresql+psycopg://')):
        d = open_db(u)
        assert isinstance(d, SQLDatabase) and d.q('select 1 as one') == [{'one': 1}]
        assert 'postgresql+psycopg' in repr(d)
        d.close()


def test_concurrent_create_is_serialised(pg_server):
    "Workers that start together all create/migrate the same table without a race"
    from concurrent.futures import ThreadPoolExecutor
    url = pg_server.new_database()
    def start(i):
        d = open_db(url)
        d.t.items.create(id=int, title=str, extra=int, pk='id', transform=True)
        d.close()
    t0 = time.monotonic()
    with ThreadPoolExecutor(6) as ex: list(ex.map(start, range(6)))
    d = open_db(url)
    assert list(d.t.items.columns_dict) == ['id', 'title', 'extra'] and time.monotonic() - t0 < 60
    d.close()


def test_explicit_ids_then_auto_ids(todos):
    "SQLite-minded code sets ids itself (insert/upsert); PostgreSQL's sequence must move past them"
    todos.insert(id=1, title='a')
    todos.upsert({'id': 50, 'title': 'b'})
    todos.insert_all([{'id': 60, 'title': 'c'}])
    assert todos.insert(title='d').id == 61

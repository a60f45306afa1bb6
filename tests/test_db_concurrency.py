"""Several processes writing one SQLite file (WAL + busy timeout from `open_db`) lose no rows and never fail.

- 4 plain processes x 500 MiniDataAPI inserts -> exactly 2,000 rows;
- a real `uvicorn --workers 4` app x 2,000 POSTs from 16 client threads -> 2,000 200s and 2,000 rows, no 500s.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import pytest

from fasthtml.db import open_db
from ports import free_port

ROOT = Path(__file__).resolve().parents[1]
N_PROCS, N_EACH = 4, 500


def _writer(path: str, worker: int, n: int, start) -> int:
    db = open_db(path)
    items = db.t.items
    items.dataclass()
    start.wait()  # all processes write at the same time
    for i in range(n): items.insert(worker=worker, n=i)
    return n


def test_four_processes_write_one_sqlite_file(tmp_path):
    path = str(tmp_path/'data'/'c.db')
    db = open_db(path)
    db.t.items.create(id=int, worker=int, n=int, pk='id')
    ctx = mp.get_context('spawn')
    start = ctx.Manager().Event()
    with ctx.Pool(N_PROCS) as pool:
        res = [pool.apply_async(_writer, (path, w, N_EACH, start)) for w in range(N_PROCS)]
        time.sleep(0.5)
        start.set()
        assert [r.get(timeout=300) for r in res] == [N_EACH] * N_PROCS
    rows = list(db.t.items.rows)
    assert len(rows) == N_PROCS * N_EACH == 2000
    assert len({r['id'] for r in rows}) == 2000
    assert sorted({(r['worker'], r['n']) for r in rows}) == [(w, i) for w in range(N_PROCS) for i in range(N_EACH)]
    assert next(db.execute('PRAGMA integrity_check'))[0] == 'ok'


APP = '''
import os
from fasthtml.common import FastHTML
from fasthtml.db import open_db

db = open_db(os.environ['FH_TEST_DB'])
items = db.t.items.create(id=int, pid=int, n=int, pk='id', transform=True)  # every worker runs this at start
app = FastHTML()

@app.post('/add')
def add(n: int):
    items.insert(pid=os.getpid(), n=n)
    return 'ok'

@app.get('/count')
def count(): return str(len(list(items.rows)))
'''


def _post(url: str) -> int:
    for attempt in range(3):  # connection-level retries only (a refused connect never reached the app)
        try:
            with urlopen(Request(url, data=b'', method='POST'), timeout=60) as r: return r.status
        except HTTPError as e: return e.code
        except URLError:
            if attempt == 2: raise
            time.sleep(0.2)
    return 0


@pytest.fixture
def uvicorn_workers(tmp_path):
    (tmp_path/'capp.py').write_text(textwrap.dedent(APP))
    port = free_port()
    env = {**os.environ, 'FH_TEST_DB': str(tmp_path/'data'/'app.db'), 'PYTHONPATH': str(ROOT)}
    log = open(tmp_path/'uvicorn.log', 'w')  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([sys.executable, '-m', 'uvicorn', 'capp:app', '--workers', str(N_PROCS), '--host', '127.0.0.1',
                             '--port', str(port), '--log-level', 'warning'], cwd=tmp_path, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f'http://127.0.0.1:{port}'
    deadline = time.monotonic() + 60
    while True:
        try:
            with urlopen(url + '/count', timeout=2): break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError('uvicorn did not start:\n' + (tmp_path/'uvicorn.log').read_text()[-3000:]) from None
            time.sleep(0.2)
    time.sleep(1.5)  # let every worker finish importing (and racing on the table's creation)
    yield url, tmp_path/'uvicorn.log'
    os.killpg(proc.pid, 15)
    try: proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait(5)
    log.close()


def test_four_uvicorn_workers_2000_posts(uvicorn_workers):
    url, log = uvicorn_workers
    with ThreadPoolExecutor(16) as ex: codes = list(ex.map(lambda i: _post(f'{url}/add?n={i}'), range(N_PROCS * N_EACH)))
    assert codes.count(200) == 2000, (sorted(set(codes)), log.read_text()[-3000:])
    with urlopen(url + '/count', timeout=10) as r: assert r.read() == b'2000'

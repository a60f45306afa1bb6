"""Load test of the todo app (`examples/todos.py`) at saturation, loopback only, bounded in time.

    python bench/load_todos.py --duration 60 --clients 32

Starts the app under uvicorn in a fresh temporary directory (its own SQLite file), logs in `--clients` users, then
drives mixed traffic until the deadline: 70% page reads (`GET /`, the full list), 20% writes (`POST /`, a new todo
with a unique title), 10% toggles (`POST /toggle/{id}`) of the user's own rows. Afterwards it stops the server with
SIGTERM (graceful shutdown), counts the rows in the database and compares them with the writes the server
acknowledged. Printed (and written as JSON with `--json`): requests, errors, req/s, RSS of the server at start (after
warm-up), maximum and end, acknowledged vs stored rows. Exit status 1 on any error or lost write.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    "Resident memory of `pid` and its children (uvicorn --workers), in KiB"
    total = 0
    pids = [pid]
    try: pids += [int(p) for p in Path(f'/proc/{pid}/task/{pid}/children').read_text().split()]
    except OSError: pass
    for p in pids:
        try:
            for line in Path(f'/proc/{p}/status').read_text().splitlines():
                if line.startswith('VmRSS:'): total += int(line.split()[1])
        except OSError: pass
    return total


async def client_loop(i: int, base: str, deadline: float, stats: dict) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as cli:
        r = await cli.post('/login', data={'name': f'load{i}', 'pwd': 'pw'})
        if r.status_code != 303: raise RuntimeError(f'login failed: {r.status_code} {r.text[:200]}')
        mine: list[int] = []
        n = 0
        while time.monotonic() < deadline:
            roll = random.random()
            try:
                if roll < 0.7 or (roll >= 0.9 and not mine):
                    r = await cli.get('/')
                    ok = r.status_code == 200 and 'Todo list' in r.text
                    stats['reads'] += 1
                elif roll < 0.9:
                    n += 1
                    title = f'load-{i}-{n}'
                    stats['writes_sent'] += 1
                    r = await cli.post('/', data={'title': title}, headers={'hx-request': '1'})
                    m = re.search(r'id="todo-(\d+)"', r.text)
                    ok = r.status_code == 200 and m is not None and title in r.text
                    if ok:
                        mine.append(int(m.group(1)))
                        stats['writes_acked'] += 1
                else:
                    r = await cli.post(f'/toggle/{random.choice(mine)}', headers={'hx-request': '1'})
                    ok = r.status_code == 200
                    stats['toggles'] += 1
            except httpx.HTTPError as e:
                ok, r = False, e
            stats['requests'] += 1
            if not ok:
                stats['errors'] += 1
                if len(stats['error_samples']) < 5: stats['error_samples'].append(repr(r)[:200])


async def drive(base: str, clients: int, duration: float, pid: int) -> dict:
    stats = {'requests': 0, 'reads': 0, 'writes_sent': 0, 'writes_acked': 0, 'toggles': 0, 'errors': 0,
             'error_samples': []}
    # Warm-up: imports, first pages, SQLite caches; RSS is measured from here.
    await asyncio.gather(*(client_loop(1000 + i, base, time.monotonic() + 3, dict(stats, error_samples=[]))
                           for i in range(4)))
    stats['rss_start_kb'] = rss_max = rss_kb(pid)
    start = time.monotonic()
    deadline = start + duration
    tasks = [asyncio.create_task(client_loop(i, base, deadline, stats)) for i in range(clients)]
    while not all(t.done() for t in tasks):
        await asyncio.sleep(1)
        rss_max = max(rss_max, rss_kb(pid))
    for t in tasks: t.result()
    elapsed = time.monotonic() - start
    stats.update(rss_end_kb=rss_kb(pid), rss_max_kb=rss_max, seconds=round(elapsed, 1),
                 req_per_s=round(stats['requests'] / elapsed, 1))
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--duration', type=float, default=60, help='seconds of load (default 60)')
    ap.add_argument('--clients', type=int, default=32, help='concurrent clients (default 32)')
    ap.add_argument('--workers', type=int, default=1, help='uvicorn worker processes (default 1)')
    ap.add_argument('--json', help='also write the figures to this file')
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix='fh-load-'))
    shutil.copy(ROOT/'examples'/'todos.py', work/'todos.py')
    (work/'data').mkdir()
    port = free_port()
    env = {**os.environ, 'PYTHONPATH': str(ROOT), 'FASTHTML_OFFLINE': ''}
    env.pop('DATABASE_URL', None)
    cmd = [sys.executable, '-m', 'uvicorn', 'todos:app', '--host', '127.0.0.1', '--port', str(port),
           '--log-level', 'warning', '--no-access-log', '--workers', str(args.workers)]
    log = open(work/'server.log', 'w')  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f'http://127.0.0.1:{port}'
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + '/login', timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError('server did not start:\n' + (work/'server.log').read_text()[-2000:]) from None
                time.sleep(0.2)
        stats = asyncio.run(drive(base, args.clients, args.duration, proc.pid))
    except Exception:
        print((work/'server.log').read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        proc.send_signal(signal.SIGTERM)
        try: proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    con = sqlite3.connect(work/'data'/'todos.db', timeout=0)   # timeout=0: a lock left behind fails here
    stored = con.execute("select count(*) from todos where title like 'load-%' and name not like 'load10__'").fetchone()[0]
    con.execute('insert into todos (title, done, name, details, priority) values (?, 0, ?, ?, 0)', ('x', 'x', ''))
    con.rollback()
    con.close()
    stats.update(rows_stored=stored, lost_writes=stats['writes_acked'] - stored, clients=args.clients,
                 workers=args.workers, server_log_errors=(work/'server.log').read_text().count('Traceback'))
    print(json.dumps(stats, indent=1))
    if stats['server_log_errors']: print((work/'server.log').read_text()[-3000:], file=sys.stderr)
    if args.json: Path(args.json).write_text(json.dumps(stats, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if stats['errors'] or stats['lost_writes'] or stats['server_log_errors'] else 0


if __name__ == '__main__': sys.exit(main())

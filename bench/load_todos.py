"""Load test of the todo app (`examples/todos.py`) at saturation, loopback only, bounded in time.

    python bench/load_todos.py --duration 60 --clients 32
    python bench/load_todos.py --flat --warmup 60 --duration 600 --clients 16 --json /tmp/ours.json
    python bench/load_todos.py --flat --ref ...          # the same run against the released python-fasthtml

Starts the app under uvicorn in a fresh temporary directory (its own SQLite file; the entry point is
`bench/load_server.py`, which wraps the app with bench-only probes), logs in `--clients` users, then drives mixed
traffic for `--warmup` + `--duration` seconds: 70% page reads (`GET /`, the full list), 20% writes (`POST /`, a new
todo with a unique title), 10% toggles (`POST /toggle/{id}`) of the user's own rows.

`--flat` keeps the data the same size, to tell caches (which level off) from leaks (which keep growing): every user
first adds `--rows` todos, and every write is then an insert followed by a delete of that user's oldest row
(`DELETE /todos/{id}`), so the table, the pages and the responses stay the same size for the whole run.

RSS of the server (with its worker processes) is sampled every `--sample` seconds; the figures after the warm-up
(start, min, max, end, least-squares slope over the whole measured window and over its second half) decide the
verdict: `plateau` when the second half of the window grows less than 1 MiB (or 2%) over the first half's peak,
else `growing`. `--probe` also records, at each sample, the server's tracked objects and most common types after a
full `gc.collect()` (this changes when garbage is collected, so keep it for diagnosis); `--tracemalloc N` adds
tracemalloc (N frames) and reports the allocation sites that grew between the end of the warm-up and the end.
`--ref` (or `--python PATH`) serves the same app with the reference interpreter instead of this build.

Afterwards it stops the server with SIGTERM (graceful shutdown), counts the rows in the database and compares them
with what the server acknowledged. Printed (and written as JSON with `--json`): requests, errors, req/s, the RSS
series and summary, acknowledged vs stored rows. Exit status 1 on any error or lost write. The machine running it
is usually shared, so read req/s as indicative; RSS does not depend on speed, only on the work done.
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
import statistics
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


async def client_loop(i: int, base: str, deadline: float, stats: dict, flat_rows: int = 0, timeout: float = 30) -> None:
    "One user's session: log in, (flat: add `flat_rows` todos), then the request mix until `deadline`"
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as cli:
        r = await cli.post('/login', data={'name': f'load{i}', 'pwd': 'pw'})
        if r.status_code != 303: raise RuntimeError(f'login failed: {r.status_code} {r.text[:200]}')
        mine: list[int] = []
        n = 0

        async def insert() -> bool:
            nonlocal n
            n += 1
            title = f'load-{i}-{n}'
            stats['writes_sent'] += 1
            r = await cli.post('/', data={'title': title}, headers={'hx-request': '1'})
            m = re.search(r'id="todo-(\d+)"', r.text)
            if r.status_code == 200 and m is not None and title in r.text:
                mine.append(int(m.group(1)))
                stats['writes_acked'] += 1
                return True
            return False

        for _ in range(flat_rows):
            if not await insert(): raise RuntimeError(f'seeding the flat data failed for load{i}')
        while time.monotonic() < deadline:
            roll = random.random()
            try:
                if roll < 0.7 or (roll >= 0.9 and not mine):
                    r = await cli.get('/')
                    ok = r.status_code == 200 and 'Todo list' in r.text
                    stats['reads'] += 1
                elif roll < 0.9:
                    ok = await insert()
                    if ok and flat_rows and len(mine) > flat_rows:
                        stats['requests'] += 1
                        r = await cli.delete(f'/todos/{mine[0]}', headers={'hx-request': '1'})
                        ok = r.status_code == 200
                        if ok:
                            mine.pop(0)
                            stats['deletes_acked'] += 1
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


def slope_mb_per_min(points: list[tuple[float, int]]) -> float:
    "Least-squares slope of (seconds, KiB) points, in MiB per minute"
    if len(points) < 3: return 0.0
    return round(statistics.linear_regression([t for t, _ in points], [kb for _, kb in points]).slope * 60 / 1024, 3)


def summarise(series: list[dict], warmup: float) -> dict:
    "The RSS figures after the warm-up and the verdict: `plateau` or `growing`"
    after = [s for s in series if s['t'] >= warmup - 0.01] or series[-1:]
    pts = [(s['t'], s['rss_kb']) for s in after]
    ends = {'rss_start_kb': after[0]['rss_kb'], 'rss_min_kb': min(kb for _, kb in pts),
            'rss_max_kb': max(kb for _, kb in pts), 'rss_end_kb': after[-1]['rss_kb']}
    if len(after) < 4: return {**ends, 'verdict': 'too short (need 4 samples after the warm-up)'}
    half = len(after) // 2
    first_peak, second_peak = max(kb for _, kb in pts[:half]), max(kb for _, kb in pts[half:])
    growth = second_peak - first_peak
    reqs = after[-1]['requests'] - after[0]['requests']
    delta = after[-1]['rss_kb'] - after[0]['rss_kb']
    return {**ends, 'slope_mb_per_min': slope_mb_per_min(pts),
            'slope_second_half_mb_per_min': slope_mb_per_min(pts[half:]),
            'second_half_growth_kb': growth, 'measured_requests': reqs,
            'bytes_per_request': round(delta * 1024 / reqs, 1) if reqs else None,
            'verdict': 'plateau' if growth <= max(1024, 0.02 * first_peak) else 'growing'}


async def probe(cli: httpx.AsyncClient, timeout: float, snapshot: bool = False) -> dict:
    "The server's memory report (`snapshot`: with a tracemalloc diff, which can take minutes on a busy machine)"
    r = await cli.get('/__bench/mem', params={'snapshot': 1} if snapshot else None, timeout=timeout)
    r.raise_for_status()
    return r.json()


async def drive(base: str, args: argparse.Namespace, pid: int) -> dict:
    "Run the clients for warm-up + duration, sampling the server's RSS (and probes) every `args.sample` seconds"
    stats = {'requests': 0, 'reads': 0, 'writes_sent': 0, 'writes_acked': 0, 'deletes_acked': 0, 'toggles': 0,
             'errors': 0, 'error_samples': []}
    flat_rows = args.rows if args.flat else 0
    start = time.monotonic()
    deadline = start + args.warmup + args.duration
    tasks = [asyncio.create_task(client_loop(i, base, deadline, stats, flat_rows, args.timeout))
             for i in range(args.clients)]
    series: list[dict] = []
    probes: list[dict] = []
    async with httpx.AsyncClient(base_url=base) as cli:
        next_t = 0.0
        while not all(t.done() for t in tasks):
            now = time.monotonic() - start
            if now >= next_t:
                sample = {'t': round(now, 1), 'rss_kb': rss_kb(pid), 'requests': stats['requests']}
                if args.probe and (now >= args.warmup - 0.01 or not probes):
                    first = now >= args.warmup - 0.01 and not any(q['t'] >= args.warmup - 0.01 for q in probes)
                    p = await probe(cli, max(args.timeout, 600), snapshot=first)  # tracemalloc's base: warm-up end
                    sample.update(gc_objects=p['gc_objects'], threads=p['threads'])
                    probes.append({'t': sample['t'], **p})
                series.append(sample)
                next_t = (now // args.sample + 1) * args.sample  # a late sample (busy loop) skips missed slots
                if args.flat or args.verbose:
                    print(f"t={sample['t']:7.1f}s rss={sample['rss_kb'] / 1024:7.1f} MiB requests={sample['requests']}"
                          + (f" objects={sample['gc_objects']}" if 'gc_objects' in sample else ''),
                          file=sys.stderr, flush=True)
            await asyncio.sleep(0.25)
        for t in tasks: t.result()
        elapsed = time.monotonic() - start
        series.append({'t': round(elapsed, 1), 'rss_kb': rss_kb(pid), 'requests': stats['requests']})
        if args.probe:
            p = await probe(cli, max(args.timeout, 600), snapshot=True)
            series[-1].update(gc_objects=p['gc_objects'], threads=p['threads'])
            probes.append({'t': series[-1]['t'], **p})
    summary = summarise(series, args.warmup)
    stats.update(seconds=round(elapsed, 1), req_per_s=round(stats['requests'] / elapsed, 1), rss=summary,
                 rss_start_kb=summary.get('rss_start_kb'), rss_max_kb=summary.get('rss_max_kb'),
                 rss_end_kb=summary.get('rss_end_kb'), series=series)
    if probes: stats['probes'] = probe_summary(probes, args.warmup)
    return stats


def probe_summary(probes: list[dict], warmup: float) -> dict:
    "Object counts at the end of the warm-up and at the end, the types that grew most, tracemalloc's grown sites"
    first = next((p for p in probes if p['t'] >= warmup - 0.01), probes[0])
    last = probes[-1]
    grown = {k: last['types'].get(k, 0) - first['types'].get(k, 0) for k in set(first['types']) | set(last['types'])}
    out = {'objects_after_warmup': first['gc_objects'], 'objects_end': last['gc_objects'],
           'threads_after_warmup': first['threads'], 'threads_end': last['threads'],
           'types_grown': dict(sorted(((k, v) for k, v in grown.items() if v), key=lambda kv: -abs(kv[1]))[:15])}
    for k in ('traced_kb', 'grown_lines', 'grown_tracebacks'):
        if k in last: out[k] = last[k]
    if 'traced_kb' in first: out['traced_kb_after_warmup'] = first['traced_kb']
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--duration', type=float, default=60, help='seconds of load after the warm-up (default 60)')
    ap.add_argument('--warmup', type=float, default=None, help='seconds before measuring (default 3; --flat 30)')
    ap.add_argument('--clients', type=int, default=32, help='concurrent clients (default 32)')
    ap.add_argument('--workers', type=int, default=1, help='uvicorn worker processes (default 1)')
    ap.add_argument('--flat', action='store_true', help='constant data: each insert is followed by a delete')
    ap.add_argument('--rows', type=int, default=10, help='todos per user in --flat mode (default 10)')
    ap.add_argument('--sample', type=float, default=5, help='seconds between RSS samples (default 5)')
    ap.add_argument('--python', default=sys.executable, help='interpreter serving the app (default: this one)')
    ap.add_argument('--ref', action='store_true', help='serve with the reference interpreter (FH_REF_PYTHON, else '
                    '~/.fh-anchors/ref/bin/python)')
    ap.add_argument('--build', help='serve the `fasthtml` package found in this directory instead of the checkout\'s '
                    '(for before/after runs: `git archive <commit> fasthtml | tar -x -C DIR`)')
    ap.add_argument('--hide', default='', help='comma-separated modules the server may not import, e.g. `numpy` '
                    '(apswutils loads it when installed: a dev venv has it, a production install need not)')
    ap.add_argument('--probe', action='store_true', help='record gc object counts and types at every sample')
    ap.add_argument('--tracemalloc', type=int, default=0, metavar='N', help='trace allocations (N frames) and report '
                    'the sites that grew after the warm-up (implies --probe)')
    ap.add_argument('--timeout', type=float, default=30, help='seconds a request may take (default 30)')
    ap.add_argument('--verbose', action='store_true', help='print every sample (always on with --flat)')
    ap.add_argument('--json', help='also write the figures to this file')
    args = ap.parse_args()
    if args.warmup is None: args.warmup = 30.0 if args.flat else 3.0
    if args.tracemalloc: args.probe = True
    python = args.python
    if args.ref: python = os.environ.get('FH_REF_PYTHON', str(Path.home()/'.fh-anchors'/'ref'/'bin'/'python'))

    work = Path(tempfile.mkdtemp(prefix='fh-load-'))
    shutil.copy(ROOT/'examples'/'todos.py', work/'todos.py')
    shutil.copy(ROOT/'bench'/'load_server.py', work/'load_server.py')
    (work/'data').mkdir()
    port = free_port()
    env = {**os.environ, 'FASTHTML_OFFLINE': '', 'FH_BENCH_ROOT': str(ROOT), 'FH_BENCH_DUMP_DIR': str(work),
           'FH_BENCH_PROBE': '1' if args.probe else '', 'FH_BENCH_TRACEMALLOC': str(args.tracemalloc or '')}
    env.pop('DATABASE_URL', None)
    env.pop('PYTHONPATH', None)
    if args.build: env['PYTHONPATH'] = str(Path(args.build).resolve())
    elif not args.ref and python == sys.executable: env['PYTHONPATH'] = str(ROOT)  # our build, from this checkout
    env['FH_BENCH_HIDE'] = args.hide
    cmd = [python, '-m', 'uvicorn', 'load_server:app', '--host', '127.0.0.1', '--port', str(port),
           '--log-level', 'warning', '--no-access-log', '--workers', str(args.workers)]
    log = open(work/'server.log', 'w')  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f'http://127.0.0.1:{port}'
    try:
        deadline = time.monotonic() + (600 if args.tracemalloc else 120)  # tracemalloc: imports ~10x slower
        while True:
            try:
                info = httpx.get(base + '/__bench/info', timeout=2).json()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError('server did not start:\n' + (work/'server.log').read_text()[-2000:]) from None
                time.sleep(0.2)
        print(f"serving {info['fasthtml']} ({info['version']}, Python {info['python']})", file=sys.stderr, flush=True)
        stats = asyncio.run(drive(base, args, proc.pid))
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
    stored = con.execute("select count(*) from todos where title like 'load-%'").fetchone()[0]
    con.execute('insert into todos (title, done, name, details, priority) values (?, 0, ?, ?, 0)', ('x', 'x', ''))
    con.rollback()
    con.close()
    expected = stats['writes_acked'] - stats['deletes_acked']
    stats.update(server=info, mode='flat' if args.flat else 'growing', rows_stored=stored, rows_expected=expected,
                 lost_writes=expected - stored, clients=args.clients, workers=args.workers,
                 warmup=args.warmup, sample=args.sample,
                 server_log_errors=(work/'server.log').read_text().count('Traceback'))
    print(json.dumps({k: v for k, v in stats.items() if k != 'series'}, indent=1))
    if stats['server_log_errors']: print((work/'server.log').read_text()[-3000:], file=sys.stderr)
    if args.json: Path(args.json).write_text(json.dumps(stats, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if stats['errors'] or stats['lost_writes'] or stats['server_log_errors'] else 0


if __name__ == '__main__': sys.exit(main())

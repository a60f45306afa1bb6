"""The ASGI entry point `bench/load_todos.py` serves: `examples/todos.py` plus bench-only memory probes.

    uvicorn load_server:app        (run by load_todos.py from a temporary directory holding todos.py and this file)

The probes live here, in the harness, never in the framework's default path:

- `GET /__bench/info`: which `fasthtml` the server imported (file, version) and how many modules, so a run can
  prove it measured what it meant to (our build or the released reference).
- `FH_BENCH_HIDE=numpy,...`: those modules look not installed to the server (apswutils imports numpy when it is
  there: the dev venv has it through matplotlib, the reference venv and a production install need not).
- `FH_BENCH_PROBE=1` adds `GET /__bench/mem`: runs `gc.collect()` and answers JSON with gc counts, the number of
  objects the collector tracks, the live thread count and the 40 most common object types.
- `FH_BENCH_TRACEMALLOC=N` (implies the probe) starts `tracemalloc` with `N` frames per trace; each
  `/__bench/mem?snapshot=1` call then also writes a snapshot to `FH_BENCH_DUMP_DIR/snap-<k>.pickle` and, from the
  second such call on, answers the allocation sites (by line and by traceback) that grew most since the first snapshot.

Under the released reference (no `fasthtml.db`, no `fasthtml.assets`), our `fasthtml/db.py` (which depends only on
fastlite/apswutils) is loaded as `fasthtml.db` from `FH_BENCH_ROOT`, so both servers run the same app on the same
data layer and differ only in the framework.
"""
from __future__ import annotations

import gc
import importlib.util
import json
import os
import sys
import threading
import types
from collections import Counter
from pathlib import Path


def _provide_missing_modules() -> None:
    "Make `examples/todos.py` importable under the reference: our data layer as `fasthtml.db`, a stub `fasthtml.assets`"
    import fasthtml
    try: import fasthtml.db
    except ImportError:
        src = Path(os.environ['FH_BENCH_ROOT'])/'fasthtml'/'db.py'
        spec = importlib.util.spec_from_file_location('fasthtml.db', src)
        assert spec and spec.loader, src
        mod = importlib.util.module_from_spec(spec)
        sys.modules['fasthtml.db'] = mod
        spec.loader.exec_module(mod)
        fasthtml.db = mod  # pyright: ignore[reportAttributeAccessIssue]
    try: import fasthtml.assets
    except ImportError:
        stub = types.ModuleType('fasthtml.assets')
        def offline_assets(app): raise RuntimeError('offline assets need our build: unset FASTHTML_OFFLINE')
        stub.offline_assets = offline_assets  # pyright: ignore[reportAttributeAccessIssue]
        sys.modules['fasthtml.assets'] = stub


class _Hidden:
    "A meta-path finder that makes the modules in `FH_BENCH_HIDE` look not installed"
    def __init__(self, names: set[str]): self.names = names
    def find_spec(self, name: str, path=None, target=None):
        if name.split('.')[0] in self.names: raise ModuleNotFoundError(f'{name} is hidden by FH_BENCH_HIDE', name=name)


if os.environ.get('FH_BENCH_HIDE'): sys.meta_path.insert(0, _Hidden(set(os.environ['FH_BENCH_HIDE'].split(','))))
TRACE_FRAMES = int(os.environ.get('FH_BENCH_TRACEMALLOC') or 0)
PROBE = bool(os.environ.get('FH_BENCH_PROBE')) or TRACE_FRAMES > 0
if TRACE_FRAMES:
    import tracemalloc
    tracemalloc.start(TRACE_FRAMES)

_provide_missing_modules()
import fasthtml
from todos import app as todo_app

_snapshots = 0


def memory_report(snapshot: bool = False) -> dict:
    "gc counts, tracked objects, threads and top types after a full collection (`snapshot`: and a tracemalloc diff)"
    gc.collect()
    objs = gc.get_objects()
    types_ = Counter(f'{type(o).__module__}.{type(o).__qualname__}' for o in objs)
    rep = {'gc_count': gc.get_count(), 'gc_objects': len(objs), 'threads': threading.active_count(),
           'types': dict(types_.most_common(40))}
    del objs
    if TRACE_FRAMES and snapshot: rep.update(tracemalloc_diff())
    return rep


def tracemalloc_diff() -> dict:
    "Dump a snapshot; from the second call on, the top allocation sites that grew since the first snapshot"
    import tracemalloc
    global _snapshots
    _snapshots += 1
    snap_dir = Path(os.environ.get('FH_BENCH_DUMP_DIR', '.'))
    snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    snap.dump(str(snap_dir/f'snap-{_snapshots}.pickle'))
    rep: dict = {'traced_kb': tracemalloc.get_traced_memory()[0] // 1024}
    if _snapshots > 1:
        first = tracemalloc.Snapshot.load(str(snap_dir/'snap-1.pickle'))
        rep['grown_lines'] = [str(s) for s in snap.compare_to(first, 'lineno')[:25]]
        rep['grown_tracebacks'] = ['\n'.join(s.traceback.format()[-8:]) + f'\n  -> {s.size_diff / 1024:+.1f} KiB, '
                                   f'{s.count_diff:+d} blocks' for s in snap.compare_to(first, 'traceback')[:6]]
    return rep


async def _json(send, data: dict) -> None:
    body = json.dumps(data).encode()
    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'application/json')]})
    await send({'type': 'http.response.body', 'body': body})


async def app(scope, receive, send):
    "The todo app, with `/__bench/info` and (when enabled) `/__bench/mem` answered before it"
    if scope['type'] == 'http' and scope['path'].startswith('/__bench/'):
        if scope['path'] == '/__bench/info':
            return await _json(send, {'hidden': [m for m in os.environ.get('FH_BENCH_HIDE', '').split(',') if m],
                                      'loaded_modules': len(sys.modules), 'fasthtml': fasthtml.__file__,
                                      'version': getattr(fasthtml, '__version__', '?'),
                                      'python': sys.version.split()[0], 'probe': PROBE, 'tracemalloc': TRACE_FRAMES})
        if scope['path'] == '/__bench/mem' and PROBE:
            return await _json(send, memory_report(snapshot=b'snapshot=1' in scope.get('query_string', b'')))
    await todo_app(scope, receive, send)

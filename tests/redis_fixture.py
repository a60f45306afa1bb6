"""A throwaway Redis for tests: Debian's `redis-server` on a free loopback port, no disk, stopped after.

Use it from any test file (tests/ is on the import path of every test module):

    from redis_fixture import redis_server_fixture  # noqa: F401  (registers the `redis_server` fixture)
    def test_x(redis_server): url = redis_server.url   # 'redis://127.0.0.1:PORT/0'

Without `redis-server` or the `redis` Python package the tests skip and say how to install them; with
`FH_REQUIRE_REDIS=1` (set in CI) they fail instead. `RedisServer.restart()` stops and starts the server on the same
port, for reconnect tests.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from ports import free_port

HOW_TO = 'Redis tests need redis-server and the redis package: run `sudo bash tools/redis_setup.sh` (Debian)'


def redis_missing() -> str|None:
    "Why the Redis tests cannot run here, or None"
    if not shutil.which('redis-server'): return 'no redis-server on PATH'
    try: import redis.asyncio  # noqa: F401
    except ImportError: return 'the redis package is not installed'
    return None


def require_redis() -> None:
    "Skip the calling test (fail under FH_REQUIRE_REDIS=1) when Redis is not available"
    why = redis_missing()
    if why is None: return
    if os.environ.get('FH_REQUIRE_REDIS') == '1': pytest.fail(f'{why}; {HOW_TO}')
    pytest.skip(f'{why}; {HOW_TO}')


class RedisServer:
    "A `redis-server` process bound to 127.0.0.1 on a free port, without persistence"
    def __init__(self, workdir: Path):
        self.workdir, self.port = workdir, free_port()
        self.url = f'redis://127.0.0.1:{self.port}/0'
        self.proc: subprocess.Popen|None = None
        self.start()

    def start(self) -> None:
        "Start the server and wait until it answers PING"
        cmd = ['redis-server', '--bind', '127.0.0.1', '--port', str(self.port), '--save', '', '--appendonly', 'no',
               '--protected-mode', 'yes', '--dir', str(self.workdir), '--logfile', str(self.workdir/'redis.log')]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None: break
            if self.ping(): return
            time.sleep(0.02)
        self.stop()
        log = self.workdir/'redis.log'
        raise RuntimeError(f'redis-server on port {self.port} did not start; log:\n'
                           f'{log.read_text()[-2000:] if log.exists() else "(none)"}')

    def ping(self) -> bool:
        "Does the server answer PING (raw RESP, no client library needed)?"
        try:
            with socket.create_connection(('127.0.0.1', self.port), timeout=0.5) as s:
                s.sendall(b'PING\r\n')
                return s.recv(16).startswith(b'+PONG')
        except OSError: return False

    def stop(self) -> None:
        "Stop the server (SIGTERM, then SIGKILL)"
        if self.proc is None or self.proc.poll() is not None: return
        self.proc.terminate()
        try: self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def restart(self, down_for: float = 0.0) -> None:
        "Stop the server, stay down for `down_for` seconds, start it again on the same port"
        self.stop()
        time.sleep(down_for)
        self.start()


@pytest.fixture(name='redis_server')
def redis_server_fixture(tmp_path_factory):
    "A fresh redis-server on loopback for one test; its `.url` is `redis://127.0.0.1:PORT/0`"
    require_redis()
    server = RedisServer(tmp_path_factory.mktemp('redis'))
    yield server
    server.stop()

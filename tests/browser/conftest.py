"""Browser test rig: headless system Chromium driven by Playwright, example apps under a real uvicorn.

Without Chromium or Playwright the tests skip and say how to enable them; with `FH_REQUIRE_BROWSER=1` (set in CI)
they fail instead. Pages may only talk to the loopback server: any other request is aborted and fails the test,
so the front-end code must come from the app itself (`offline_assets`, switched on by `FASTHTML_OFFLINE=1`).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from ports import free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT/'examples'
CHROMIUM = os.environ.get('FH_CHROMIUM') or shutil.which('chromium') or '/usr/bin/chromium'
CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync']
HOW_TO = 'browser tests need Chromium and Playwright: run `sudo bash tools/browser_setup.sh` (Debian)'


def _missing() -> str|None:
    try: import playwright.sync_api  # noqa: F401
    except ImportError: return 'playwright is not installed'
    if not os.path.exists(CHROMIUM): return f'no Chromium at {CHROMIUM}'
    return None


@pytest.fixture(scope='module')
def playwright_api():
    "The Playwright driver, or a skip (a failure under FH_REQUIRE_BROWSER=1) when the browser stack is missing"
    # Module scope: the sync driver keeps an event loop running in this thread while it lives, which would break
    # `asyncio.run` in test files collected after this folder.
    why = _missing()
    if why:
        if os.environ.get('FH_REQUIRE_BROWSER') == '1': pytest.fail(f'{why}; {HOW_TO}')
        pytest.skip(f'{why}; {HOW_TO}')
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p: yield p


class Server:
    "An example app under `python -m uvicorn` on a free loopback port"
    def __init__(self, module: str, app_dir: Path, log: Path, reload: bool = False, script: bool = False,
                 env: dict[str, str]|None = None):
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        if script:  # `python app.py`: the app's own `serve()` (reload on) picks host 0.0.0.0 and PORT from the env
            cmd = [sys.executable, f'{module}.py']
        else:
            cmd = [sys.executable, '-m', 'uvicorn', f'{module}:app', '--host', '127.0.0.1', '--port', str(self.port),
                   '--app-dir', str(app_dir), '--log-level', 'warning']
            if reload: cmd += ['--reload', '--reload-dir', str(app_dir)]
        env = {**os.environ, 'FASTHTML_OFFLINE': '1', 'PYTHONUNBUFFERED': '1', 'PORT': str(self.port), **(env or {})}
        self.log = log
        self._logf = open(log, 'w')  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(cmd, cwd=app_dir, env=env, stdout=self._logf, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.wait_up()

    def wait_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None: break
            try:
                with urlopen(self.url + '/', timeout=2): return
            except OSError: time.sleep(0.1)
        self.stop()
        raise RuntimeError(f'{self.url} did not start; log:\n{self.log.read_text()[-3000:]}')

    def get_json(self, path: str):
        import json
        with urlopen(self.url + path, timeout=5) as r: return json.loads(r.read())

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)  # our own process group (start_new_session): uvicorn and its reloader
            try: self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(5)
        self._logf.close()


@contextmanager
def serve_source(tmp_path_factory, name: str, source: str, htmx: int) -> Iterator[Server]:
    "Serve the app `source` (written to `<tmp>/<name>.py`) under htmx `htmx` (`FH_HTMX`) while the block runs"
    d = tmp_path_factory.mktemp(f'{name}{htmx}')
    (d/f'{name}.py').write_text(source)
    srv = Server(name, d, d/f'{name}.log', env={'FH_HTMX': str(htmx)})
    srv.htmx_version = htmx
    try: yield srv
    finally: srv.stop()


def wait_until(cond, timeout: float = 15, what: str = 'condition'):
    "Poll `cond` until true and return its value; the failure names `what` (nothing is timed, the limit is generous)"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if v := cond(): return v
        time.sleep(0.05)
    raise AssertionError(f'timed out waiting for {what}')


def open_page(page, url: str, htmx_version: int|None = None) -> None:
    "Go to `url` and wait for htmx; with `htmx_version`, check that the htmx the test asked for is the one running"
    page.goto(url)
    page.wait_for_function('typeof htmx === "object"')
    if htmx_version is not None: assert page.evaluate('htmx.version').split('.')[0] == str(htmx_version)


HTMX_VERSIONS = (2, 4)


@pytest.fixture(params=HTMX_VERSIONS, ids=[f'htmx{v}' for v in HTMX_VERSIONS])
def htmx_version(request) -> int:
    "Run the test once per htmx major version; pass it to `serve_example(..., htmx=htmx_version)`"
    return request.param


@pytest.fixture
def serve_example(tmp_path):
    """Start `examples/<name>.py` (copied into the test's tmp dir when `copy`, e.g. to edit it); stopped after the test.
    `htmx=4` sets `FH_HTMX=4`, which the examples read to load htmx 4 (`fast_app(htmx4=True)`) and its idioms."""
    servers = []
    def start(name: str, reload: bool = False, copy: bool = False, script: bool = False, htmx: int = 2) -> Server:
        app_dir = EXAMPLES
        if copy:
            app_dir = tmp_path/'app'
            app_dir.mkdir(exist_ok=True)
            shutil.copy(EXAMPLES/f'{name}.py', app_dir/f'{name}.py')
        s = Server(name, app_dir, tmp_path/f'{name}.log', reload=reload, script=script, env={'FH_HTMX': str(htmx)})
        servers.append(s)
        return s
    yield start
    for s in servers: s.stop()


@pytest.fixture(scope='module')
def browser(playwright_api):
    "One headless Chromium per test module (launching it is the slow part); each test gets its own context"
    b = playwright_api.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
    yield b
    b.close()


@pytest.fixture
def browser_ctx(browser):
    "A fresh browser context (its own cookies and storage); every request off the loopback server is aborted and reported"
    ctx = browser.new_context()
    ctx.set_default_timeout(15000)
    offsite = []
    def guard(route):
        host = urlsplit(route.request.url).hostname
        if host in ('127.0.0.1', 'localhost'): return route.continue_()
        offsite.append(route.request.url)
        return route.abort()
    ctx.route('**/*', guard)
    ctx.offsite = offsite
    yield ctx
    ctx.close()
    assert not offsite, f'the page tried to load from outside the app: {offsite}'


@pytest.fixture
def page(browser_ctx):
    "A page whose JavaScript errors fail the test"
    pg = browser_ctx.pages[0] if browser_ctx.pages else browser_ctx.new_page()
    errors = []
    pg.on('pageerror', lambda e: errors.append(str(e)))
    pg.js_errors = errors
    yield pg
    assert not errors, f'JavaScript errors: {errors}'


@pytest.fixture
def shot(tmp_path):
    "Save a screenshot of `page` as `<tmp>/<name>.png` (the end state of a scenario)"
    def take(pg, name: str) -> Path:
        p = tmp_path/f'{name}.png'
        pg.screenshot(path=str(p), full_page=True)
        return p
    return take


def pytest_configure(config):
    config.addinivalue_line('markers', 'browser: needs headless Chromium and Playwright (tools/browser_setup.sh)')

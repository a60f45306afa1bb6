"""`RateLimit` (fasthtml.ratelimit): decorator and before hook, the three kinds of 429 answer, client keys (IP behind
trusted proxies only, session user), the in-memory store under threads, and the Redis store against a real
redis-server (skipped without one unless FH_REQUIRE_REDIS=1)."""
import asyncio
import importlib.util
import logging
import re
import threading
from pathlib import Path

import pytest
from redis_fixture import redis_server_fixture  # noqa: F401  (registers the `redis_server` fixture)
from starlette.testclient import TestClient

from fasthtml.common import *
from fasthtml.ratelimit import Decision, MemoryStore, RateLimit, RedisStore, ratelimit_js
from fasthtml.toaster import Toast, toast_js

HX = {'HX-Request': 'true'}


def vote_app(limit: RateLimit):
    app = FastHTML(secret_key='test-secret')

    @app.post('/vote')
    @limit
    def vote(choice: str): return f'voted {choice}'

    @app.post('/avote')
    @limit
    async def avote(choice: str): return f'async voted {choice}'

    @app.get('/')
    def index(): return P('home')
    return app


def test_decorator_refuses_over_the_limit_with_retry_after_and_a_log_line(caplog):
    caplog.set_level(logging.WARNING, logger='fasthtml.ratelimit')
    cli = TestClient(vote_app(RateLimit(3, per=30)))
    assert [cli.post('/vote', data={'choice': 'a'}).text for _ in range(2)] == ['voted a'] * 2
    assert cli.post('/avote', data={'choice': 'b'}).text == 'async voted b'   # one limiter: one budget
    r = cli.post('/avote', data={'choice': 'b'})
    assert r.status_code == 429 and 25 <= int(r.headers['Retry-After']) <= 30
    assert 'Too many requests: try again in' in r.text and r.text.lower().startswith('<!doctype html>')
    assert any(m.startswith('POST /avote: rate limited ip:testclient (3 per 30s), retry after') for m in caplog.messages)
    assert cli.get('/').status_code == 200   # routes without the limiter are not counted


def test_htmx_request_gets_a_toast_fragment_and_no_swap_of_its_target():
    cli = TestClient(vote_app(RateLimit(1, per=60)))
    cli.post('/vote', data={'choice': 'a'}, headers=HX)
    r = cli.post('/vote', data={'choice': 'a'}, headers=HX)
    assert r.status_code == 429 and r.headers['HX-Reswap'] == 'none' and r.headers['Retry-After']
    assert r.text.startswith('<div hx-swap-oob="beforeend:#fh-toast-container" id="fh-toast-container">')
    assert 'class="fh-toast fh-toast-warning"' in r.text and 'role="alert"' in r.text and 'Too many requests' in r.text
    # the toaster's own Toast (a dismissable warning, timed by its data-fh-toast-ms), not a copy of its markup
    want = to_xml(Toast('Too many requests: try again in 60 s.', 'warning', dismiss=True, duration=8000)(role='alert'))
    def tight(html: str) -> str: return re.sub(r'>\s+<', '><', html.strip())
    assert tight(want) in tight(r.text)
    page = cli.get('/').text   # the page side (the toaster's CSS and toast_js, and ratelimit_js) was added to the app
    assert ratelimit_js in page and toast_js in page and '#fh-toast-container {' in page


def test_toast_has_no_inline_handler_and_its_script_gets_the_csp_nonce():
    app, rt = fast_app(security_headers=True, htmx4=True)
    limit = RateLimit(1, per=60, toast_ms=1234)

    @rt('/ping')
    @limit
    def post(): return 'pong'

    @rt('/')
    def get(): return P('home')
    cli = TestClient(app)
    cli.post('/ping', headers=HX)
    r = cli.post('/ping', headers=HX)
    assert r.status_code == 429 and 'data-fh-toast-ms="1234"' in r.text and 'data-fh-toast-dismiss' in r.text
    assert 'onclick' not in r.text and 'hx-on' not in r.text   # a strict CSP refuses inline handlers
    page = cli.get('/')
    nonce = page.headers['content-security-policy'].split("'nonce-")[1].split("'")[0]
    for marker in ('fhRateLimitJs', 'fhToastJs'):   # ratelimit_js and the toaster's toast_js, which times the toast
        script = next(s for s in page.text.split('<script')[1:] if marker in s)
        assert f'nonce="{nonce}"' in script.split('>')[0]
    with pytest.raises(ValueError, match='toast_ms=1.5 must be'): RateLimit(1, toast_ms=1.5)  # pyright: ignore[reportArgumentType]


def test_json_clients_get_json():
    cli = TestClient(vote_app(RateLimit(1, per=60)))
    cli.post('/vote', data={'choice': 'a'})
    r = cli.post('/vote', data={'choice': 'a'}, headers={'Accept': 'application/json'})
    assert r.status_code == 429 and r.json()['retry_after'] == int(r.headers['Retry-After'])


def test_app_wide_beforeware_with_skip_and_methods():
    limit = RateLimit(2, per=60, methods=['POST'])
    app, rt = fast_app(before=Beforeware(limit.before, skip=[r'/health']))

    @rt('/')
    def get(): return P('home')

    @rt('/')
    def post(): return P('posted')

    @rt('/health')
    def post(): return 'ok'  # noqa: F811

    cli = TestClient(app)
    assert [cli.get('/').status_code for _ in range(5)] == [200] * 5          # GET is not counted
    assert [cli.post('/').status_code for _ in range(3)] == [200, 200, 429]
    assert cli.post('/health').status_code == 200                             # skipped path


def test_route_before_hook():
    limit = RateLimit(1, per=60)
    app = FastHTML()

    @app.post('/a', before=limit.before)
    def a(): return 'a'

    cli = TestClient(app)
    assert [cli.post('/a').status_code for _ in range(2)] == [200, 429]


def test_user_key_counts_each_signed_in_user_and_falls_back_to_ip():
    limit = RateLimit(1, per=60, key='user')
    app = FastHTML(secret_key='test-secret')

    @app.post('/login')
    def login(session, name: str):
        session['auth'] = name
        return 'in'

    @app.post('/act')
    @limit
    def act(): return 'done'

    ada, bob, anon = TestClient(app), TestClient(app), TestClient(app)
    ada.post('/login', data={'name': 'ada'})
    bob.post('/login', data={'name': 'bob'})
    assert [ada.post('/act').status_code, bob.post('/act').status_code] == [200, 200]
    assert [ada.post('/act').status_code, bob.post('/act').status_code] == [429, 429]
    assert anon.post('/act').status_code == 200   # ip:testclient, not a user's budget


def test_ip_from_forwarded_for_only_behind_trusted_proxies():
    def app_with(**kw):
        limit = RateLimit(1, per=60, **kw)
        app = FastHTML()

        @app.post('/x')
        @limit
        def x(): return 'x'
        return app

    spoof = [{'X-Forwarded-For': f'198.51.100.{i}'} for i in range(3)]
    direct = TestClient(app_with(), client=('203.0.113.5', 1000))
    # not behind a trusted proxy: a forged header does not buy a fresh budget
    assert [direct.post('/x', headers=h).status_code for h in spoof] == [200, 429, 429]
    proxied = TestClient(app_with(trusted_proxies=['10.0.0.0/8']), client=('10.1.2.3', 1000))
    assert [proxied.post('/x', headers=h).status_code for h in spoof] == [200, 200, 200]
    assert proxied.post('/x', headers={'X-Forwarded-For': '1.1.1.1, 198.51.100.0'}).status_code == 429


def test_key_function_and_none_means_unlimited():
    limit = RateLimit(1, per=60, key=lambda req: req.headers.get('x-api-key'))
    app = FastHTML()

    @app.get('/k')
    @limit
    def k(): return 'k'

    cli = TestClient(app)
    assert [cli.get('/k', headers={'X-Api-Key': 'a'}).status_code for _ in range(2)] == [200, 429]
    assert cli.get('/k', headers={'X-Api-Key': 'b'}).status_code == 200
    assert [cli.get('/k').status_code for _ in range(3)] == [200] * 3


def test_memory_store_is_exact_under_threads_and_bounded():
    store = MemoryStore(max_keys=100)
    allowed = []
    lock = threading.Lock()

    def worker():
        for _ in range(50):
            d = store.hit_now('k', 60, 30)
            with lock: allowed.append(d.allowed)
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    assert allowed.count(True) == 60 and len(allowed) == 400
    for i in range(1000): store.hit_now(f'key{i}', 5, 30)
    assert len(store) == 100


def test_memory_store_window_slides():
    now = [100.0]
    store = MemoryStore(clock=lambda: now[0])
    for t in (100.0, 101.0, 102.0):
        now[0] = t
        assert store.hit_now('k', 3, 10).allowed
    now[0] = 105.0
    assert store.hit_now('k', 3, 10) == Decision(False, 0, 5.0)
    now[0] = 110.5   # the request of t=100 has left the window, the others have not
    assert store.hit_now('k', 3, 10) == Decision(True, 0)
    assert store.hit_now('k', 3, 10) == Decision(False, 0, 0.5)


def test_bad_arguments_name_the_fix():
    with pytest.raises(ValueError, match='trusted_proxies'): RateLimit(1, trusted_proxies=['proxy.local'])
    with pytest.raises(ValueError, match='limit=1.5 must be'): RateLimit(1.5)  # type: ignore[arg-type]


def load_example(name: str):
    path = Path(__file__).resolve().parents[1]/'examples'/f'{name}.py'
    spec = importlib.util.spec_from_file_location(f'{name}_under_test', path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_example_app(monkeypatch):
    monkeypatch.delenv('REDIS_URL', raising=False)
    cli = TestClient(load_example('ratelimit_app').app)
    assert [cli.post('/ping', headers=HX).text for _ in range(3)] == ['1', '2', '3']
    r = cli.post('/ping', headers=HX)
    assert r.status_code == 429 and 'fh-toast' in r.text
    r = cli.get('/ping')
    assert r.status_code == 429 and 'id="fh-rate-limited"' in r.text


# Redis: a real redis-server on a free loopback port (tests/redis_fixture.py)

def test_redis_store_shares_the_window_between_workers(redis_server):
    async def run():
        # two stores on one server stand for two worker processes
        a, b = RedisStore(redis_server.url), RedisStore(redis_server.url)
        got = [await (a if i % 2 else b).hit('ip:1.2.3.4', 4, 1.0) for i in range(5)]
        assert [d.allowed for d in got] == [True] * 4 + [False]
        assert [d.remaining for d in got[:4]] == [3, 2, 1, 0] and 0 < got[4].retry_after <= 1.0
        assert (await a.hit('ip:5.6.7.8', 4, 1.0)).allowed   # other keys are separate
        import redis.asyncio as aioredis
        r = aioredis.from_url(redis_server.url)
        ttl = await r.pttl('fh:ratelimit:ip:1.2.3.4')
        assert 0 < ttl <= 1000   # the key expires with its window: Redis memory stays bounded
        await r.aclose()
        await asyncio.sleep(got[4].retry_after + 0.05)
        assert (await b.hit('ip:1.2.3.4', 4, 1.0)).allowed
    asyncio.run(run())


def test_redis_store_through_an_app(redis_server):
    cli = TestClient(vote_app(RateLimit(2, per=60, store=redis_server.url, name='votes')))
    assert [cli.post('/vote', data={'choice': 'a'}).status_code for _ in range(3)] == [200, 200, 429]
    other = TestClient(vote_app(RateLimit(2, per=60, store=redis_server.url, name='votes')))   # a second worker
    assert other.post('/vote', data={'choice': 'a'}).status_code == 429


def test_redis_down_fails_open_with_a_log_line_or_503(redis_server, caplog):
    caplog.set_level(logging.WARNING, logger='fasthtml.ratelimit')
    url = redis_server.url
    redis_server.stop()
    cli = TestClient(vote_app(RateLimit(1, per=60, store=RedisStore(url, timeout=0.5))))
    assert [cli.post('/vote', data={'choice': 'a'}).status_code for _ in range(3)] == [200] * 3
    assert sum('unreachable' in m and 'allowing requests' in m for m in caplog.messages) == 1   # once, not per request
    strict = TestClient(vote_app(RateLimit(1, per=60, store=RedisStore(url, timeout=0.5, fail_open=False))))
    r = strict.post('/vote', data={'choice': 'a'})
    assert r.status_code == 503 and 'rate limit store' in r.text

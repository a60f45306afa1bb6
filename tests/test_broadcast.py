"Broadcast: in memory for one process, through a real redis-server for several; SSE and WebSocket subscribers."
import asyncio
import logging
import sys
import threading
import time
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from redis_fixture import redis_server_fixture  # noqa: F401  (the `redis_server` fixture)
from starlette.testclient import TestClient

from fasthtml.broadcast import Broadcast, BroadcastError, SubscriptionClosed
from fasthtml.components import Li
from fasthtml.core import FastHTML
from fasthtml.sse import SSEStream


async def _wait_for(cond, timeout: float = 5.0) -> None:
    "Poll `cond()` until true (a state change of another task or process), failing after `timeout` s"
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        assert loop.time() < end, 'condition not met in time'
        await asyncio.sleep(0.01)


def _assert_nothing_left(cli: TestClient, tries: int) -> None:
    "Poll the app's `/count` (every 10 ms, `tries` times) until no subscription and no forwarding task is left"
    for _ in range(tries):
        if cli.get('/count').json() == {'subs': 0, 'tasks': 0}: break
        threading.Event().wait(0.01)
    assert cli.get('/count').json() == {'subs': 0, 'tasks': 0}


async def _publish_until_heard(ch: Broadcast, sub, text: str, what: str) -> None:
    "Publish `text` to 'room' until `sub` gets it: the reader reconnects with backoff and subscribes again first"
    loop = asyncio.get_running_loop()
    end = loop.time() + 10
    while (got := await sub.get(0.2)) is None:
        assert loop.time() < end, f'no message after {what}'
        try: await ch.publish('room', text)
        except BroadcastError: pass  # until then a publish reaches no one, or fails while Redis is down
    assert got == text


def test_memory_fan_out_per_channel():
    async def main():
        ch = Broadcast()
        async with ch.subscribe('room') as a, ch.subscribe('room') as b, ch.subscribe('lobby') as c:
            assert ch.subscribers('room') == 2
            await ch.publish('room', Li('hi'))
            assert [await a.get(1), await b.get(1), await c.get(0.01)] == ['<li>hi</li>', '<li>hi</li>', None]
        assert ch.subscribers('room') == 0 and ch._subs == {}
        with pytest.raises(SubscriptionClosed): await a.get()
    asyncio.run(main())


def test_memory_publish_from_another_thread_and_loop():
    "A sync handler's thread (or another loop) may publish; the message lands on the subscriber's own loop"
    async def main():
        ch = Broadcast()
        async with ch.subscribe('room') as sub:
            th = threading.Thread(target=lambda: asyncio.run(ch.publish('room', 'from a thread')))
            th.start()
            assert await sub.get(5) == 'from a thread'
            th.join()
    asyncio.run(main())


def test_close_ends_readers():
    async def main():
        ch = Broadcast()
        got = []
        async def reader():
            async with ch.subscribe('room') as sub:
                async for text in sub: got.append(text)
        t = asyncio.create_task(reader())
        await _wait_for(lambda: ch.subscribers('room') == 1)
        await ch.publish('room', 'one')
        await _wait_for(lambda: got == ['one'])
        await ch.close()
        await asyncio.wait_for(t, 2)  # the `async for` ended
        assert ch._subs == {}
    asyncio.run(main())


def _ws_app(ch: Broadcast, with_disconnect: bool = True) -> FastHTML:
    app = FastHTML(secret_key='k')
    async def joined(ws, send): await ch.connect(ws, 'room', send)
    async def left(ws): await ch.disconnect(ws)
    @app.ws('/ws', conn=joined, disconn=left if with_disconnect else None)
    async def chat(msg: str):
        await ch.publish('room', Li(msg))
    @app.get('/count')
    def count(): return {'subs': ch.subscribers('room'), 'tasks': ch.active_tasks}
    return app


@pytest.mark.parametrize('with_disconnect', [True, False])
def test_websocket_forwarding_ends_with_the_socket(with_disconnect):
    ch = Broadcast()
    ch.ws_check_interval = 0.05  # without a disconnect callback, the forwarder notices the closed socket itself
    with TestClient(_ws_app(ch, with_disconnect)) as cli:
        with cli.websocket_connect('/ws') as one, cli.websocket_connect('/ws') as two:
            assert cli.get('/count').json() == {'subs': 2, 'tasks': 2}
            one.send_json({'msg': 'hello'})
            assert one.receive_text() == two.receive_text() == '<li>hello</li>'
        _assert_nothing_left(cli, 200)


@contextmanager
def served(app):
    "`app` under a real uvicorn in a thread (an endless SSE stream needs a real server); yields its URL"
    server = uvicorn.Server(uvicorn.Config(app, host='127.0.0.1', port=0, log_level='warning', lifespan='off'))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not (server.started and server.servers) and time.monotonic() < deadline: time.sleep(0.02)
    try: yield f'http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}'
    finally:
        server.should_exit = True
        t.join(10)


def _wait(cond, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, 'condition not met in time'
        time.sleep(0.01)


def test_sse_feed_through_a_real_server():
    ch = Broadcast()
    app = FastHTML(secret_key='k')
    @app.get('/events')
    def events(): return SSEStream(ch.sse('room', event='chat'))
    @app.post('/say')
    async def say(msg: str): await ch.publish('room', Li(msg))
    with served(app) as url, httpx.Client(base_url=url, timeout=10) as cli:
        with cli.stream('GET', '/events') as r:
            assert r.headers['content-type'].startswith('text/event-stream')
            _wait(lambda: ch.subscribers('room') == 1)
            cli.post('/say', data={'msg': 'hi'})
            lines = r.iter_lines()
            assert [next(lines), next(lines), next(lines)] == ['event: chat', 'data: <li>hi</li>', '']
        _wait(lambda: ch._subs == {})  # the client left: the stream's subscription is gone


def test_bad_urls_and_missing_package(monkeypatch):
    with pytest.raises(ValueError, match='redis://'): Broadcast('amqp://x')
    monkeypatch.setitem(sys.modules, 'redis.asyncio', None)
    with pytest.raises(ImportError, match=r"pip install 'python-fasthtml\[redis\]'"): Broadcast('redis://localhost')


# ---- Redis: a real redis-server on loopback (tests/redis_fixture.py)

def test_redis_reaches_subscribers_of_another_broadcast(redis_server):
    "Two Broadcast objects have their own connections, like two worker processes"
    async def main():
        a, b = Broadcast(redis_server.url), Broadcast(redis_server.url)
        try:
            async with a.subscribe('room') as sa, b.subscribe('room') as sb, b.subscribe('lobby') as other:
                await a.publish('room', Li('from a'))
                await b.publish('room', 'from b')
                assert [await sa.get(2), await sa.get(2)] == ['<li>from a</li>', 'from b']
                assert [await sb.get(2), await sb.get(2)] == ['<li>from a</li>', 'from b']
                assert await other.get(0.1) is None
                assert await a.ping() is True
        finally:
            await a.close()
            await b.close()
    asyncio.run(main())


def test_redis_subscription_follows_local_subscribers(redis_server):
    "Redis subscribes a channel for the first local subscriber and unsubscribes after the last"
    import redis.asyncio as aioredis
    async def main():
        raw = aioredis.Redis.from_url(redis_server.url)
        ch = Broadcast(redis_server.url, prefix='app1:')
        async def numsub(): return dict(await raw.pubsub_numsub('app1:room'))[b'app1:room']
        try:
            async with ch.subscribe('room'), ch.subscribe('room'):
                assert await numsub() == 1  # one connection per process, however many subscribers
            await _wait_for_async(lambda: numsub(), 0)
        finally:
            await ch.close()
            await raw.aclose()
    asyncio.run(main())


async def _wait_for_async(fn, want, timeout: float = 5.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while (got := await fn()) != want:
        assert loop.time() < end, f'{got!r} != {want!r}'
        await asyncio.sleep(0.01)


def test_redis_reconnects_and_resubscribes(redis_server, caplog):
    async def main():
        ch = Broadcast(redis_server.url)
        try:
            async with ch.subscribe('room') as sub:
                await ch.publish('room', 'before')
                assert await sub.get(2) == 'before'
                await asyncio.to_thread(redis_server.stop)
                with pytest.raises(BroadcastError, match=f'Redis at {redis_server.url} is unreachable'):
                    await ch.publish('room', 'lost')
                await asyncio.to_thread(redis_server.start)
                await _publish_until_heard(ch, sub, 'after', 'Redis came back')
        finally:
            await ch.close()
    with caplog.at_level(logging.WARNING, logger='fasthtml.broadcast'):
        asyncio.run(main())
    msgs = [r.getMessage() for r in caplog.records if r.name == 'fasthtml.broadcast']
    assert any(m.startswith('lost Redis at') for m in msgs) and any('is back after' in m for m in msgs), msgs


def test_redis_sse_and_websocket_subscribers_leave_nothing_behind(redis_server):
    ch = Broadcast(redis_server.url)
    ch.ws_check_interval = 0.05
    app = _ws_app(ch)
    with TestClient(app) as cli:
        with cli.websocket_connect('/ws') as one, cli.websocket_connect('/ws') as two:
            one.send_json({'msg': 'via redis'})
            assert one.receive_text() == two.receive_text() == '<li>via redis</li>'
        _assert_nothing_left(cli, 300)
        cli.portal.call(ch.close)  # pyright: ignore[reportOptionalMemberAccess]


def test_redis_down_at_start_then_up(redis_server):
    "A subscriber that arrives while Redis is down is subscribed once Redis comes up"
    redis_server.stop()
    async def main():
        ch = Broadcast(redis_server.url)
        assert ch._redis is not None
        ch._redis.confirm_timeout = 0.2
        try:
            async with ch.subscribe('room') as sub:  # returns after the confirm timeout, with a warning
                with pytest.raises(BroadcastError): await ch.publish('room', 'nobody hears this')
                assert await ch.ping() is False  # a readiness check fails
                await asyncio.to_thread(redis_server.start)
                await _publish_until_heard(ch, sub, 'up now', 'Redis came up')
                assert await ch.ping() is True
        finally:
            await ch.close()
    asyncio.run(main())


def test_cancelled_while_subscribing_leaves_nothing(redis_server):
    "A client that leaves while its subscription waits for Redis gives the channel back"
    redis_server.stop()
    async def main():
        ch = Broadcast(redis_server.url)
        try:
            opening = asyncio.ensure_future(ch.subscribe('room').open())
            await _wait_for(lambda: 'room' in ch._subs)  # registered, waiting for Redis
            opening.cancel()
            await asyncio.wait([opening])
            assert opening.cancelled() and ch._subs == {} and ch.subscribers('room') == 0
        finally:
            await ch.close()
    asyncio.run(main())


def test_first_publish_after_a_redis_restart_succeeds(redis_server):
    "The pool's connection from before the restart is stale: publish tries once more on a fresh one"
    async def main():
        ch = Broadcast(redis_server.url)
        try:
            await ch.publish('room', 'before')
            await asyncio.to_thread(redis_server.restart, 0.1)
            await ch.publish('room', 'after')  # no BroadcastError
            assert await ch.ping() is True
        finally:
            await ch.close()
    asyncio.run(main())


def _sync_publisher_app(ch: Broadcast) -> FastHTML:
    app = _ws_app(ch)
    @app.post('/say')
    def say(msg: str):  # a sync handler: runs in one of the app's worker threads
        ch.publish_sync('room', Li(msg))
        return 'sent'
    return app


def test_publish_from_a_sync_handler_in_memory():
    ch = Broadcast()
    with TestClient(_sync_publisher_app(ch)) as cli, cli.websocket_connect('/ws') as ws:
        assert cli.post('/say', data={'msg': 'from sync'}).text == 'sent'
        assert ws.receive_text() == '<li>from sync</li>'


def test_publish_from_a_sync_handler_through_redis(redis_server):
    ch = Broadcast(redis_server.url)
    with TestClient(_sync_publisher_app(ch)) as cli:
        with cli.websocket_connect('/ws') as ws:
            assert cli.post('/say', data={'msg': 'from sync'}).text == 'sent'
            assert ws.receive_text() == '<li>from sync</li>'
        cli.portal.call(ch.close)  # pyright: ignore[reportOptionalMemberAccess]
    with pytest.raises(RuntimeError, match='publish_sync runs in sync handlers'): ch.publish_sync('room', 'x')

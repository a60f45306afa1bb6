"""examples/broadcast_app.py in Chromium: a message posted in one tab appears in every tab, over SSE and WebSocket.

Two uvicorn processes sharing a throwaway redis-server (tests/redis_fixture.py), a tab on each: what one worker
publishes reaches the tab connected to the other, also after Redis restarts under them. And the in-memory default
with one process. Closing the tabs leaves no subscription and no forwarding task behind on either worker."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from redis_fixture import redis_server_fixture  # noqa: F401  (the `redis_server` fixture)

from .conftest import open_page, wait_until

pytestmark = pytest.mark.browser


def open_room(page, srv, via: str) -> None:
    "Open the room over `via` and wait until this worker counts the tab as a subscriber"
    before = srv.get_json('/stats')['subscribers']
    open_page(page, f'{srv.url}/?via={via}')
    wait_until(lambda: srv.get_json('/stats')['subscribers'] == before + 1, what=f'the {via} tab to subscribe')


def say(page, text: str) -> None:
    page.fill('#msg', text)
    page.press('#msg', 'Enter')
    expect(page.locator('#msg')).to_have_value('')  # the form came back, emptied


def assert_nothing_left(*servers) -> None:
    for srv in servers:
        wait_until(lambda s=srv: (st := s.get_json('/stats'))['subscribers'] == st['tasks'] == 0,
                   what=f'{srv.url} to drop the closed tabs')


def test_two_workers_share_messages_through_redis(redis_server, serve_example, browser_ctx, page, shot, monkeypatch):
    monkeypatch.setenv('FH_BROADCAST_URL', redis_server.url)
    monkeypatch.setenv('WORKER_NAME', 'worker-1')
    one = serve_example('broadcast_app')
    monkeypatch.setenv('WORKER_NAME', 'worker-2')
    two = serve_example('broadcast_app')
    assert one.get_json('/readyz')['checks']['broadcast']['status'] == 'ok'
    other = browser_ctx.new_page()
    open_room(page, one, 'sse')
    open_room(other, two, 'ws')
    expect(page.locator('h1')).to_have_text('Room on worker-1')
    expect(other.locator('h1')).to_have_text('Room on worker-2')

    say(page, 'hello from the first worker')
    for p in (page, other): expect(p.locator('#log li')).to_have_text(['hello from the first worker (worker-1)'])
    say(other, 'and back from the second')
    for p in (page, other):
        expect(p.locator('#log li')).to_have_text(['hello from the first worker (worker-1)',
                                                   'and back from the second (worker-2)'])

    # Redis restarts under the open tabs: both workers reconnect and re-subscribe, the tabs stay connected
    redis_server.restart(down_for=0.3)
    for srv in (one, two): wait_until(lambda s=srv: s.get_json('/stats')['connected'], what='the worker to reconnect')
    page.evaluate('window.__marker = 1')
    say(page, 'after the restart')
    for p in (page, other): expect(p.locator('#log li').nth(2)).to_have_text('after the restart (worker-1)')
    assert page.evaluate('window.__marker') == 1  # the same page: no reload, the stream carried on
    shot(page, 'broadcast_worker1_sse')
    shot(other, 'broadcast_worker2_ws')
    page.close()
    other.close()
    assert_nothing_left(one, two)


def test_one_process_in_memory(serve_example, browser_ctx, page, shot, monkeypatch):
    monkeypatch.delenv('FH_BROADCAST_URL', raising=False)
    monkeypatch.setenv('WORKER_NAME', 'solo')
    srv = serve_example('broadcast_app')
    other = browser_ctx.new_page()
    open_room(page, srv, 'sse')
    open_room(other, srv, 'ws')
    say(other, 'one process, two tabs')
    for p in (page, other): expect(p.locator('#log li')).to_have_text(['one process, two tabs (solo)'])
    say(page, '<b>not bold</b>')  # text is escaped on the way out
    for p in (page, other):
        expect(p.locator('#log li').nth(1)).to_have_text('<b>not bold</b> (solo)')
        assert p.locator('#log b').count() == 0
    shot(page, 'broadcast_memory')
    page.close()
    other.close()
    assert_nothing_left(srv)

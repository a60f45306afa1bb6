"Server-sent events: framing, headers, sync/async generators, and generators ending when the client goes away."
from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from fasthtml.common import Article, Div, EventStream, FastHTML, HxPartial, P, sse_message
from fasthtml.htmx import htmx4_exts
from fasthtml.sse import SSE_HEADERS, SSEStream, sse_comment, sse_event, sse_ext


def parse_events(text: str) -> list[dict]:
    "Parse an event stream the way a browser does: `event` name (default 'message') and joined `data` lines"
    out = []
    for block in text.split('\n\n'):
        if not block: continue
        ev, data = 'message', []
        for line in block.split('\n'):
            k, _, v = line.partition(': ')
            if k == 'event': ev = v
            elif k == 'data': data.append(v)
        if data: out.append({'event': ev, 'data': '\n'.join(data)})
    return out


@pytest.mark.parametrize('data,event,expected', [
    ('hello', None, [{'event': 'message', 'data': 'hello'}]),
    ('hello', 'greeting', [{'event': 'greeting', 'data': 'hello'}]),
    ('line one\nline two\n\nline four', 'multi', [{'event': 'multi', 'data': 'line one\nline two\n\nline four'}]),
    (P('x', id='y'), 'ft', [{'event': 'ft', 'data': '<p id="y">x</p>'}]),
    (Div(P('a'), P('b')), None, [{'event': 'message', 'data': '<div>\n  <p>a</p>\n  <p>b</p>\n</div>'}]),
])
def test_sse_event_round_trips(data, event, expected):
    assert parse_events(sse_event(data, event=event)) == expected


def test_sse_event_matches_sse_message_for_ft_and_text():
    for elm in (P('x', id='y'), Div(P('multi'), P('line'), id='ml'), 'hello\nworld'):
        assert sse_event(elm, event='e') == sse_message(elm, event='e')


def test_default_event_has_no_event_line():
    "htmx 4's hx-sse swaps only unnamed events (a named one, `message` too, is a DOM event); htmx 2 reads both alike"
    for elm in (P('x'), HxPartial(P('y'), hx_target='#t'), 'text'):
        assert sse_event(elm) == sse_event(elm, event='message') == sse_message(elm) == sse_message(elm, event='message')
        assert not sse_event(elm).startswith('event:')
    assert sse_event('x', event='upd').startswith('event: upd\n')


def test_hx_partials_stream_as_one_event_each():
    "An `HxPartial` item (or a main fragment beside one) is one event, its lines framed as `data:` lines"
    app = FastHTML(htmx4=True, exts='sse')
    @app.get('/feed')
    def feed():
        def gen():
            yield HxPartial(P('one'), hx_target='#a')
            yield sse_event((P('main'), HxPartial(Div('side'), hx_target='#b', hx_swap='beforeend')))
        return SSEStream(gen())
    r = TestClient(app).get('/feed')
    assert parse_events(r.text) == [
        {'event': 'message', 'data': '<hx-partial hx-target="#a">  <p>one</p>\n</hx-partial>'},
        {'event': 'message', 'data': '<p>main</p><hx-partial hx-swap="beforeend" hx-target="#b">  <div>side</div>\n</hx-partial>'}]
    assert 'event:' not in r.text
    assert app.hdrs[-1].src == htmx4_exts['sse'] == sse_ext(htmx4=True).src


def test_sse_event_fields_and_bad_values():
    assert sse_event('x', id='7', retry=1000) == 'id: 7\nretry: 1000\ndata: x\n\n'
    assert sse_comment('keep-alive') == ': keep-alive\n\n'
    with pytest.raises(ValueError, match='single line'): sse_event('x', id='a\nb')
    with pytest.raises(ValueError, match='retry'): sse_event('x', retry='soon')
    with pytest.raises(ValueError, match='retry'): sse_event('x', retry=True)


def make_app():
    app = FastHTML()
    async def agen(n):
        for i in range(n):
            yield Article(f'number {i}', data_i=i)
            await asyncio.sleep(0)
    def sgen():
        yield sse_event('plain')
        yield sse_event(P('named'), event='custom')
        yield b'data: bytes\n\n'
    def bad():
        yield sse_event('ok')
        yield 42
    @app.get('/async')
    def get_async(n: int = 3): return SSEStream(agen(n))
    @app.get('/sync')
    def get_sync(): return SSEStream(sgen(), headers={'X-Extra': '1'})
    @app.get('/bad')
    def get_bad(): return SSEStream(bad())
    @app.get('/legacy')
    def get_legacy(): return EventStream(sgen())
    return app


def test_async_generator_ft_items_become_events():
    r = TestClient(make_app()).get('/async?n=3')
    assert r.status_code == 200
    assert [e['data'] for e in parse_events(r.text)] == [f'<article data-i="{i}">number {i}</article>' for i in range(3)]


def test_sync_generator_and_headers():
    r = TestClient(make_app()).get('/sync')
    assert r.headers['content-type'] == 'text/event-stream; charset=utf-8'
    assert r.headers['cache-control'] == 'no-cache' and r.headers['x-accel-buffering'] == 'no'
    assert r.headers['x-extra'] == '1'
    assert parse_events(r.text) == [{'event': 'message', 'data': 'plain'}, {'event': 'custom', 'data': '<p>named</p>'},
                                    {'event': 'message', 'data': 'bytes'}]
    assert SSE_HEADERS == {'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no'}


def test_event_stream_stays_like_the_reference():
    r = TestClient(make_app()).get('/legacy')
    assert 'x-accel-buffering' not in r.headers  # reference headers; SSEStream adds the anti-buffering ones
    assert len(parse_events(r.text)) == 3


def test_bad_item_is_a_clear_error():
    with pytest.raises(TypeError, match='yields str, bytes or FT, not int: 42'):
        TestClient(make_app()).get('/bad')


@pytest.mark.parametrize('bad', ['text', b'bytes', 42, None])
def test_stream_needs_a_generator(bad):
    with pytest.raises(TypeError, match='needs a generator'): SSEStream(bad)


async def run_until_disconnect(source, spec: str, events_before_disconnect: int = 1):
    "Run an SSEStream over ASGI; the client disconnects after `events_before_disconnect` events"
    sent, got = [], asyncio.Event()
    async def receive():
        await got.wait()
        return {'type': 'http.disconnect'}
    async def send(msg):
        sent.append(msg)
        if sum(1 for m in sent if m.get('body')) >= events_before_disconnect: got.set()
    # the limit turns a generator that never ends into a failure instead of a hung test run
    await asyncio.wait_for(SSEStream(source)({'type': 'http', 'asgi': {'spec_version': spec}}, receive, send), 30)
    return sent


@pytest.mark.parametrize('spec', ['2.3', '2.4'])
def test_disconnect_ends_idle_async_generator_without_leaking_tasks(spec):
    state = {'finally': 0, 'cancelled': 0}
    async def forever():
        try:
            while True:
                yield sse_event('tick')
                await asyncio.sleep(3600)  # idle: without watching receive(), the stream would never notice
        except asyncio.CancelledError:
            state['cancelled'] += 1
            raise
        finally: state['finally'] += 1
    async def main():
        before = set(asyncio.all_tasks())
        sent = await run_until_disconnect(forever(), spec)
        return sent, set(asyncio.all_tasks()) - before
    sent, leaked = asyncio.run(main())
    assert state['finally'] == 1 and not leaked
    assert sent[1]['body'] == b'data: tick\n\n'


def test_disconnect_closes_sync_generator():
    state = {'yielded': 0, 'closed': False}
    def forever():
        try:
            while True:
                state['yielded'] += 1
                yield sse_event(state['yielded'])
        except GeneratorExit:
            state['closed'] = True
            raise
    asyncio.run(run_until_disconnect(forever(), '2.4', events_before_disconnect=3))
    assert state['closed'] and state['yielded'] >= 3


@pytest.fixture
def live_server():
    "An app under a real uvicorn (in a thread) whose endless SSE generator records when it ends"
    app, ended = FastHTML(), threading.Event()
    async def ticks():
        try:
            n = 0
            while True:
                n += 1
                yield sse_event(f'tick {n}', event='tick')
                await asyncio.sleep(0.05)
        finally: ended.set()
    @app.get('/feed')
    def feed(): return SSEStream(ticks())
    config = uvicorn.Config(app, host='127.0.0.1', port=0, log_level='warning', lifespan='off')
    server = uvicorn.Server(config)
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not (server.started and server.servers) and time.monotonic() < deadline: time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f'http://127.0.0.1:{port}', ended
    server.should_exit = True
    t.join(10)


def test_real_server_client_close_ends_generator(live_server):
    url, ended = live_server
    with httpx.Client(timeout=10) as c, c.stream('GET', url + '/feed') as r:
        assert r.headers['x-accel-buffering'] == 'no'
        buf = ''
        for chunk in r.iter_text():
            buf += chunk
            if len(parse_events(buf)) >= 3: break
    assert [e['event'] for e in parse_events(buf)][:3] == ['tick'] * 3
    assert ended.wait(10), 'the server kept the SSE generator running after the client closed'

"A clock fed by server-sent events; closing the page ends the server's generator (see /status). FH_HTMX=4: htmx 4."
import asyncio
import os
from datetime import datetime, timezone

from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.sse import SSEStream, sse_event

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

# htmx 2: the SSE extension, `hx-ext="sse" sse-connect`, and `sse-swap` naming the event to swap ('message' is an
# event sent without an `event:` line). htmx 4: `hx-sse:connect`; unnamed events are swapped into the element.
app, rt = fast_app(exts='sse', htmx4=HTMX4)  # 'sse' is htmx-ext-sse under htmx 2, hx-sse under htmx 4
connect = {'hx_sse_connect': '/clock'} if HTMX4 else {'hx_ext': 'sse', 'sse_connect': '/clock', 'sse_swap': 'message'}
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

streams = {'open': 0, 'ended': 0}  # how many clock generators run now, and how many have finished

@app.get('/')
def index():
    return Titled('SSE clock',
        Div(P('waiting for the server...'), id='clock', **connect))

async def ticks(interval: float):
    streams['open'] += 1
    try:
        n = 0
        while True:
            n += 1
            now = datetime.now(timezone.utc).strftime('%H:%M:%S.%f')[:-3]
            yield sse_event(P(f'tick {n} at {now}', id='tick', data_n=n))
            await asyncio.sleep(interval)
    finally:
        streams['open'] -= 1
        streams['ended'] += 1

@app.get('/clock')
def clock(interval: float = 0.2): return SSEStream(ticks(max(interval, 0.01)))

@app.get('/status')
def status(): return streams

serve()

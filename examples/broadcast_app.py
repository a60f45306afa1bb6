"""A chat room shared by every worker: a message posted to any worker appears in every open tab.

Tabs follow the room over server-sent events (`/`) or a WebSocket (`/?via=ws`). With `FH_BROADCAST_URL` set
(`redis://127.0.0.1:6379/0`) messages go through Redis pub/sub and reach tabs connected to other worker processes;
without it they stay in this process. Try two workers on one Redis:
    FH_BROADCAST_URL=redis://127.0.0.1:6379/0 uvicorn broadcast_app:app --port 5001
    FH_BROADCAST_URL=redis://127.0.0.1:6379/0 uvicorn broadcast_app:app --port 5002
"""
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.broadcast import Broadcast, BroadcastError
from fasthtml.sse import SSEStream, sse_ext

channels = Broadcast(os.environ.get('FH_BROADCAST_URL'))
app, rt = fast_app(hdrs=(sse_ext(),), exts='ws', on_shutdown=[channels.close], health=True)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)
app.ready_check('broadcast', channels.ping)  # /readyz fails while Redis is unreachable
WORKER = os.environ.get('WORKER_NAME') or f'pid {os.getpid()}'


def message_form(error: str = ''):
    return Form(Input(name='msg', id='msg', placeholder='Say something', autocomplete='off', autofocus=True),
                Button('Send', id='send'), P(error, id='error') if error else None,
                hx_post='/say', hx_swap='outerHTML', id='say')


@rt('/')
def index(via: str = 'sse'):
    # Every message is an out-of-band append to #log, so SSE (swap 'none') and WebSocket tabs handle it alike.
    if via == 'ws': feed = Div(P('connected over a WebSocket'), hx_ext='ws', ws_connect='/ws', id='feed')
    else: feed = Div(P('connected over server-sent events'), hx_ext='sse', sse_connect='/events', sse_swap='message',
                     hx_swap='none', id='feed')
    return Titled(f'Room on {WORKER}', feed, Ul(id='log'), message_form())


@app.post('/say')
async def say(msg: str):
    msg = msg.strip()[:500]
    if not msg: return message_form()
    item = Ul(Li(msg, ' ', Small(f'({WORKER})')), id='log', hx_swap_oob='beforeend')
    try: await channels.publish('room', item)
    except BroadcastError: return message_form('The message service is unreachable; try again in a moment.')
    return message_form()


@app.get('/events')
def events(): return SSEStream(channels.sse('room'))


async def joined(ws, send): await channels.connect(ws, 'room', send)
async def left(ws): await channels.disconnect(ws)

@app.ws('/ws', conn=joined, disconn=left)
async def ws(msg: str): return None  # the page only listens; messages are posted to /say


@app.get('/stats')
def stats():
    return {'worker': WORKER, 'subscribers': channels.subscribers('room'), 'tasks': channels.active_tasks,
            'connected': channels.connected}


serve()

"A chat over websockets: a message sent in one tab appears in every open tab (htmx 2, or htmx 4 with FH_HTMX=4)."
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

app, rt = fast_app(exts='ws', htmx4=HTMX4)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

clients: dict[int, object] = {}  # id(websocket) -> send

def msg_input(oob: bool = False):
    return Input(id='msg', name='msg', placeholder='Say something', autocomplete='off', hx_swap_oob='true' if oob else None)

# htmx 2 connects with `hx-ext="ws" ws-connect` and sends with `ws-send`; htmx 4 with `hx-ws:connect` and `hx-ws:send`
# (spelt `hx-ws-connect` under the `metaCharacter: "-"` config fast_app sets for htmx 4).
connect = {'hx_ws_connect': '/ws'} if HTMX4 else {'hx_ext': 'ws', 'ws_connect': '/ws'}
sender = {'hx_ws_send': True} if HTMX4 else {'ws_send': True}

@app.get('/')
def index():
    return Titled('Chat',
        P('connecting...', id='status'),
        Ul(id='messages'),
        Form(msg_input(), Button('Send', id='send'), id='chat', **sender),
        **connect)

# Every message is out-of-band (`hx-swap-oob`): htmx 2's ws extension swaps all it receives by id, htmx 4's swaps
# a plain fragment into the connecting element, which here would replace the page.
async def on_connect(ws, send):
    clients[id(ws)] = send
    await send(P('connected', id='status', hx_swap_oob='true'))

async def on_disconnect(ws): clients.pop(id(ws), None)

@app.ws('/ws', conn=on_connect, disconn=on_disconnect)
async def chat(msg: str, send):
    if not msg.strip(): return msg_input(oob=True)
    item = Ul(Li(msg), id='messages', hx_swap_oob='beforeend')
    for other in list(clients.values()): await other(item)  # `send` to a tab that just closed returns False
    return msg_input(oob=True)

serve()

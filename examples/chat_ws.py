"A chat over websockets: a message sent in one tab appears in every open tab."
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

app, rt = fast_app(exts='ws')
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

clients: dict[int, object] = {}  # id(websocket) -> send

def msg_input(): return Input(id='msg', name='msg', placeholder='Say something', autocomplete='off')

@app.get('/')
def index():
    return Titled('Chat',
        P('connecting...', id='status'),
        Ul(id='messages'),
        Form(msg_input(), Button('Send', id='send'), id='chat', ws_send=True),
        hx_ext='ws', ws_connect='/ws')

async def on_connect(ws, send):
    clients[id(ws)] = send
    await send(P('connected', id='status'))

async def on_disconnect(ws): clients.pop(id(ws), None)

@app.ws('/ws', conn=on_connect, disconn=on_disconnect)
async def chat(msg: str, send):
    if not msg.strip(): return msg_input()
    item = Ul(Li(msg), id='messages', hx_swap_oob='beforeend')
    for other in list(clients.values()): await other(item)  # `send` to a tab that just closed returns False
    return msg_input()

serve()

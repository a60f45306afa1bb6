"htmx 2 websocket and SSE attributes, with the hx-ext that htmx 4 no longer needs"
from fasthtml.common import *

app, rt = fast_app(exts=['ws', 'sse'])

@rt('/')
def get():
    return Titled('Chat', Div(Div(id='log'), Form(Input(name='msg'), ws_send=True), hx_ext='ws', ws_connect='/chat'),
                  Div(hx_ext='sse', sse_connect='/ticks', sse_swap='tick', sse_close='done'))

@app.ws('/chat')
async def chat(msg: str, send): await send(Div(msg, id='log', hx_swap_oob='beforeend'))

@rt('/raw')
def get(): return Titled('Raw', NotStr('<div hx-on::after-swap="done()"></div>'))  # noqa: F811  (no FT call: the route)

@rt('/room/{name}')
def get(name: str):  # noqa: F811  (a path parameter: not rendered, found in the source)
    return Div(P(name), ws_connect=f'/chat?room={name}')

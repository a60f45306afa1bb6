"An htmx 4 app written for htmx 4: nothing to migrate"
from fasthtml.common import *

app, rt = fast_app(htmx4=True, exts=['ws4', 'sse4'])

@rt('/')
def get():
    return Titled('Clean', Div(Div(id='log'), Form(Input(name='msg'), hx_ws_send=True), hx_ws_connect='/chat'),
                  Div(hx_sse_connect='/ticks'),
                  Div(Button('a', hx_get='/a'), Button('b', hx_post='/b'), hx_target_inherited='#out'),
                  Div(id='out', hx_on__after_swap='done()'), Button('d', hx_post='/b', hx_disable='this'),
                  Div(A('home', href='/'), hx_boost_inherited='true'), Div(hx_get='/a', hx_trigger='load'))

@rt('/a')
def get(): return P('a')  # noqa: F811

@rt('/b')
def post(htmx: HtmxHeaders): return P(htmx.source)

@app.ws('/chat')
async def chat(msg: str, send): await send(Div(msg, id='log', hx_swap_oob='beforeend'))

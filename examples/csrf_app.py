"CSRF protection: forms, htmx requests and uploads carry the session's token; a forged post gets 403 (FH_HTMX=4: htmx 4)."
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.csrf import csrf_exempt

HTMX4 = os.environ.get('FH_HTMX') == '4'

app, rt = fast_app(csrf=True, exts='ws', htmx4=HTMX4, secret_key=os.environ.get('FH_SECRET', 'dev-only-secret'))
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

notes: list[str] = []
hooks: list[str] = []

def note_list(): return Ul(*[Li(n) for n in notes], id='notes')

connect = {'hx_ws_connect': '/ws'} if HTMX4 else {'hx_ext': 'ws', 'ws_connect': '/ws'}
sender = {'hx_ws_send': True} if HTMX4 else {'ws_send': True}

@rt('/')
def get():
    return Titled('CSRF protection',
        # A plain form: the renderer adds the hidden csrf_token field.
        Form(Input(name='text', id='text', placeholder='A note'), Button('Add', id='add'), method='post', action='/notes'),
        # An htmx form: the field again, plus the X-CSRF-Token header the page's script adds to htmx requests.
        Form(Input(name='text', id='hx-text', placeholder='A note, with htmx'), Button('Add with htmx', id='hx-add'),
             hx_post='/notes', hx_target='#notes', hx_swap='outerHTML'),
        # No form at all: only the header protects this one.
        Button('Clear', id='clear', hx_delete='/notes', hx_target='#notes', hx_swap='outerHTML'),
        note_list(),
        Form(Input(type='file', name='upload', id='file'), Button('Upload', id='send-file'), method='post',
             action='/upload'),
        # WebSocket messages carry no token: the handshake's Origin is checked instead.
        Div(Form(Input(name='msg', id='msg'), Button('Echo', id='echo'), id='ws-form', **sender),
            P('', id='ws-out'), **connect))

@rt('/notes')
def post(text: str, htmx: HtmxHeaders):
    notes.append(text)
    return note_list() if htmx.request else Redirect('/')

@rt('/notes')
def delete():
    notes.clear()
    return note_list()

@rt('/upload')
async def post(upload: UploadFile):  # noqa: F811  (one handler per verb)
    data = await upload.read()
    return P(f'{upload.filename}: {len(data)} bytes', id='uploaded')

@rt('/hook')
@csrf_exempt
def post(event: str = ''):  # noqa: F811  a webhook called by another server: no session, no token
    hooks.append(event)
    return f'ok {len(hooks)}'

@app.ws('/ws')
async def ws(msg: str, send):
    await send(P(f'echo: {msg}', id='ws-out', hx_swap_oob='true'))

serve()

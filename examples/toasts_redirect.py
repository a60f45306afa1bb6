"""Toasts: saving queues a toast in the session and redirects; the next page shows it.

A failed htmx request shows an error toast: the server's own (`/reject` answers 422 with one) or a generic one
(`/fail` is a bug, 500; a request that gets no answer; `/invalid`'s 422 where htmx does not swap it, i.e. htmx 2).
FH_HTMX=4 runs the same app on htmx 4."""
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

app, rt = fast_app(secret_key=os.environ.get('FH_SECRET', 'dev-only-secret'), htmx4=HTMX4)
setup_toasts(app, duration=60000)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

@app.get('/')
def index():
    return Titled('Toasts',
        Form(Input(name='title', id='title', placeholder='Title'), Button('Save', id='save'),
             method='post', action='/save'),
        Button('Save with htmx', id='hx-save', hx_post='/save', hx_vals='{"title": "via htmx"}'),
        Div(Button('Reject', id='reject', hx_post='/reject', hx_target='#result'),
            Button('Fail', id='fail', hx_post='/fail', hx_target='#result'),
            Button('Unreachable', id='unreachable', hx_post='/unreachable', hx_target='#result'),
            Button('Invalid', id='invalid', hx_post='/invalid', hx_target='#result')),
        Div(id='result'))

@app.post('/save')
def save(session, title: str = ''):
    if title.strip(): add_toast(session, f'Saved {title.strip()}', 'success')
    else: add_toast(session, 'Nothing to save: the title is empty', 'warning')
    return Redirect('/')

@app.post('/reject')
def reject(session):
    add_toast(session, 'Rejected: that title is taken', 'error', dismiss=True)
    return FtResponse(P('rejected', id='rejected'), status_code=422)

@app.post('/invalid')
def invalid():  # a 4xx meant to be shown: htmx 4 swaps it (no toast needed); htmx 2 does not, so a toast says it failed
    return FtResponse(P('that input is invalid', id='invalid-msg'), status_code=422)

@app.post('/fail')
def fail(): raise RuntimeError('a bug in the handler')  # a 500: the page shows the generic error toast

@app.post('/unreachable')
def unreachable(): return 'the browser test cuts this request off before it gets here'

serve()

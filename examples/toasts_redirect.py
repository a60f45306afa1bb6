"Toasts: saving queues a toast in the session and redirects; the next page shows it."
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
        Button('Save with htmx', id='hx-save', hx_post='/save', hx_vals='{"title": "via htmx"}'))

@app.post('/save')
def save(session, title: str = ''):
    if title.strip(): add_toast(session, f'Saved {title.strip()}', 'success')
    else: add_toast(session, 'Nothing to save: the title is empty', 'warning')
    return Redirect('/')

serve()

"Live reload: run with `python live_reload_app.py`, edit MESSAGE, save: the open page reloads by itself."
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

MESSAGE = 'Hello, live reload'

app, rt = fast_app(live=True, reload_attempts=50, reload_interval=200, htmx4=HTMX4)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

@app.get('/')
def index(): return Titled('Live reload', H2(MESSAGE, id='message'))

serve()

"Live reload: run with `python live_reload_app.py`, edit MESSAGE, save: the open page reloads by itself."
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

MESSAGE = 'Hello, live reload'

app, rt = fast_app(live=True, reload_attempts=50, reload_interval=200)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

@app.get('/')
def index(): return Titled('Live reload', H2(MESSAGE, id='message'))

serve()

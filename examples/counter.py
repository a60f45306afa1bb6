"A counter: each click posts with htmx and swaps only the number in, without reloading the page."
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

app, rt = fast_app(htmx4=HTMX4)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)  # serve htmx & co. from the app, not a CDN

count = 0

def counter(): return Span(str(count), id='count')

@app.get('/')
def index():
    return Titled('Counter',
        P('Clicks: ', counter()),
        Button('+1', id='inc', hx_post='/inc', hx_target='#count', hx_swap='outerHTML'),
        Button('Reset', id='reset', hx_post='/reset', hx_target='#count', hx_swap='outerHTML', cls='secondary'))

@app.post('/inc')
def inc():
    global count
    count += 1
    return counter()

@app.post('/reset')
def reset():
    global count
    count = 0
    return counter()

serve()

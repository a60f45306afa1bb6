"""An app written for htmx 4 (`fast_app(htmx4=True)`), one section per htmx 4 idiom:

- a fragment plus `HxPartial`s: adding an item swaps the new `<li>` into the list (the main target) and two
  `<hx-partial>` parts update the counter and the "last added" line, each by its own `hx-target`;
- explicit inheritance: `hx_target_inherited` on a container (htmx 4 inherits nothing implicitly);
- server-sent events: `hx_sse_connect`; each message holds two `HxPartial`s that update two places at once;
- a WebSocket: `hx_ws_connect` / `hx_ws_send`; the answer is `HxPartial`s too (a log line, an emptied input);
- toasts: after a redirect, and an error toast when a request fails.

Run `python examples/htmx4_app.py` and open http://localhost:5001. Attribute names are written the Python way:
fast_app sets htmx 4's `metaCharacter` to "-", so `hx_target_inherited` renders `hx-target-inherited`, htmx 4's
`hx-target:inherited`, and `hx_sse_connect` renders `hx-sse-connect` (`hx-sse:connect`).
"""
import asyncio
import os
from datetime import datetime, timezone

from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.sse import SSEStream, sse_event

app, rt = fast_app(htmx4=True, exts=['sse', 'ws'], secret_key=os.environ.get('FH_SECRET', 'dev-only-secret'))
setup_toasts(app, duration=60000)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)  # serve htmx & co. from the app, not a CDN

items: list[str] = []
feed = {'open': 0, 'ended': 0}  # SSE streams running now / finished (the browser test reads /feed/status)


def section(title: str, *body, **kw): return Article(H2(title), *body, **kw)


@rt('/')
def index():
    return Titled('htmx 4',
        section('A fragment and two partials',
                P('Items: ', Span(str(len(items)), id='n-items'), ' · last: ', Span('none', id='last')),
                Ul(*[Li(i) for i in items], id='items'),
                Form(Input(name='item', id='item', placeholder='Item', autocomplete='off'), Button('Add', id='add'),
                     hx_post='/items', hx_target='#items', hx_swap='beforeend')),
        section('Inherited target',
                Div(Button('Red', id='red', hx_get='/colour/red'), Button('Blue', id='blue', hx_get='/colour/blue'),
                    hx_target_inherited='#colour'),
                P('no colour yet', id='colour')),
        section('Server-sent events',
                P('Feed: message ', Span('-', id='feed-n'), ' at ', Span('-', id='feed-time')),
                Div(id='feed', hx_sse_connect='/feed')),
        section('WebSocket',
                Ul(id='echo-log'),
                Form(Input(name='text', id='echo-text', autocomplete='off'), Button('Echo', id='echo'),
                     hx_ws_send=True),
                hx_ws_connect='/echo'),
        section('Toasts',
                Button('Save', id='save', hx_post='/save'),
                # htmx 4 swaps error answers too; `hx-status:5xx` (spelt hx_status_5xx) keeps this one out of the page.
                Button('Fail', id='fail', hx_post='/fail', hx_target='#fail-result', hx_status_5xx='swap:none'),
                Div(id='fail-result')))


@rt('/items')
def post(item: str = ''):
    item = item.strip()
    if not item: return HxPartial(Span('an empty item was not added', id='last'), hx_target='#last', hx_swap='outerHTML')
    items.append(item)
    # The main fragment goes to the form's target (#items, beforeend); each HxPartial names its own target.
    return (Li(item),
            HxPartial(str(len(items)), hx_target='#n-items'),
            HxPartial(item, hx_target='#last'),
            HxPartial(Input(name='item', id='item', placeholder='Item', autocomplete='off'), hx_target='#item',
                      hx_swap='outerHTML'))


@rt('/colour/{name}')
def get(name: str): return f'picked {name}'


async def messages(interval: float):
    "One SSE message per tick; each updates two places, with no `event:` line (htmx 4 swaps unnamed messages)"
    feed['open'] += 1
    try:
        n = 0
        while True:
            n += 1
            now = datetime.now(timezone.utc).strftime('%H:%M:%S.%f')[:-3]
            yield sse_event((HxPartial(Span(str(n), id='feed-n', data_n=n), hx_target='#feed-n', hx_swap='outerHTML'),
                             HxPartial(Span(now, id='feed-time', data_n=n), hx_target='#feed-time',
                                       hx_swap='outerHTML')))
            await asyncio.sleep(interval)
    finally:
        feed['open'] -= 1
        feed['ended'] += 1

@rt('/feed')
def get(interval: float = 0.3): return SSEStream(messages(max(interval, 0.05)))  # noqa: F811

@rt('/feed/status')
def get(): return feed  # noqa: F811


@app.ws('/echo')
async def echo(text: str = ''):
    # htmx 4's ws extension swaps a plain fragment into the connecting element; partials say where each part goes.
    return (HxPartial(Li(text or '(empty)'), hx_target='#echo-log', hx_swap='beforeend'),
            HxPartial(Input(name='text', id='echo-text', autocomplete='off'), hx_target='#echo-text',
                      hx_swap='outerHTML'))


@rt('/save')
def post(session):  # noqa: F811
    add_toast(session, 'Saved', 'success')
    return Redirect('/')  # htmx request: HX-Redirect; the page it lands on shows the toast


@rt('/fail')
def post():  # noqa: F811
    raise RuntimeError('a bug in the handler')  # 500: the page shows an error toast


serve()

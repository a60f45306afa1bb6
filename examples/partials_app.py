"""Fragments by target: one function builds the whole task page, and each link and form gets back only the part it
swaps (`fast_app(partials='auto')`), with the page's title and its out-of-band open count. Without JavaScript the
same links and forms load full pages."""
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

app, rt = fast_app(htmx4=HTMX4, partials='auto')
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)  # serve htmx & co. from the app, not a CDN

tasks = [{'id': 1, 'name': 'Write the docs', 'done': False}, {'id': 2, 'name': 'Fix the tests', 'done': True},
         {'id': 3, 'name': 'Ship it', 'done': False}]
SHOWS = {'all': 'All', 'open': 'Open', 'done': 'Done'}


def task_row(t: dict):
    label = 'Reopen' if t['done'] else 'Done'
    return Li(Span(t['name'], cls='done' if t['done'] else None),
              Form(Button(label, id=f"toggle-{t['id']}"), action=f"/toggle/{t['id']}", method='post',
                   hx_post=f"/toggle/{t['id']}", hx_target='#list', style='display:inline'),
              id=f"task-{t['id']}")


def page(show: str = 'all', q: str = ''):
    "The whole page: every handler returns it, `partials='auto'` sends htmx requests only their target's part"
    shown = [t for t in tasks if (show == 'all' or (show == 'done') == t['done']) and q.lower() in t['name'].lower()]
    left = sum(not t['done'] for t in tasks)
    return (Title(f'Tasks ({left} open)'),
            Main(Header(H1('Tasks'), P(Span(str(left), id='open-count', hx_swap_oob='true'), ' open')),
                 Nav(*[A(label, href=f'/?show={k}', hx_get=f'/?show={k}', hx_target='#list', id=f'show-{k}')
                       for k, label in SHOWS.items()]),
                 Form(Input(name='q', value=q, placeholder='Search', id='q'), Button('Search', id='search-btn'),
                      id='search', action='/', hx_get='/', hx_target='#list'),
                 Ul(*[task_row(t) for t in shown], id='list'),
                 Form(Input(name='name', placeholder='New task', id='name', required=True), Button('Add', id='add-btn'),
                      id='add', action='/add', method='post', hx_post='/add', hx_target='#list'),
                 # The Refresh link has no id: the page's only request into #stats says outerHTML, so that is used.
                 Div(P(f"{len(tasks)} tasks, {len(tasks) - left} done", id='stats-text'),
                     A('Refresh', href='/', hx_get='/', hx_target='#stats', hx_swap='outerHTML'), id='stats'),
                 cls='container'))


@rt('/')
def index(show: str = 'all', q: str = ''):
    if show not in SHOWS: show = 'all'
    return page(show, q)


@app.post('/add')
def add(name: str = ''):
    name = name.strip()[:200]
    if name: tasks.append({'id': max((t['id'] for t in tasks), default=0) + 1, 'name': name, 'done': False})
    return page()


@app.post('/toggle/{tid}')
def toggle(tid: int):
    for t in tasks:
        if t['id'] == tid: t['done'] = not t['done']
    return page()


serve()

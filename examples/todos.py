"""The todo app of the FastHTML walkthrough: log in, add, toggle, edit (fill_form), delete and sort todos.

Each user sees only their own todos (MiniDataAPI `xtra`). The data lives in SQLite by default; the same file runs on
PostgreSQL when `DATABASE_URL` names one:

    python examples/todos.py                                               # SQLite: data/todos.db
    DATABASE_URL=postgresql://user:pw@localhost/todos python examples/todos.py
"""
import hashlib
import os
import secrets
from hmac import compare_digest

from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.db import open_db
from fasthtml.pico import Card, Container, Grid, Group
from fastlite import NotFoundError

OFFLINE = bool(os.environ.get('FASTHTML_OFFLINE'))
HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)


def hash_pwd(pwd: str, salt: str | None = None) -> str:
    "`salt$hash` of `pwd` (PBKDF2): the database never holds a password"
    salt = salt or secrets.token_hex(8)
    return salt + '$' + hashlib.pbkdf2_hmac('sha256', pwd.encode(), salt.encode(), 100_000).hex()

def check_pwd(pwd: str, stored: str) -> bool: return compare_digest(hash_pwd(pwd, stored.split('$')[0]), stored)


def render(todo):
    "How a todo shows in the list (the dataclass's `__ft__`)"
    show = AX(todo.title, f'/todos/{todo.id}', 'current-todo')
    edit = AX('edit', f'/edit/{todo.id}', 'current-todo')
    toggle = A('done' if not todo.done else 'undo', hx_post=f'/toggle/{todo.id}', target_id=f'todo-{todo.id}',
               hx_swap='outerHTML', cls='toggle')
    mark = '✅ ' if todo.done else ''
    return Li(mark, show, ' | ', edit, ' | ', toggle, Hidden(id='id', value=todo.id), id=f'todo-{todo.id}')


login_redir = RedirectResponse('/login', status_code=303)

def before(req, sess):
    "Every page but the login needs a user; scope the todos table to that user's rows"
    auth = req.scope['auth'] = sess.get('auth', None)
    if not auth: return login_redir
    todos.xtra(name=auth)

def not_found(req, exc): return Titled('Oh no!', Div('We could not find that page :('))
def no_such_todo(req, exc): return FtResponse(not_found(req, exc), status_code=404)  # `todos[id]` of a missing row

hdrs = (Style(':root { --pico-font-size: 100%; }'),)
if not OFFLINE: hdrs += (SortableJS('.sortable'),)  # drag to reorder (loads Sortable from a CDN)

# `open_db` gives every worker thread its own SQLite connection (sync handlers run in a thread pool) and keeps each
# request's `xtra` scope to that request; a `DATABASE_URL` opens PostgreSQL through the same MiniDataAPI.
db = open_db(os.environ.get('DATABASE_URL', 'data/todos.db'))
users = db.t.users.create(name=str, pwd=str, pk='name', transform=True)
todos = db.t.todos.create(id=int, title=str, done=bool, name=str, details=str, priority=int, pk='id', transform=True)
User, Todo = users.dataclass(), todos.dataclass()
Todo.__ft__ = render

app, rt = fast_app(
    before=Beforeware(before, skip=[r'/favicon\.ico', r'/static/.*', r'.*\.css', '/login']),
    exception_handlers={404: not_found, NotFoundError: no_such_todo}, hdrs=hdrs, htmx4=HTMX4)
if OFFLINE: offline_assets(app)  # serve htmx & co. from the app, not a CDN


@app.get('/login')
def login_page():
    frm = Form(Input(id='name', placeholder='Name'), Input(id='pwd', type='password', placeholder='Password'),
               Button('login'), action='/login', method='post')
    return Titled('Login', frm)

@dataclass
class Login: name: str; pwd: str

@app.post('/login')
def login(login: Login, sess):
    if not login.name or not login.pwd: return login_redir
    try: u = users[login.name]
    except NotFoundError: u = users.insert(name=login.name, pwd=hash_pwd(login.pwd))
    if not check_pwd(login.pwd, u.pwd): return login_redir
    sess['auth'] = u.name
    return RedirectResponse('/', status_code=303)

@app.get('/logout')
def logout(sess):
    sess.pop('auth', None)
    return login_redir


def new_input(**kw): return Input(id='new-title', name='title', placeholder='New Todo', required=True, **kw)

@app.get('/')
def index(auth):
    title = f"{auth}'s Todo list"
    top = Grid(H1(title), Div(A('logout', href='/logout'), style='text-align: right'))
    add = Form(Group(new_input(), Button('Add', id='add')), hx_post='/', target_id='todo-list', hx_swap='afterbegin')
    frm = Form(*todos(order_by='priority, id'), id='todo-list', cls='sortable', hx_post='/reorder', hx_trigger='end')
    card = Card(Ul(frm), header=add, footer=Div(id='current-todo'))
    return Title(title), Container(top, card)

@app.post('/reorder')
def reorder(id: list[int]):
    for i, id_ in enumerate(id): todos.update({'priority': i}, id_)
    return tuple(todos(order_by='priority, id'))

def clear_details(): return Div(hx_swap_oob='innerHTML', id='current-todo')

@app.delete('/todos/{id}')
def delete_todo(id: int):
    todos.delete(id)
    return clear_details()

@app.post('/toggle/{id}')
def toggle(id: int):
    todo = todos[id]
    todo.done = not todo.done
    return todos.update(todo)

@app.get('/edit/{id}')
def edit(id: int):
    res = Form(Group(Input(id='title'), Button('Save', id='save')), Hidden(id='id'), CheckboxX(id='done', label='Done'),
               Textarea(id='details', name='details', rows=10), hx_put='/', target_id=f'todo-{id}', hx_swap='outerHTML',
               id='edit')
    return fill_form(res, todos[id])

@app.put('/')
def save(todo: Todo):
    return todos.update(todo), clear_details()

@app.post('/')
def add(todo: Todo):
    if not (todo.title or '').strip(): return new_input(hx_swap_oob='true')  # nothing to add
    todo.priority = todo.priority or 0
    return todos.insert(todo), new_input(hx_swap_oob='true')

@app.get('/todos/{id}')
def details(id: int):
    todo = todos[id]
    # The response holds only an out-of-band part: htmx 2 then swaps the target with nothing (removing it), htmx 4
    # skips an empty main swap unless told (`swapEmpty:true`); `delete` says what is meant under both.
    swap = 'delete' if HTMX4 else 'outerHTML'
    btn = Button('delete', hx_delete=f'/todos/{todo.id}', target_id=f'todo-{todo.id}', hx_swap=swap, id='delete')
    return Div(H2(todo.title), Div(todo.details), btn)


serve()

"Idioms editors must accept: checked by tests/test_typing.py (basedpyright); `assert_type` pins what they infer."
from dataclasses import dataclass

from typing_extensions import assert_type

from fasthtml.common import *
from fasthtml.svg import Circle, Svg

app, rt = fast_app(before=[lambda req, sess: None, Beforeware(lambda req: None, skip=['/login'])])
assert_type(app, FastHTML)


@app.get('/')
def home(): return Titled('Home', Form(hx_post='/add')(Div(Input(name='x'), Button('Add'))))


@app.post('/add')
def add(x: int): return P(x)


@app.put('/p')
def put_(): return 'put'


@app.delete('/p')
def delete_(): return 'deleted'


@app.patch('/p')
def patch_(): return 'patched'


@app.head('/p')
def head_(): return ''


@app.options('/p')
def options_(): return ''


@app.ws('/ws')
async def ws(msg: str, send): await send(Div(msg, id='out'))


@rt
def profile(name: str = 'ada'): return P(name)


@rt('/items/{id}')
def item(id: int): return A('profile', href=profile.to(name='ada'))


assert_type(profile.to(name='x'), str)


@rt('/thing')
class Thing:
    def get(self): return P('thing')
    def post(self): return P('posted')


@dataclass
class Person:
    name: str
    age: int = 0


@rt('/people')
def people(p: Person): return Ul(*[Li(o) for o in [p.name, p.age]], cls='people', hx_swap='outerHTML')


# Tags return FT; calling an FT adds children; any keyword still works
card: FT = Article(Header(H3('t')), P('body'), data_role='card', aria_label='card', hx_on__after_request='x()')
card = card(Footer('f'))
form: FT = Form(hx_post='/add', hx_target='#out', hx_swap='beforeend', hx_vals={'a': 1}, target_id='out')
pic: FT = Svg(Circle(5, 5, 4), viewBox='0 0 10 10')
html: str = to_xml(Div(card, form, pic))

db_app, db_rt, todos, Todo = fast_app('/tmp/_typing_idioms.db', todos=dict(id=int, title=str, pk='id'))
first = todos[1]
todos.insert(dict(title='x')); todos.update(first); todos.delete(1)
rows = todos(order_by='id')

ar = APIRouter('/api')


@ar('/ping')
def ping(): return 'pong'


@ar.get('/pong')
def pong(): return 'ping'


ar.to_app(app)
app.before.append(Beforeware(lambda req: None))

hdrs = (Script(src='/x.js'), Style('p {color: red}'), Link(rel='stylesheet', href='/x.css'), Meta(name='x'))
app2 = FastHTML(hdrs=hdrs, before=[Beforeware(lambda req: None)], exts='ws')

serve()
serve(port=5002, reload=False)

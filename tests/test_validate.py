"""`@validated` (fasthtml.validate): per-field messages, the form re-rendered for htmx, browsers and JSON clients,
plain typed parameters, handler-raised `FormError`, pydantic models (when pydantic is installed), the example app."""

import importlib.util
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from fasthtml.common import *
from fasthtml.validate import REQUIRED, FormError, show_errors, validated

HX = {'HX-Request': 'true'}


def flat(html: str) -> str:
    "The HTML without whitespace next to tags (the renderer's line breaks and indentation)"
    return re.sub(r'\s+<', '<', re.sub(r'>\s+', '>', html))


class Color(Enum):
    red = 'r'
    green = 'g'


@dataclass
class Order:
    item: str
    qty: int
    color: Color
    when: date | None = None
    notes: str = ''
    gift: bool = False
    extras: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.qty < 1: raise FormError(qty='Order at least one.')
        if self.gift and not self.notes: raise ValueError('A gift needs a note.')
        if self.when and self.when.year < 2000: raise ValueError('when', 'Pick a date in this century.')


def order_form(order_id: int = 0):
    return Form(Input(name='item', id='item'), Input(name='qty', id='qty', type='number'),
                Select(Option('Red', value='r'), Option('Green', value='g'), name='color', id='color'),
                Input(name='when', id='when', type='date'), Textarea(name='notes', id='notes'),
                Input(name='gift', id='gift', type='checkbox'),
                Input(name='extras', type='checkbox', value='wrap'), Input(name='extras', type='checkbox', value='card'),
                Input(name='pin', type='password', id='pin'),
                Button('Order'), id=f'order-{order_id}', hx_post=f'/orders/{order_id}', hx_target='#out')


def make_app():
    app = FastHTML(secret_key='test-secret')
    seen = {}

    @app.post('/orders/{order_id}')
    @validated(form=order_form, page=lambda f: Titled('Order', f))
    def order(order_id: int, o: Order, session):
        session['last'] = o.item
        seen['order'] = o
        if o.item == 'sold-out': raise FormError(item='Sold out: pick another item.')
        return P(f'{o.qty} x {o.item} ({o.color.name})', id='ok')

    @app.post('/async')
    @validated(form=Form(Input(name='n', id='n'), Button('Go')))
    async def async_handler(n: int, tags: list[int], maybe: float | None = None, on: bool = False):
        if n == 13: raise FormError('Unlucky number.')
        return f'n={n} tags={tags} maybe={maybe} on={on}'

    @app.get('/search')
    @validated(form=lambda: Form(Input(name='q'), Input(name='page', type='number'), hx_get='/search'))
    def search(q: str, page: int = 1): return f'{q} p{page}'

    @app.post('/plain')
    def plain(o: Order): return 'no decorator'

    return app, seen


@pytest.fixture
def client():
    app, seen = make_app()
    cli = TestClient(app)
    cli.seen = seen
    return cli


GOOD = {'item': 'tea', 'qty': '2', 'color': 'g', 'when': '2026-01-31', 'extras': ['wrap', 'card']}


def test_valid_submission_reaches_the_handler(client):
    r = client.post('/orders/7', data=GOOD, headers=HX)
    assert (r.status_code, r.text.strip()) == (200, '<p id="ok">2 x tea (green)</p>')
    assert client.seen['order'] == Order('tea', 2, Color.green, date(2026, 1, 31), '', False, ['wrap', 'card'])


def test_htmx_failure_retargets_the_form_with_a_message_per_field(client, caplog):
    caplog.set_level(logging.INFO, logger='fasthtml.validate')
    bad = {'item': '', 'qty': 'lots', 'color': 'blue', 'when': '31/01/2026', 'pin': '1234', 'extras': ['card']}
    r = client.post('/orders/7', data=bad, headers=HX)
    assert r.status_code == 200   # htmx 2 swaps only 2xx answers
    assert r.headers['HX-Retarget'] == '#order-7' and r.headers['HX-Reswap'] == 'outerHTML'
    assert r.headers['HX-Reselect'] == '#order-7'   # an hx-select meant for the success answer does not apply
    html = r.text
    assert html.startswith('<form') and html.count('<form') == 1
    expect = {'item': REQUIRED, 'qty': 'Enter a whole number.', 'color': 'Choose one of: r, g.',
              'when': 'Enter a date as YYYY-MM-DD.'}
    for name, msg in expect.items():
        assert f'<small id="{name}-error" class="fh-field-error">{msg}</small>' in html
        assert f'aria-describedby="{name}-error"' in html
    assert html.count('aria-invalid="true"') == 4
    assert 'value="lots"' in html and 'value="31/01/2026"' in html          # what the user typed comes back
    assert 'value="card" checked="1"' in html and 'value="wrap" checked' not in html
    assert '1234' not in html                                                 # passwords are not echoed
    assert 'order' not in client.seen                                         # the handler did not run
    assert any('POST /orders/7: invalid form input (item: This field is required.' in m for m in caplog.messages)


def test_post_init_errors_field_and_form_wide(client):
    r = client.post('/orders/1', data={**GOOD, 'qty': '0'}, headers=HX)
    assert '<small id="qty-error" class="fh-field-error">Order at least one.</small>' in r.text
    r = client.post('/orders/1', data={**GOOD, 'gift': 'on'}, headers=HX)
    assert '<div role="alert" id="order-1-errors" class="fh-form-errors"><ul><li>A gift needs a note.</li></ul></div>' \
        in flat(r.text)
    assert 'type="checkbox" id="gift" checked="1"' in r.text and 'aria-invalid' not in r.text


def test_value_error_naming_a_field_goes_to_that_field(client):
    r = client.post('/orders/1', data={**GOOD, 'when': '1999-12-31'}, headers=HX)
    assert '<small id="when-error" class="fh-field-error">Pick a date in this century.</small>' in r.text


def test_handler_raising_form_error_rerenders_with_its_message(client):
    r = client.post('/orders/3', data={**GOOD, 'item': 'sold-out'}, headers=HX)
    assert r.headers['HX-Retarget'] == '#order-3'
    assert 'Sold out: pick another item.' in r.text and 'value="sold-out"' in r.text


def test_form_builder_gets_the_handlers_arguments(client):
    r = client.post('/orders/42', data={}, headers=HX)
    assert 'id="order-42"' in r.text and 'hx-post="/orders/42"' in r.text


def test_plain_submit_gets_422_and_the_whole_page(client):
    r = client.post('/orders/7', data={'item': 'tea'})
    assert r.status_code == 422 and 'HX-Retarget' not in r.headers
    assert r.text.lower().startswith('<!doctype html>') and '<title>Order</title>' in r.text
    assert 'Enter a whole number.' not in r.text and f'<small id="qty-error" class="fh-field-error">{REQUIRED}' in r.text


def test_json_client_gets_422_with_errors(client):
    r = client.post('/orders/7', json={'item': 'tea', 'qty': 'x', 'color': 'r'})
    assert r.status_code == 422
    assert r.json() == {'errors': {'qty': 'Enter a whole number.'}}
    r = client.post('/orders/7', json={'item': 'tea', 'qty': 3, 'color': 'r'})
    assert r.status_code == 200 and '3 x tea' in r.text


def test_plain_typed_parameters_and_async_handlers(client):
    r = client.post('/async', data={'n': '5', 'tags': ['1', '2'], 'on': 'on'})
    assert r.text == 'n=5 tags=[1, 2] maybe=None on=True'
    r = client.post('/async', data={'n': 'five', 'tags': ['1', 'x'], 'maybe': 'm'}, headers=HX)
    assert '<small id="n-error" class="fh-field-error">Enter a whole number.</small>' in r.text
    # the form has no id: retarget to the form around the element that made the request
    assert r.headers['HX-Retarget'] == 'closest form' and r.headers['HX-Reselect'] == 'form'
    # messages for names the form has no field for go to the alert box, named
    assert '<li><strong>tags:</strong>Enter a whole number.</li><li><strong>maybe:</strong>Enter a number.</li>' \
        in flat(r.text)
    r = client.post('/async', data={'n': '13'}, headers=HX)
    assert 'Unlucky number.' in r.text and 'role="alert"' in r.text


def test_get_forms_validate_the_query_string(client):
    assert client.get('/search', params={'q': 'tea'}).text == 'tea p1'
    r = client.get('/search', params={'q': '', 'page': 'x'}, headers=HX)
    assert REQUIRED in r.text and 'Enter a whole number.' in r.text


def test_undecorated_handlers_keep_the_reference_behaviour(client):
    r = client.post('/plain', data={'item': 'tea'})
    assert r.status_code == 400 and 'Missing required field' in r.text


def test_show_errors_is_usable_by_hand():
    f = Form(Input(name='a', id='a', aria_describedby='a-help'), id='f')
    html = to_xml(show_errors(f, {'a': 'Bad.'}), indent=False)
    assert 'aria-describedby="a-help a-error"' in html


def test_only_limits_the_validated_parameters():
    app = FastHTML()

    @app.post('/x')
    @validated(form=Form(Input(name='a')), only=['a'])
    def x(a: int, b: int = 0): return f'{a} {b}'

    cli = TestClient(app)
    assert cli.post('/x', data={'a': '1', 'b': '2'}).text == '1 2'
    assert cli.post('/x', data={'a': 'x', 'b': '2'}, headers=HX).headers['HX-Reswap'] == 'outerHTML'
    assert cli.post('/x', data={'a': '1', 'b': 'y'}).status_code == 404   # b is the framework's: reference rules


def test_pydantic_models_when_installed():
    pydantic = pytest.importorskip('pydantic', reason='pydantic is not installed: the pydantic path is not tested')

    class Account(pydantic.BaseModel):
        name: str
        age: int
        tags: list[str] = pydantic.Field(default_factory=list)
        admin: bool = False
        email: str | None = None

        @pydantic.field_validator('name')
        @classmethod
        def no_spaces(cls, v: str) -> str:
            if ' ' in v: raise ValueError('No spaces, please.')
            return v

        @pydantic.model_validator(mode='after')
        def adults_only(self):
            if self.age < 18: raise FormError(age='Adults only.')
            return self

    app = FastHTML()

    @app.post('/acct')
    @validated(form=Form(Input(name='name', id='name'), Input(name='age', id='age'), id='acct'))
    def acct(a: Account): return f'{a.name} {a.age} {a.tags} {a.admin} {a.email}'

    cli = TestClient(app)
    assert cli.post('/acct', data={'name': 'ada', 'age': '36', 'tags': ['x', 'y']}).text == \
        "ada 36 ['x', 'y'] False None"
    r = cli.post('/acct', data={'name': 'a b', 'age': ''}, headers=HX)
    assert '<small id="name-error" class="fh-field-error">No spaces, please.</small>' in r.text
    assert f'<small id="age-error" class="fh-field-error">{REQUIRED}</small>' in r.text
    r = cli.post('/acct', data={'name': 'kid', 'age': 'ten'}, headers=HX)
    assert 'age-error' in r.text and 'valid integer' in r.text
    r = cli.post('/acct', data={'name': 'kid', 'age': '9'}, headers=HX)
    assert '<small id="age-error" class="fh-field-error">Adults only.</small>' in r.text


EXAMPLES = Path(__file__).resolve().parents[1]/'examples'


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(f'{name}_under_test', EXAMPLES/f'{name}.py')
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_example_app():
    cli = TestClient(load_example('validate_app').app)
    good = {'username': 'ada', 'email': 'ada@example.org', 'password': 'long enough', 'age': '36', 'plan': 'pro'}
    r = cli.post('/signup', data=good, headers=HX)
    assert r.headers['HX-Redirect'] == '/welcome?name=ada&plan=pro'
    r = cli.post('/signup', data={**good, 'username': 'admin', 'password': 'short'}, headers=HX)
    # __post_init__ failed (password), so the handler's own check (taken name) did not run yet
    assert 'Use at least 8 characters.' in r.text and 'is taken' not in r.text
    r = cli.post('/signup', data={**good, 'username': 'admin'}, headers=HX)
    assert 'admin is taken: choose another name.' in r.text
    r = cli.post('/signup', data={**good, 'age': ''})
    assert r.status_code == 422 and '<title>Sign up</title>' in r.text and REQUIRED in r.text


def test_builder_returning_more_than_the_form():
    "A builder may return the form inside other elements: the page gets all of it, htmx gets the form alone"
    shared = (Title('Join'), Article(H2('Join'), Form(Input(name='n', id='n'), id='join')))
    def card(): return shared   # the same tree every time: it must not be filled in place
    app = FastHTML()

    @app.post('/join')
    @validated(form=card)
    def join(n: int): return 'ok'

    cli = TestClient(app)
    r = cli.post('/join', data={'n': 'x'}, headers=HX)
    assert r.text.startswith('<form') and '<h2>' not in r.text and 'Enter a whole number.' in r.text
    r = cli.post('/join', data={'n': 'x'})
    assert r.status_code == 422 and '<title>Join</title>' in r.text and '<h2>Join</h2>' in r.text
    assert 'value="x"' in r.text and 'aria-invalid="true"' in r.text
    assert 'value=' not in to_xml(shared) and 'aria-invalid' not in to_xml(shared)


def test_without_a_form_the_errors_are_listed():
    app = FastHTML()

    @app.post('/n')
    @validated()
    def n(n: int): return 'ok'

    r = TestClient(app).post('/n', data={'n': 'x'}, headers=HX)
    assert r.status_code == 200 and 'HX-Retarget' not in r.headers
    assert '<li><strong>n:</strong>Enter a whole number.</li>' in flat(r.text)


def test_rerendered_form_works_with_csrf_and_csp():
    "Under `csrf=True, security_headers=True` the form that comes back carries a fresh token and the page a nonce"
    app, rt = fast_app(csrf=True, security_headers=True, secret_key='test-secret')

    @rt('/')
    def get(): return Titled('x', order_form())

    @rt('/orders/{order_id}')
    @validated(form=order_form)
    def post(order_id: int, o: Order): return P('ok')

    cli = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', cli.get('/').text)
    assert token
    r = cli.post('/orders/0', data={'csrf_token': token.group(1), 'qty': 'x'}, headers=HX)
    assert r.status_code == 200 and 'Enter a whole number.' in r.text
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', r.text)
    r = cli.post('/orders/0', data={'csrf_token': token.group(1), 'qty': 'x'})
    assert r.status_code == 422 and re.search(r'<script nonce="[^"]+">', r.text)

"""Sign-up validated by `@validated`: bad fields come back next to their inputs (htmx swaps the form in place); success
redirects. A newsletter form (no id, an `hx-select` for its success answer) gets its errors in place too (422 on htmx 4)."""
import os
from dataclasses import dataclass
from enum import Enum

from fasthtml.common import *
from fasthtml.assets import offline_assets
from fasthtml.validate import FormError, validated

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

app, rt = fast_app(htmx4=HTMX4)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

TAKEN = {'admin', 'root'}   # stands in for a database lookup

class Plan(Enum):
    free = 'free'
    pro = 'pro'

@dataclass
class Signup:
    username: str
    email: str
    password: str
    age: int
    plan: Plan = Plan.free
    newsletter: bool = False

    def __post_init__(self):
        problems = {}
        if '@' not in self.email: problems['email'] = 'Enter a valid email address.'
        if len(self.password) < 8: problems['password'] = 'Use at least 8 characters.'
        if not 13 <= self.age <= 130: problems['age'] = 'Enter an age between 13 and 130.'
        if problems: raise FormError(**problems)

def signup_form():
    "The form, as the page shows it; `@validated` builds it again, filled and with the errors, when a submit fails"
    return Form(
        Label('Username', Input(name='username', id='username')),
        Label('Email', Input(name='email', id='email', type='email')),
        Label('Password', Input(name='password', id='password', type='password')),
        Label('Age', Input(name='age', id='age', type='number')),
        Label('Plan', Select(Option('Free', value='free'), Option('Pro', value='pro'), name='plan', id='plan')),
        Label(Input(name='newsletter', id='newsletter', type='checkbox'), 'Send me the newsletter'),
        Button('Sign up', type='submit', id='submit'),
        id='signup', method='post', action='/signup', hx_post='/signup', hx_target='#result', novalidate=True)

@dataclass
class Subscription:
    address: str

    def __post_init__(self):
        if '@' not in self.address: raise FormError(address='Enter a valid email address.')

def subscribe_form():
    "A form without an id whose `hx-select` picks `#subscribed` out of the success answer: a failed submit still shows"
    return Form(Input(name='address', id='address', type='email', placeholder='you@example.org'),
                Button('Subscribe', id='subscribe'),
                hx_post='/subscribe', hx_target='#sub-result', hx_select='#subscribed', novalidate=True)

@rt('/')
def get(): return Titled('Sign up', signup_form(), Div(id='result'), H2('Newsletter'), subscribe_form(), Div(id='sub-result'))

# htmx 4 swaps 4xx answers, so its form errors can carry the honest 422; htmx 2 swaps only 2xx ones by default
@app.post('/subscribe')
@validated(form=subscribe_form, htmx_status=422 if HTMX4 else 200)
def subscribe(sub: Subscription):
    return Div(P(f'Subscribed {sub.address}.', id='subscribed'), P('Not selected by hx-select.', id='unselected'))

@rt('/signup')
@validated(form=signup_form, page=lambda form: Titled('Sign up', form))
def post(s: Signup):
    if s.username.lower() in TAKEN: raise FormError(username=f'{s.username} is taken: choose another name.')
    return Redirect(f'/welcome?name={s.username}&plan={s.plan.value}')

@rt('/welcome')
def welcome(name: str = '', plan: str = ''): return Titled('Welcome', P(f'Welcome, {name}! Plan: {plan}.', id='welcome'))

serve()

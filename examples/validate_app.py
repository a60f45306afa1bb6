"Sign-up validated by `@validated`: bad fields come back next to their inputs (htmx swaps the form in place); success redirects."
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

@rt('/')
def get(): return Titled('Sign up', signup_form(), Div(id='result'))

@rt('/signup')
@validated(form=signup_form, page=lambda form: Titled('Sign up', form))
def post(s: Signup):
    if s.username.lower() in TAKEN: raise FormError(username=f'{s.username} is taken: choose another name.')
    return Redirect(f'/welcome?name={s.username}&plan={s.plan.value}')

@rt('/welcome')
def welcome(name: str = '', plan: str = ''): return Titled('Welcome', P(f'Welcome, {name}! Plan: {plan}.', id='welcome'))

serve()

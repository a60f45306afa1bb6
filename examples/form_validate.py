"Sign-up form validated on the server: errors swap in place (outerHTML); success sends HX-Redirect to a new page."
import os
import re

from fasthtml.common import *
from fasthtml.assets import offline_assets

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

app, rt = fast_app(htmx4=HTMX4)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

def signup_form(name: str = '', email: str = '', errors: dict|None = None):
    errors = errors or {}
    def field(label, fname, value, typ='text'):
        err = errors.get(fname)
        return Label(label, Input(name=fname, id=fname, value=value, type=typ, aria_invalid='true' if err else None),
                     Small(err, cls='error', id=f'{fname}-error') if err else None)
    return Form(field('Name', 'name', name), field('Email', 'email', email, 'email'),
                Button('Sign up', type='submit', id='submit'),
                id='signup', hx_post='/signup', hx_target='this', hx_swap='outerHTML', novalidate=True)

@app.get('/')
def index(): return Titled('Sign up', signup_form())

@app.post('/signup')
def signup(name: str = '', email: str = ''):
    errors = {}
    if not name.strip(): errors['name'] = 'Name is required'
    if not re.fullmatch(r'[^@\s]+@[^@\s]+\.[^@\s]+', email): errors['email'] = 'Enter a valid email address'
    if errors: return signup_form(name, email, errors)
    return Redirect(f'/welcome?name={name.strip()}')

@app.get('/welcome')
def welcome(name: str = ''): return Titled('Welcome', P(f'Welcome, {name}!', id='welcome'))

serve()

from fasthtml.common import *

app, rt = fast_app()

@rt('/')
def get():
    return Form(Input(name='email'), Button('Sign up'), hx_post='/signup')  # FAULT: no `name` field

@rt('/signup')
def post(name: str, email: str, nick: str = ''): return f'{name} {email}'

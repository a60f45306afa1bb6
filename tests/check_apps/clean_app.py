from fasthtml.common import *

app, rt = fast_app()

@rt('/')
def get():
    return Titled('Clean', Div(Span('0', id='count'), id='box'), Div(id='spin', cls='htmx-indicator'),
                  Button('+', hx_post='/inc', hx_target='#count', hx_indicator='#spin'),
                  Table(Tbody(Tr(Td(Button('del', hx_delete='/rows/1', hx_target='closest tr')))), id='t'),
                  Form(Input(name='name'), Input(name='email'), Button('go'), hx_post='/signup',
                       hx_include='#box', hx_target='next div'), Div(id='out'),
                  A('user', href='/user/3'), A('ext', href='https://example.com/x'), A('top', href='#top'))

@rt('/inc')
def post(): return '1'

@rt('/rows/{i}')
def delete(i: int): return ''

@rt('/signup')
def post(name: str, email: str, req): return name  # noqa: F811

@rt('/user/{uid}')
def get(uid: int): return P(uid, id='u')  # noqa: F811

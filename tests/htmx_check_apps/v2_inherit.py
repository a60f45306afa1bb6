"htmx 2 attributes set on a parent for the requests of its children, which htmx 4 no longer passes down"
from fasthtml.common import *

app = FastHTML(hx_boost='true'); rt = app.route  # hx-boost on <body>, which FastHTML builds: no line, the route

@rt('/')
def get():
    return Titled('Inherit', Div(Button('a', hx_get='/a'), Button('b', hx_post='/b'), hx_target='#out', hx_swap='outerHTML'),
                  Div(A('home', href='/'), A('about', href='/about'), hx_boost='true'),
                  Div(id='out'), Form(Button('own', hx_post='/b'), hx_target='#out', hx_post='/b'))

@rt('/a')
def get(): return P('a')  # noqa: F811

@rt('/b')
def post(): return P('b')

@rt('/rows/{i}')
def get(i: int): return Table(Tr(Td(Button('x', hx_delete=f'/rows/{i}'))), hx_confirm='Sure?')  # noqa: F811

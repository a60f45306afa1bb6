"An htmx 2 app whose outerHTML buttons get answers made only of out-of-band elements"
from fasthtml.common import *

app, rt = fast_app()

@rt('/')
def get():
    return Titled('Empty swaps', Div(id='count'),
                  Button('remove', id='rm', hx_post='/remove/1', hx_swap='outerHTML'),
                  Button('tick', hx_get='/tick', hx_swap='outerHTML swap:0.1s'),
                  Button('mixed', hx_post='/mixed', hx_swap='outerHTML'), Button('inner', hx_post='/remove/2'))

@rt('/remove/{n}')
def post(n: int): return Div(n, id='count', hx_swap_oob='true')

@rt('/tick')
def get(): return (Div('1', id='count', hx_swap_oob='true'), P('log', id='log', **{'hx-swap-oob': 'beforeend'}))  # noqa: F811

@rt('/mixed')
def post(): return P('main'), Div('2', id='count', hx_swap_oob='true')  # noqa: F811

"htmx 2 event names in hx-on attributes, in hx-trigger and in JavaScript"
from fasthtml.common import *

app, rt = fast_app(hdrs=[Script("document.body.addEventListener('htmx:afterSwap', e => console.log(e))")])

@rt('/')
def get():
    return Titled('Events', Div(id='out', hx_on__before_send='console.log(1)', hx_on__load='init()'),
                  Button('go', hx_get='/part', hx_target='#out', **{'hx-on:htmx:configRequest': 'x()'}),
                  Div(hx_get='/part', hx_trigger='htmx:afterSettle from:body'),
                  Div(hx_on__after_swap='done()'))

@rt('/part')
def get(): return P('part')  # noqa: F811

"htmx 2 attributes that htmx 4 renamed or removed, and htmx 2 config and JavaScript API names"
from fasthtml.common import *

app, rt = fast_app(hdrs=[Meta(name='htmx-config', content='{"defaultSwapStyle": "outerHTML"}')])

@rt('/')
def get():
    return Titled('Attrs', Div(P('raw'), hx_disable=True), Button('go', hx_post='/go', hx_disabled_elt='this'),
                  Button('v', hx_post='/go', hx_vars='{"a": 1}', hx_params='none'),
                  Button('p', hx_post='/go', hx_prompt='Name?', hx_request='{"timeout": 100}'),
                  Div(hx_disinherit='*'), Div(hx_history='false'),
                  Script("htmx.addClass(htmx.find('#x'), 'on')"))

@rt('/go')
def post(): return 'ok'

from fasthtml.common import *

app, rt = fast_app()

@rt('/')
def get():
    return Ul(Li(Button('x', hx_post='/ok', hx_target='closest table')),   # FAULT: no ancestor table
              Li(Button('y', hx_post='/ok', hx_include='#filters')),       # FAULT: no #filters
              Li(Button('z', hx_post='/ok', hx_indicator='#spin')),        # FAULT: no #spin
              id='list')

@rt('/ok')
def post(): return 'ok'

from fasthtml.common import *

app, rt = fast_app()

@rt('/')
def get():
    return Div(Button('save', hx_post='/save'),                       # FAULT: /save has no POST
               Button('gone', hx_delete='/items/gone/remove'),         # FAULT: no route
               A('About', href='/about-us'),                           # FAULT: no route
               Form(Input(name='q'), action='/find', method='get'))    # FAULT: no route

@rt('/save')
def get(): return 'saved'  # noqa: F811

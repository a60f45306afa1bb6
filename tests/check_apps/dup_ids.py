from fasthtml.common import *

app, rt = fast_app()

@rt('/')
def get(): return Div(P('a', id='msg'), P('b', id='msg'))  # FAULT: duplicate id

@rt('/user/{uid}')
def get(uid: int): return Div(Span(uid, id='u'), Span(uid, id='u'))  # noqa: F811  FAULT (with --param uid=1)

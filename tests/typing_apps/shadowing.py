"Handlers named after HTTP verbs must not clash with the star import (fastcore's `patch` and `trace` are in it)."
from fasthtml.common import *

app, rt = fast_app()


@rt('/item')
def patch(): return 'patched'


@rt('/item')
def trace(): return 'traced'



@app.post('/add')
def add(): return 'added'  # fastcore's `add` operator is in the star import too

"""Health probes behind a login: /healthz (liveness) and /readyz (database ping + a drain switch) answer without one.

Run it, then `curl -i localhost:5001/readyz`; `touch DRAINING` in the app's folder makes /readyz answer 503 so a load
balancer stops sending traffic before a deploy, while /healthz stays 200 (the process is fine, don't restart it)."""
from pathlib import Path

from fasthtml.common import *
from fasthtml.health import db_ping

def require_login(req, sess):
    if not sess.get('user'): return RedirectResponse('/login', status_code=303)

app, rt, notes, Note = fast_app('health_app.db', note={'id': int, 'text': str, 'pk': 'id'}, health=True,
                                before=Beforeware(require_login, skip=['/login']))
app.ready_check('db', db_ping(notes.db))

@app.ready_check('not_draining')
def not_draining(): return not Path('DRAINING').exists()

@rt('/login')
def get(): return Titled('Log in', Form(Input(name='user', placeholder='name'), Button('Log in'), method='post'))

@rt('/login')
def post(user: str, sess):
    sess['user'] = user
    return RedirectResponse('/', status_code=303)

@rt('/')
def index(sess): return Titled(f"Hello {sess['user']}", P(f'{len(notes())} notes'), A('Readiness', href='/readyz'))

serve()

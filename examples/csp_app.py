"Security headers and a strict CSP: every script and style fasthtml renders carries the request's nonce, injected markup does not run (FH_HTMX=4: htmx 4)."
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

HTMX4 = os.environ.get('FH_HTMX') == '4'

app, rt = fast_app(security_headers=True, csrf=True, live=True, htmx4=HTMX4,
                   secret_key=os.environ.get('FH_SECRET', 'dev-only-secret'))
setup_toasts(app, duration=60000)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

@rt('/')
def get():
    return Titled('Strict CSP',
        P('inline script has not run', id='inline'),
        Script("document.getElementById('inline').textContent = 'inline script ran'"),
        P('styled by an inline <style>', id='styled'),
        Style('#styled { color: rgb(0, 128, 0); }'),
        P('scoped style', Style('me { color: rgb(0, 0, 255); }'), id='scoped'),  # css-scope-inline's `me`
        P('a style attribute', id='attr', style='color: rgb(128, 0, 0)'),
        Button('Load fragment', id='load', hx_get='/fragment', hx_target='#frag', hx_indicator='#spinner'),
        Span('loading...', id='spinner', cls='htmx-indicator'),
        Div(id='frag'),
        Button('Save', id='save', hx_post='/save', hx_target='#saved'),
        Div(id='saved'),
        # Injected markup (a raw string) has no nonce: the browser refuses to run it.
        NotStr('<script>window.injected = true</script>'))

@rt('/fragment')
def fragment():
    return Div(P('fragment', id='frag-text'),
               Script("document.getElementById('frag-text').textContent = 'fragment script ran'"),
               NotStr('<script>window.injectedFragment = true</script>'))

@rt('/save')
def post(session):
    add_toast(session, 'Saved under a strict CSP', 'success')
    return P('saved', id='saved-text')

serve()

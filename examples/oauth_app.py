"""Log in with OAuth. Configured by environment variables; by default it points at the test provider
(`python tests/oauth_provider.py 8765` in another terminal), so it runs without registering an app anywhere.

    OAUTH_BASE_URL   provider root (default http://127.0.0.1:8765): /authorize, /token and /userinfo below it
    AUTH_CLIENT_ID / AUTH_CLIENT_SECRET   (default: the test provider's test-client / test-secret)
    OAUTH_PROVIDER   'github' or 'google' to use the real provider instead (then OAUTH_BASE_URL is ignored)
"""
import os

from fasthtml.common import *
from fasthtml.oauth import GitHubAppClient, GoogleAppClient, OAuth

provider = os.environ.get('OAUTH_PROVIDER', '')
client_id = os.environ.get('AUTH_CLIENT_ID', 'test-client')
client_secret = os.environ.get('AUTH_CLIENT_SECRET', 'test-secret')
if provider == 'google': client = GoogleAppClient(client_id, client_secret)
elif provider == 'github': client = GitHubAppClient(client_id, client_secret)
else:
    base = os.environ.get('OAUTH_BASE_URL', 'http://127.0.0.1:8765').rstrip('/')
    os.environ.setdefault('OAUTHLIB_INSECURE_TRANSPORT', '1')  # the local test provider speaks plain http
    client = GitHubAppClient(client_id, client_secret, base_url=f'{base}/authorize', token_url=f'{base}/token',
                             info_url=f'{base}/userinfo')


class Auth(OAuth):
    def get_auth(self, info, ident, session, state):
        session['name'] = info.name or info.login or str(ident)
        return RedirectResponse(state or '/', status_code=303)


app, rt = fast_app()
oauth = Auth(app, client)


@rt('/')
def index(auth, session):
    return Titled('Logged in', P(f"Hello {session.get('name')} (id {auth})"), A('Log out', href='/logout'))


@rt('/login')
def login(req):
    return Titled('Log in', P('You are not logged in.'), A('Log in with the provider', href=oauth.login_link(req)))


@rt('/error')
def error(session):
    return Titled('Login failed', P(session.pop('oauth_error', 'Something went wrong.')), A('Try again', href='/login'))


if __name__ == '__main__': serve()

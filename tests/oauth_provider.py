"""A tiny OAuth2 authorization-code provider served on a loopback port, for testing `fasthtml.oauth` end to end.

`Provider()` starts a uvicorn server in a thread on a free port of 127.0.0.1 and answers:

- `GET /authorize`: consent is automatic; redirects to `redirect_uri?code=...&state=...`, or with
  `error=access_denied` when `provider.deny` is set.
- `POST /token`: exchanges a code (single use, valid `code_ttl` seconds, tied to its client and redirect_uri) for a
  bearer token; an unknown, reused or expired code gets `400 {"error": "invalid_grant"}`.
- `GET /userinfo`: the user of a bearer token, as JSON (`sub`, `id`, `email`, `email_verified`, `name`, `login`).
- `GET /.well-known/openid-configuration`: the endpoints above, for `Auth0AppClient`.

Set `provider.fail = 'token'` or `'userinfo'` to make that endpoint answer 500; `provider.user` is who consents next.
`provider.urls` gives the `base_url`/`token_url`/`info_url` keywords the fasthtml clients accept.
Run it by hand with `python tests/oauth_provider.py [port]`.
"""
import secrets
import threading
import time
from urllib.parse import urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route
from ports import free_port

DEFAULT_USER = {'sub': 'u-123', 'id': 123, 'email': 'ada@example.com', 'email_verified': True, 'name': 'Ada', 'login': 'ada'}


class Provider:
    "An OAuth2 provider serving on `127.0.0.1:port` in a background thread"
    def __init__(self, port: int | None = None, client_id='test-client', client_secret='test-secret', start=True):
        self.port = port or free_port()
        self.client_id, self.client_secret = client_id, client_secret
        self.user, self.deny, self.fail, self.code_ttl = dict(DEFAULT_USER), False, None, 60.0
        self.codes, self.tokens, self.log = {}, {}, []
        routes = [Route('/authorize', self.authorize), Route('/token', self.token, methods=['POST']),
                  Route('/userinfo', self.userinfo), Route('/.well-known/openid-configuration', self.openid)]
        self.app = Starlette(routes=routes)
        self.server = None
        if start: self.start()

    @property
    def url(self) -> str: return f'http://127.0.0.1:{self.port}'

    @property
    def urls(self) -> dict:
        "Keyword arguments pointing a fasthtml OAuth client at this provider"
        return {'base_url': f'{self.url}/authorize', 'token_url': f'{self.url}/token', 'info_url': f'{self.url}/userinfo'}

    def reset(self):
        self.user, self.deny, self.fail, self.code_ttl = dict(DEFAULT_USER), False, None, 60.0
        self.log.clear()

    async def authorize(self, req: Request):
        q = req.query_params
        self.log.append(('authorize', dict(q)))
        if q.get('client_id') != self.client_id or q.get('response_type') != 'code' or 'redirect_uri' not in q:
            return PlainTextResponse('bad authorization request', status_code=400)
        params = {'error': 'access_denied'} if self.deny else {'code': self._new_code(q['redirect_uri'])}
        if 'state' in q: params['state'] = q['state']
        sep = '&' if '?' in q['redirect_uri'] else '?'
        return RedirectResponse(q['redirect_uri'] + sep + urlencode(params), status_code=302)

    def _new_code(self, redirect_uri: str) -> str:
        code = secrets.token_urlsafe(12)
        self.codes[code] = {'user': dict(self.user), 'redirect_uri': redirect_uri, 'expires': time.time() + self.code_ttl}
        return code

    async def token(self, req: Request):
        form = await req.form()
        self.log.append(('token', dict(form)))
        if self.fail == 'token': return PlainTextResponse('provider exploded', status_code=500)
        def err(e, status=400): return JSONResponse({'error': e}, status_code=status)
        if (form.get('client_id'), form.get('client_secret')) != (self.client_id, self.client_secret):
            return err('invalid_client', 401)
        if form.get('grant_type') != 'authorization_code': return err('unsupported_grant_type')
        grant = self.codes.pop(form.get('code', ''), None)
        if not grant or grant['expires'] < time.time() or grant['redirect_uri'] != form.get('redirect_uri'):
            return err('invalid_grant')
        tok = secrets.token_urlsafe(16)
        self.tokens[tok] = grant['user']
        return JSONResponse({'access_token': tok, 'token_type': 'Bearer', 'expires_in': 3600, 'scope': 'openid profile'})

    async def userinfo(self, req: Request):
        self.log.append(('userinfo', req.headers.get('authorization')))
        if self.fail == 'userinfo': return PlainTextResponse('provider exploded', status_code=500)
        scheme, _, tok = req.headers.get('authorization', '').partition(' ')
        user = self.tokens.get(tok) if scheme.lower() == 'bearer' else None
        if user is None: return JSONResponse({'error': 'invalid_token'}, status_code=401)
        return JSONResponse(user)

    async def openid(self, req: Request):
        return JSONResponse({'issuer': self.url, 'authorization_endpoint': self.urls['base_url'],
                                 'token_endpoint': self.urls['token_url'], 'userinfo_endpoint': self.urls['info_url']})

    def start(self):
        cfg = uvicorn.Config(self.app, host='127.0.0.1', port=self.port, log_level='error', lifespan='off')
        self.server = uvicorn.Server(cfg)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive(): raise RuntimeError('provider did not start')
            time.sleep(0.01)
        return self

    def stop(self):
        if self.server:
            self.server.should_exit = True
            self.thread.join(5)

    def __enter__(self): return self
    def __exit__(self, *a): self.stop()


if __name__ == '__main__':
    import sys
    p = Provider(int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    print('OAuth test provider on', p.url, '- client_id', p.client_id, 'client_secret', p.client_secret)
    try: p.thread.join()
    except KeyboardInterrupt: p.stop()

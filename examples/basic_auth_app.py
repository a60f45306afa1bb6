"""HTTP Basic auth for a whole app: the browser asks for a user name and password. Users come from the
`BASIC_AUTH_USERS` environment variable (`alice:secret,bob:hunter2`; default `admin:admin`); `/public` needs none."""
import os
from secrets import compare_digest

from fasthtml.common import *
from fasthtml.authmw import user_pwd_auth

users = dict(u.split(':', 1) for u in os.environ.get('BASIC_AUTH_USERS', 'admin:admin').split(',') if ':' in u)


def check(user: str, pwd: str) -> bool:
    "Constant-time password check, so response timing does not leak how much of a password was right"
    expected = users.get(user)
    return compare_digest(pwd.encode(), (expected if expected is not None else '\0' + pwd).encode())


app, rt = fast_app(middleware=[user_pwd_auth(check, skip=['/public'])])


@rt('/')
def index(auth): return Titled('Private', P(f'Hello, {auth}!'))


@rt('/public')
def public(): return Titled('Public', P('Anyone can see this page.'))


if __name__ == '__main__': serve()

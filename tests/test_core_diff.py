"Differential tests: the same app and requests under our build and under the reference, compared."
import os

import pytest
from refbridge import OUR_PYTHON, REF_PYTHON, needs_ref, run_app


APP = '''
from dataclasses import dataclass
from datetime import date
from fasthtml.core import *
from fastcore.xml import P, Div, Title, H1, Meta
app = FastHTML(secret_key='k')
@dataclass
class Prof: name: str; age: int; news: bool = False
@app.route('/')
def get(): return Title('Hi'), P('hello')
@app.get('/u/{uid}')
def u(uid: int, q: str = 'x'): return f'{uid} {q}'
@app.get('/s')
def s(q: str, page: int = 1, exact: bool = False, ids: list[int] = None): return dict(q=q, page=page, exact=exact, ids=ids)
@app.get('/d')
def d(d: date): return d.isoformat()
@app.post('/prof')
def prof(p: Prof): return Div(P(p.name), P(p.age), P(p.news))
@app.get('/red')
def red(): return Redirect('/x')
@app.get('/hdr')
def hdr(user_agent: str): return user_agent, HttpHeader('X-A', '1')
@app.get('/meta')
def meta(): return (Title('t'), H1('h')), Meta(property='m')
@app.get('/n')
def n(): return None
@rt_verbs
def x(): pass
'''.replace('@rt_verbs\ndef x(): pass\n', '')

REQS = ['/', ['GET', '/', {'headers': {'HX-Request': '1'}}], ['GET', '/', {'headers': {'HX-Request': '1', 'HX-History-Restore-Request': 'true'}}],
        '/u/3', '/u/3?q=y', '/u/x', ['POST', '/u/3', {}], '/nope',
        '/s?q=a', '/s?q=a&page=3&exact=on&ids=1&ids=2', '/s', '/s?q=a&page=x', '/s?q=a&page=', '/s?q=a&q=b',
        '/d?d=2024-02-29', '/d?d=bad', ['POST', '/prof', {'data': {'name': 'A', 'age': '3', 'news': '1'}}],
        ['POST', '/prof', {'data': {'name': 'A', 'age': '3'}, 'headers': {'HX-Request': '1'}}],
        ['POST', '/prof', {'json': {'name': 'J', 'age': 7}, 'headers': {'HX-Request': '1'}}],
        '/red', ['GET', '/red', {'headers': {'HX-Request': '1'}}], '/hdr', '/meta', '/n', ['HEAD', '/u/1', {}]]


@needs_ref
def test_same_as_reference():
    ours, ref = run_app(OUR_PYTHON, APP, REQS), run_app(REF_PYTHON, APP, REQS)
    for req, a, b in zip(REQS, ours, ref):
        assert a == b, (req, a, b)


CASES_DIFFERENT = '''
from dataclasses import dataclass
from fasthtml.core import *
app = FastHTML(secret_key='k')
@dataclass
class Prof: name: str; age: int
@app.post('/prof')
def prof(p: Prof): return p.name
@app.get('/b')
def b(a: bool): return str(a)
@app.get('/c')
def c(): return 'x', cookie('a', '1'), cookie('b', '2')
'''


def test_deliberate_improvements():
    "Where the reference answers 500 to bad input we answer 4xx with a message naming the field"
    missing, bad, badbool = run_app(OUR_PYTHON, CASES_DIFFERENT, [
        ['POST', '/prof', {'data': {'name': 'A'}}], ['POST', '/prof', {'data': {'name': 'A', 'age': 'old'}}], '/b?a=maybe'])
    assert (missing['status'], missing['body']) == (400, 'Missing required field: age')
    assert bad['status'] == 400 and "'old'" in bad['body']
    assert badbool['status'] == 404


def test_several_cookies_all_kept():
    from starlette.testclient import TestClient
    ns = {}
    exec(CASES_DIFFERENT, ns)  # noqa: S102 -- the test app is source shared with the subprocess runs
    r = TestClient(ns['app']).get('/c')
    assert [v for k, v in r.headers.multi_items() if k == 'set-cookie'] == ['a=1; Path=/; SameSite=lax', 'b=2; Path=/; SameSite=lax']


if __name__ == '__main__': os.sys.exit(pytest.main([__file__]))

"""Hostile input never gets a 500, a hang or a traceback: property tests over handler injection (query, path,
urlencoded form, multipart and JSON bodies, every supported annotation) and hand-made malformed requests."""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import date
from enum import Enum
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from fasthtml.common import FastHTML, UploadFile
from fasthtml.limits import RequestLimits


class Color(Enum):
    red = 'red'
    blue = 'blue'


@dataclass
class Point:
    x: int
    y: float = 0.0
    label: str = ''


def make_app(**kw) -> FastHTML:
    app = FastHTML(secret_key='test-secret', key_fname='/dev/null', **kw)

    @app.get('/q')
    def q(i: int, f: float, b: bool, d: date, li: list[int], c: Color, s: str):
        return f'{i}|{f}|{b}|{d}|{li}|{c}|{s}'

    @app.get('/opt')
    def opt(i: int = 0, f: float = 0.0, b: bool = False, d: date|None = None, li: list[str]|None = None,
            c: Color = Color.red, s: str = ''):
        return f'{i}|{f}|{b}|{d}|{li}|{c}|{s}'

    @app.get('/p/int/{v}')
    def p_int(v: int): return str(v)

    @app.get('/p/float/{v}')
    def p_float(v: float): return str(v)

    @app.get('/p/date/{v}')
    def p_date(v: date): return str(v)

    @app.get('/p/enum/{v}')
    def p_enum(v: Color): return v.value

    @app.get('/p/bool/{v}')
    def p_bool(v: bool): return str(v)

    @app.get('/p/str/{v}')
    def p_str(v: str): return v

    @app.post('/form')
    def form(i: int, f: float, b: bool, d: date, li: list[int], c: Color, s: str):
        return f'{i}|{f}|{b}|{d}|{li}|{c}|{s}'

    @app.post('/dc')
    def dc(p: Point): return f'{p.x}|{p.y}|{p.label}'

    @app.post('/dict')
    def dct(p: dict): return json.dumps(p, default=str)[:200]

    @app.post('/upload')
    async def upload(f: UploadFile, name: str = ''):
        data = await f.read()
        return f'{name}|{f.filename}|{len(data)}'

    return app


APP = make_app()
CLIENT = TestClient(APP, raise_server_exceptions=False)
PARAMS = ['i', 'f', 'b', 'd', 'li', 'c', 's']


def as_form(items) -> dict[str, list[str]]:
    "httpx takes repeated form keys as a dict of lists"
    d: dict[str, list[str]] = {}
    for k, v in items: d.setdefault(k, []).append(v)
    return d


def assert_safe(r):
    "A client error or a success; never a server error nor a traceback on the page"
    assert r.status_code < 500, (r.status_code, r.text[:300])
    assert 'Traceback' not in r.text and 'File "' not in r.text, r.text[:300]


# Values a browser, a script or an attacker may send: random unicode (no lone surrogates: they cannot be encoded),
# NUL and control bytes, huge and odd numbers, dates, enum-ish words, booleans in many spellings.
text = st.text(st.characters(blacklist_categories=('Cs',)), max_size=40)
tricky = st.sampled_from(['', ' ', '\x00', 'nan', 'inf', '-inf', '1e999', '-0', '0x10', '1_000', '9' * 400,
                          '2020-02-30', '0000-00-00', '2020-01-01T00:00', 'red', 'RED', 'green', 'true', 'on',
                          'off', 'None', 'null', '[]', '{}', '<script>', '%00', '..', 'ü', '🙂', '\u202e'])
huge = st.integers(min_value=-10**60, max_value=10**60).map(str)
value = st.one_of(text, tricky, huge, st.floats(allow_nan=True).map(repr))
pairs = st.lists(st.tuples(st.sampled_from(PARAMS + ['zz', '']), value), max_size=12)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(pairs)
def test_query_never_500(items):
    for path in ('/q', '/opt'): assert_safe(CLIENT.get(path, params=items))


@SETTINGS
@given(st.sampled_from(['int', 'float', 'date', 'enum', 'bool', 'str']), value)
def test_path_never_500(kind, v):
    assert_safe(CLIENT.get(f'/p/{kind}/' + quote(v, safe='')))


@SETTINGS
@given(pairs)
def test_urlencoded_form_never_500(items):
    for path in ('/form', '/dc', '/dict'): assert_safe(CLIENT.post(path, data=as_form(items)))


@SETTINGS
@given(pairs, st.binary(max_size=200), text)
def test_multipart_never_500(items, blob, fname):
    files = [('f', (fname or 'x', blob))]
    for path in ('/form', '/upload', '/dc'): assert_safe(CLIENT.post(path, data=as_form(items), files=files))


json_values = st.recursive(st.none() | st.booleans() | st.integers(min_value=-10**40, max_value=10**40)
                           | st.floats(allow_nan=False) | text,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                           max_leaves=12)


@SETTINGS
@given(st.one_of(st.dictionaries(st.sampled_from(PARAMS + ['x', 'y', 'label', 'p']), json_values, max_size=8),
                 json_values))
def test_json_never_500(body):
    # json.dumps writes NaN/Infinity (not JSON, but what a sloppy client sends)
    content = json.dumps(body)
    for path in ('/form', '/dc', '/dict'):
        assert_safe(CLIENT.post(path, content=content, headers={'content-type': 'application/json'}))


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(['application/json', 'application/x-www-form-urlencoded',
                                                  'multipart/form-data; boundary=XyZ', 'multipart/form-data',
                                                  'text/plain', 'application/octet-stream', '']))
def test_random_bytes_any_content_type_never_500(body, ctype):
    for path in ('/form', '/dc', '/dict', '/upload'):
        assert_safe(CLIENT.post(path, content=body, headers={'content-type': ctype}))


# ---- specific malformed requests, with the exact answer

GOOD = {'i': '1', 'f': '2.5', 'b': '1', 'd': '2020-01-02', 'li': '3', 'c': 'blue', 's': 'x'}


def test_duplicate_keys_take_the_last_scalar_and_all_list_items():
    "As the reference does: a repeated scalar key gives its last value, a list parameter gets every value"
    r = CLIENT.get('/q', params=[*GOOD.items(), ('i', '9'), ('li', '4')])
    assert r.status_code == 200 and r.text == '9|2.5|True|2020-01-02|[3, 4]|Color.blue|x'


@pytest.mark.parametrize('missing', PARAMS[:-1])
def test_missing_field_in_form_is_400_naming_it(missing):
    r = CLIENT.post('/form', data={k: v for k, v in GOOD.items() if k != missing})
    assert r.status_code == 400 and missing in r.text


def test_empty_form_fields_are_client_errors():
    r = CLIENT.post('/form', data={k: '' for k in GOOD})
    assert 400 <= r.status_code < 500


@pytest.mark.parametrize('body', [
    b'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nabc',             # no closing delimiter
    b'--XyZ\r\nContent-Disposition: form-data; name="f"\r\n',                                   # headers cut off
    b'--WRONG\r\nContent-Disposition: form-data; name="s"\r\n\r\nx\r\n--WRONG--\r\n',           # another boundary
    b'--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--\r\n',                         # part without a name
    b'--XyZ\r\nno colon header\r\n\r\nx\r\n--XyZ--\r\n',
    b'\x00\xff' * 50,
])
def test_broken_multipart_is_400(body):
    for path in ('/form', '/upload'):
        r = CLIENT.post(path, content=body, headers={'content-type': 'multipart/form-data; boundary=XyZ'})
        assert r.status_code == 400, (path, r.status_code, r.text)


def test_multipart_without_boundary_is_400():
    r = CLIENT.post('/form', content=b'x=1', headers={'content-type': 'multipart/form-data'})
    assert r.status_code == 400 and 'boundary' in r.text


@pytest.mark.parametrize('body', [b'{bad', b'{"i": 1', b'\xff\xfe{}', b'[1, 2]', b'"str"', b'{"i": NaN}' * 2])
def test_invalid_json_is_400(body):
    r = CLIENT.post('/form', content=body, headers={'content-type': 'application/json'})
    assert r.status_code == 400, (body, r.status_code, r.text)


def test_invalid_utf8_in_form_query_and_path():
    r = CLIENT.post('/form', content=b's=%ff%fe&i=\xff', headers={'content-type': 'application/x-www-form-urlencoded'})
    assert_safe(r)
    assert_safe(CLIENT.get('/opt?s=%ff%fe%00'))
    assert_safe(CLIENT.get('/p/str/%ff%fe'))


def test_wrong_content_type_is_a_missing_field_not_500():
    r = CLIENT.post('/form', content=json.dumps(GOOD), headers={'content-type': 'text/plain'})
    assert r.status_code == 400 and 'Missing required field' in r.text


def test_upload_field_sent_as_text_is_400():
    r = CLIENT.post('/upload', data={'f': 'not a file'})
    assert r.status_code == 400


def test_non_ascii_header_values_are_not_500():
    r = CLIENT.get('/opt', headers=[(b'x-odd', b'\xc3\xbc\x7f'), (b'cookie', b'a=\xff; session_=garbage\x01')])
    assert_safe(r)


async def _run_truncated(app, body_parts: list[bytes], ctype: str, path: str = '/form'):
    "Drive the ASGI app with a body that stops early (the client went away): the messages the app sent"
    clen = str(sum(map(len, body_parts)) + 100).encode()
    scope = {'type': 'http', 'asgi': {'version': '3.0'}, 'http_version': '1.1', 'method': 'POST', 'scheme': 'http',
             'path': path, 'raw_path': path.encode(), 'query_string': b'', 'root_path': '', 'client': ('127.0.0.1', 1),
             'server': ('127.0.0.1', 80), 'headers': [(b'content-type', ctype.encode()), (b'content-length', clen)]}
    queue = [{'type': 'http.request', 'body': p, 'more_body': True} for p in body_parts]
    sent = []

    async def receive():
        if queue: return queue.pop(0)
        return {'type': 'http.disconnect'}

    async def send(m): sent.append(m)
    await asyncio.wait_for(app(scope, receive, send), 10)
    return sent


@pytest.mark.parametrize('ctype,parts', [
    ('application/x-www-form-urlencoded', [b'i=1&f=2']),
    ('application/json', [b'{"i": 1,']),
    ('multipart/form-data; boundary=XyZ', [b'--XyZ\r\nContent-Disposition: form-data; name="s"\r\n\r\nab']),
])
def test_truncated_body_ends_quietly(ctype, parts):
    "A client that disconnects mid-body: the app gives up without a 500 response, an exception or a hang"
    # RequestLimits ends the request quietly; a bare app lets Starlette's ClientDisconnect reach the server
    # (a logged traceback): .team/hardening-core.md wires the middleware into every app.
    sent = asyncio.run(_run_truncated(make_app(middleware=[Middleware(RequestLimits)]), parts, ctype))
    statuses = [m['status'] for m in sent if m['type'] == 'http.response.start']
    assert all(s < 500 for s in statuses), statuses


def test_oversized_headers_and_cookies_with_limits():
    app = make_app(middleware=[Middleware(RequestLimits)])
    cli = TestClient(app, raise_server_exceptions=False)
    assert cli.get('/opt', headers={'cookie': 'a=' + 'x' * 9000}).status_code == 431
    assert cli.get('/opt', headers={f'x-h{i}': 'y' * 1000 for i in range(40)}).status_code == 431
    assert cli.get('/opt?s=' + 'x' * 9000).status_code == 414
    assert cli.get('/opt?s=ok').text == '0|0.0|False|None|[]|Color.red|ok'


@pytest.mark.parametrize('cookie', ['garbage', 'e30=.AAAA.BBBB', '\x00\x01', 'x' * 4000,
                                    'eyJhIjogMX0=.ZmFrZQ.Zm9yZ2Vk', 'null', '"quoted"'])
def test_garbage_session_cookie_is_an_empty_session(cookie):
    app = FastHTML(secret_key='k', key_fname='/dev/null')

    @app.get('/')
    def index(session): return f'{dict(session)}'
    r = TestClient(app, raise_server_exceptions=False).get('/', headers={'cookie': f'session_={cookie}'})
    assert r.status_code == 200 and r.text == '{}'


def test_tampered_session_cookie_is_logged(caplog):
    app = FastHTML(secret_key='k', key_fname='/dev/null')

    @app.get('/')
    def index(session): return f'{dict(session)}'
    good = app._session_cookie(user='alice')['session_']
    tampered = good[:-3] + ('AAA' if not good.endswith('AAA') else 'BBB')
    with caplog.at_level(logging.INFO):
        r = TestClient(app).get('/', headers={'cookie': f'session_={tampered}'})
    assert r.text == '{}'
    assert any('session' in rec.getMessage().lower() for rec in caplog.records)

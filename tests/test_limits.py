"RequestLimits on a FastHTML app: each limit's answer, overrides, switching off, log lines, streaming uploads."
from __future__ import annotations

import asyncio
import logging
import tracemalloc

import pytest
from starlette.middleware import Middleware
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from fasthtml.common import FastHTML, UploadFile
from fasthtml.limits import DEFAULT_LIMITS, Limits, RequestLimits


def make_app(**limits) -> FastHTML:
    app = FastHTML(secret_key='k', key_fname='/dev/null', limits=limits)  # the app's own, default RequestLimits

    @app.get('/')
    def index(q: str = ''): return f'q={len(q)}'

    @app.post('/form')
    async def form(req):
        data = await req.form()
        return f'{len(data)}'

    @app.post('/json')
    def js(d: dict): return f'{len(d)}'

    @app.post('/upload')
    async def upload(f: UploadFile):
        # Spooled files move to disk past 1 MiB: report where this one is.
        rolled = getattr(f.file, '_rolled', None)
        f.file.seek(0, 2)
        return f'{f.file.tell()} rolled={rolled}'

    @app.ws('/ws')
    async def ws(msg: str, send): await send(msg)
    return app


def client(**limits) -> TestClient: return TestClient(make_app(**limits), raise_server_exceptions=False)


def test_defaults_are_documented_values():
    assert DEFAULT_LIMITS == Limits(max_url=8192, max_header_bytes=32768, max_cookie=8192, max_body=2**20,
                                    max_upload=100 * 2**20, max_fields=1000, max_files=1000)


def test_unknown_limit_is_a_clear_error():
    with pytest.raises(TypeError, match='max_bodysize'):
        RequestLimits(None, max_bodysize=1)


def test_within_limits_passes_through():
    cli = client()
    assert cli.get('/?q=abc').text == 'q=3'
    assert cli.post('/form', data={'a': '1', 'b': '2'}).text == '2'
    assert cli.post('/json', json={'a': 1}).text == '1'


def test_url_too_long_is_414_and_logged(caplog):
    with caplog.at_level(logging.WARNING, 'fasthtml.limits'):
        r = client().get('/?q=' + 'x' * 8200)
    assert r.status_code == 414 and r.text.startswith('414 URI Too Long: URL too long')
    assert len(r.text) < 200
    assert [rec.getMessage()[:10] for rec in caplog.records] == ['414 GET / ']


def test_long_path_counts_too():
    assert client(max_url=100).get('/' + 'p' * 200).status_code == 414


def test_headers_and_cookie_431():
    cli = client()
    assert cli.get('/', headers={'cookie': 'c=' + 'x' * 8200}).status_code == 431
    assert cli.get('/', headers={f'x-{i}': 'v' * 1024 for i in range(33)}).status_code == 431
    assert cli.get('/', headers={'cookie': 'c=' + 'x' * 4000}).status_code == 200


def test_body_413_from_content_length():
    r = client().post('/json', content=b'{"a": "' + b'x' * 2**20 + b'"}', headers={'content-type': 'application/json'})
    assert r.status_code == 413 and 'the limit is 1048576' in r.text
    assert r.headers['connection'] == 'close'


def test_chunked_body_413_while_streaming():
    def gen():
        for _ in range(40): yield b'x' * 1000
    r = client(max_body=10_000).post('/json', content=gen(), headers={'content-type': 'application/json'})
    assert r.status_code == 413 and r.text == 'Request body too large: more than 10000 bytes.'


def test_override_and_switch_off():
    assert client(max_body=10).post('/form', data={'a': 'x' * 20}).status_code == 413
    assert client(max_body=None).post('/form', data={'a': 'x' * 20}).text == '1'
    assert client(max_url=None).get('/?q=' + 'x' * 9000).text == 'q=9000'
    limits = Limits(max_body=10)
    app = FastHTML(secret_key='k', key_fname='/dev/null', middleware=[Middleware(RequestLimits, limits=limits)])
    assert TestClient(app).post('/', data={'a': 'x' * 20}).status_code == 413


def test_every_app_has_the_default_limits():
    app = FastHTML(secret_key='k', key_fname='/dev/null')
    assert TestClient(app).get('/?q=' + 'x' * 9000).status_code == 414
    assert TestClient(app).post('/', content=b'x' * (2**20 + 1)).status_code == 413


def test_form_fields_counted_on_the_stream():
    cli = client(max_fields=5)
    assert cli.post('/form', data={str(i): '1' for i in range(5)}).text == '5'
    r = cli.post('/form', data={str(i): '1' for i in range(6)})
    assert r.status_code == 400 and 'Maximum number of fields is 5' in r.text
    r = cli.post('/form', data={str(i): '1' for i in range(6)}, files={'f': ('a.txt', b'a')})
    assert r.status_code == 400 and 'Maximum number of fields is 5' in r.text


def test_thousand_fields_default():
    body = '&'.join(f'k{i}=v' for i in range(1001)).encode()
    r = client().post('/form', content=body, headers={'content-type': 'application/x-www-form-urlencoded'})
    assert r.status_code == 400


def test_files_counted():
    cli = client(max_files=2)
    files = [(f'f{i}', (f'{i}.txt', b'abc')) for i in range(3)]
    assert cli.post('/form', files=files[:2]).text == '2'
    r = cli.post('/form', files=files)
    assert r.status_code == 400 and 'Maximum number of files is 2' in r.text


def test_upload_limit_separate_from_body_limit():
    cli = client(max_body=1000, max_upload=3 * 2**20)
    r = cli.post('/upload', files={'f': ('big.bin', b'z' * (2 * 2**20))})
    assert r.status_code == 200 and r.text == f'{2 * 2**20} rolled=True'
    assert cli.post('/upload', files={'f': ('big.bin', b'z' * (4 * 2**20))}).status_code == 413


def test_websocket_handshake_with_huge_cookie_is_refused():
    cli = client()
    with cli.websocket_connect('/ws') as ws:
        ws.send_text('hi')
    with pytest.raises(WebSocketDisconnect) as e, cli.websocket_connect('/ws', headers={'cookie': 'c=' + 'x' * 9000}):
        pass
    assert e.value.code == 1008


async def _upload_peak(app, size: int, chunk: int = 64 * 1024) -> tuple[int, bytes]:
    "Stream a `size`-byte multipart upload into `app` in chunks: (peak traced memory, response body)"
    head = b'--B\r\nContent-Disposition: form-data; name="f"; filename="big.bin"\r\n\r\n'
    tail = b'\r\n--B--\r\n'
    total = len(head) + size + len(tail)
    scope = {'type': 'http', 'asgi': {'version': '3.0'}, 'http_version': '1.1', 'method': 'POST', 'scheme': 'http',
             'path': '/upload', 'raw_path': b'/upload', 'query_string': b'', 'root_path': '', 'client': ('127.0.0.1', 1),
             'server': ('127.0.0.1', 80), 'app': app,
             'headers': [(b'content-type', b'multipart/form-data; boundary=B'), (b'content-length', str(total).encode())]}
    block = b'z' * chunk
    left = size
    first = True
    out = []

    async def receive():
        nonlocal left, first
        if first:
            first = False
            return {'type': 'http.request', 'body': head, 'more_body': True}
        if left > 0:
            n = min(chunk, left)
            left -= n
            return {'type': 'http.request', 'body': block[:n], 'more_body': True}
        return {'type': 'http.request', 'body': tail, 'more_body': False}

    async def send(m):
        if m['type'] == 'http.response.body': out.append(m.get('body', b''))
    tracemalloc.start()
    try:
        await app(scope, receive, send)
        peak = tracemalloc.get_traced_memory()[1]
    finally: tracemalloc.stop()
    return peak, b''.join(out)


def test_upload_is_streamed_not_held_in_memory():
    size = 24 * 2**20
    peak, body = asyncio.run(_upload_peak(make_app(), size))
    assert body == f'{size} rolled=True'.encode()
    # The parser spools to disk past 1 MiB and the handler does not read the file: a few MiB at most.
    assert peak < size / 4, peak

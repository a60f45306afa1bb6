"A real uvicorn server on a free loopback port, real HTTP requests, then a clean stop."
import threading

import httpx
import uvicorn
from fastcore.xml import P, Title

from fasthtml.core import FastHTML
from ports import free_port


def test_real_server_round_trip():
    app = FastHTML(secret_key='k')

    @app.route('/')
    def get(): return Title('Hi'), P('hello')

    @app.post('/add/{a}')
    def add(a: int, b: int): return {'sum': a + b}

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host='127.0.0.1', port=port, log_level='warning', lifespan='on'))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    try:
        while not server.started: th.join(0.05)
        with httpx.Client(base_url=f'http://127.0.0.1:{port}') as cli:
            r = cli.get('/')
            assert r.status_code == 200 and '<title>Hi</title>' in r.text and '<p>hello</p>' in r.text
            assert cli.get('/', headers={'HX-Request': '1'}).text == '<title>Hi</title>\n<p>hello</p>\n'
            assert cli.post('/add/2', data={'b': '5'}).json() == {'sum': 7}
            assert cli.post('/add/2').text == 'Missing required field: b'
            assert cli.get('/missing').status_code == 404
    finally:
        server.should_exit = True
        th.join(10)
    assert not th.is_alive()

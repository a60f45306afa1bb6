"""`fasthtml.jupyter` in a real Jupyter kernel: a notebook executed with nbclient (ipykernel) serves an app with
`JupyUvi`, fetches pages over HTTP, stops and restarts it on the same port, runs `JupyUviAsync` on the kernel's loop,
displays FT objects (`render_ft`, `show`), serves a `ws_client` page whose websocket answers, and shows
`htmx_config_port`'s script."""
import socket
import sys

import pytest
from ports import free_port

nbformat = pytest.importorskip('nbformat')
nbclient = pytest.importorskip('nbclient')
pytest.importorskip('ipykernel')


def test_notebook_in_kernel(tmp_path):
    port, port2 = free_port(), free_port()
    cells = [
        (f"import sys; sys.path.insert(0, {str(sys.path[0])!r})\n"
        "import httpx\nfrom fasthtml.common import *\nfrom fasthtml.jupyter import *\nfrom fasthtml.jupyter import is_port_free\n"
        "app, rt = fast_app()\n@rt\ndef index(): return P('hello from the kernel')"),
        (f"server = JupyUvi(app, port={port}, daemon=True)\n"
        f"r = httpx.get('http://127.0.0.1:{port}/')\nassert r.status_code == 200 and 'hello from the kernel' in r.text"),
        # a route defined after the server started is live at once
        f"@rt\ndef click(): return P('clicked')\nassert 'clicked' in httpx.get('http://127.0.0.1:{port}/click').text",
        (f"server.stop()\nassert is_port_free({port})\nserver.start()\n"
        f"assert httpx.get('http://127.0.0.1:{port}/').status_code == 200\nserver.stop()\nassert is_port_free({port})\n"
        "print('PORT FREE')"),
        (f"aserver = JupyUviAsync(app, port={port2})\nawait aserver.start()\n"
        f"async with httpx.AsyncClient() as c: r = await c.get('http://127.0.0.1:{port2}/click')\n"
        f"assert 'clicked' in r.text\nawait aserver.stop()\nassert is_port_free({port2})\nprint('ASYNC FREE')"),
        f"HTMX(port={port}, link=True)",
        "render_ft()\nDiv(P('rendered ft'), id='x')",
        "show(P('shown'))",
        # ws_client: a page on the served app that connects to its websocket route; a message sent over the socket
        # lands in the returned Main by its id
        (f"@app.ws('/ws')\nasync def ws(msg: str, send): await send(P(f'echo {{msg}}', id=main.id, hx_swap_oob='true'))\n"
         f"main = ws_client(app, 'chat', port={port})\nserver.start()\n"
         f"page = httpx.get('http://127.0.0.1:{port}/chat').text\n"
         "assert 'ws-connect=\"/ws\"' in page and f'id=\"{main.id}\"' in page, page\n"
         "import websockets.sync.client as wsc\n"
         f"with wsc.connect('ws://127.0.0.1:{port}/ws') as sock:\n"
         "    sock.send('{\"msg\": \"hi\"}')\n    print('WS', sock.recv(timeout=5))\n"
         "server.stop()"),
        "htmx_config_port(" + str(port) + ")",
        "for i in range(2): show(P(f'loop {i}'))",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name='python3', resources={'metadata': {'path': str(tmp_path)}})
    client.execute()
    outs = [c.outputs for c in nb.cells]
    text = lambda i: ''.join(o.get('text', '') for o in outs[i])
    html = lambda i: ''.join(o.get('data', {}).get('text/html', '') for o in outs[i])
    assert f':{port}${{path}}' in html(1)  # JupyUvi points the notebook's htmx requests at its port
    assert 'PORT FREE' in text(3) and 'ASYNC FREE' in text(4)
    assert f'src="http://localhost:{port}/"' in html(5) and 'Open in new tab' in html(5)
    assert '<p>rendered ft</p>' in html(6) and 'htmx.process' in html(6)
    assert '<p>shown</p>' in html(7)
    assert f'href="http://localhost:{port}/chat"' in html(8) and f'src="http://localhost:{port}/chat"' in html(8)
    assert 'WS <p hx-swap-oob="true" id="_' in text(8) and '">echo hi</p>' in text(8)
    assert f':{port}${{path}}' in html(9) and '"htmx:configRequest", "htmx:config:request"' in html(9)
    assert '<p>loop 0</p>' in html(10) and '<p>loop 1</p>' in html(10)  # show() displays, inside a loop too
    for p in (port, port2):
        with socket.socket() as s:
            # Nothing listens any more (SO_REUSEADDR: closed websocket connections may linger in TIME_WAIT)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('127.0.0.1', p))

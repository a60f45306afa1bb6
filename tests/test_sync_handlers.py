"Sync handlers run in worker threads: never on the event loop, side by side, with the caller's context."
import asyncio
import contextvars
import threading

import anyio.from_thread
import httpx
import uvicorn

from fasthtml.common import fast_app
from ports import free_port

request_id = contextvars.ContextVar('request_id', default=None)


def make_app():
    app, _ = fast_app(secret_key='k', key_fname='/dev/null')
    meet = threading.Barrier(2, timeout=20)
    released = threading.Event()

    def tag(req): request_id.set(req.query_params.get('id'))
    app.before.append(tag)

    @app.get('/meet')
    def meet_other(id: str):
        # Each request waits for the other: both finish only if they run at the same time (else the barrier breaks).
        meet.wait()
        return f'{id} {request_id.get()} {threading.current_thread() is not threading.main_thread()}'

    @app.get('/blocked')
    def blocked():
        released.wait(20)
        return 'released' if released.is_set() else 'timed out'

    @app.get('/release')
    async def release():
        released.set()
        return 'ok'

    async def on_loop(): return threading.current_thread().name

    @app.get('/loop')
    def loop_thread(): return anyio.from_thread.run(on_loop)

    return app


def test_two_blocking_sync_handlers_run_concurrently_in_process():
    async def go():
        app = make_app()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://t') as cli:
            a, b = await asyncio.gather(cli.get('/meet?id=a', headers={'hx-request': '1'}),
                                        cli.get('/meet?id=b', headers={'hx-request': '1'}))
            assert (a.text, b.text) == ('a a True', 'b b True')
            # A sync handler blocked in its thread leaves the loop free to serve the async handler that releases it.
            blocked = asyncio.ensure_future(cli.get('/blocked', headers={'hx-request': '1'}))
            await asyncio.sleep(0.05)
            assert (await cli.get('/release')).status_code == 200
            assert (await blocked).text == 'released'
            assert (await cli.get('/loop', headers={'hx-request': '1'})).text == threading.current_thread().name
    asyncio.run(go())


def test_two_blocking_sync_handlers_run_concurrently_under_uvicorn():
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(make_app(), host='127.0.0.1', port=port, log_level='warning'))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    try:
        while not server.started: th.join(0.05)

        async def go():
            async with httpx.AsyncClient(base_url=f'http://127.0.0.1:{port}', timeout=30) as cli:
                hx = {'hx-request': '1'}
                a, b = await asyncio.gather(cli.get('/meet?id=a', headers=hx), cli.get('/meet?id=b', headers=hx))
                assert (a.text, b.text) == ('a a True', 'b b True')
                blocked = asyncio.ensure_future(cli.get('/blocked', headers=hx))
                await asyncio.sleep(0.05)
                assert (await cli.get('/release')).status_code == 200
                assert (await blocked).text == 'released'
        asyncio.run(go())
    finally:
        server.should_exit = True
        th.join(10)

"""Toasts through a running app: queued in the session, shown once on the next FT response (page or fragment),
kept across redirects and non-HTML responses, rendered with the reference's markup."""
import pytest
from fasthtml.common import *
from starlette.testclient import TestClient

HX = {'HX-Request': '1'}


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app, _ = fast_app(secret_key='toast-test')
    setup_toasts(app, duration=3000)

    @app.get('/all')
    def all_types(session):
        for typ in ('info', 'success', 'warning', 'error'): add_toast(session, f'{typ} message', typ)
        return Titled('Toasts', P('with toasts'))

    @app.post('/redirect')
    def redirect(session):
        add_toast(session, 'Saved <ok>', 'success', dismiss=True)
        return Redirect('/see')

    @app.get('/see')
    def see(): return P('plain view')

    @app.get('/json')
    def as_json(session):
        add_toast(session, 'json toast')
        return {'json': True}

    @app.get('/frag')
    def frag(session):
        add_toast(session, 'fragment toast', 'error')
        return P('fragment')

    @app.get('/ftresponse')
    def ftresponse(session):
        add_toast(session, 'ftresponse toast', 'warning')
        return FtResponse(P('ftr'), status_code=201)

    @app.get('/bad')
    def bad(session):
        add_toast(session, 'x', 'danger')
        return P('never')

    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


def toasts(html: str) -> list:
    return [seg.split('</span>')[0] for seg in html.split('<span>')[1:]]


def test_headers_carry_css_and_container_script(client):
    page = client.get('/see').text
    assert '#fh-toast-container {' in page and "htmx.find('#fh-toast-container')" in page


def test_full_page_shows_every_type_once(client):
    page = client.get('/all').text
    assert toasts(page) == ['info message', 'success message', 'warning message', 'error message']
    assert 'class="fh-toast fh-toast-warning"' in page and 'data-fh-toast-ms="3000"' in page
    assert page.index('with toasts') < page.index('hx-swap-oob="beforeend:#fh-toast-container"') < page.index('</body>')
    assert 'fh-toast-info' not in client.get('/see', headers=HX).text


def test_toast_survives_redirect(client):
    r = client.post('/redirect')
    assert r.status_code == 303 and 'Saved' not in r.text
    frag = client.get('/see', headers=HX).text
    assert '<span>Saved &lt;ok&gt;</span>' in frag
    assert '<button type="button" aria-label="Dismiss" data-fh-toast-dismiss="" class="fh-toast-dismiss">x</button>' in frag
    assert 'Saved' not in client.get('/see', headers=HX).text


def test_json_keeps_toasts_for_the_next_page(client):
    r = client.get('/json')
    assert r.json() == {'json': True}
    assert toasts(client.get('/see', headers=HX).text) == ['json toast']


def test_fragment_gets_oob_container(client):
    frag = client.get('/frag', headers=HX).text
    assert frag.startswith('<p>fragment</p>')
    assert '<div hx-swap-oob="beforeend:#fh-toast-container" id="fh-toast-container">' in frag
    assert 'class="fh-toast fh-toast-error"' in frag


def test_ftresponse_shows_toasts_and_keeps_status(client):
    r = client.get('/ftresponse', headers=HX)
    assert r.status_code == 201 and 'ftresponse toast' in r.text and '<p>ftr</p>' in r.text


def test_unknown_type_is_a_server_error_naming_it(client):
    assert client.get('/bad').status_code == 500
    with pytest.raises(ValueError, match="'danger'"): add_toast({}, 'x', 'danger')

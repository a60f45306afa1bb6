"Static routes serve files under their root and nothing else: `..`, encoded dots, absolute paths, NUL, symlinks."
from __future__ import annotations

import os

import pytest
from starlette.testclient import TestClient

from fasthtml.common import FastHTML


@pytest.fixture
def site(tmp_path):
    root = tmp_path/'public'
    (root/'sub').mkdir(parents=True)
    (root/'ok.txt').write_text('public file')
    (root/'sub'/'deep.txt').write_text('deep file')
    (tmp_path/'secret.txt').write_text('TOP SECRET')
    (tmp_path/'secretdir').mkdir()
    (tmp_path/'secretdir'/'x.txt').write_text('TOP SECRET DIR')
    os.symlink(tmp_path/'secret.txt', root/'link.txt')              # a file symlink leaving the root
    os.symlink(tmp_path/'secretdir', root/'linkdir')                # a directory symlink leaving the root
    os.symlink(root/'ok.txt', root/'inside.txt')                    # a symlink staying inside
    app = FastHTML(secret_key='k', key_fname='/dev/null')
    app.static_route('.txt', prefix='/files/', static_path=str(root))   # first: `/{fname:path}.{ext}` matches it too
    app.static_route_exts(static_path=str(root))
    return TestClient(app, raise_server_exceptions=False), tmp_path


def test_files_inside_the_root_are_served(site):
    cli, _ = site
    assert cli.get('/ok.txt').text == 'public file'
    assert cli.get('/sub/deep.txt').text == 'deep file'
    assert cli.get('/files/ok.txt').text == 'public file'
    assert cli.get('/inside.txt').text == 'public file'


TRAVERSALS = ['/../secret.txt', '/sub/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E/secret.txt',
              '/sub/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/sub/..%2f..%2fsecret.txt',
              '/..%5csecret.txt', '/%252e%252e/secret.txt', '/....//secret.txt', '/.%2e/secret.txt',
              '/sub%2f..%2f..%2fsecret.txt', '/ok.txt%00.txt', '/%00/../secret.txt']


@pytest.mark.parametrize('url', TRAVERSALS)
def test_traversal_is_404(site, url):
    cli, _ = site
    for prefix in ('', '/files'):
        r = cli.get(prefix + url)
        assert r.status_code in (400, 404), (prefix + url, r.status_code)
        assert 'SECRET' not in r.text


def test_absolute_paths_are_404(site):
    cli, tmp = site
    for url in (f'/{tmp}/secret.txt', f'//{tmp}/secret.txt', '/%2fetc%2fhostname.txt', '//etc/hostname.txt',
                f'/files/{tmp}/secret.txt'):
        r = cli.get(url)
        assert 'SECRET' not in r.text and r.status_code in (400, 404), (url, r.status_code)


@pytest.mark.parametrize('url', ['/link.txt', '/linkdir/x.txt', '/files/link.txt'])
def test_symlinks_out_of_the_root_are_404(site, url):
    cli, _ = site
    r = cli.get(url)
    assert r.status_code == 404 and 'SECRET' not in r.text

"Offline assets: CDN headers rewritten to app-local URLs, files from the npm cache, long cache headers, safe fetching."
from __future__ import annotations

import io
import os
import stat
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from fasthtml import assets
from fasthtml.assets import (SSE_EXT_URL, default_asset_urls, fetch_npm, npm_asset, offline_assets, package_dir)
from fasthtml.common import P, Script, fast_app
from fasthtml.pico import picolink
from fasthtml.responses import htmxsrc

YEAR = 'public, max-age=31536000, immutable'


def fake_cache(root: Path, urls) -> Path:
    "A cache holding a small file for each npm URL, as `fetch_npm` would leave it"
    for u in urls:
        a = npm_asset(u) or assets._GH_TO_NPM.get(u)
        if a is None: continue
        pkg, ver, path = a
        f = package_dir(pkg, ver, root)/path
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(f'/* {pkg}@{ver}/{path} */')
    return root


def app_with(tmp_path, **kw):
    app, rt = fast_app(**kw)
    @rt('/')
    def get(): return P('hi')
    offline_assets(app, cache=fake_cache(tmp_path/'cache', default_asset_urls()))
    return app


def test_page_has_no_cdn_urls_and_every_asset_is_served(tmp_path):
    app = app_with(tmp_path, exts=['ws', 'morph'], hdrs=(Script(src=SSE_EXT_URL),))
    cli = TestClient(app)
    html = cli.get('/').text
    assert 'cdn.jsdelivr' not in html and 'unpkg.com' not in html
    srcs = [s.split('"')[0] for s in html.split('src="')[1:]] + [s.split('"')[0] for s in html.split('href="')[1:]]
    local = [u for u in srcs if u.startswith('/_fh/assets/')]
    assert len(local) == 7, local  # htmx, fasthtml.js, css-scope-inline, pico, sse, ws, morph
    for u in local:
        r = cli.get(u)
        assert r.status_code == 200, u
        assert r.headers['cache-control'] == YEAR
        if u.endswith('.js'): assert r.headers['content-type'].startswith('text/javascript')
    assert '/_fh/assets/htmx.org@2.0.7/dist/htmx.js' in local
    assert cli.head('/_fh/assets/htmx.org@2.0.7/dist/htmx.js').status_code == 200


def test_surreal_left_out_and_fasthtml_js_is_ours(tmp_path):
    cli = TestClient(app_with(tmp_path))
    html = cli.get('/').text
    assert 'surreal' not in html
    js = cli.get('/_fh/assets/fasthtml-js/fasthtml.js')
    assert js.headers['cache-control'] == YEAR and 'window.proc_htmx = function (sel, func)' in js.text


@pytest.mark.parametrize('path', ['/_fh/assets/htmx.org@2.0.7/package.json', '/_fh/assets/htmx.org@2.0.7/../../x',
                                  '/_fh/assets/%2e%2e/%2e%2e/etc/passwd', '/_fh/assets/'])
def test_only_registered_files_are_served(tmp_path, path):
    assert TestClient(app_with(tmp_path)).get(path).status_code == 404


def test_shared_default_headers_untouched(tmp_path):
    app_with(tmp_path)
    assert htmxsrc.src == 'https://cdn.jsdelivr.net/npm/htmx.org@2.0.7/dist/htmx.js'
    assert picolink[0].href.startswith('https://cdn.jsdelivr.net/npm/@anyblades/pico@')


def test_unknown_urls_are_kept(tmp_path):
    app, _ = fast_app(hdrs=(Script(src='https://example.com/own.js'), Script('inline()')))
    offline_assets(app, cache=fake_cache(tmp_path, default_asset_urls()))
    srcs = [getattr(h, 'src', None) for h in app.hdrs]
    assert 'https://example.com/own.js' in srcs


def test_every_default_url_has_an_offline_answer():
    for u in default_asset_urls(): assert assets._asset_of(u) is not None, u


def test_missing_file_in_package_is_a_clear_error(tmp_path):
    app, _ = fast_app(default_hdrs=False, hdrs=(Script(src='https://unpkg.com/htmx-ext-sse@2.2.4/nope.js'),))
    package_dir('htmx-ext-sse', '2.2.4', tmp_path).mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="htmx-ext-sse@2.2.4 has no file 'nope.js'"):
        offline_assets(app, cache=tmp_path)


def test_not_an_app():
    with pytest.raises(TypeError, match='needs a FastHTML app'): offline_assets('app')


def test_fetch_without_npm_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(assets.shutil, 'which', lambda name: None)
    with pytest.raises(RuntimeError, match='`npm` is not installed'): fetch_npm('htmx.org', '2.0.7', tmp_path)


def fake_npm(tmp_path: Path, members: dict[str, bytes|None], fail: bool = False) -> Path:
    "An `npm` stand-in: `npm pack` writes a tarball with `members` (None: a symlink out of the package)"
    tgz = io.BytesIO()
    with tarfile.open(fileobj=tgz, mode='w:gz') as tf:
        for name, data in members.items():
            ti = tarfile.TarInfo(name)
            if data is None: ti.type, ti.linkname = tarfile.SYMTYPE, '/etc/passwd'
            else: ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data) if data is not None else None)
    (tmp_path/'pkg.tgz').write_bytes(tgz.getvalue())
    script = tmp_path/'bin'/'npm'
    script.parent.mkdir()
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import shutil, sys
        if {fail!r}: sys.exit('npm error 404 Not Found')
        dest = sys.argv[sys.argv.index('--pack-destination') + 1]
        shutil.copy({str(tmp_path/'pkg.tgz')!r}, dest + '/x-1.0.0.tgz')
        print('x-1.0.0.tgz')
        """))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script.parent


def test_fetch_unpacks_once_into_the_cache(tmp_path, monkeypatch):
    bindir = fake_npm(tmp_path, {'package/dist/x.js': b'x()', 'package/package.json': b'{}'})
    monkeypatch.setenv('PATH', f'{bindir}{os.pathsep}{os.environ["PATH"]}')
    cache = tmp_path/'cache'
    d = fetch_npm('x', '1.0.0', cache)
    assert (d/'dist'/'x.js').read_text() == 'x()' and d == package_dir('x', '1.0.0', cache)
    (bindir/'npm').unlink()  # a second call must not need npm
    assert fetch_npm('x', '1.0.0', cache) == d
    assert [p.name for p in cache.iterdir()] == ['x@1.0.0']  # no temporary leftovers


def test_fetch_refuses_links_out_of_the_package(tmp_path, monkeypatch):
    bindir = fake_npm(tmp_path, {'package/evil': None})
    monkeypatch.setenv('PATH', f'{bindir}{os.pathsep}{os.environ["PATH"]}')
    with pytest.raises(tarfile.TarError): fetch_npm('x', '1.0.0', tmp_path/'cache')
    assert not package_dir('x', '1.0.0', tmp_path/'cache').exists()


def test_fetch_failure_names_the_package(tmp_path, monkeypatch):
    bindir = fake_npm(tmp_path, {}, fail=True)
    monkeypatch.setenv('PATH', f'{bindir}{os.pathsep}{os.environ["PATH"]}')
    with pytest.raises(RuntimeError, match=r'npm pack x@1.0.0 failed: npm error 404'): fetch_npm('x', '1.0.0', tmp_path)


def test_cache_dir_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv('FASTHTML_ASSETS_DIR', str(tmp_path))
    assert assets.assets_dir() == tmp_path
    monkeypatch.delenv('FASTHTML_ASSETS_DIR')
    assert assets.assets_dir() == Path.home()/'.cache'/'fasthtml-assets'


def test_htmx4_app_is_served_from_the_htmx4_package(tmp_path):
    "htmx4=True: htmx 4 and its extensions from htmx.org@4.0.1, versioned URLs cached for a year, the config meta kept"
    app = app_with(tmp_path, htmx4=True, exts=['ws', 'sse', 'live', 'multipart', 'csp'])
    cli = TestClient(app)
    html = cli.get('/').text
    assert 'cdn.jsdelivr' not in html and 'htmx.org@2' not in html
    assert '<meta name="htmx-config" content=\'{"metaCharacter": "-"}\'>' in html
    local = [s.split('"')[0] for s in html.split('src="')[1:] if s.startswith('/_fh/assets/htmx.org@')]
    assert local == ['/_fh/assets/htmx.org@4.0.1/dist/htmx.min.js'] + [
        f'/_fh/assets/htmx.org@4.0.1/dist/ext/hx-{n}.min.js' for n in ('ws', 'sse', 'live', 'multipart', 'csp')]
    for u in local:
        r = cli.get(u)
        assert r.status_code == 200 and r.headers['cache-control'] == YEAR, u
        assert r.headers['content-type'].startswith('text/javascript')


def test_floating_htmx4_urls_stay_on_htmx4(tmp_path):
    "A header asking for htmx.org@4 (or @latest) gets the pinned 4.0.1 file, never htmx 2's"
    hdrs = (Script(src='https://cdn.jsdelivr.net/npm/htmx.org@4/dist/ext/hx-download.js'),
            Script(src='https://unpkg.com/htmx.org@latest/dist/htmx.min.js'),
            Script(src='https://unpkg.com/htmx.org@2/dist/htmx.min.js'))
    app, _ = fast_app(default_hdrs=False, hdrs=hdrs)
    cache = fake_cache(tmp_path, [h.src for h in hdrs])
    offline_assets(app, cache=cache)
    assert [h.src for h in app.hdrs] == ['/_fh/assets/htmx.org@4.0.1/dist/ext/hx-download.js',
                                         '/_fh/assets/htmx.org@4.0.1/dist/htmx.min.js',
                                         '/_fh/assets/htmx.org@2.0.7/dist/htmx.min.js']


def test_real_htmx4_package_when_cached():
    "With the real npm package in the cache, the served file is htmx 4 itself"
    from fasthtml.assets import assets_dir
    if not (package_dir("htmx.org", "4.0.1", assets_dir())/'dist'/'htmx.min.js').is_file():
        pytest.skip('htmx.org@4.0.1 is not in the asset cache (python -m fasthtml.assets fetches it)')
    app, _rt = fast_app(htmx4=True, exts='ws')
    offline_assets(app)
    cli = TestClient(app)
    js = cli.get('/_fh/assets/htmx.org@4.0.1/dist/htmx.min.js').text
    assert 'this.version="4.0.1"' in js.replace(' ', '').replace("'", '"')
    assert 'registerExtension("ws"' in cli.get('/_fh/assets/htmx.org@4.0.1/dist/ext/hx-ws.min.js').text.replace("'", '"')

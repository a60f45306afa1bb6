"""`from fasthtml.common import *`: the names apps use, compared with the released package's star-import surface."""
import pytest
from refbridge import OUR_PYTHON, REF_PYTHON, SKIP_REASON, has_ref, run_json

from fasthtml import common

# Names of the reference's common that we leave out on purpose, with the reason.
_INCIDENTAL = "an incidental import of the reference's authmw module (stdlib), not FastHTML API"
DELIBERATELY_ABSENT = {'base64': _INCIDENTAL, 'binascii': _INCIDENTAL, 'compare_digest': _INCIDENTAL,
                       'Mapping': _INCIDENTAL}

# Names other modules still owe (listed in .team/acceptance-findings.md). A ratchet: when one lands, this test
# fails until it is removed from here, so the list never hides a regression.
PENDING: dict[str, set] = {}

PROBE = ('import json, fasthtml.common as m, inspect\n'
         'def kind(o):\n'
         '    if inspect.ismodule(o): return "module"\n'
         '    if inspect.isclass(o): return "class"\n'
         '    return "callable" if callable(o) else "value"\n'
         'print(json.dumps({n: kind(getattr(m, n)) for n in dir(m) if not n.startswith("_")}))')


@pytest.fixture(scope='module')
def surfaces():
    if not has_ref(): pytest.skip(SKIP_REASON)
    return run_json(PROBE, REF_PYTHON), run_json(PROBE, OUR_PYTHON)


def test_every_reference_name_is_exported(surfaces):
    ref, ours = surfaces
    pending = set().union(set(), *PENDING.values())
    missing = sorted(set(ref) - set(ours) - set(DELIBERATELY_ABSENT) - pending)
    assert not missing, f'{len(missing)} names of the reference fasthtml.common are missing: {missing}'
    landed = sorted(pending & set(ours))
    assert not landed, f'now exported, remove them from PENDING: {landed}'


def test_names_are_the_same_kind_of_thing(surfaces):
    ref, ours = surfaces
    # A tag function may be a class or a function; both are callables for an app.
    norm = lambda k: 'callable' if k in ('class', 'callable') else k
    diff = {n: (ref[n], ours[n]) for n in set(ref) & set(ours) if norm(ref[n]) != norm(ours[n])}
    assert not diff, f'names whose kind differs (reference, ours): {diff}'


def test_star_import_has_what_apps_use():
    ns = {}
    exec('from fasthtml.common import *', ns)  # noqa: S102 - the star import itself is under test
    for name in ('fast_app', 'FastHTML', 'serve', 'Titled', 'Div', 'P', 'Form', 'Input', 'Button', 'Script', 'Style',
                 'Redirect', 'RedirectResponse', 'Response', 'HTMLResponse', 'FileResponse', 'JSONResponse', 'Request',
                 'FtResponse', 'Beforeware', 'Middleware', 'Mount', 'StaticFiles', 'setup_toasts', 'add_toast',
                 'FastHTMLWithLiveReload', 'to_xml', 'FT', 'NotStr', 'Safe', 'dataclass', 'Any', 'cookie', 'uri',
                 'fill_form', 'APIRouter', 'EventStream', 'sse_message', 'HtmxHeaders', 'Client', 'patch', 'L',
                 'WebSocket', 'HTTPException', 'UploadFile', 'AttrDict', 'Path'):
        assert name in ns, f'{name} is not exported by fasthtml.common'


def test_fasthtml_components_win_over_fastcore_xml():
    import fastcore.xml

    import fasthtml.components
    import fasthtml.xtend
    assert common.Div is fasthtml.components.Div and common.Div is not fastcore.xml.Div
    assert common.Script is fasthtml.xtend.Script and common.Form is fasthtml.xtend.Form


def test_fastlite_and_pico_helpers_are_not_exported():
    for name in ('database', 'NotFoundError', 'Card', 'Grid', 'Group', 'Container'):
        assert not hasattr(common, name), f'{name} should be imported from fastlite / fasthtml.pico, as in the reference'


def test_common_renders_with_our_fast_to_xml():
    "`to_xml` from the star import is fasthtml's renderer, not fastcore's (which `fastcore.xml`'s star import brings)"
    from fasthtml import common
    from fasthtml.render import to_xml
    assert common.to_xml is to_xml


def test_serving_does_not_import_the_test_clients(tmp_path):
    "A server process never loads httpx or Starlette's test client (~5 MiB per worker): they are imported where used"
    import subprocess
    import sys
    code = ("import sys; from fasthtml.common import *; app, rt = fast_app(); "
            "bad = [m for m in ('httpx', 'starlette.testclient') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, '-c', code], check=True, cwd=tmp_path)

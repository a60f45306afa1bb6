"""fasthtml.js helpers produce exactly the reference python-fasthtml's tags (black-box comparison)."""
import pytest
from _xtend_ref import PRELUDE, our_snapshots, ref_snapshots
from refbridge import needs_ref

pytestmark = needs_ref

JS_PRELUDE = PRELUDE + 'import fasthtml.js as J\n'

CASES = [
    # acceptance app 21_components_xtend.py
    "J.MarkdownJS()", "J.HighlightJS(langs=['python', 'javascript'])", "J.SortableJS('.sortable')", "J.MermaidJS()",
    "Div(J.SortableJS('.sortable'), J.MermaidJS(), id='jsh')",
    # variations
    "J.light_media('.body {color: green;}')", "J.dark_media('p{}')", "J.light_media('{a}')", "J.dark_media('')",
    "J.MarkdownJS('.x')", "J.KatexMarkdownJS()", "J.KatexMarkdownJS('.m', inline_delim='\\\\(', display_delim='\\\\[')",
    "J.KatexMarkdownJS('.m', inline_delim='%', display_delim='@@', math_envs='x')",
    "J.KatexMarkdownJS(math_envs=[\"it's\", 'a b', 1])", "J.KatexMarkdownJS(math_envs=[])", "J.KatexMarkdownJS(math_envs='')", "J.KatexMarkdownJS(math_envs=('a',))",
    "J.HighlightJS()", "J.HighlightJS(sel=\"a'b\\\"\", langs='js', light='l', dark='d')",
    "J.HighlightJS(langs=('go', 'rust', 'sql'))", "J.HighlightJS(langs=[])",
    "J.SortableJS('#s', ghost_class='g')", "J.SortableJS()", "J.MermaidJS('.m', theme='dark')",
    "J.marked_imp", "J.npmcdn",
]


@pytest.fixture(scope='module')
def snaps():
    return ref_snapshots(CASES, JS_PRELUDE), our_snapshots(CASES, JS_PRELUDE)


@pytest.mark.parametrize('i', range(len(CASES)), ids=[c[:60] for c in CASES])
def test_same_as_reference(snaps, i):
    ref, ours = snaps
    assert ours[i] == ref[i], CASES[i]

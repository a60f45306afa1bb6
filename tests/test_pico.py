"""fasthtml.pico components render exactly like the reference python-fasthtml (black-box comparison)."""
import sys

import pytest

from _xtend_ref import PRELUDE, our_snapshots, ref_snapshots
from refbridge import SKIP_REASON, has_ref

PICO_PRELUDE = PRELUDE + 'import fasthtml.pico as PC\n'

CASES = [
    # acceptance app 21_components_xtend.py
    ("PC.Container(PC.Card(P('card body'), header=H3('hdr'), footer=Small('ftr')), PC.Group(Input(name='g'), Button('Go')),"
     " PC.Search(Input(type='search', name='q')), PC.Grid(Div('a'), Div('b'), Div('c')),"
     " PC.DialogX(P('dialog body'), open=True, header=H4('Dlg'), footer=Button('OK'), id='dlg'))"),
    # variations
    "PC.Card('x', cls='c', id='i')", "PC.Card(header='h', footer='f')", "PC.Card()", "PC.Card('a', 'b', header=P('h'))",
    "PC.Group('a', cls='c', id='g')", "PC.Group()", "PC.Search('a', cls='c', id='g', enctype='x')", "PC.Search()",
    "PC.Grid('a', P('b'), cls='g2', id='x')", "PC.Grid()", "PC.Grid(P('a'), Div('x'), 3, None)", "PC.Grid(['a', 'b'], ('c',))",
    "PC.DialogX('x')", "PC.DialogX('x', open=False, id='d', cls='k', hx_get='/x')",
    "PC.DialogX('x', header='H', footer='F', open=True)", "PC.Container('a', id='y')", "PC.Container()",
    "PC.PicoBusy()", "PC.picolink", "PC.picocondlink", "PC.picocss", "PC.picocondcss",
]


@pytest.fixture(scope='module')
def snaps():
    if not has_ref(): pytest.skip(SKIP_REASON)
    return ref_snapshots(CASES, PICO_PRELUDE), our_snapshots(CASES, PICO_PRELUDE)


@pytest.mark.parametrize('i', range(len(CASES)), ids=[c[:60] for c in CASES])
def test_same_as_reference(snaps, i):
    ref, ours = snaps
    assert ours[i] == ref[i], CASES[i]


def test_container_adds_classes():
    "Deliberate difference: the reference raises TypeError for `Container(cls=...)`; we add the classes"
    from fasthtml.pico import Container
    assert Container('x', cls='wide').attrs == {'class': 'container wide'}
    assert Container(cls=['a', 'b']).attrs == {'class': 'container a b'}


def test_set_pico_cls_without_ipython(monkeypatch):
    from fasthtml.pico import set_pico_cls
    monkeypatch.setitem(sys.modules, 'IPython.display', None)
    with pytest.raises(ImportError, match='needs IPython'): set_pico_cls()

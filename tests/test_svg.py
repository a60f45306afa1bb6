"""fasthtml.svg elements render exactly like the reference python-fasthtml (black-box comparison)."""
import pytest

from _xtend_ref import PRELUDE, our_snapshots, ref_snapshots
from refbridge import SKIP_REASON, has_ref

SVG_PRELUDE = PRELUDE + 'import fasthtml.svg as S\n'

# The reference names these SVG 1.1 elements with underscores (`<color_profile>`); the elements have hyphens.
HYPHENATED = {'Color_profile', 'Font_face', 'Font_face_format', 'Font_face_name', 'Font_face_src', 'Font_face_uri',
              'Missing_glyph'}
SPECIAL = {'g', 'svg_inb', 'Svg', 'ft_svg', 'Rect', 'Circle', 'Ellipse', 'transformd', 'Line', 'Polyline', 'Polygon',
           'Text', 'PathFT', 'Path', 'SvgOob', 'SvgInb'}

CASES = [
    # acceptance app 21_components_xtend.py
    ("S.Svg(S.Rect(10, 20, 1, 2, fill='red', stroke='blue'), S.Circle(5, 6, 7), S.Line(0, 0, 10, 10, stroke='black', w=2),"
     " S.Path(d='M 10 10 L 20 20', fill='none'), S.Text('label', x=3, y=4), S.G(S.Rect(1, 1), id='grp'),"
     " width=100, height=100, viewBox='0 0 100 100')"),
    # Svg
    "S.Svg()", "S.Svg(w=10, h=20)", "S.Svg(width=10, height=20)", "S.Svg(width=10)", "S.Svg(h=5)", "S.Svg(w=0, h=0)",
    "S.Svg(w=1, height=2)", "S.Svg(w=1, width=2, h=3)", "S.Svg(viewBox='1 2 3 4', cls='c', id='i')",
    "S.Svg(data_a=1, stroke_width=2, xmlns='x')", "S.Svg(S.Rect(1, 1), data_x=1, id='i', w=1, h=2, transform='t')",
    # shapes
    ("S.Rect(1, 2, rx=3, ry=4, stroke_width=5, transform='t', opacity=0.5, clip='c', mask='m', filter='f',"
     " vector_effect='v', pointer_events='p', id='x', cls='k', data_z=1)"),
    "S.Rect('10%', '20%')", "S.Rect(1, 2, 3, 4, 'f', 's', 5, 6, 7)", "S.Rect(1, 2, hx_get='/r', target_id='t')",
    "S.Circle(1, stroke_width=2)", "S.Circle(1, 2, 3, 'f', 's', 4)", "S.Circle(1, transform='t', id='i', data_x=1, fill='f')",
    "S.Ellipse(1, 2, 3, 4, fill='f', stroke='s', stroke_width=5)", "S.Ellipse(1, 2)",
    "S.Line(1, 2)", "S.Line(1, 2, 3, 4, 'red', 5, 6)", "S.Line(1, 2, w=3)", "S.Line(1, 2, stroke_width=3)",
    "S.Line(1, 2, w=0, stroke_width=3)",
    "S.Polyline((0, 0), (1, 2), (3, 4), fill='none')", "S.Polyline(points='0,0 1,1')", "S.Polyline([0, 0], [1, 2])",
    "S.Polyline((1, 2), transform='t', id='i', fill='f', data_x=1, stroke='s')",
    "S.Polygon((0, 0), (1, 2), stroke_width=2)", "S.Polygon()",
    ("S.Text('a', 'b', font_family='f', font_size=3, fill='r', text_anchor='middle', dominant_baseline='d',"
     " font_weight='bold', font_style='i', text_decoration='u')"),
    "S.Text()", "S.Text('x', x=None, y=None)", "S.Text('a', transform='t', id='i', fill='f', data_x=1)",
    # transformd (tuple arguments, as documented)
    "S.transformd(translate=(1, 2))", "S.transformd(scale=(1, 2))", "S.transformd(scale=(2,))",
    "S.transformd(rotate=(45,))", "S.transformd(rotate=(45, 1, 2))", "S.transformd(rotate=[45, 1, 2])",
    "S.transformd(skewX=10)", "S.transformd(skewY=20)", "S.transformd(skewX=0)", "S.transformd(translate=())",
    "S.transformd(matrix=(1, 2, 3, 4, 5, 6))", "S.transformd()",
    "S.transformd(translate=(1, 2), scale=(3,), rotate=(45,), skewX=10, skewY=20, matrix=(1, 2, 3, 4, 5, 6))",
    "S.transformd(matrix=(1, 2, 3, 4, 5, 6), skewY=20, skewX=10, rotate=(45,), scale=(3,), translate=(1, 2))",
    # paths
    "S.Path()", "S.Path('M0 0', 'red', 'blue', 2)", "S.Path('M', 'f', transform='t', id='i', data_x=1)",
    ("S.Path(fill='none').M(1, 2).L(3, 4).H(5).V(6).C(1, 2, 3, 4, 5, 6).S(1, 2, 3, 4).Q(1, 2, 3, 4).T(7, 8)"
     ".A(1, 2, 3, 0, 1, 4, 5).Z()"),
    "S.Path('M0 0').L(1, 1)", "S.Path().M(1.5, -2).L('a', None)", "S.PathFT('path', (), {}).M(1, 2)",
    # generic tags, wrappers
    "S.ft_svg('foo', 'x', transform='t', vector_effect='v', pointer_events='p', hx_get='/x', data_a=1)",
    "S.G('x', stroke_width=1, transform='t', hx_get='/g')", "S.G(S.Rect(1, 2), S.Circle(3))",
    "S.Stop(offset='0%', stop_color='red')", "S.Use(href='#a', xlink_href='#b')",
    "S.LinearGradient(S.Stop(offset=0), id='lg', x1=0)", "S.Defs(S.ClipPath(S.Rect(1, 1), id='c'))",
    "S.SvgOob(S.Rect(1, 2), S.Circle(3))", "S.SvgOob(S.Rect(1, 2), id='x')", "S.SvgOob()",
    "S.SvgInb(S.Rect(1, 2), S.Circle(3))[0]", "S.svg_inb",
]


@pytest.fixture(scope='module')
def ref_all():
    if not has_ref(): pytest.skip(SKIP_REASON)
    return ref_snapshots(['[n for n in S.__all__]'], SVG_PRELUDE)[0]['struct']['list']


@pytest.fixture(scope='module')
def snaps(ref_all):
    tags = [n['str'] for n in ref_all if n['str'] not in SPECIAL | HYPHENATED]
    cases = CASES + [f"S.{n}('x', id='i', fill='r', transform='t')" for n in tags]
    return cases, ref_snapshots(cases, SVG_PRELUDE), our_snapshots(cases, SVG_PRELUDE)


def test_same_public_names(ref_all):
    import fasthtml.svg as ours
    assert sorted(ours.__all__) == sorted(n['str'] for n in ref_all)


def test_same_as_reference(snaps):
    cases, ref, ours = snaps
    diffs = [(c, r, o) for c, r, o in zip(cases, ref, ours) if r != o]
    assert not diffs, diffs[:3]


def test_hyphenated_svg_elements():
    "Deliberate difference: SVG 1.1's hyphenated elements get their real names (the reference writes underscores)"
    import fasthtml.svg as S
    from fasthtml.render import to_xml
    assert to_xml(S.Font_face('x', font_family='F')) == '<font-face font-family="F">x</font-face>'
    assert [getattr(S, n)().tag for n in sorted(HYPHENATED)] == [
        'color-profile', 'font-face', 'font-face-format', 'font-face-name', 'font-face-src', 'font-face-uri',
        'missing-glyph']


def test_transformd_single_numbers():
    "Deliberate difference: a single number is a one-argument transform (the reference writes `scale3` or fails)"
    from fasthtml.svg import transformd
    assert transformd(translate=5, scale=2, rotate=45, matrix=[1, 0, 0, 1, 0, 0]) == {
        'transform': 'translate(5) scale(2) rotate(45) matrix(1, 0, 0, 1, 0, 0)'}


def test_svg_inb_reselect_header():
    "Deliberate difference: the reference sends `HX-Hx-Reselect`, which htmx ignores; htmx reads `HX-Reselect`"
    from fasthtml.svg import Rect, SvgInb
    _, hdr = SvgInb(Rect(1, 1))
    assert (hdr.k, hdr.v) == ('HX-Reselect', 'svg>*')


def test_bad_points_message():
    from fasthtml.svg import Polyline
    with pytest.raises(ValueError, match=r'\(x, y\) pairs'): Polyline((1, 2, 3))


def test_tag_functions_have_signatures():
    import inspect

    import fasthtml.svg as S
    sig = inspect.signature(S.G)
    assert 'hx_get' in sig.parameters and 'id' in sig.parameters and 'tag' not in sig.parameters
    assert S.G.__doc__ == 'A standard SVG `g` element'

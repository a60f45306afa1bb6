"""Build and render speed of FT components: ours vs the reference `python-fasthtml`.

Runs each workload in fresh subprocesses of both interpreters (ours: this repo's `.venv`; reference:
`~/.fh-anchors/ref`), alternating, several rounds; reports medians in µs and the ratios, and checks that both
render byte-identical pages (sha256). Usage: `python bench/bench_components.py [--rounds 5]`."""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / '.venv' / 'bin' / 'python'
REF = Path.home() / '.fh-anchors' / 'ref' / 'bin' / 'python'

# Runs in the child interpreter; only public names both implementations share.
WORKER = r'''
import hashlib, json, sys, time
from fasthtml.components import *
from fasthtml.components import Html
try: from fasthtml.render import to_xml
except ImportError: from fastcore.xml import to_xml

def table_page():
    rows = [Tr(Td(str(i), cls='num'), Td(f'Item <{i}> & co', cls='name'), Td(A('edit', href=f'/e/{i}', hx_get=f'/e/{i}',
            hx_target='#main')), Td(Input(type='checkbox', name=f'c{i}', checked=i % 2 == 0)), id=f'r{i}')
            for i in range(200)]
    return Html(Head(Title('Table'), Meta(charset='utf-8')),
                Body(Main(H1('Items'), Table(Thead(Tr(Th('#'), Th('Name'), Th(''), Th(''))), Tbody(*rows), cls='striped'),
                          id='main', cls='container')))

def big_tree():
    # 12,001 nodes: a root holding 1,000 cards of a div with 11 descendants
    return Div(*[Div(H2(f'Card {i}'), P('Some text & more', cls='lead'), Ul(Li('a'), Li('b'), Li('c', cls='x')),
                     Span(str(i)), Small('s'), Button('Go', hx_post=f'/go/{i}', hx_vals={'i': i}), Br(), Img(src='/i.png'),
                     id=f'c{i}', cls='card') for i in range(1000)], id='root')

def count(t):
    from fastcore.xml import FT
    if isinstance(t, tuple): return sum(count(o) for o in t)
    return 1 + sum(count(c) for c in t.children) if isinstance(t, FT) else 0

def best(f, n):
    "Best-of-3 mean time per call in µs"
    res = []
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(n): f()
        res.append((time.perf_counter() - t) / n * 1e6)
    return min(res)

work = {'table': table_page, 'tree': big_tree}
out = {}
for name, mk in work.items():
    page = mk()
    out[name] = dict(nodes=count(page), build=best(mk, 5), render=best(lambda: to_xml(page), 5),
                     sha=hashlib.sha256(to_xml(page).encode()).hexdigest())
out['td'] = dict(build=best(lambda: Td('x', cls='c'), 20000))
cells = [Td('x', cls='c') for _ in range(2000)]
row = Tr(*cells)
out['td']['render'] = best(lambda: to_xml(row), 50) / 2001
print(json.dumps(out))
'''

def run(python:Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV')}
    cwd = str(ROOT) if python == OURS else '/'  # the reference must not see this repo's fasthtml/
    res = subprocess.run([str(python), '-c', WORKER], capture_output=True, text=True, cwd=cwd, env=env, check=False)
    if res.returncode: sys.exit(f'{python} failed:\n{res.stderr[-2000:]}')
    return json.loads(res.stdout)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--rounds', type=int, default=5)
    rounds = ap.parse_args().rounds
    if not REF.exists(): sys.exit(f'reference interpreter missing: {REF}')
    ours, ref = [], []
    for _ in range(rounds):
        ours.append(run(OURS)); ref.append(run(REF))
    med = lambda runs, w, k: statistics.median(r[w][k] for r in runs)
    print(f'medians of {rounds} alternating runs (µs; lower is better)')
    print(f'{"workload":<24}{"nodes":>7}{"build ours":>12}{"build ref":>11}{"ratio":>7}'
          f'{"render ours":>13}{"render ref":>12}{"ratio":>7}  identical')
    for w, label in (('table', '200-row table page'), ('tree', '12,000-node tree'), ('td', "Td('x', cls='c') per node")):
        bo, br, ro, rr = med(ours, w, 'build'), med(ref, w, 'build'), med(ours, w, 'render'), med(ref, w, 'render')
        nodes = ours[0][w].get('nodes', 1)
        same = ('yes' if ours[0][w]['sha'] == ref[0][w]['sha'] else 'NO') if 'sha' in ours[0][w] else '-'
        print(f'{label:<24}{nodes:>7}{bo:>12.2f}{br:>11.2f}{br / bo:>6.1f}x{ro:>13.2f}{rr:>12.2f}{rr / ro:>6.1f}x  {same}')
        if w == 'tree':
            print(f'{"  per node":<24}{"":>7}{bo / nodes:>12.3f}{br / nodes:>11.3f}{"":>7}{ro / nodes:>13.3f}{rr / nodes:>12.3f}')
    if any(o[w]['sha'] != r[w]['sha'] for o, r in zip(ours, ref) for w in ('table', 'tree')):
        sys.exit('rendered pages differ from the reference')

if __name__ == '__main__': main()

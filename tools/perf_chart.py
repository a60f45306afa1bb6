"""Performance chart for the docs: parse the tables printed by the benches, write the numbers as JSON and plot them.

    .venv/bin/python bench/bench_app.py --rounds 3 --n 600 > docs/assets/perf/bench_app.txt
    .venv/bin/python bench/bench_components.py --rounds 3 > docs/assets/perf/bench_components.txt
    .venv/bin/python tools/perf_chart.py            # -> docs/assets/perf/perf.json, perf.png

The benches have no JSON option, so their printed tables (committed beside the chart) are the source of truth.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

PERF = Path(__file__).resolve().parents[1]/'docs'/'assets'/'perf'


def parse_app(text: str) -> dict[str, dict[str, float]]:
    "bench_app's table: {endpoint: {implementation: µs/request}} (ratio columns dropped)"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    head = next(i for i, ln in enumerate(lines) if ln.startswith('µs/request'))
    cols = [c for c in lines[head].split()[1:] if '-' in c]  # implementation columns; ratios follow
    out = {}
    for ln in lines[head + 1:]:
        if ln.startswith('('): break
        name, *vals = ln.split()
        out[name] = {c: float(v) for c, v in zip(cols, vals)}
    return out


def parse_components(text: str) -> dict[str, dict[str, float]]:
    "bench_components' table: {workload: {build ours, build ref, render ours, render ref}} in µs"
    out = {}
    for ln in text.splitlines():
        m = re.match(r'^(\S.*?)\s{2,}(\d+)\s+([\d.]+)\s+([\d.]+)\s+[\d.]+x\s+([\d.]+)\s+([\d.]+)\s+[\d.]+x', ln)
        if m and not ln.startswith('  '):
            out[m.group(1).strip()] = {'nodes': int(m.group(2)), 'build_ours': float(m.group(3)),
                                      'build_ref': float(m.group(4)), 'render_ours': float(m.group(5)),
                                      'render_ref': float(m.group(6))}
    return out


def plot(data: dict, dest: Path) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    app = data['app']
    eps = list(app)
    impls = [('ours', 'fasthtml (this build)', '#3f51b5'), ('reference', 'python-fasthtml (reference)', '#e57373'),
             ('starlette', 'raw Starlette', '#9e9e9e')]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, mode in zip(axes, ('sync', 'async')):
        w = 0.27
        for k, (key, label, colour) in enumerate(impls):
            vals = [app[e].get(f'{key}-{mode}', 0) for e in eps]
            ax.bar([i + (k - 1) * w for i in range(len(eps))], vals, w, label=label, color=colour)
        ax.set_yscale('log')
        ax.set_xticks(range(len(eps)), eps)
        ax.set_title(f'{mode} handlers')
        ax.grid(axis='y', alpha=.3)
    axes[0].set_ylabel('µs per request (log scale, lower is better)')
    axes[1].legend(loc='upper right', fontsize=8)
    fig.suptitle('In-process request cost per endpoint (medians)')
    fig.tight_layout()
    fig.savefig(dest, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--dir', type=Path, default=PERF, help='folder with bench_app.txt and bench_components.txt')
    a = ap.parse_args()
    data = {'app': parse_app((a.dir/'bench_app.txt').read_text()),
            'components': parse_components((a.dir/'bench_components.txt').read_text()),
            'source': ['bench/bench_app.py', 'bench/bench_components.py']}
    (a.dir/'perf.json').write_text(json.dumps(data, indent=1) + '\n')
    plot(data, a.dir/'perf.png')
    print(f'wrote {a.dir/"perf.json"} and {a.dir/"perf.png"}')


if __name__ == '__main__': main()

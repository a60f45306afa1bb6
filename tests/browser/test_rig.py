"Without a browser the scenarios skip with a how-to; with FH_REQUIRE_BROWSER=1 they fail (CI must not skip them)."
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def run_without_chromium(**env):
    e = {k: v for k, v in os.environ.items() if k != 'FH_REQUIRE_BROWSER'}
    e.update(FH_CHROMIUM='/nonexistent/chromium', **env)
    return subprocess.run([sys.executable, '-m', 'pytest', str(HERE/'test_scenarios.py'), '-q', '-rs',
                           '-p', 'no:cacheprovider', '-k', 'counter and htmx2'],
                          capture_output=True, text=True, env=e, cwd=HERE.parents[1], timeout=120, check=False)


def test_skips_with_how_to_when_chromium_missing():
    r = run_without_chromium()
    assert r.returncode == 0, r.stdout
    assert '1 skipped' in r.stdout and 'tools/browser_setup.sh' in r.stdout, r.stdout


def test_fails_when_browser_required():
    r = run_without_chromium(FH_REQUIRE_BROWSER='1')
    assert r.returncode == 1, r.stdout
    assert 'no Chromium at /nonexistent/chromium' in r.stdout and 'tools/browser_setup.sh' in r.stdout, r.stdout

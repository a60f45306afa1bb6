#!/usr/bin/env bash
# Install what the browser tests (tests/browser) need on a Debian machine, as root; quick when already installed.
#   - Debian's chromium (Playwright drives it through executable_path; no browser download, never `playwright install`)
#   - playwright (Python) into the project's .venv (or $FH_VENV)
#   - the offline front-end assets (htmx, extensions, Pico) from the npm registry into ~/.cache/fasthtml-assets
# Usage: sudo bash tools/browser_setup.sh      then: .venv/bin/python -m pytest tests/browser
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${FH_VENV:-$PWD/.venv}"
PLAYWRIGHT_SPEC="${FH_PLAYWRIGHT:-playwright>=1.45}"

if ! command -v chromium >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "error: chromium is missing; run this script as root (apt-get install chromium)" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
echo "chromium: $(chromium --version 2>/dev/null || echo '?')"

[ -x "$VENV/bin/python" ] || { echo "error: no virtualenv at $VENV (create it first, or set FH_VENV)" >&2; exit 1; }
if ! "$VENV/bin/python" -c 'import playwright.sync_api' 2>/dev/null; then
  "$VENV/bin/python" -m pip install -q "$PLAYWRIGHT_SPEC"
fi
echo "playwright: $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("playwright"))')"

if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
command -v npm >/dev/null 2>&1 || { echo "error: npm is needed once to fetch the offline assets" >&2; exit 1; }
"$VENV/bin/python" -m fasthtml.assets

#!/usr/bin/env bash
# Serve the documentation on http://127.0.0.1:8008 (PORT to change), rebuilding when docs/, nbs/ or fasthtml/ change.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
export NO_MKDOCS_2_WARNING=1
exec "$PY" -m mkdocs serve --strict -a "127.0.0.1:${PORT:-8008}" -w nbs -w fasthtml

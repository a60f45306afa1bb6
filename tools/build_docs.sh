#!/usr/bin/env bash
# Build the documentation site in strict mode (any warning fails): bash tools/build_docs.sh [SITE_DIR]
# Output: SITE_DIR (default ./site) with the pages, llms.txt, llms-ctx.txt and llms-ctx-full.txt.
# Needs the docs tools in .venv: mkdocs-material mkdocs-jupyter mkdocstrings-python llms-txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
export NO_MKDOCS_2_WARNING=1
exec "$PY" -m mkdocs build --strict --clean --site-dir "$(realpath -m "${1:-site}")"

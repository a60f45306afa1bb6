#!/usr/bin/env bash
# Install what the PostgreSQL tests need, idempotently: Debian's `postgresql` server binaries (initdb, pg_ctl) and
# the Python driver stack in the dev venv. The tests start their own throwaway cluster (tests/test_db.py:pg_server);
# no system cluster is started or configured here. Run as root (CI) or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
have_pg() { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
if ! have_pg; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
have_pg || { echo "pg_setup: initdb still missing after installing postgresql" >&2; exit 1; }
# root can't run postgres: the tests run the cluster as the `postgres` user the package creates
id postgres >/dev/null 2>&1 || { echo "pg_setup: no postgres user" >&2; exit 1; }
py=${PYTHON:-.venv/bin/python}
if ! "$py" -c 'import sqlalchemy, psycopg' 2>/dev/null; then
  "$py" -m pip install -q 'sqlalchemy>=2' 'psycopg[binary]>=3.1'
fi
echo "pg_setup: $(ls -d /usr/lib/postgresql/*/bin | tail -1) ready; sqlalchemy + psycopg in $py"

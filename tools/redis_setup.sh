#!/usr/bin/env bash
# Install what the Redis tests need, idempotently: Debian's `redis-server` binary and the `redis` Python client in
# the dev venv. The tests start their own throwaway server on a free loopback port (tests/redis_fixture.py); no
# system service is configured or used here. Run as root (CI) or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
command -v redis-server >/dev/null 2>&1 || { echo "redis_setup: redis-server still missing after installing it" >&2; exit 1; }
py=${PYTHON:-.venv/bin/python}
if ! "$py" -c 'import redis.asyncio' 2>/dev/null; then "$py" -m pip install -q 'redis>=5'; fi
echo "redis_setup: redis-server $(redis-server --version | cut -d' ' -f3 | cut -d= -f2) ready; redis $("$py" -c 'import redis; print(redis.__version__)') in $py"

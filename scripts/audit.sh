#!/usr/bin/env bash
# Known vulnerabilities in the dependencies: pip-audit over requirements.txt (PyPI's advisory data).
# Needs pypi.org's JSON API (https://pypi.org/pypi/NAME/VERSION/json). --strict makes a package that could not
# be looked up an error: without it pip-audit says "No known vulnerabilities found" and exits 0 even when it
# audited nothing (as on machines that reach only a registry mirror).
#   bash scripts/audit.sh            # exit 0: audited, none known; 1: a vulnerability, or something not audited
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m pip_audit --version >/dev/null 2>&1 || uv pip install --python "$PY" -q pip-audit
exec "$PY" -m pip_audit -r requirements.txt --strict --progress-spinner off "$@"

#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole test suite on 2 processes. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
exec .venv/bin/python -m pytest -n 2 -q "$@"

#!/usr/bin/env bash
# The benchmark: install what is needed, then time the demo's 旬简报 by stage, cold and warm,
# against a bare Prefect flow with the same number of tasks. Prints JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m bench.run "$@"

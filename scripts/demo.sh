#!/usr/bin/env bash
# Command 1: install what is needed, then run the demo: nine units' returns → one 旬简报 delivered
# (to the outbox folder state/outbox by default). Extra arguments go to `govbrief demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/govbrief demo "$@"

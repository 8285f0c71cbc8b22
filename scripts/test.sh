#!/usr/bin/env bash
# Command 2: install what is needed, then run the whole test suite (SQLite and the PostgreSQL
# on 127.0.0.1:5432, a real SMTP server, real Prefect flows). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/pytest -n 2 --dist loadfile "$@"

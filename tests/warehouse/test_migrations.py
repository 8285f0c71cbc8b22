"""Migrations: connect() brings an empty database to head, repeatably, the same way ops would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from govbrief.warehouse import connect, upgrade
from govbrief.warehouse.migrate import MIGRATIONS_DIR, alembic_config, current_revision
from govbrief.warehouse.schema import metadata
from tests.warehouse.builders import accident, outcome, received

TABLES = {
    "received_files",
    "return_slots",
    "observations",
    "validation_results",
    "briefs",
    "send_log",
    "runs",
}


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_connect_creates_every_table_at_head(warehouse_url: str) -> None:
    with connect(warehouse_url) as warehouse:
        assert set(sa.inspect(warehouse.engine).get_table_names()) >= TABLES
        assert current_revision(warehouse.engine) == head_revision()


def test_migrated_database_matches_the_schema_module(warehouse_url: str) -> None:
    with connect(warehouse_url) as warehouse, warehouse.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_connecting_again_keeps_the_data(warehouse_url: str) -> None:
    with connect(warehouse_url) as first:
        first.save_outcomes([outcome(received(), accident("A-1", "2026-11-12", deaths=2))], run_id="r1")
    upgrade(warehouse_url)
    with connect(warehouse_url) as second:
        assert current_revision(second.engine) == head_revision()
        assert second.known_slots("safety", ["2026-11-x2"]) == {("2026-11-x2", "439902"): received().sha256}


def test_sqlite_file_gets_its_folder_foreign_keys_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "new" / "nested" / "warehouse.db"
    with connect(f"sqlite:///{path}") as warehouse, warehouse.engine.connect() as connection:
        assert path.is_file()
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_ops_command_line_migrates_the_url_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "ops" / "warehouse.db"
    env = {**os.environ, "GOVBRIEF_WAREHOUSE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-m", "alembic", "-c", str(MIGRATIONS_DIR / "alembic.ini"), "upgrade", "head"]
    # Run from elsewhere: the ini, not the working directory, must locate the code.
    subprocess.run(command, env=env, cwd=tmp_path, check=True, capture_output=True)
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        assert set(sa.inspect(engine).get_table_names()) >= TABLES
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()

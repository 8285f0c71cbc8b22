"""Warehouse fixtures: every test runs on a SQLite file and on the real PostgreSQL.

PostgreSQL (127.0.0.1:5432, trust auth, user postgres, database `test`, or
GOVBRIEF_TEST_POSTGRES_URL) gets one fresh database per test session and one
fresh schema per test. When it cannot be reached the postgres tests fail:
the project runs on PostgreSQL in production, so it is never skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from govbrief.warehouse import Warehouse, connect

ADMIN_URL = os.environ.get("GOVBRIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def pg_database() -> Iterator[URL]:
    """A database of its own for this test session, dropped at the end."""
    name = f"govbrief_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(ADMIN_URL).set(database=name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def pg_url(pg_database: URL) -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(pg_database, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = pg_database.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file in a folder that does not exist yet (connect creates it)."""
    return f"sqlite:///{tmp_path / 'state' / 'warehouse.db'}"


@pytest.fixture(params=BACKENDS)
def warehouse_url(request: pytest.FixtureRequest) -> str:
    """An empty, unmigrated warehouse URL on each backend."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def warehouse(warehouse_url: str) -> Iterator[Warehouse]:
    """A migrated, empty warehouse on each backend."""
    with connect(warehouse_url) as opened:
        yield opened

"""Alembic migrations, run programmatically (no alembic.ini needed) or by ops.

Ops can migrate a warehouse by hand from the repository root with::

    GOVBRIEF_WAREHOUSE_URL=postgresql+psycopg://user@host/govbrief \\
        .venv/bin/alembic -c migrations/alembic.ini upgrade head

Every run takes a lock first (a transaction-level advisory lock on
PostgreSQL, the write lock on SQLite), so two processes starting at once
migrate one after the other and the second finds nothing left to do.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from logging.config import fileConfig
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext

from govbrief.warehouse.engine import create_warehouse_engine, write_transaction
from govbrief.warehouse.schema import metadata

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
URL_ENV = "GOVBRIEF_WAREHOUSE_URL"
# Any constant works; it only has to be the same in every process that migrates.
ADVISORY_LOCK_KEY = 0x60B81EF
# Alembic keeps its running context in module globals: one migration per process at a time.
_ALEMBIC_LOCK = threading.Lock()


def alembic_config() -> Config:
    """An Alembic Config pointing at migrations/, without an ini file."""
    if not MIGRATIONS_DIR.is_dir():
        raise RuntimeError(f"migrations folder not found at {MIGRATIONS_DIR}: run from a source checkout")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the warehouse at `url` to `revision` (idempotent)."""
    engine = create_warehouse_engine(url)
    try:
        upgrade_engine(engine, revision)
    finally:
        engine.dispose()


def upgrade_engine(engine: sa.Engine, revision: str = "head") -> None:
    """Migrate through an existing engine, holding the migration lock."""
    config = alembic_config()
    with _ALEMBIC_LOCK, migration_lock(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def migration_lock(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A write transaction that no other migrating process holds at the same time."""
    with write_transaction(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        yield connection


def run_env(context: EnvironmentContext) -> None:
    """The body of migrations/env.py: migrate the shared connection, or one opened from the URL."""
    if context.config.config_file_name:  # the ops command line: log what runs
        fileConfig(context.config.config_file_name)
    if context.is_offline_mode():
        context.configure(url=_url_from(context.config), target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_on(context, connection)
        return
    engine = create_warehouse_engine(_url_from(context.config))
    try:
        with migration_lock(engine) as locked:
            _run_on(context, locked)
    finally:
        engine.dispose()


def _run_on(context: EnvironmentContext, connection: sa.Connection) -> None:
    # The caller owns the transaction (and the lock): DDL commits with it, all or nothing.
    context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


def _url_from(config: Config) -> str:
    url = config.attributes.get("url") or os.environ.get(URL_ENV) or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError(f"no warehouse URL: set {URL_ENV} (e.g. sqlite:///state/warehouse.db)")
    return str(url)

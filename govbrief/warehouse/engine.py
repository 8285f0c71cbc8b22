"""Engines and write transactions that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url

WRITE_OPTION = "govbrief_write"
SQLITE_BUSY_TIMEOUT_S = 30.0


def create_warehouse_engine(url: str | URL) -> sa.Engine:
    """An engine for a `sqlite:///…` or `postgresql+psycopg://…` URL, ready for the warehouse."""
    parsed = _normalise(make_url(url))
    serializer = partial(json.dumps, ensure_ascii=False)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, json_serializer=serializer, pool_pre_ping=True)
    _create_parent_folder(parsed)
    engine = sa.create_engine(parsed, json_serializer=serializer, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
    _install_sqlite_hooks(engine)
    return engine


def _normalise(url: URL) -> URL:
    # Plain postgresql:// means psycopg2 to SQLAlchemy; psycopg 3 is the driver we ship.
    if url.drivername == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    return url


def _create_parent_folder(url: URL) -> None:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _install_sqlite_hooks(engine: sa.Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.

    The sqlite3 module would begin lazily before the first write, so reads made
    before it (and DDL) would run outside the transaction. Write transactions
    begin IMMEDIATE: they take the write lock up front and wait for it
    (busy timeout) instead of failing half way.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One transaction that takes the write lock at once on SQLite; commits or rolls back as a whole."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            yield connection


def dialect_insert(connection: sa.Connection, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that supports ON CONFLICT on both dialects we run on."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)

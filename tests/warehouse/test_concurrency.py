"""Two workers opening a fresh warehouse at the same moment both get a migrated database."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from govbrief.warehouse import Warehouse, connect


def connect_together(url: str, barrier: Any, results: Any) -> None:
    """In a child process: wait for the other one, then open (and migrate) the warehouse."""
    barrier.wait(timeout=60)
    try:
        with connect(url) as warehouse:
            results.put(("ok", warehouse.known_slots("safety", ["2026-11-x2"])))
    except Exception as error:  # sent to the test, which shows it
        results.put(("error", repr(error)))


@pytest.mark.postgres
def test_two_processes_migrating_postgres_at_once_both_succeed(pg_url: str) -> None:
    # fork: the children start with everything imported, so they really do collide.
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=connect_together, args=(pg_url, barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert outcomes == [("ok", {}), ("ok", {})]
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    finally:
        engine.dispose()


def test_threads_connecting_at_once_share_one_migrated_database(warehouse_url: str) -> None:
    start = threading.Barrier(3)

    def open_warehouse(_: int) -> Warehouse:
        start.wait()
        return connect(warehouse_url)

    with ThreadPoolExecutor(3) as pool:
        opened = list(pool.map(open_warehouse, range(3)))
    try:
        assert all(w.known_slots("safety", ["2026-11-x2"]) == {} for w in opened)
    finally:
        for warehouse in opened:
            warehouse.close()

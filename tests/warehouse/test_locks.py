"""Run locks: one holder per brief and period; a dead or expired holder is taken over; others wait or are refused."""

from __future__ import annotations

import subprocess
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from govbrief.warehouse import LockPolicy, RunLockHeld, RunLockLost, Warehouse, run_lock
from govbrief.warehouse.engine import write_transaction
from govbrief.warehouse.locks import (
    current_holder,
    files_to_follow_up,
    run_locks,
    supersede_unfinished_runs,
    try_acquire,
)
from tests.warehouse.builders import accident, outcome, received

KEY = "ten_day:2026-11-x2"
NO_WAIT = LockPolicy(wait_s=0, lease_s=60)
NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def set_holder(warehouse: Warehouse, **values: object) -> None:
    with write_transaction(warehouse.engine) as connection:
        connection.execute(sa.update(run_locks).where(run_locks.c.lock_key == KEY).values(**values))


def test_a_second_run_of_the_same_brief_and_period_is_refused_naming_the_holder(warehouse: Warehouse) -> None:
    what = "旬简报 2026-11-x2"
    with run_lock(warehouse.engine, KEY, run_id="first-run-id", what=what, policy=NO_WAIT) as held:
        assert held.taken_over is None
        with (
            pytest.raises(RunLockHeld) as refused,
            run_lock(warehouse.engine, KEY, run_id="second", what=what, policy=NO_WAIT),
        ):
            pytest.fail("two runs held the same lock")
    message = str(refused.value)
    assert "旬简报 2026-11-x2 正在运行" in message and "already running" in message
    assert "first-ru" in message and str(held.holding.pid) in message and "自 " in message
    assert current_holder(warehouse.engine, KEY) is None  # released at the end of the first run


def test_other_periods_and_kinds_run_at_the_same_time(warehouse: Warehouse) -> None:
    with (
        run_lock(warehouse.engine, KEY, run_id="a", what="x", policy=NO_WAIT),
        run_lock(warehouse.engine, "ten_day:2026-11-x1", run_id="b", what="y", policy=NO_WAIT),
        run_lock(warehouse.engine, "monthly:2026-11", run_id="c", what="z", policy=NO_WAIT) as third,
    ):
        assert third.holding.run_id == "c"


def test_a_killed_runs_lock_is_taken_over_at_once_on_the_same_host(warehouse: Warehouse) -> None:
    first = try_acquire(warehouse.engine, KEY, "killed-run", lease_s=600, now=NOW)
    assert isinstance(first, tuple)
    set_holder(warehouse, pid=dead_pid())
    second = try_acquire(warehouse.engine, KEY, "rerun", lease_s=600, now=NOW + timedelta(seconds=1))
    assert isinstance(second, tuple)
    mine, gone = second
    assert mine.run_id == "rerun" and gone is not None and gone.run_id == "killed-run"


def test_a_holder_elsewhere_keeps_the_lock_until_its_lease_runs_out(warehouse: Warehouse) -> None:
    assert isinstance(try_acquire(warehouse.engine, KEY, "remote", lease_s=60, now=NOW), tuple)
    set_holder(warehouse, host="another-host", pid=1)
    still_held = try_acquire(warehouse.engine, KEY, "local", lease_s=60, now=NOW + timedelta(seconds=59))
    assert not isinstance(still_held, tuple) and still_held.run_id == "remote"
    taken = try_acquire(warehouse.engine, KEY, "local", lease_s=60, now=NOW + timedelta(seconds=61))
    assert isinstance(taken, tuple) and taken[1] is not None and taken[1].run_id == "remote"


def test_a_run_whose_lock_was_taken_over_must_stop(warehouse: Warehouse) -> None:
    with run_lock(warehouse.engine, KEY, run_id="slow", what="x", policy=NO_WAIT) as held:
        set_holder(warehouse, token="someone-else")  # what a takeover after an expired lease leaves
        with pytest.raises(RunLockLost):
            held.ensure_held()
    assert current_holder(warehouse.engine, KEY) is not None  # the new holder's row is not released by the old run


def test_a_waiting_run_gets_the_lock_when_the_first_one_finishes(warehouse: Warehouse) -> None:
    waiting, results = threading.Event(), []

    def second_run() -> None:
        policy = LockPolicy(wait_s=60, lease_s=60, poll_s=0.05)
        with run_lock(warehouse.engine, KEY, run_id="second", what="x", policy=policy, on_wait=lambda h: waiting.set()):
            results.append(current_holder(warehouse.engine, KEY))

    with run_lock(warehouse.engine, KEY, run_id="first", what="x", policy=NO_WAIT):
        thread = threading.Thread(target=second_run)
        thread.start()
        assert waiting.wait(timeout=30)  # the second run saw the first holding the lock
        assert results == []
    thread.join(timeout=30)
    assert [holder.run_id for holder in results if holder] == ["second"]


def test_what_unfinished_runs_loaded_is_followed_up_until_a_run_completes(warehouse: Warehouse) -> None:
    first, second = received("439902"), received("439903")
    for run_id in ("killed-after-load", "killed-before-load", "rerun"):
        warehouse.start_run(flow="ten_day-brief", kind="ten_day", period_key="2026-11-x2", run_id=run_id)
    warehouse.save_outcomes([outcome(first, accident("A-1", "2026-11-12"))], run_id="killed-after-load")
    warehouse.save_outcomes([outcome(second, accident("A-2", "2026-11-13"))], run_id="done-earlier")

    assert files_to_follow_up(warehouse.engine, "ten_day", "2026-11-x2", "rerun") == {first.sha256}
    assert files_to_follow_up(warehouse.engine, "monthly", "2026-11", "rerun") == frozenset()

    warehouse.finish_run("rerun", status="completed")
    supersede_unfinished_runs(warehouse.engine, "ten_day", "2026-11-x2", "rerun")
    assert files_to_follow_up(warehouse.engine, "ten_day", "2026-11-x2", "next") == frozenset()
    assert warehouse.run("killed-after-load")["status"] == "superseded"  # type: ignore[index]

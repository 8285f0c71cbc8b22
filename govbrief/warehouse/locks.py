"""Run locks: one run at a time per brief and period, on SQLite and PostgreSQL alike.

A lock is a row of `run_locks` keyed by what it protects ("ten_day:2026-11-x2").
Taking it is one write transaction: insert the row, or — when a row is there —
take it over only if its holder is gone. A holder is gone when its lease
expired (the holder renews it from a heartbeat thread while it runs) or, on
the same host, when its process no longer exists: a killed run's lock is taken
over at once by the next run on that machine, and after the lease by a run
elsewhere. A row rather than a PostgreSQL advisory lock, because SQLite has no
such thing and a row can say who holds the lock, since when, for which run —
which the refusal message needs. The runs table says which runs of a brief and
period never finished: what they loaded is followed up by the next run.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from govbrief.clock import SYSTEM_CLOCK, Clock
from govbrief.warehouse.engine import dialect_insert, write_transaction
from govbrief.warehouse.schema import UtcDateTime, metadata, return_slots, runs

WAIT_ENV = "GOVBRIEF_RUN_LOCK_WAIT_SECONDS"
LEASE_ENV = "GOVBRIEF_RUN_LOCK_LEASE_SECONDS"
UNFINISHED_RUN_STATUSES = ("running", "failed")

run_locks = sa.Table(
    "run_locks",
    metadata,
    sa.Column("lock_key", sa.String(120), primary_key=True),  # ten_day:2026-11-x2
    sa.Column("token", sa.String(32), nullable=False),  # this holding, so a stale holder cannot release a new one
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("acquired_at", UtcDateTime, nullable=False),
    sa.Column("heartbeat_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
)


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock: the run, its process and host, since when, and until when its lease runs."""

    lock_key: str
    token: str
    run_id: str
    host: str
    pid: int
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime

    def describe(self) -> str:
        """主机 web1 进程 4242（运行 0b1c2d3e），自 2026-11-28 12:00:05 UTC 起"""
        since = self.acquired_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"主机 {self.host} 进程 {self.pid}（运行 {self.run_id[:8]}），自 {since} 起 / since {since}"

    def is_gone(self, now: datetime) -> bool:
        """The lease ran out, or the process is dead on this very host."""
        return self.expires_at <= now or (self.host == socket.gethostname() and not process_alive(self.pid))


class RunLockHeld(Exception):
    """Another run holds the lock and did not let go within the wait."""

    def __init__(self, what: str, holder: LockHolder, waited_s: float) -> None:
        self.holder = holder
        super().__init__(
            f"{what} 正在运行，未重复运行：{holder.describe()}；已等待 {waited_s:.0f} 秒。"
            f" / {what} is already running (run {holder.run_id[:8]}, pid {holder.pid} on {holder.host});"
            f" gave up after waiting {waited_s:.0f} s. Try again when it has finished."
        )


class RunLockLost(Exception):
    """This run's lease ran out and another run took the lock over: it must not go on writing."""


@dataclass(frozen=True)
class LockPolicy:
    """How long a second run waits for the lock, and how long a lease lasts without a heartbeat."""

    wait_s: float = 60.0
    lease_s: float = 300.0
    poll_s: float = 0.25

    @classmethod
    def from_env(cls, default: LockPolicy | None = None) -> LockPolicy:
        """`default` (the configuration's), overridden by GOVBRIEF_RUN_LOCK_WAIT_SECONDS and
        GOVBRIEF_RUN_LOCK_LEASE_SECONDS."""
        default = default or cls()
        wait = float(os.environ.get(WAIT_ENV) or default.wait_s)
        lease = float(os.environ.get(LEASE_ENV) or default.lease_s)
        return cls(wait_s=max(wait, 0.0), lease_s=max(lease, 1.0))


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (signal 0 checks without signalling)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def try_acquire(
    engine: sa.Engine, lock_key: str, run_id: str, *, lease_s: float, now: datetime
) -> tuple[LockHolder, LockHolder | None] | LockHolder:
    """(our holding, the gone holder we took over or None), or the live holder that keeps it."""
    expires = now + timedelta(seconds=lease_s)
    mine = LockHolder(lock_key, uuid.uuid4().hex, run_id, socket.gethostname(), os.getpid(), now, now, expires)
    values = {name: getattr(mine, name) for name in LockHolder.__dataclass_fields__}
    with write_transaction(engine) as connection:
        insert = dialect_insert(connection, run_locks).on_conflict_do_nothing().returning(run_locks.c.token)
        if connection.execute(insert, values).scalar_one_or_none() == mine.token:
            return mine, None
        held = _holder(connection, lock_key)
        if held is None:  # released between our insert and our read (PostgreSQL): a plain insert now
            connection.execute(sa.insert(run_locks), values)
        elif not held.is_gone(now):
            return held
        else:
            connection.execute(sa.update(run_locks).where(run_locks.c.lock_key == lock_key).values(**values))
        return mine, held


def _holder(connection: sa.Connection, lock_key: str) -> LockHolder | None:
    query = sa.select(run_locks).where(run_locks.c.lock_key == lock_key).with_for_update()
    row = connection.execute(query).one_or_none()
    return None if row is None else LockHolder(**row._asdict())


def renew(engine: sa.Engine, holding: LockHolder, *, lease_s: float, now: datetime) -> bool:
    """Extend our lease; False when the lock is no longer ours."""
    statement = (
        sa.update(run_locks)
        .where(run_locks.c.lock_key == holding.lock_key, run_locks.c.token == holding.token)
        .values(heartbeat_at=now, expires_at=now + timedelta(seconds=lease_s))
    )
    with write_transaction(engine) as connection:
        return connection.execute(statement).rowcount == 1


def release(engine: sa.Engine, holding: LockHolder) -> None:
    """Give the lock back (only our own holding: a newer holder's row stays)."""
    statement = sa.delete(run_locks).where(run_locks.c.lock_key == holding.lock_key, run_locks.c.token == holding.token)
    with write_transaction(engine) as connection:
        connection.execute(statement)


def current_holder(engine: sa.Engine, lock_key: str) -> LockHolder | None:
    """Who holds the lock now, or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(run_locks).where(run_locks.c.lock_key == lock_key)).one_or_none()
    return None if row is None else LockHolder(**row._asdict())


@dataclass
class HeldLock:
    """A lock this run holds; `taken_over` is the gone holder it replaced (a killed run), if any."""

    engine: sa.Engine
    holding: LockHolder
    taken_over: LockHolder | None
    lease_s: float
    clock: Clock

    def ensure_held(self) -> None:
        """Renew now, or raise RunLockLost when another run has taken the lock over."""
        if not renew(self.engine, self.holding, lease_s=self.lease_s, now=self.clock.now()):
            key = self.holding.lock_key
            raise RunLockLost(
                f"运行锁已被其他运行接管，本次运行停止 / the run lock {key} was taken over by another run"
            )


@contextmanager
def run_lock(
    engine: sa.Engine,
    lock_key: str,
    *,
    run_id: str,
    what: str,
    policy: LockPolicy | None = None,
    clock: Clock = SYSTEM_CLOCK,
    on_wait: Callable[[LockHolder], None] | None = None,
) -> Iterator[HeldLock]:
    """Hold the lock for the body, renewing its lease; wait up to `policy.wait_s` for it, then RunLockHeld."""
    policy = policy or LockPolicy.from_env()
    holding, taken_over = _wait_for(engine, lock_key, run_id, what, policy, clock, on_wait)
    held = HeldLock(engine, holding, taken_over, policy.lease_s, clock)
    stop = threading.Event()
    heartbeat = threading.Thread(target=_heartbeat, args=(held, stop), name=f"run-lock {lock_key}", daemon=True)
    heartbeat.start()
    try:
        yield held
    finally:
        stop.set()
        heartbeat.join()
        release(engine, holding)


def _wait_for(
    engine: sa.Engine,
    lock_key: str,
    run_id: str,
    what: str,
    policy: LockPolicy,
    clock: Clock,
    on_wait: Callable[[LockHolder], None] | None,
) -> tuple[LockHolder, LockHolder | None]:
    started = time.monotonic()
    told = False
    while True:
        try:
            result = try_acquire(engine, lock_key, run_id, lease_s=policy.lease_s, now=clock.now())
        except sa.exc.IntegrityError:  # another run inserted it first in that same instant: look again
            continue
        if isinstance(result, tuple):
            return result
        waited = time.monotonic() - started
        if waited >= policy.wait_s:
            raise RunLockHeld(what, result, waited)
        if on_wait is not None and not told:
            on_wait(result)
            told = True
        time.sleep(min(policy.poll_s, policy.wait_s - waited))


def _heartbeat(held: HeldLock, stop: threading.Event) -> None:
    # A third of the lease between renewals: two may fail (a busy database) before it runs out.
    while not stop.wait(held.lease_s / 3):
        try:
            renew(held.engine, held.holding, lease_s=held.lease_s, now=held.clock.now())
        except sa.exc.SQLAlchemyError:  # the next beat or ensure_held tries again
            continue


def files_to_follow_up(engine: sa.Engine, kind: str, period_key: str, run_id: str) -> frozenset[str]:
    """sha256 of the files whose slots an unfinished earlier run of this brief and period loaded last.

    A run killed (or failed) after its load stage may not have followed those returns up
    (notices to clerks, immediate alerts): the next run, holding the lock, reads them again.
    An unfinished run stays unfinished until a later run of the same brief and period
    completes, so a second kill before the load loses nothing."""
    return frozenset(sha for _, _, sha in unfinished_slots(engine, kind, period_key, run_id))


def unfinished_slots(engine: sa.Engine, kind: str, period_key: str, run_id: str) -> list[tuple[str, str, str]]:
    """(return kind, period, sha256) of every slot an unfinished earlier run of this kind and period
    (other than `run_id`) wrote last."""
    query = (
        sa.select(return_slots.c.return_kind, return_slots.c.period_key, return_slots.c.sha256)
        .join(runs, runs.c.run_id == return_slots.c.run_id)
        .where(*_unfinished_runs_of(kind, period_key, run_id))
        .order_by(return_slots.c.return_kind, return_slots.c.period_key, return_slots.c.sha256)
    )
    with engine.connect() as connection:
        return [(row[0], row[1], row[2]) for row in connection.execute(query)]


def supersede_unfinished_runs(engine: sa.Engine, kind: str, period_key: str, run_id: str) -> None:
    """Mark the earlier unfinished runs of this brief and period as superseded by the completed `run_id`."""
    statement = sa.update(runs).where(*_unfinished_runs_of(kind, period_key, run_id)).values(status="superseded")
    with write_transaction(engine) as connection:
        connection.execute(statement)


def _unfinished_runs_of(kind: str, period_key: str, run_id: str) -> list[sa.ColumnElement[bool]]:
    return [
        runs.c.kind == kind,
        runs.c.period_key == period_key,
        runs.c.status.in_(UNFINISHED_RUN_STATUSES),
        runs.c.run_id != run_id,
    ]

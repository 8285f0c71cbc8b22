"""The Warehouse: one object the flows talk to, over SQLite or PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, TypeVar

import pandas as pd
import sqlalchemy as sa

from govbrief.clock import SYSTEM_CLOCK, Clock
from govbrief.model import ReceivedFile, ReturnOutcome
from govbrief.warehouse import correction_marks, locks, outcomes, overview, publishing, queries, send_log
from govbrief.warehouse.correction_marks import OPEN_STATUSES, CorrectionMark, DeliveredBrief, MarkStatus, NewMark
from govbrief.warehouse.engine import create_warehouse_engine, write_transaction
from govbrief.warehouse.migrate import upgrade_engine
from govbrief.warehouse.overview import SlotKey, SlotSummary
from govbrief.warehouse.records import BriefBody, BriefRecord
from govbrief.warehouse.send_log import SendAbout, SendKey, SendRecord, SendStatus

T = TypeVar("T")
# Two writers racing for the same new brief version: the loser retries and sees the winner's row.
BRIEF_WRITE_ATTEMPTS = 3


def connect(url: str, *, clock: Clock = SYSTEM_CLOCK) -> Warehouse:
    """Open the warehouse at `url` (sqlite:///… or postgresql+psycopg://…), migrating it to head."""
    engine = create_warehouse_engine(url)
    upgrade_engine(engine)
    return Warehouse(engine, clock=clock)


class Warehouse:
    """Received files, validated returns, accepted rows, briefs and deliveries."""

    def __init__(self, engine: sa.Engine, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.engine = engine
        self.clock = clock

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def _write(self, work: Callable[[sa.Connection], T]) -> T:
        with write_transaction(self.engine) as connection:
            return work(connection)

    def _read(self, work: Callable[[sa.Connection], T]) -> T:
        with self.engine.connect() as connection:
            return work(connection)

    # ----- returns ------------------------------------------------------
    def record_files(self, files: Sequence[ReceivedFile]) -> None:
        """Store file receipts (idempotent: a known file keeps its first-seen time)."""
        self._write(lambda c: outcomes.record_files(c, files, self.clock.now()))

    def known_slots(self, return_kind: str, period_keys: Sequence[str]) -> dict[tuple[str, str], str]:
        """(period_key, unit_code) → sha256 of the file already processed for that slot."""
        return self._read(lambda c: queries.known_slots(c, return_kind, period_keys))

    def save_outcomes(self, outcomes_: Sequence[ReturnOutcome], *, run_id: str) -> None:
        """Store a batch of validated returns in one transaction: all of it or none of it."""
        self._write(lambda c: outcomes.save_outcomes(c, outcomes_, run_id=run_id, now=self.clock.now()))

    def receipts(self, return_kind: str, period_keys: Sequence[str]) -> list[queries.Receipt]:
        """Every file recorded for these periods of a return kind (where found, size, time, content)."""
        return self._read(lambda c: queries.receipts(c, return_kind, period_keys))

    def unfinished_slots(self, kind: str, period_key: str, run_id: str) -> list[tuple[str, str, str]]:
        """(return kind, period, sha256) of the slots unfinished earlier runs of this kind and period wrote last."""
        return locks.unfinished_slots(self.engine, kind, period_key, run_id)

    def slot_statuses(self, return_kind: str, period_key: str) -> dict[str, SlotSummary]:
        """unit_code → where its return for the period stands, with its problems (one period of slot_overview)."""
        slots = self.slot_overview([return_kind], [period_key])
        return {unit_code: slot for (_, _, unit_code), slot in sorted(slots.items())}

    def newest_periods(self, return_kinds: Sequence[str]) -> dict[str, str]:
        """return kind → the newest period a return of that kind is stored for."""
        return self._read(lambda c: overview.newest_periods(c, return_kinds))

    def slot_overview(self, return_kinds: Sequence[str], period_keys: Sequence[str]) -> dict[SlotKey, SlotSummary]:
        """(return_kind, period_key, unit_code) → current file, problems and receipts, for many periods at once."""
        return self._read(lambda c: overview.slot_overview(c, return_kinds, period_keys))

    def accepted_by_unit(self, return_kind: str, period_keys: Sequence[str]) -> dict[str, frozenset[str]]:
        """unit_code → the periods (of `period_keys`) it has an accepted return of this kind for."""
        accepted: dict[str, set[str]] = {}
        for (_, period_key, unit_code), slot in self.slot_overview([return_kind], period_keys).items():
            if slot.status == "accepted":
                accepted.setdefault(unit_code, set()).add(period_key)
        return {code: frozenset(keys) for code, keys in accepted.items()}

    def load_observations(
        self, sheet_id: str, start: date, end: date, unit_codes: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Accepted rows of a sheet for periods ending within [start, end], typed by the glossary."""
        return self._read(lambda c: queries.load_observations(c, sheet_id, start, end, unit_codes))

    def totals(
        self, sheet_id: str, column: str, start: date, end: date, unit_codes: Sequence[str] | None = None
    ) -> float:
        """The sum of one numeric column over [start, end]."""
        return float(self.load_observations(sheet_id, start, end, unit_codes)[column].sum())

    # ----- briefs -------------------------------------------------------
    def save_brief(
        self,
        *,
        kind: str,
        period_key: str,
        subject: str,
        html: str,
        text: str,
        data: dict[str, Any],
        source_files: Sequence[str],
        content_hash: str,
        is_correction: bool = False,
        note: str = "",
    ) -> BriefRecord:
        """Store a new version, or return the latest one unchanged when its content hash is the same."""
        values = {
            "kind": kind,
            "period_key": period_key,
            "subject": subject,
            "html": html,
            "text": text,
            "data": data,
            "source_files": list(source_files),
            "content_hash": content_hash,
            "is_correction": is_correction,
            "note": note,
            "created_at": self.clock.now(),
        }
        for attempt in range(1, BRIEF_WRITE_ATTEMPTS + 1):
            try:
                return self._write(lambda c: publishing.insert_brief_version(c, values))
            except sa.exc.IntegrityError:
                if attempt == BRIEF_WRITE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def latest_brief(self, kind: str, period_key: str) -> BriefRecord | None:
        """The highest stored version of a brief, or None."""
        return self._read(lambda c: publishing.latest_brief(c, kind, period_key))

    def brief_versions(self, kind: str, period_key: str) -> list[BriefRecord]:
        """All stored versions of a brief, oldest first."""
        return self._read(lambda c: publishing.brief_versions(c, kind, period_key))

    def brief_body(self, brief_id: int) -> BriefBody:
        """Subject, HTML, text, metrics and source files of one stored version."""
        return self._read(lambda c: publishing.brief_body(c, brief_id))

    # ----- the send log: briefs, 退回重报 notices, 【紧急】 alerts, ops notices -----
    def send_record(self, key: SendKey) -> SendRecord | None:
        """The log row of this message, or None if it was never attempted."""
        return self._read(lambda c: send_log.send_record(c, key))

    def mark_send_pending(self, key: SendKey, about: SendAbout, *, transport: str, message_id: str) -> None:
        """Record a message about to be sent (one row per channel, item and recipient; attempts count up)."""
        now = self.clock.now()
        self._write(lambda c: send_log.mark_pending(c, key, about, transport=transport, message_id=message_id, now=now))

    def mark_sent(self, key: SendKey, status: SendStatus, error: str | None = None) -> None:
        """Record how an attempt ended ('sent' stamps sent_at)."""
        self._write(lambda c: send_log.mark_outcome(c, key, status, error, self.clock.now()))

    def send_records(self, **where: Any) -> list[SendRecord]:
        """Stored send-log rows, oldest first, filtered by channel, item, recipient, brief_id, unit_code, period_key."""
        return self._read(lambda c: send_log.send_records(c, **where))

    def deliveries_for(self, brief_id: int) -> list[SendRecord]:
        """Every recipient's delivery of one brief version."""
        return self.send_records(channel="brief", brief_id=brief_id)

    def unsent(self, channel: send_log.Channel, *, stale_before: datetime) -> list[SendRecord]:
        """Messages of a channel that failed, or are pending since before `stale_before` (their run died)."""
        return self._read(lambda c: send_log.unsent(c, channel, stale_before=stale_before))

    # ----- correction marks: delivered briefs a late return made stale --------
    def delivered_briefs(self, window: Mapping[str, Sequence[str]]) -> list[DeliveredBrief]:
        """The latest delivered version of every brief in the window (kind → period keys)."""
        return self._read(lambda c: correction_marks.delivered_briefs(c, window))

    def add_correction_marks(self, marks: Sequence[NewMark]) -> list[CorrectionMark]:
        """Record the marks not recorded yet (an older open mark of the same brief is superseded)."""
        now = self.clock.now()
        return self._write(lambda c: correction_marks.add_marks(c, marks, now))

    def correction_marks(self, statuses: Sequence[MarkStatus] = OPEN_STATUSES) -> list[CorrectionMark]:
        """Marks in these statuses (pending and failed by default), oldest first."""
        return self._read(lambda c: correction_marks.correction_marks(c, statuses))

    def finish_correction_mark(self, mark_id: str, status: MarkStatus, outcome: Mapping[str, Any]) -> None:
        """Close a mark with what the rerun said."""
        now = self.clock.now()
        self._write(lambda c: correction_marks.finish_mark(c, mark_id, status, outcome, now))

    # ----- runs ---------------------------------------------------------
    def start_run(self, *, flow: str, kind: str, period_key: str, run_id: str | None = None) -> str:
        """Record a run's start and return its id (a new one unless given)."""
        run_id = run_id or uuid.uuid4().hex
        self._write(lambda c: publishing.start_run(c, run_id, flow, kind, period_key, self.clock.now()))
        return run_id

    def finish_run(self, run_id: str, *, status: str, summary: dict[str, Any] | None = None) -> None:
        """Record a run's end: its status and a small JSON summary."""
        self._write(lambda c: publishing.finish_run(c, run_id, status, summary or {}, self.clock.now()))

    def run(self, run_id: str) -> dict[str, Any] | None:
        """A run's row as plain data, or None."""
        return self._read(lambda c: publishing.run_summary(c, run_id))

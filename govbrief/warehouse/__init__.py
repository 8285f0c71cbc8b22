"""The warehouse: SQLAlchemy tables, Alembic migrations, idempotent atomic period writes.

`connect(url)` opens (and migrates) a SQLite file or a PostgreSQL database;
everything else is a method of the returned `Warehouse`.
"""

from govbrief.warehouse.locks import HeldLock, LockHolder, LockPolicy, RunLockHeld, RunLockLost, run_lock
from govbrief.warehouse.migrate import upgrade
from govbrief.warehouse.overview import SlotSummary
from govbrief.warehouse.records import BriefBody, BriefRecord
from govbrief.warehouse.send_log import Channel, SendAbout, SendKey, SendRecord, SendStatus
from govbrief.warehouse.store import Warehouse, connect

__all__ = [
    "BriefBody",
    "BriefRecord",
    "Channel",
    "HeldLock",
    "LockHolder",
    "LockPolicy",
    "RunLockHeld",
    "RunLockLost",
    "SendAbout",
    "SendKey",
    "SendRecord",
    "SendStatus",
    "SlotSummary",
    "Warehouse",
    "connect",
    "run_lock",
    "upgrade",
]

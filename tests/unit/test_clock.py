"""One clock: a run's settings carry it, and the warehouse, the day of judgement and the inbox read it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from govbrief.clock import FixedClock
from govbrief.config import load_settings
from govbrief.warehouse import SendAbout, SendKey, connect
from tests.support.clock import city_clock


def test_the_city_day_begins_at_the_city_midnight_not_at_utc_midnight() -> None:
    late_in_utc = load_settings().with_clock(FixedClock(datetime(2026, 11, 20, 16, 30, tzinfo=UTC)))
    assert late_in_utc.today().isoformat() == "2026-11-21"  # 00:30 on the 21st in the city
    assert late_in_utc.now().utcoffset() is not None and late_in_utc.now().hour == 0


def test_with_clock_changes_only_the_clock() -> None:
    settings = load_settings()
    stopped = settings.with_clock(city_clock(2026, 11, 23))
    assert stopped.today().isoformat() == "2026-11-23"
    assert stopped.units == settings.units and stopped.warehouse_url == settings.warehouse_url
    assert "clock" not in stopped.model_dump()  # never part of what the file says


def test_a_fixed_clock_needs_a_time_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 11, 23, 9))


def test_the_warehouse_stamps_what_it_records_with_its_clock(tmp_path: Path) -> None:
    clock = city_clock(2026, 11, 23, 9, 30)
    with connect(f"sqlite:///{tmp_path}/w.db", clock=clock) as warehouse:
        key = SendKey("ops", "run-failed/x", "ops@x.cn")
        warehouse.mark_send_pending(key, SendAbout(), transport="t", message_id="<m>")
        warehouse.mark_sent(key, "sent")
        [record] = warehouse.send_records()
    assert record.sent_at == record.updated_at == clock.now()

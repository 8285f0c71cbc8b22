"""The alert log on both backends: one row per event and recipient, attempts counted, the last outcome kept."""

from __future__ import annotations

import pytest

from govbrief.warehouse import Warehouse
from govbrief.warehouse.alert_notices import AlertAttempt, AlertNoticeKey

MAYOR = AlertNoticeKey("accident:439902:A-2", "mayor@shifan.example.gov.cn")


def attempt(file_sha256: str = "a" * 64) -> AlertAttempt:
    return AlertAttempt(
        "accident", "safety", "2026-11-x2", "439902", file_sha256, "东湖县发生较大道路交通事故", "recording", "<m@x>"
    )


def test_an_unknown_alert_has_no_status(warehouse: Warehouse) -> None:
    assert warehouse.alert_status(MAYOR) is None


def test_a_failed_then_sent_alert_keeps_one_row_with_both_attempts(warehouse: Warehouse) -> None:
    warehouse.mark_alert_pending(MAYOR, attempt())
    warehouse.mark_alert(MAYOR, "failed", error="421")
    assert warehouse.alert_status(MAYOR) == "failed"
    warehouse.mark_alert_pending(MAYOR, attempt("b" * 64))  # the corrected file reports it now
    warehouse.mark_alert(MAYOR, "sent")
    [record] = warehouse.alert_records()
    assert (record.status, record.attempts, record.error, record.file_sha256) == ("sent", 2, None, "b" * 64)
    assert record.sent_at is not None and record.title == "东湖县发生较大道路交通事故"


def test_two_events_of_one_file_to_one_leader_are_two_rows(warehouse: Warehouse) -> None:
    other = AlertNoticeKey("accident:439902:A-7", MAYOR.recipient)
    for key in (MAYOR, other):
        warehouse.mark_alert_pending(key, attempt())
        warehouse.mark_alert(key, "sent")
    assert [r.event_key for r in warehouse.alert_records()] == [MAYOR.event_key, other.event_key]
    assert [r.event_key for r in warehouse.alert_records(event_key=other.event_key)] == [other.event_key]


def test_an_outcome_cannot_be_recorded_before_the_attempt(warehouse: Warehouse) -> None:
    with pytest.raises(LookupError):
        warehouse.mark_alert(MAYOR, "sent")

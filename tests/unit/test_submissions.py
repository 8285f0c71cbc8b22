"""报送情况: deadlines in working days; on time, late, missing, refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from govbrief.briefs.common.submission_words import deadline, summarise_submissions
from govbrief.calendar.periods import parse_period
from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import load_settings
from govbrief.problems import Problem

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_deadline_counts_working_days_over_national_day() -> None:
    calendar = WorkCalendar()
    # 2026-09-x3 ends on 30 September; 1-7 October are holidays, 8 and 9 October are working days.
    assert deadline(parse_period("2026-09-x3"), calendar, 2) == date(2026, 10, 9)
    assert deadline(parse_period("2026-11-x2"), calendar, 2) == date(2026, 11, 24)
    assert deadline(parse_period("2026-11-x2"), calendar, 0) == date(2026, 11, 20)


def test_statuses_follow_the_deadline_in_beijing_time() -> None:
    settings = load_settings()
    due = date(2026, 11, 24)
    error = Problem(
        "error",
        "negative_count",
        "数量不能为负数：-8",
        "negative count: -8",
        "x.xlsx",
        "隐患排查",
        3,
        "一般隐患已整改（项）",
    )
    slots = {
        "439901": (datetime(2026, 11, 24, 15, 59, tzinfo=UTC), False, ()),  # 23:59 in Beijing: on time
        "439902": (datetime(2026, 11, 24, 16, 1, tzinfo=UTC), False, ()),  # 00:01 the next day: late
        "439903": (datetime(2026, 11, 21, 2, 0, tzinfo=UTC), True, (error,)),
    }
    infos = {i.unit_code: i for i in summarise_submissions(settings.units, slots, due, SHANGHAI)}
    assert [i.unit_code for i in infos.values()] == [u.code for u in settings.units]
    assert infos["439901"].status == "on_time"
    assert infos["439902"].status == "late"
    assert infos["439903"].status == "refused" and "第3行" in infos["439903"].detail and "-8" in infos["439903"].detail
    assert infos["439904"].status == "missing" and infos["439904"].detail == ""

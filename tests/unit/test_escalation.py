"""The lag history and the escalation ladder: boundaries, streaks, calendar promotions, the list.

The ladder (docs/domain.md §4.7): streak ≥ 1 → 书面说明; ≥ 3 or lagging at a quarter end →
分管市领导约谈; ≥ 6 or lagging at a half-year end → 常务副市长约谈 — cumulative: a rung holds
or climbs while the lag persists and is lifted only once the unit is back at or above 序时进度.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govbrief.calendar.periods import Period
from govbrief.config import DEFAULT_CONFIG, ConfigError, Escalation, EscalationLevel, load_settings
from govbrief.formatting import round_half_up
from govbrief.metrics.escalation import escalations, ladder, steps
from govbrief.metrics.progress import caught_up, gap_pp, lag_streaks, lagging, quota_usage_by_month, recovered

RULES = Escalation()
WRITTEN, VICE, EXECUTIVE = "书面说明", "分管市领导约谈", "常务副市长约谈"
T, F = True, False


def history_frame(rows: dict[tuple[str, str], list[bool]], first_month: int = 1) -> pd.DataFrame:
    """A lag history: one row per (unit_code, target), one column per month number."""
    width = len(next(iter(rows.values())))
    index = pd.MultiIndex.from_tuples(list(rows), names=["unit_code", "target"])
    return pd.DataFrame(list(rows.values()), index=index, columns=range(first_month, first_month + width))


def row(frame: pd.DataFrame, key: tuple[str, str]) -> list[object]:
    """One row of a (unit_code, target)-indexed frame as a list."""
    return list(frame.loc[[key]].to_numpy()[0])


# ----- lagging against 序时进度 -------------------------------------------------------------


def printed_progress(month: int) -> float:
    """序时进度 at a month-end as the brief prints it, in percent (one decimal)."""
    return float(round_half_up(Period.month(2026, month).time_progress() * 100, 1))


@pytest.mark.parametrize("month", [3, 6, 11])
def test_completion_exactly_tolerance_behind_as_printed_is_not_lagging_and_just_beyond_is(month: int) -> None:
    line = printed_progress(month)
    completion = pd.DataFrame({month: [(line - 5.0) / 100, (line - 5.1) / 100, line / 100, 0.0]}, index=list("abcd"))
    result = lagging(completion, 2026, 5.0)[month]
    assert result.to_dict() == {"a": False, "b": True, "c": False, "d": True}


def test_quota_lags_when_usage_runs_ahead_of_time_progress_beyond_tolerance() -> None:
    line = printed_progress(6)
    usage = pd.DataFrame({6: [(line + 5.0) / 100, (line + 5.1) / 100, 0.0, None]}, index=list("abcd"))
    result = lagging(usage, 2026, 5.0, lower_is_better=True)[6]
    assert result.to_dict() == {"a": False, "b": True, "c": False, "d": False}


def test_a_gap_is_taken_between_the_printed_figures() -> None:
    line = printed_progress(10)
    # 5.04 pp behind unrounded, but the brief prints completion and 序时进度 5.0 apart: not lagging
    completion = pd.DataFrame({10: [(line - 5.04) / 100 + 0.00004]}, index=["a"])
    assert float(gap_pp(completion, 2026).iloc[0, 0]) == -5.0
    assert not lagging(completion, 2026, 5.0).iloc[0, 0]


def test_unknown_completion_never_lags() -> None:
    completion = pd.DataFrame({1: [None], 2: [float("nan")]}, index=["a"], dtype="float64")
    assert not lagging(completion, 2026, 5.0).to_numpy().any()


def test_quota_usage_runs_up_month_by_month_from_this_years_deaths() -> None:
    accidents = pd.DataFrame(
        {
            "unit_code": ["a", "a", "a", "a", "b"],
            "occurred_on": pd.to_datetime(
                ["2026-01-05", "2026-03-31T18:00", "2025-12-30", "2026-04-01", "2026-02-01"], format="ISO8601"
            ),
            "deaths": [1, 2, 5, 1, 3],
        }
    )
    usage = quota_usage_by_month(accidents, 2026, 3, {"a": 10.0, "b": None, "c": 4.0})
    assert list(usage.index) == ["a", "c"]  # no quota, nothing to lag on
    assert row_of(usage, "a") == pytest.approx([0.1, 0.1, 0.3])
    assert row_of(usage, "c") == [0.0, 0.0, 0.0]


def row_of(frame: pd.DataFrame, label: str) -> list[float]:
    return [float(v) for v in frame.loc[[label]].to_numpy()[0]]


# ----- streaks ------------------------------------------------------------------------------


def test_streaks_count_consecutive_month_ends_and_reset() -> None:
    history = history_frame(
        {
            ("a", "debt"): [T, T, F, T, T, T, F, F, T, T, T, T],
            ("b", "debt"): [F] * 12,
            ("c", "debt"): [T] * 12,
        }
    )
    streaks = lag_streaks(history)
    assert row(streaks, ("a", "debt")) == [1, 2, 0, 1, 2, 3, 0, 0, 1, 2, 3, 4]
    assert row(streaks, ("b", "debt")) == [0] * 12
    assert row(streaks, ("c", "debt")) == list(range(1, 13))


def test_recovered_means_lagged_last_month_end_and_not_this_one() -> None:
    history = history_frame({("a", "x"): [T, F], ("b", "x"): [T, T], ("c", "x"): [F, T], ("d", "x"): [F, F]})
    assert recovered(history).to_dict() == {("a", "x"): True, ("b", "x"): False, ("c", "x"): False, ("d", "x"): False}
    assert not recovered(history.iloc[:, :1]).any()  # January: no month before it this year


# ----- the ladder ---------------------------------------------------------------------------

# A unit lagging March..August, on target September..November, lagging again in December.
HAND_WORKED = [
    # month, lagging, streak, expected rung (and why)
    (1, F, 0, None),
    (2, F, 0, None),
    (3, T, 1, VICE),  # streak 1, but March is a quarter end
    (4, T, 2, VICE),  # held: the lag persists, a rung never drops (streak 2 alone would be 书面说明)
    (5, T, 3, VICE),  # streak 3
    (6, T, 4, EXECUTIVE),  # June is a half-year end
    (7, T, 5, EXECUTIVE),  # held (streak 5 alone would be 分管)
    (8, T, 6, EXECUTIVE),  # streak 6
    (9, F, 0, None),  # caught up: the rung is lifted
    (10, F, 0, None),
    (11, F, 0, None),
    (12, T, 1, EXECUTIVE),  # streak 1 at the year's (a half-year's) end
]


def test_hand_worked_ladder_month_by_month() -> None:
    lags = [lag for _, lag, _, _ in HAND_WORKED]
    streaks = lag_streaks(history_frame({("439902", "debt"): lags})).iloc[0].tolist()
    assert streaks == [streak for _, _, streak, _ in HAND_WORKED]
    assert ladder(lags, RULES) == [rung for _, _, _, rung in HAND_WORKED]


@pytest.mark.parametrize(
    ("lags", "first_month", "expected_last"),
    [
        ([T], 1, WRITTEN),  # streak 1
        ([T, T], 1, WRITTEN),  # streak 2 in February
        ([T, T, T], 2, VICE),  # streak 3 in April
        ([T, T, T, T, T], 3, EXECUTIVE),  # March (分管) → June half-year end (常务) → held into July
        ([T] * 6, 2, EXECUTIVE),  # streak 6 in July
        ([T], 9, VICE),  # September: quarter end only
        ([T], 6, EXECUTIVE),  # June, streak 1: lagging at a half-year end
        ([F], 6, None),  # on target in June: no rung at all
        ([T, F], 5, None),  # caught up at the half-year end
    ],
)
def test_rungs_at_the_streak_and_calendar_boundaries(lags: list[bool], first_month: int, expected_last: str) -> None:
    assert ladder(lags, RULES, first_month)[-1] == expected_last


@pytest.mark.parametrize(
    ("lags", "ups", "expected"),
    [
        # lagging Jul–Sep (分管 at the quarter end), then behind but within the tolerance: the rung holds
        ([T, T, T, F, F], [F, F, F, F, F], [WRITTEN, WRITTEN, VICE, VICE, VICE]),
        # the gap widens again: the rung holds and the streak climbs anew (never drops to 书面说明)
        ([T, T, T, F, T], [F, F, F, F, F], [WRITTEN, WRITTEN, VICE, VICE, VICE]),
        # back at or above 序时进度 once: lifted (reset_after = 1)
        ([T, T, T, F, F], [F, F, F, T, F], [WRITTEN, WRITTEN, VICE, None, None]),
        # no figures at all (neither lagging nor caught up): held, never raised or cleared on missing data
        ([T, T, T, F, F], [F, F, F, F, F], [WRITTEN, WRITTEN, VICE, VICE, VICE]),
    ],
)
def test_a_rung_never_drops_while_the_lag_persists(lags: list[bool], ups: list[bool], expected: list[str]) -> None:
    assert ladder(lags, RULES, first_month=7, caught_up=ups) == expected


def test_the_rung_is_lifted_after_the_configured_number_of_month_ends_caught_up() -> None:
    two_months = RULES.model_copy(update={"reset_after": 2})
    lags, ups = [T, T, T, F, F, F], [F, F, F, T, T, T]
    assert ladder(lags, two_months, first_month=1, caught_up=ups) == [WRITTEN, WRITTEN, VICE, VICE, None, None]
    assert ladder(lags, RULES, first_month=1, caught_up=ups) == [WRITTEN, WRITTEN, VICE, None, None, None]


def test_each_step_says_why_it_holds_its_rung() -> None:
    reasons = [s.reason for s in steps([T, T, T, F], [F, F, F, F], [1, 2, 3, 4], RULES)]
    assert reasons == ["streak", "streak", "streak", "held"]
    assert steps([T], [F], [6], RULES)[0].reason == "half_end"


def test_caught_up_means_at_or_above_time_progress_as_printed() -> None:
    line = printed_progress(10) / 100  # 83.3%
    completion = pd.DataFrame({10: [line - 0.0005, line - 0.00051, line + 0.01, 0.80]}, index=list("abcd"))
    assert caught_up(completion, 2026)[10].to_dict() == {"a": True, "b": False, "c": True, "d": False}
    usage = pd.DataFrame({10: [line + 0.00049, line + 0.0005, None]}, index=list("abc"))
    assert caught_up(usage, 2026, lower_is_better=True)[10].to_dict() == {"a": True, "b": False, "c": False}


def test_rules_come_from_configuration() -> None:
    streak_only = Escalation(
        levels=(
            EscalationLevel(name_zh="书面说明", min_streak=1),
            EscalationLevel(name_zh="约谈", min_streak=2),
        )
    )
    assert ladder([T, T, T], streak_only, first_month=1) == ["书面说明", "约谈", "约谈"]
    assert ladder([T], streak_only, first_month=6) == ["书面说明"]  # no calendar promotion configured


def test_escalation_list_carries_the_streak_and_drops_the_recovered() -> None:
    history = history_frame(
        {
            ("439901", "debt"): [F, F, T, T, T, T, T, T],  # streak 6 in August
            ("439902", "task:棚户区改造"): [F, F, F, F, F, F, T, T],  # streak 2
            ("439903", "debt"): [F, F, F, F, F, T, T, F],  # caught up in August
            ("439904", "death_quota"): [F, F, F, F, T, T, T, T],  # June half-year end: 常务, held since
        }
    )
    entries, recoveries = escalations(history, ~history, RULES)
    listed = [(e.unit_code, e.target, e.level_name_zh, e.streak_zh) for e in entries]
    assert listed == [
        ("439901", "debt", EXECUTIVE, "连续6个月滞后"),
        ("439904", "death_quota", EXECUTIVE, "连续4个月滞后"),
        ("439902", "task:棚户区改造", WRITTEN, "连续2个月滞后"),
    ]
    assert [(r.unit_code, r.target, r.previous_streak) for r in recoveries] == [("439903", "debt", 2)]


def test_a_rung_held_within_the_tolerance_says_it_is_not_caught_up_yet() -> None:
    lags = history_frame({("439906", "debt"): [T, T, T, F]}, first_month=6)
    ups = history_frame({("439906", "debt"): [F, F, F, F]}, first_month=6)  # behind, within the tolerance
    (entry,) = escalations(lags, ups, RULES)[0]
    assert (entry.level_name_zh, entry.reason) == (EXECUTIVE, "held")
    assert entry.streak_zh == "尚未追上序时进度（此前连续3个月滞后）"


def test_a_climb_is_told_apart_from_a_first_rung() -> None:
    history = history_frame({("439901", "debt"): [F, T, T, T, T, T], ("439902", "debt"): [F, F, F, F, F, T]})
    entries = {e.unit_code: e for e in escalations(history, ~history, RULES)[0]}
    assert (entries["439901"].previous_level, entries["439901"].level, entries["439901"].climbed) == (2, 3, True)
    assert (entries["439902"].previous_level, entries["439902"].climbed) == (0, False)


def test_a_calendar_promotion_says_so() -> None:
    history = history_frame({("439905", "debt"): [F, F, F, F, F, T]})
    (entry,) = escalations(history, ~history, RULES)[0]
    assert (entry.level_name_zh, entry.streak, entry.reason) == (EXECUTIVE, 1, "half_end")
    assert entry.streak_zh == "连续1个月滞后（半年末仍滞后）"


# ----- configuration ------------------------------------------------------------------------


def test_shipped_config_has_the_speechs_ladder() -> None:
    escalation = load_settings(DEFAULT_CONFIG).escalation
    assert [(lv.name_zh, lv.min_streak, lv.or_at) for lv in escalation.levels] == [
        (WRITTEN, 1, ""),
        (VICE, 3, "quarter_end"),
        (EXECUTIVE, 6, "half_end"),
    ]
    assert escalation.reset_after == 1
    assert all(level.action_zh for level in escalation.levels)


def test_a_ladder_listed_heaviest_first_is_refused(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8") + (
        "\n[escalation]\nlevels = [\n"
        '  { name_zh = "常务副市长约谈", min_streak = 6 },\n'
        '  { name_zh = "书面说明", min_streak = 1 },\n]\n'
    )
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "mildest first" in "\n".join(caught.value.problems)

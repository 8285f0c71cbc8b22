"""The lag history and the escalation ladder: boundaries, streaks, calendar promotions, the list.

The ladder is docs/domain.md §4.7 read literally: streak ≥ 1 → 书面说明; ≥ 3 or lagging at a
quarter end → 分管副市长约谈; ≥ 6 or lagging at a half-year end → 常务副市长约谈.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govbrief.calendar.periods import Period
from govbrief.config import DEFAULT_CONFIG, ConfigError, Escalation, EscalationLevel, load_settings
from govbrief.metrics.escalation import escalations, ladder
from govbrief.metrics.progress import lag_streaks, lagging, quota_usage_by_month, recovered

RULES = Escalation()
WRITTEN, VICE, EXECUTIVE = "书面说明", "分管副市长约谈", "常务副市长约谈"
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


@pytest.mark.parametrize("month", [3, 6, 11])
def test_completion_exactly_tolerance_behind_is_not_lagging_and_just_beyond_is(month: int) -> None:
    progress = Period.month(2026, month).time_progress()
    completion = pd.DataFrame({month: [progress - 0.05, progress - 0.0501, progress, 0.0]}, index=list("abcd"))
    result = lagging(completion, 2026, 5.0)[month]
    assert result.to_dict() == {"a": False, "b": True, "c": False, "d": True}


def test_quota_lags_when_usage_runs_ahead_of_time_progress_beyond_tolerance() -> None:
    progress = Period.month(2026, 6).time_progress()
    usage = pd.DataFrame({6: [progress + 0.05, progress + 0.0501, 0.0, None]}, index=list("abcd"))
    result = lagging(usage, 2026, 5.0, lower_is_better=True)[6]
    assert result.to_dict() == {"a": False, "b": True, "c": False, "d": False}


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
    (4, T, 2, WRITTEN),
    (5, T, 3, VICE),  # streak 3
    (6, T, 4, EXECUTIVE),  # June is a half-year end
    (7, T, 5, VICE),  # streak ≥ 3, not a half-year end
    (8, T, 6, EXECUTIVE),  # streak 6
    (9, F, 0, None),
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
        ([T, T, T, T, T], 3, VICE),  # streak 5 in July
        ([T] * 6, 2, EXECUTIVE),  # streak 6 in July
        ([T], 9, VICE),  # September: quarter end only
        ([T], 6, EXECUTIVE),  # June, streak 1: lagging at a half-year end
        ([F], 6, None),  # on target in June: no rung at all
        ([T, F], 5, None),  # recovered at the half-year end
    ],
)
def test_rungs_at_the_streak_and_calendar_boundaries(lags: list[bool], first_month: int, expected_last: str) -> None:
    assert ladder(lags, RULES, first_month)[-1] == expected_last


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
            ("439903", "debt"): [F, F, F, F, F, T, T, F],  # recovered in August
            ("439904", "death_quota"): [F, F, F, F, T, T, T, T],  # streak 4
        }
    )
    entries, recoveries = escalations(history, RULES)
    listed = [(e.unit_code, e.target, e.level_name_zh, e.streak_zh) for e in entries]
    assert listed == [
        ("439901", "debt", EXECUTIVE, "连续6个月滞后"),
        ("439904", "death_quota", VICE, "连续4个月滞后"),
        ("439902", "task:棚户区改造", WRITTEN, "连续2个月滞后"),
    ]
    assert [(r.unit_code, r.target, r.previous_streak) for r in recoveries] == [("439903", "debt", 2)]


def test_a_calendar_promotion_says_so() -> None:
    entries, _ = escalations(history_frame({("439905", "debt"): [F, F, F, F, F, T]}), RULES)
    (entry,) = entries
    assert (entry.level_name_zh, entry.streak, entry.reason) == (EXECUTIVE, 1, "half_end")
    assert entry.streak_zh == "连续1个月滞后（半年末仍滞后）"


# ----- configuration ------------------------------------------------------------------------


def test_shipped_config_has_the_ladder_of_indicators_md() -> None:
    levels = load_settings(DEFAULT_CONFIG).escalation.levels
    assert [(lv.name_zh, lv.min_streak, lv.or_at) for lv in levels] == [
        (WRITTEN, 1, ""),
        (VICE, 3, "quarter_end"),
        (EXECUTIVE, 6, "half_end"),
    ]


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

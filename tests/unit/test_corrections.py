"""更正: the figures a newer version of a brief states differently, and the note that names them."""

from __future__ import annotations

import copy
from typing import Any

from govbrief.briefs.correction_notes import MAX_NOTE_LINES, correction_note, diff_figures


def _indicators(count: int, deaths: int, fix_rate: float | None = 0.9) -> dict[str, dict[str, Any]]:
    return {
        "acc_count": {"period": count, "ytd": count + 10, "ytd_last_year": 30, "yoy_pct": -10.0},
        "acc_deaths": {"period": deaths, "ytd": deaths + 2, "ytd_last_year": 5, "yoy_pct": None},
        "hz_general_fix_rate": {"period": fix_rate, "ytd": 0.8},
        "enf_fines": {"period": 1.5, "ytd": 12.25},
    }


def brief_data() -> dict[str, Any]:
    return {
        "kind": "ten_day",
        "city": {"code": "439900", "name": "示范市", "indicators": _indicators(20, 3)},
        "units": [
            {"code": "439901", "name": "城关区", "status": "on_time", "indicators": _indicators(8, 1)},
            {"code": "439904", "name": "南岭县", "status": "late", "indicators": _indicators(2, 0)},
        ],
    }


def test_the_same_data_has_no_changes() -> None:
    assert diff_figures(brief_data(), brief_data()) == []


def test_a_unit_correction_names_its_figures_and_the_citys_old_and_new() -> None:
    old, new = brief_data(), brief_data()
    for scope in (new["units"][1], new["city"]):
        scope["indicators"]["acc_count"]["period"] += 1
        scope["indicators"]["acc_count"]["ytd"] += 1

    changes = [c.text_zh() for c in diff_figures(old, new)]

    assert changes == [
        "南岭县本期事故起数 2起→3起",
        "南岭县本年累计事故起数 12起→13起",
        "全市本期事故起数 20起→21起",
        "全市本年累计事故起数 30起→31起",
    ]


def test_amounts_ratios_missing_values_and_statuses_are_shown_as_the_brief_prints_them() -> None:
    old, new = brief_data(), brief_data()
    unit = new["units"][0]
    unit["status"] = "late"
    unit["indicators"]["enf_fines"]["ytd"] = 12.5
    unit["indicators"]["hz_general_fix_rate"]["period"] = None
    unit["indicators"]["hz_general_fix_rate"]["ytd"] = 0.85

    changes = {c.label_zh: (c.old, c.new) for c in diff_figures(old, new)}

    assert changes == {
        "报送情况": ("按时报送", "逾期报送"),
        "本年累计罚款金额": ("12.25万元", "12.5万元"),
        "本期一般隐患整改率": ("90.0%", "无"),
        "本年累计一般隐患整改率": ("80.0%", "85.0%"),
    }


def test_percent_changes_follow_from_the_figures_and_are_not_listed() -> None:
    old, new = brief_data(), brief_data()
    new["city"]["indicators"]["acc_count"]["yoy_pct"] = -5.0
    assert diff_figures(old, new) == []


def test_the_note_names_the_correcting_unit_the_versions_and_every_change() -> None:
    old, new = brief_data(), brief_data()
    new["units"][1]["indicators"]["acc_count"]["ytd"] = 13
    new["city"]["indicators"]["acc_count"]["ytd"] = 31

    note = correction_note(diff_figures(old, new), previous_version=1)

    assert note == (
        "更正说明：因南岭县更正报表，本期简报第2版更正第1版的以下数据："
        "南岭县本年累计事故起数 12起→13起；全市本年累计事故起数 30起→31起。"
    )


def test_a_long_list_is_cut_with_the_count_of_the_rest() -> None:
    old = brief_data()
    new = copy.deepcopy(old)
    for scope in [*new["units"], new["city"]]:
        for values in scope["indicators"].values():
            values["ytd"] = 99
    changes = diff_figures(old, new)
    assert len(changes) > MAX_NOTE_LINES

    note = correction_note(changes, previous_version=2, version=4)

    assert note.count("→") == MAX_NOTE_LINES
    assert note.endswith(f"另有{len(changes) - MAX_NOTE_LINES}项数据随之更正。")
    assert "本期简报第4版更正第2版" in note
    assert "因城关区、南岭县更正报表" in note

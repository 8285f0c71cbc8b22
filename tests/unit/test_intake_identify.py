"""Which unit and period a return belongs to, from every place a clerk may write it."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from govbrief.calendar.periods import Period, PeriodKind
from govbrief.config import Clerk, Unit
from govbrief.intake.identify import UnitMatch, identify_period, identify_unit


def unit(code: str, name: str) -> Unit:
    return Unit(code=code, name=name, clerk=Clerk(name=f"{name}填报员", email=f"clerk{code}@example.gov.cn"))


UNITS = (
    unit("439901", "城关区"),
    unit("439902", "东湖县"),
    unit("439903", "西山县"),
    unit("439907", "临江市"),
    unit("439909", "高新区"),
)
CITY = "示范市"


def identify(
    file_name: str = "安全生产旬报表.xlsx",
    *,
    folders: Sequence[str] = (),
    county_values: Sequence[str] = (),
    title_texts: Sequence[str] = (),
    units: Sequence[Unit] = UNITS,
    ignore: Sequence[str] = (),
) -> UnitMatch:
    return identify_unit(
        units,
        file_name=file_name,
        folders=folders,
        county_values=county_values,
        title_texts=title_texts,
        ignore=ignore,
    )


def named(match: UnitMatch) -> tuple[str | None, str | None]:
    return (match.unit.name if match.unit else None), match.found_in


def rules(match: UnitMatch) -> list[tuple[str, str]]:
    return [(p.severity, p.rule) for p in match.problems]


# ----- each source of evidence -----------------------------------------------------


@pytest.mark.parametrize(
    "file_name",
    [
        "东湖县2026年11月中旬安全生产旬报表.xlsx",
        "东湖2026年11月中旬安全生产旬报表.xlsx",
        "439902_2026-11-x2.xlsx",
        "（东 湖 县）旬报.xls",
        "４３９９０２旬报.xlsx",  # full-width digits
    ],
)
def test_the_file_name_names_the_unit(file_name: str) -> None:
    match = identify(file_name)
    assert named(match) == ("东湖县", "file_name")
    assert match.problems == []


def test_the_nearest_folder_naming_a_unit_decides() -> None:
    match = identify(folders=["2026-11-x2", "临江", "报送"])
    assert named(match) == ("临江市", "folder")
    assert match.problems == []


@pytest.mark.parametrize("values", [["西山县"] * 3, ["西山"], ["439903", "西山县 "], ["西山县", "合计"], ["西 山 县"]])
def test_the_county_column_names_the_unit(values: list[str]) -> None:
    match = identify(county_values=values)
    assert named(match) == ("西山县", "column")
    assert match.problems == []


def test_a_title_row_names_the_unit_when_nothing_else_does() -> None:
    match = identify(title_texts=["示范市高新区安全生产旬报表", "填报单位：高新区应急管理局  填报日期：2026年11月21日"])
    assert named(match) == ("高新区", "title")
    assert match.problems == []


def test_evidence_is_taken_in_order_file_name_first() -> None:
    match = identify(
        "城关区旬报.xlsx", folders=["城关"], county_values=["城关区"], title_texts=["城关区安全生产旬报表"]
    )
    assert named(match) == ("城关区", "file_name")
    assert match.problems == []


# ----- traps ----------------------------------------------------------------------


def test_a_short_name_followed_by_a_place_suffix_is_another_place() -> None:
    for other_place in ("城关镇安全生产旬报表.xlsx", "东湖乡旬报.xlsx", "东湖街道旬报.xlsx", "东湖区旬报.xlsx"):
        assert named(identify(other_place)) == (None, None), other_place


def test_the_longest_mention_wins_over_a_short_name_inside_it() -> None:
    units = (*UNITS, unit("439910", "临江新区"))
    assert named(identify("临江新区旬报.xlsx", units=units)) == ("临江新区", "file_name")
    assert named(identify("临江旬报.xlsx", units=units)) == ("临江市", "file_name")


def test_the_city_name_can_be_ignored() -> None:
    units = (*UNITS, unit("439911", "示范区"))
    title = ["示范市安全生产旬报表（东湖县）"]
    assert named(identify(title_texts=title, units=units, ignore=[CITY])) == ("东湖县", "title")
    # Without `ignore` 示范市 is not mistaken for 示范区 either: 示范 is followed by 市.
    assert named(identify(title_texts=title, units=units)) == ("东湖县", "title")
    city_folder = identify("东湖县旬报.xlsx", folders=["示范区"], units=units, ignore=["示范区"])
    assert named(city_folder) == ("东湖县", "file_name") and city_folder.problems == []


def test_digits_in_title_rows_are_never_read_as_a_code() -> None:
    match = identify(title_texts=["联系电话：0739-439903", "东湖县安全生产旬报表"])
    assert named(match) == ("东湖县", "title")
    assert match.problems == []


def test_a_code_inside_a_longer_number_is_not_a_code() -> None:
    assert named(identify("20439902旬报.xlsx")) == (None, None)


# ----- refusals ---------------------------------------------------------------------


def test_two_units_in_the_file_name_are_ambiguous() -> None:
    match = identify("东湖县转西山县安全生产旬报表.xlsx")
    assert match.unit is None
    assert rules(match) == [("error", "ambiguous_unit")]
    problem = match.problems[0]
    assert "东湖县" in problem.message_zh and "西山县" in problem.message_zh
    assert problem.file == "东湖县转西山县安全生产旬报表.xlsx"


def test_two_units_in_the_county_column_are_ambiguous() -> None:
    match = identify(county_values=["东湖县", "西山县", "东湖县"])
    assert rules(match) == [("error", "ambiguous_unit")]
    assert match.problems[0].column == "县市区"


def test_file_name_and_county_column_disagreeing_is_a_conflict_naming_both() -> None:
    match = identify("东湖县安全生产旬报表.xlsx", county_values=["西山县"])
    assert rules(match) == [("error", "conflicting_unit")]
    problem = match.problems[0]
    for text in (problem.message_zh, problem.message_en):
        assert "东湖县" in text and "西山县" in text
    assert match.unit is not None and match.unit.name == "东湖县"  # the refusal goes to the sender


def test_folder_and_file_name_disagreeing_is_a_conflict() -> None:
    match = identify("西山县旬报.xlsx", folders=["东湖县"])
    assert rules(match) == [("error", "conflicting_unit")]


def test_a_title_copied_from_another_unit_is_only_a_warning() -> None:
    match = identify("东湖县旬报.xlsx", county_values=["东湖县"], title_texts=["西山县安全生产旬报表"])
    assert named(match) == ("东湖县", "file_name")
    assert rules(match) == [("warning", "conflicting_unit")]


def test_nothing_naming_a_unit_is_unknown_unit() -> None:
    match = identify("安全生产旬报表.xlsx", folders=["2026-11-x2"], title_texts=["安全生产旬报表"])
    assert named(match) == (None, None)
    assert rules(match) == [("error", "unknown_unit")]
    assert "请在文件名或表内“县市区”列写明单位名称" in match.problems[0].message_zh


@pytest.mark.parametrize(("value", "closest"), [("东湖镇", "东湖县"), ("新区", "高新区"), ("东湖区", "东湖县")])
def test_a_county_value_that_is_no_unit_is_unknown_with_the_closest_suggested(value: str, closest: str) -> None:
    match = identify("东湖县旬报.xlsx", county_values=[value])
    assert rules(match) == [("error", "unknown_unit")]
    problem = match.problems[0]
    assert (problem.column, problem.value) == ("县市区", value)
    assert f"是否应为“{closest}”" in problem.message_zh and closest in problem.message_en


def test_a_county_value_like_no_unit_lists_the_units() -> None:
    match = identify(county_values=["海淀"])
    assert rules(match) == [("error", "unknown_unit")]
    assert "城关区、东湖县、西山县、临江市、高新区" in match.problems[0].message_zh


def test_every_unknown_value_is_reported_once() -> None:
    match = identify("东湖县旬报.xlsx", county_values=["东湖县", "东湖镇", "东湖镇", "新区"])
    assert named(match) == ("东湖县", "file_name")
    assert [p.value for p in match.problems] == ["东湖镇", "新区"]


# ----- the period ---------------------------------------------------------------------

X2 = Period.ten_day(2026, 11, 2)


@pytest.mark.parametrize(
    "file_name",
    [
        "东湖县2026-11-x2.xlsx",
        "东湖县2026-11-X2.xlsx",
        "东湖县2026年11月中旬安全生产旬报表.xlsx",
        "东湖县2026年11月份中旬.xlsx",
        "东湖县 2026.11中旬.xlsx",
        "东湖县202611中旬.xlsx",
        "东湖县２０２６年１１月中旬.xlsx",
    ],
)
def test_ten_day_period_spellings_in_the_file_name(file_name: str) -> None:
    assert identify_period(file_name=file_name, folders=(), title_texts=(), kind=PeriodKind.TEN_DAY) == X2


def test_the_period_from_a_folder_or_a_title() -> None:
    kind = PeriodKind.TEN_DAY
    assert identify_period(file_name="东湖县.xlsx", folders=["东湖县", "2026-11-x2"], title_texts=(), kind=kind) == X2
    title = ["东湖县安全生产旬报表（2026年11月中旬）", "填报日期：2026年11月21日"]
    assert identify_period(file_name="东湖县.xlsx", folders=(), title_texts=title, kind=kind) == X2


def test_a_period_without_a_year_takes_the_year_stated_on_its_own() -> None:
    found = identify_period(
        file_name="东湖县11月中旬.xlsx", folders=["2026年"], title_texts=(), kind=PeriodKind.TEN_DAY
    )
    assert found == X2


def test_the_year_of_a_date_is_never_borrowed() -> None:
    # A 12月下旬 return filed on 2027年1月3日 is not 2027's: unsure, so None.
    title = ["填报日期：2027年1月3日"]
    found = identify_period(file_name="东湖县12月下旬.xlsx", folders=(), title_texts=title, kind=PeriodKind.TEN_DAY)
    assert found is None


@pytest.mark.parametrize(
    ("file_name", "folders"),
    [
        ("东湖县安全生产旬报表.xlsx", ()),  # no period
        ("东湖县2026年11月中旬.xlsx", ["2026-11-x3"]),  # two periods disagree
        ("东湖县11月中旬.xlsx", ["2025", "2026"]),  # two years
        ("东湖县2026年13月中旬.xlsx", ()),  # no such month
        ("东湖县0000年11月中旬.xlsx", ()),  # no such year
    ],
)
def test_unsure_periods_are_none(file_name: str, folders: list[str]) -> None:
    assert identify_period(file_name=file_name, folders=folders, title_texts=(), kind=PeriodKind.TEN_DAY) is None


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("东湖县2026年11月债务化解月报表.xlsx", Period.month(2026, 11)),
        ("东湖县2026年11月份.xlsx", Period.month(2026, 11)),
        ("东湖县2026-11.xlsx", Period.month(2026, 11)),
        ("东湖县2026.9.xlsx", Period.month(2026, 9)),
        ("东湖县2026年11月中旬.xlsx", None),  # a 旬, not a month
        ("东湖县2026年11月3日.xlsx", None),  # a date, not a month
        ("东湖县2026-11-x2.xlsx", None),
    ],
)
def test_month_spellings(file_name: str, expected: Period | None) -> None:
    assert identify_period(file_name=file_name, folders=(), title_texts=(), kind=PeriodKind.MONTH) == expected


def test_a_month_without_a_year() -> None:
    found = identify_period(file_name="东湖县11月债务.xlsx", folders=["2026"], title_texts=(), kind=PeriodKind.MONTH)
    assert found == Period.month(2026, 11)

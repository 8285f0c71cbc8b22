"""Chart PNGs: valid, the expected size, Chinese drawn with a font that has the glyphs, and lines over bars."""

from __future__ import annotations

import logging
import re
import struct
import warnings

import pytest

from govbrief.briefs.monthly.sections import progress_chart
from govbrief.render.charts import render_chart_png, render_chart_svg
from govbrief.render.context import ChartSpec
from tests.fixtures.contexts import sample_ten_day_context
from tests.fixtures.contexts_monthly import sample_monthly_context
from tests.unit import test_metrics_debt as debt_case

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHART_LOGGER = "govbrief.render.charts"


def chart(kind: str) -> ChartSpec:
    return next(spec for spec in sample_ten_day_context()["charts"] if spec["kind"] == kind)


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, which must come first."""
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_is_a_png_about_seven_inches_wide_at_120_dpi(kind: str) -> None:
    png = render_chart_png(chart(kind))
    width, height = png_size(png)
    assert 800 <= width <= 880  # 7 in x 120 dpi
    assert 300 <= height <= width
    assert 10_000 < len(png) < 300_000
    assert png.endswith(b"IEND\xaeB`\x82")


def test_chinese_renders_without_missing_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger=CHART_LOGGER), warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning that escapes fails the test
        render_chart_png(chart("bar"))
    assert not [r for r in caplog.records if r.name == CHART_LOGGER]


def test_a_font_without_chinese_is_reported_once_and_nothing_leaks(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=CHART_LOGGER), warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's own glyph warnings must not reach the user
        png = render_chart_png(chart("bar"), fonts=("DejaVu Sans",))
    reports = [r for r in caplog.records if r.name == CHART_LOGGER]
    assert len(reports) == 1
    assert "fonts-noto-cjk" in reports[0].getMessage()
    assert png.startswith(PNG_SIGNATURE)


def test_drawing_leaves_global_matplotlib_settings_alone() -> None:
    import matplotlib

    before = (list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"])
    render_chart_png(chart("line"))
    assert (list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"]) == before


def test_series_and_categories_must_match() -> None:
    broken = chart("bar")
    broken["series"][0]["values"] = broken["series"][0]["values"][:-1]
    with pytest.raises(ValueError, match="一般隐患整改率"):
        render_chart_png(broken)


def progress_chart_with_time_line() -> ChartSpec:
    """The 月通报's 化债进度 chart: county bars with the 序时进度 line over them."""
    return sample_monthly_context()["charts"][1]


def test_an_overlaid_line_is_drawn_over_the_bars() -> None:
    spec = progress_chart_with_time_line()
    svg = render_chart_svg(spec).decode()
    overlay = re.search(r'<g id="overlay-line-0">(.*?)</g>', svg, re.S)
    assert overlay, "no overlay line group"
    points = re.findall(r"[ML] ?(-?[\d.]+) (-?[\d.]+)", overlay.group(1))
    assert len(points) == len(spec["categories"])
    assert len({y for _, y in points}) == 1  # a level line: the same 序时进度 for every county
    bars_only: ChartSpec = {**spec, "lines": []}
    assert "overlay-line" not in render_chart_svg(bars_only).decode()


def test_lines_must_match_the_categories_too() -> None:
    spec = progress_chart_with_time_line()
    spec["lines"][0]["values"] = spec["lines"][0]["values"][:-1]
    with pytest.raises(ValueError, match="序时进度"):
        render_chart_png(spec)


def test_the_monthly_progress_chart_draws_time_progress_as_a_line_and_says_so() -> None:
    debt = debt_case.compute(debt_case.debt_lagging_year(debt_case.CG, {7, 8}, 8), 8)
    spec = progress_chart(debt)
    assert [series["name"] for series in spec["series"]] == ["化债进度"]
    assert [series["name"] for series in spec["lines"]] == ["序时进度"]
    time_line = round(debt.time_progress * 100, 1)
    assert spec["lines"][0]["values"] == [time_line] * len(spec["categories"])
    assert f"序时进度{time_line}%（折线）" in spec["alt"]
    assert "overlay-line-0" in render_chart_svg(spec).decode()

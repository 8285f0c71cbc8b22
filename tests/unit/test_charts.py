"""Chart PNGs: valid, the expected size, and Chinese drawn with a font that has the glyphs."""

from __future__ import annotations

import logging
import struct
import warnings

import pytest

from govbrief.briefs.context import ChartSpec
from govbrief.render.charts import render_chart_png
from tests.fixtures.contexts import sample_ten_day_context

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

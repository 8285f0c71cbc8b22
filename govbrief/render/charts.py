"""Charts for briefs: a ChartSpec → PNG (email, DOCX) or SVG (PDF) bytes, with Chinese text that renders.

matplotlib is imported inside the function (it costs about a second at start-up
and the CLI must stay fast) and is driven through Figure + FigureCanvasAgg, so
no pyplot global state is touched. Missing-glyph warnings would otherwise be
printed at the user; they are caught and turned into one log record naming the
fix, because boxes instead of characters mean the fonts are not installed.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Sequence
from typing import Any

from govbrief.render.context import ChartSeries, ChartSpec

CJK_FONTS = ("Noto Sans CJK SC", "WenQuanYi Zen Hei")
WIDTH_INCHES = 7.0
HEIGHT_INCHES = 3.6
DPI = 120
GROUP_WIDTH = 0.8  # share of a category's slot taken by its bars
MISSING_GLYPH = "missing from font"
OVERLAY_COLOURS = ("#c00000", "#404040")  # 序时进度 in the masthead red; a second line in dark grey

log = logging.getLogger(__name__)


def render_chart_png(spec: ChartSpec, *, fonts: Sequence[str] = CJK_FONTS) -> bytes:
    """Draw the chart (grouped bars or lines, any overlaid lines on top) as a 120 dpi PNG about 7 inches wide."""
    return _render_chart(spec, fonts, image_format="png", metadata=None)


def render_chart_svg(spec: ChartSpec, *, fonts: Sequence[str] = CJK_FONTS) -> bytes:
    """The same chart as SVG, text drawn as outlines: vector for the PDF, no font needed to show it."""
    # No date in the metadata, so the same spec always gives the same bytes.
    return _render_chart(spec, fonts, image_format="svg", metadata={"Date": None})


def _render_chart(
    spec: ChartSpec, fonts: Sequence[str], *, image_format: str, metadata: dict[str, Any] | None
) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _check_spec(spec)
    with matplotlib.rc_context(_chart_rc(fonts)), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        _draw(figure.add_subplot(), spec)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=image_format, metadata=metadata)
    _report_warnings(caught, spec["title"])
    return buffer.getvalue()


def _check_spec(spec: ChartSpec) -> None:
    for series in [*spec["series"], *spec.get("lines", [])]:
        if len(series["values"]) != len(spec["categories"]):
            raise ValueError(
                f"chart {spec['cid']!r}: series {series['name']!r} has {len(series['values'])} values "
                f"for {len(spec['categories'])} categories / 图表数据个数与分类个数不一致"
            )


def _chart_rc(fonts: Sequence[str]) -> dict[Any, Any]:
    """Only installed families are named, so matplotlib never logs "findfont: … not found"."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    families = [name for name in fonts if name in installed]
    if not families:
        log.warning("no Chinese font found (%s); install fonts-noto-cjk / 未找到中文字体", ", ".join(fonts))
    # WenQuanYi lacks U+2212 (minus sign), hence unicode_minus off. A fixed salt keeps SVG ids, and so
    # the bytes, the same from run to run.
    return {
        "font.family": [*families, "sans-serif"],
        "axes.unicode_minus": False,
        "font.size": 10,
        "svg.hashsalt": "govbrief",
    }


def _draw(axes: Any, spec: ChartSpec) -> None:
    slots = list(range(len(spec["categories"])))
    if spec["kind"] == "bar":
        _draw_grouped_bars(axes, spec)
    else:
        for series in spec["series"]:
            axes.plot(slots, series["values"], marker="o", label=series["name"])
        axes.set_xticks(slots, spec["categories"])
    _draw_overlay_lines(axes, spec.get("lines", []), slots)
    axes.set_title(spec["title"])
    axes.set_ylabel(spec["y_label"])
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    everything = [*spec["series"], *spec.get("lines", [])]
    _scale_y(axes, [value for series in everything for value in series["values"]])
    if everything:
        # Below the plot, so it never covers a bar or a line; in spec order (matplotlib puts lines before bars).
        handles = dict(zip(*reversed(axes.get_legend_handles_labels()), strict=True))
        names = [series["name"] for series in everything if series["name"] in handles]
        axes.legend(
            [handles[name] for name in names],
            names,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncols=len(everything),
        )


def _draw_overlay_lines(axes: Any, lines: list[ChartSeries], slots: list[int]) -> None:
    """Lines over the bars (drawn after them, so on top), dashed and dark so they read as a reference.

    Each gets the SVG group id `overlay-line-N`, so a test or a reader's tool can find it."""
    for index, series in enumerate(lines):
        axes.plot(
            slots,
            series["values"],
            color=OVERLAY_COLOURS[index % len(OVERLAY_COLOURS)],
            linestyle="--",
            linewidth=2,
            marker="D" if len(slots) == 1 else None,  # a one-category line would be invisible
            label=series["name"],
            gid=f"overlay-line-{index}",
            zorder=3,
        )


def _scale_y(axes: Any, values: list[float]) -> None:
    """Counts and rates start at zero (a cut axis exaggerates change); counts get whole ticks."""
    from matplotlib.ticker import MaxNLocator

    if values and min(values) >= 0:
        axes.set_ylim(bottom=0)
    if all(float(value).is_integer() for value in values):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def _draw_grouped_bars(axes: Any, spec: ChartSpec) -> None:
    """One group per category, one bar per series, centred on the category's tick."""
    count = max(len(spec["series"]), 1)
    width = GROUP_WIDTH / count
    slots = range(len(spec["categories"]))
    for index, series in enumerate(spec["series"]):
        offset = (index - (count - 1) / 2) * width
        axes.bar([slot + offset for slot in slots], series["values"], width, label=series["name"])
    axes.set_xticks(list(slots), spec["categories"])


def _report_warnings(caught: list[warnings.WarningMessage], title: str) -> None:
    """Log missing glyphs once per chart; let any other warning through unchanged."""
    missing = [w for w in caught if MISSING_GLYPH in str(w.message)]
    if missing:
        log.warning(
            "chart %r: %d characters missing from the fonts (shown as boxes); install fonts-noto-cjk / "
            "图表缺少中文字体，请安装 fonts-noto-cjk",
            title,
            len(missing),
        )
    for w in caught:
        if w not in missing:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)

"""The printed brief: an A4 PDF a leader can print, read back with pypdf as a reader's tools would."""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

from govbrief.render.charts import render_chart_svg
from govbrief.render.context import BriefContext, Submission
from govbrief.render.fonts import ALIASES_FILE, ensure_font_aliases
from govbrief.render.pdf import render_pdf
from govbrief.render.templates import render_html
from tests.fixtures.contexts import SCRIPT_SUMMARY, UNITS, sample_ten_day_context
from tests.fixtures.contexts_quarterly import sample_quarterly_context

A4_POINTS = (595.3, 841.9)
MM = 72 / 25.4
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
SECTIONS = (
    "一、总体情况",
    "二、重点行业领域",
    "三、隐患排查整治",
    "四、监管执法",
    "五、债务风险提示",
    "六、报送情况",
    "七、存在问题和下步工作",
)
CORRECTION = "东湖县更正了隐患排查数据：一般隐患整改由441项改为451项。"
LONG_ROWS = 60
LONG_SUBMISSIONS = 16


@dataclass(frozen=True)
class Run:
    """One piece of text as drawn: where (points from the page's top-left), in which face, how big."""

    page: int
    text: str
    face: str  # the font's name without its subset tag: Noto-Serif-CJK-SC
    size: float
    x: float
    y: float


def squeeze(text: str) -> str:
    """Text without line breaks or spaces: PDF extraction wraps lines where the layout did."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf: bytes) -> list[str]:
    return [squeeze(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text_runs(pdf: bytes) -> list[Run]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [run for number, page in enumerate(pages, start=1) for run in page_runs(number, page)]


def page_runs(number: int, page: PageObject) -> list[Run]:
    """Text runs with the text matrix applied to the page's (WeasyPrint: flipped, px → pt) matrix."""
    runs: list[Run] = []
    height = float(page.mediabox.height)

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip() and font is not None:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            face = str(font["/BaseFont"]).partition("+")[2]
            runs.append(Run(number, text.strip(), face, size * abs(tm[3] * cm[3]), x, height - y))

    page.extract_text(visitor_text=visit)
    return runs


def run_starting(runs: list[Run], text: str) -> Run:
    return next(run for run in runs if run.text.startswith(text))


def fonts_of(pdf: bytes) -> list[tuple[str, Any]]:
    """(BaseFont, FontDescriptor) of every font any page uses."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            found.append((str(font["/BaseFont"]).lstrip("/"), descendant["/FontDescriptor"].get_object()))
    return found


def long_context() -> BriefContext:
    """60 hazard rows and submissions whose notes wrap over lines, with a correction and no charts."""
    context = sample_ten_day_context()
    keys = [key for key, _ in context["hazard_table"]["columns"]]
    context["hazard_table"]["rows"] = [
        dict(zip(keys, [f"检查组{n:02d}", str(1000 + n), "300", "291", "97.0%", "1", "1", "0"], strict=True))
        for n in range(1, LONG_ROWS + 1)
    ]
    context["hazard_table"]["lights"] = {}
    context["submissions"] = [long_submission(n) for n in range(1, LONG_SUBMISSIONS + 1)]
    context["charts"] = []
    context["correction"] = CORRECTION
    return context


def long_submission(n: int) -> Submission:
    detail = "报表数据与上期不一致，需核实后重新报送，" * 4 + f"（完{n:02d}）"
    return {"unit": f"填报单位{n:02d}", "status": "late", "status_zh": "逾期报送", "detail": detail}


def short_context(*, with_charts: bool) -> BriefContext:
    """The sample brief cut to a page or two, for tests about the renderer rather than the layout."""
    context = sample_ten_day_context()
    for table in (context["sector_table"], context["hazard_table"], context["enforcement_table"]):
        table["rows"] = table["rows"][:2]
    context["submissions"] = context["submissions"][:2]
    context["alerts"] = context["alerts"][:2]
    context["charts"] = context["charts"][:1] if with_charts else []
    return context


def pages_with(texts: list[str], marker: str) -> list[int]:
    return [number for number, text in enumerate(texts, start=1) if marker in text]


@pytest.fixture(scope="module")
def context() -> BriefContext:
    return sample_ten_day_context()


@pytest.fixture(scope="module")
def pdf(context: BriefContext) -> bytes:
    return render_pdf(context)


@pytest.fixture(scope="module")
def texts(pdf: bytes) -> list[str]:
    return page_texts(pdf)


@pytest.fixture(scope="module")
def runs(pdf: bytes) -> list[Run]:
    return text_runs(pdf)


@pytest.fixture(scope="module")
def long_texts() -> list[str]:
    return page_texts(render_pdf(long_context()))


def test_is_an_a4_pdf(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    for page in pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=1)


def test_chinese_text_and_figures_read_back(context: BriefContext, texts: list[str]) -> None:
    whole = "".join(texts)
    assert "安全生产和政府债务化解旬简报" in whole
    positions = [whole.find(heading) for heading in SECTIONS]
    assert -1 not in positions, dict(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions)
    for unit in UNITS:
        assert unit in whole
    for sentence in context["overview"]["sentences"]:
        assert squeeze(sentence) in whole
    for table in (context["sector_table"], context["hazard_table"], context["enforcement_table"]):
        keys = [key for key, _ in table["columns"]]
        for row in table["rows"] + ([table["total"]] if table["total"] else []):
            assert squeeze("".join(row[key] for key in keys)) in whole, row  # every figure, in row order
    assert squeeze(context["submission_summary"]) in whole


def test_free_text_is_printed_as_text_not_interpreted(texts: list[str]) -> None:
    assert squeeze(SCRIPT_SUMMARY) in "".join(texts)


def test_page_numbers_are_centred_under_the_text(texts: list[str], runs: list[Run]) -> None:
    for number, text in enumerate(texts, start=1):
        assert text.endswith(f"—{number}—"), text[-20:]
    first = run_starting(runs, "— 1 —")
    assert first.size == pytest.approx(14, abs=0.1)  # 4号
    centre = (MARGINS_MM["left"] + (210 - MARGINS_MM["right"])) / 2 * MM
    assert 0 < centre - first.x < 30  # "— 1 —" is about 42 pt wide at 14 pt
    assert first.y > A4_POINTS[1] - MARGINS_MM["bottom"] * MM  # in the bottom margin


def test_text_stays_inside_the_gbt_9704_margins(runs: list[Run]) -> None:
    body = [run for run in runs if not run.text.startswith("—")]
    left = min(run.x for run in body)
    assert left == pytest.approx(MARGINS_MM["left"] * MM, abs=1)
    top_of_type_area = MARGINS_MM["top"] * MM
    bottom_of_type_area = A4_POINTS[1] - MARGINS_MM["bottom"] * MM
    # y is a baseline: the first line's sits one line below the top margin, no line below the bottom one
    assert all(top_of_type_area < run.y <= bottom_of_type_area for run in body)


def test_title_headings_and_body_use_the_official_faces_and_sizes(runs: list[Run]) -> None:
    title = run_starting(runs, "安全生产和政府债务化解旬简报")
    heading = run_starting(runs, "一、总体情况")
    subheading = run_starting(runs, "（一）存在问题")
    body = run_starting(runs, "本旬全市共发生生产安全事故")
    # 小标宋 → the bold serif, 黑体 → the sans, 楷体 → AR PL KaitiM, 仿宋 → the serif (config/fonts.conf)
    assert [title.face, heading.face, subheading.face, body.face] == [
        "Noto-Serif-CJK-SC-Bold",
        "Noto-Sans-CJK-SC",
        "AR-PL-KaitiM-GB",
        "Noto-Serif-CJK-SC",
    ]
    assert [title.size, heading.size, subheading.size, body.size] == pytest.approx([22, 16, 16, 16], abs=0.1)


def test_fonts_are_embedded_as_subsets(pdf: bytes) -> None:
    fonts = fonts_of(pdf)
    assert fonts
    for name, descriptor in fonts:
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name
        assert re.fullmatch(r"[A-Z]{6}\+.+", name), name  # the subset tag
    names = {name.split("+")[1] for name, _ in fonts}
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"} <= names
    assert len(pdf) < 2 * 1024 * 1024  # whole CJK fonts would be tens of MiB


def test_charts_are_vector_drawings_not_pictures(pdf: bytes, texts: list[str]) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    curves = []
    for page in reader.pages:
        operators = Counter(operator for _, operator in ContentStream(page.get_contents(), reader).operations)
        curves.append(operators[b"c"])
        resources: Any = page["/Resources"]
        for xobject in resources.get("/XObject", {}).values():
            assert xobject.get_object()["/Subtype"] != "/Image"
    chart_pages = pages_with(texts, "图1") + pages_with(texts, "图2")
    assert chart_pages
    # matplotlib draws the chart's Chinese lettering as outlines: Bézier curves that tables never need
    assert all(curves[number - 1] > 500 for number in chart_pages)
    assert all(count == 0 for number, count in enumerate(curves, start=1) if number not in chart_pages)


def test_chart_svg_outlines_its_text_and_is_reproducible(context: BriefContext) -> None:
    spec = context["charts"][0]
    svg = render_chart_svg(spec)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert b"<text" not in svg and b"<image" not in svg
    assert render_chart_svg(spec) == svg


def test_no_correction_banner_on_a_first_version(texts: list[str]) -> None:
    assert "更正" not in "".join(texts).split("一、总体情况")[0]


def test_correction_banner_comes_before_the_overview(long_texts: list[str]) -> None:
    before_overview = "".join(long_texts).split("一、总体情况")[0]
    assert "更正" + squeeze(CORRECTION) in before_overview


def test_long_table_repeats_its_header_on_every_page(long_texts: list[str]) -> None:
    pages = sorted({page for n in range(1, LONG_ROWS + 1) for page in pages_with(long_texts, f"检查组{n:02d}")})
    assert len(pages) > 1
    assert pages == list(range(pages[0], pages[-1] + 1))
    for page in pages:
        assert "检查单位（家次）" in long_texts[page - 1], page


def test_table_rows_are_not_split_across_pages(long_texts: list[str]) -> None:
    pages = set()
    for n in range(1, LONG_SUBMISSIONS + 1):
        start, end = pages_with(long_texts, f"填报单位{n:02d}"), pages_with(long_texts, f"（完{n:02d}）")
        assert start == end and len(start) == 1, (n, start, end)
        pages.add(start[0])
        assert "县市区报送情况说明" in long_texts[start[0] - 1]  # the header, repeated
    assert len(pages) > 1


def test_a_successful_render_prints_and_logs_nothing(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        render_pdf(short_context(with_charts=True))
    assert capfd.readouterr() == ("", "")
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []


def test_an_edited_template_cannot_pull_in_local_files(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text y="20">机密内容</text></svg>', "utf-8")
    templates = shutil.copytree(Path(__file__).parents[2] / "reports_templates", tmp_path / "templates")
    edited = templates / "ten_day.html.j2"
    image = f'{{% block content %}}\n<img src="{secret.as_uri()}">'
    edited.write_text(edited.read_text("utf-8").replace("{% block content %}", image, 1), "utf-8")
    with caplog.at_level(logging.WARNING, logger="govbrief.render.pdf"):
        texts = page_texts(render_pdf(short_context(with_charts=False), templates_dir=templates))
    assert "一、总体情况" in "".join(texts)
    assert "机密内容" not in "".join(texts)
    assert any(secret.as_uri() in record.getMessage() for record in caplog.records)


def test_font_aliases_load_after_the_system_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    monkeypatch.delenv("FONTCONFIG_PATH", raising=False)
    generated = ensure_font_aliases()
    assert generated is not None and os.environ["FONTCONFIG_FILE"] == str(generated)
    includes = re.findall(r"<include[^>]*>([^<]+)</include>", generated.read_text("utf-8"))
    assert includes == ["/etc/fonts/fonts.conf", str(ALIASES_FILE.resolve())]


def test_a_deployment_fontconfig_is_left_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    own = tmp_path / "licensed-fonts.conf"
    monkeypatch.setenv("FONTCONFIG_FILE", str(own))
    assert ensure_font_aliases() is None
    assert os.environ["FONTCONFIG_FILE"] == str(own)


def test_importing_the_renderer_does_not_import_weasyprint() -> None:
    probe = "import sys, govbrief.render.pdf; print(sorted({'weasyprint', 'matplotlib'} & set(sys.modules)))"
    repo = Path(__file__).parents[2]
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=repo)
    assert result.stdout.strip() == "[]"


def test_the_quarterly_summary_prints_with_its_sections_and_charts_in_order() -> None:
    context = sample_quarterly_context()
    whole = "".join(page_texts(render_pdf(context)))
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", render_html(context, template="quarterly.html.j2"))
    assert len(headings) == 16
    positions = [whole.find(squeeze(heading)) for heading in headings]
    assert -1 not in positions and positions == sorted(positions)
    assert context["quarterly"] is not None
    for follow_up in context["quarterly"]["follow_ups"]:
        assert squeeze(follow_up["status_zh"]) in whole
    captions = [whole.find(f"图{n}") for n in range(1, len(context["charts"]) + 1)]
    assert -1 not in captions and captions == sorted(captions)

"""The Word form of the briefs: GB/T 9704 page setup and fonts in all three templates, the same figures as
the context, and, for the 月通报 and 季总结, the same sections, tables and charts as the HTML."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from govbrief.render.context import BriefContext
from govbrief.render.docx import docx_template_path, render_docx
from govbrief.render.sandbox import UnsafeTemplateError
from govbrief.render.templates import render_html
from tests.fixtures.contexts import UNITS, sample_ten_day_context
from tests.fixtures.contexts_monthly import sample_monthly_context
from tests.fixtures.contexts_quarterly import sample_quarterly_context

HOSTILE_SUMMARY = "<script>alert(1)</script> & 'x'"
CORRECTION = "西山县11月26日重新报送隐患排查表，全市一般隐患整改率由95.5%更正为95.6%。"
SECTION_HEADINGS = [
    "一、总体情况",
    "二、重点行业领域",
    "三、隐患排查整治",
    "四、监管执法",
    "五、债务风险提示",
    "六、报送情况",
    "七、存在问题和下步工作",
]


@pytest.fixture(scope="module")
def context() -> BriefContext:
    context = sample_ten_day_context()
    context["overview"]["major_accidents"][0]["summary"] = HOSTILE_SUMMARY
    context["correction"] = CORRECTION
    return context


SAMPLES = {"monthly": sample_monthly_context, "quarterly": sample_quarterly_context}
KINDS = ["ten_day", *SAMPLES]


@pytest.fixture(scope="module")
def document(context: BriefContext) -> Document:
    return docx.Document(io.BytesIO(render_docx(context)))


@pytest.fixture(scope="module")
def documents(document: Document) -> dict[str, Document]:
    """The sample brief of each kind as Word documents (the 旬简报 is the fixture above)."""
    rendered = {kind: docx.Document(io.BytesIO(render_docx(make()))) for kind, make in SAMPLES.items()}
    return {"ten_day": document, **rendered}


@pytest.fixture(scope="module", params=KINDS)
def any_document(request: pytest.FixtureRequest, documents: dict[str, Document]) -> Document:
    return documents[request.param]


def all_text(document: Document) -> str:
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def style_of(paragraph: Paragraph) -> ParagraphStyle:
    style = paragraph.style
    assert style is not None
    return style


def east_asian_font(style: ParagraphStyle) -> str | None:
    """The w:eastAsia font a paragraph style sets, looking through its base styles."""
    current: ParagraphStyle | None = style
    while current is not None:
        fonts = current.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        name: str | None = None if fonts is None else fonts.get(qn("w:eastAsia"))
        if name:
            return name
        current = current.base_style
    return None


def font_size(style: ParagraphStyle) -> Pt | None:
    current: ParagraphStyle | None = style
    while current is not None and current.font.size is None:
        current = current.base_style
    return current.font.size if current is not None else None


def table_with_header(document: Document, headers: list[str]) -> Table:
    for table in document.tables:
        if [cell.text for cell in table.rows[0].cells] == headers:
            return table
    raise AssertionError(f"no table with header {headers}")


def rows_text(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def footers(document: Document) -> Iterator[tuple[str, object]]:
    section = document.sections[0]
    yield "odd", section.footer
    yield "even", section.even_page_footer


def test_page_is_a4_with_gbt_9704_margins(any_document: Document) -> None:
    section = any_document.sections[0]
    expected = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    measured = {name: getattr(section, name).mm for name in expected}
    assert measured == pytest.approx(expected, abs=0.5)


def test_page_has_a_line_grid_of_22_lines(any_document: Document) -> None:
    grid = any_document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"


def test_footers_number_pages_between_dashes_in_4hao_songti(any_document: Document) -> None:
    assert any_document.settings.odd_and_even_pages_header_footer
    for side, footer in footers(any_document):
        paragraph = footer.paragraphs[0]  # type: ignore[attr-defined]
        instructions = [node.text for node in paragraph._p.iter(qn("w:instrText"))]
        assert [text.strip() for text in instructions] == ["PAGE"], side
        assert paragraph.text == "— 1 —", side
        assert font_size(style_of(paragraph)) == Pt(14)
        assert east_asian_font(style_of(paragraph)) == "宋体"


def test_normal_style_is_3hao_fangsong_in_chinese(any_document: Document) -> None:
    normal = any_document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert east_asian_font(normal) == "仿宋_GB2312"
    language = normal.element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    assert language.get(qn("w:eastAsia")) == "zh-CN"
    spacing = normal.element.find(f"{qn('w:rPr')}/{qn('w:spacing')}")
    assert Pt(int(spacing.get(qn("w:val"))) / 20) == Pt(-0.25)


def test_body_paragraphs_are_indented_two_characters(document: Document, context: BriefContext) -> None:
    first_sentence = context["overview"]["sentences"][0]
    paragraph = next(p for p in document.paragraphs if p.text == first_sentence)
    indent = style_of(paragraph).element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert indent.get(qn("w:firstLineChars")) == "200"
    assert style_of(paragraph).paragraph_format.first_line_indent == Pt(32)


def test_title_is_centred_22pt(document: Document, context: BriefContext) -> None:
    title = document.paragraphs[0]
    assert title.text == context["title"]
    assert font_size(style_of(title)) == Pt(22)
    assert style_of(title).paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    masthead = [paragraph.text for paragraph in document.paragraphs[1:4]]
    assert masthead[0] == context["issue_label"]
    assert context["period"]["label_zh"] in masthead[1]
    assert context["office"] in masthead[2] and context["issued_on_zh"] in masthead[2]


def test_sections_in_order_with_heiti_and_kaiti_headings(document: Document) -> None:
    level_one = [p for p in document.paragraphs if style_of(p).name == "Heading 1"]
    assert [p.text for p in level_one] == SECTION_HEADINGS
    assert {east_asian_font(style_of(p)) for p in level_one} == {"黑体"}
    level_two = [p for p in document.paragraphs if p.text.startswith("（")]
    assert [p.text for p in level_two] == ["（一）存在问题", "（二）下步工作"]
    assert {east_asian_font(style_of(p)) for p in level_two} == {"楷体_GB2312"}


def test_document_says_what_the_context_says(document: Document, context: BriefContext) -> None:
    text = all_text(document)
    expected = [
        *UNITS,
        *context["overview"]["sentences"],
        *context["debt_alerts"],
        context["submission_summary"],
        *(alert["text"] for alert in context["alerts"]),
        *context["next_steps"],
        *(chart["title"] for chart in context["charts"]),
    ]
    assert [item for item in expected if item not in text] == []


@pytest.mark.parametrize("name", ["sector_table", "hazard_table", "enforcement_table"])
def test_tables_carry_the_contexts_figures(document: Document, context: BriefContext, name: str) -> None:
    source = context[name]  # type: ignore[literal-required]
    keys = [key for key, _ in source["columns"]]
    table = table_with_header(document, [header for _, header in source["columns"]])
    expected_rows = [[row[key] for key in keys] for row in source["rows"]]
    assert rows_text(table)[1:] == [*expected_rows, [source["total"][key] for key in keys]]


def test_hazard_total_row_is_the_citys(document: Document, context: BriefContext) -> None:
    hazard = context["hazard_table"]
    table = table_with_header(document, [header for _, header in hazard["columns"]])
    total = rows_text(table)[-1]
    assert total[0] == "全市"
    assert total == [hazard["total"][key] for key, _ in hazard["columns"]]  # type: ignore[index]


def test_lit_cells_are_shaded_and_others_not(document: Document, context: BriefContext) -> None:
    hazard = context["hazard_table"]
    keys = [key for key, _ in hazard["columns"]]
    table = table_with_header(document, [header for _, header in hazard["columns"]])
    lit = {(int(row), keys.index(key)) for row, lights in hazard["lights"].items() for key in lights}
    for row_index, row in enumerate(table.rows[1:-1]):
        for column, cell in enumerate(row.cells):
            shading = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
            fill = shading.get(qn("w:fill")) if shading is not None else "auto"
            assert (fill != "auto") == ((row_index, column) in lit), (row_index, column)


def test_submissions_table_lists_every_unit(document: Document, context: BriefContext) -> None:
    table = table_with_header(document, ["县市区", "报送情况", "说明"])
    expected = [[item["unit"], item["status_zh"], item["detail"]] for item in context["submissions"]]
    assert rows_text(table)[1:] == expected


def test_charts_are_inline_images_about_145_mm_wide(document: Document, context: BriefContext) -> None:
    shapes = list(document.inline_shapes)
    assert [shape._inline.docPr.get("descr") for shape in shapes] == [chart["alt"] for chart in context["charts"]]
    assert all(140 <= shape.width.mm <= 150 for shape in shapes)
    images = [
        document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed] for shape in shapes
    ]
    assert all(image.blob.startswith(b"\x89PNG") for image in images)
    assert not any(chart["cid"] in paragraph.text for chart in context["charts"] for paragraph in document.paragraphs)


def test_free_text_is_escaped_and_appears_literally(document: Document) -> None:
    assert HOSTILE_SUMMARY in [paragraph.text for paragraph in document.paragraphs]


def test_correction_is_marked_when_present(document: Document) -> None:
    assert f"【更正】{CORRECTION}" in [paragraph.text for paragraph in document.paragraphs]


def test_first_version_has_no_correction_marker() -> None:
    document = docx.Document(io.BytesIO(render_docx(sample_ten_day_context())))
    assert "【更正】" not in all_text(document)


def test_template_that_switches_escaping_off_is_refused(tmp_path: Path) -> None:
    template = docx.Document(str(docx_template_path("ten_day")))
    template.add_paragraph("{{ office|safe }}")
    edited = tmp_path / "edited.docx"
    template.save(str(edited))
    with pytest.raises(UnsafeTemplateError, match="safe"):
        render_docx(sample_ten_day_context(), template=edited)


def html_tree(kind: str, context: BriefContext | None = None) -> Any:
    """The email HTML of the kind's sample brief (or of `context`), parsed."""
    html = render_html(context or SAMPLES[kind](), template=f"{kind}.html.j2")
    return lxml.html.fromstring(html)


def texts(tree: Any, xpath: str) -> list[str]:
    return [element.text_content().strip() for element in tree.xpath(xpath)]


def styled(document: Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if style_of(p).name == style]


@pytest.mark.parametrize("kind", SAMPLES)
def test_sections_and_subsections_are_the_htmls(documents: dict[str, Document], kind: str) -> None:
    tree = html_tree(kind)
    assert styled(documents[kind], "Heading 1") == texts(tree, "//h2")
    assert styled(documents[kind], "Heading 2") == texts(tree, "//h3")


@pytest.mark.parametrize("kind", SAMPLES)
def test_every_table_is_the_htmls_cell_for_cell(documents: dict[str, Document], kind: str) -> None:
    html_tables = [
        [[cell.text_content().strip() for cell in row.xpath("./th|./td")] for row in table.xpath(".//tr")]
        for table in html_tree(kind).xpath("//table")
    ]
    assert len(html_tables) >= 10
    assert [rows_text(table) for table in documents[kind].tables] == html_tables


@pytest.mark.parametrize("kind", SAMPLES)
def test_charts_and_captions_are_the_htmls(documents: dict[str, Document], kind: str) -> None:
    tree = html_tree(kind)
    assert styled(documents[kind], "Brief Caption") == texts(tree, "//p[@class='figure-caption']")
    shown = [shape._inline.docPr.get("descr") for shape in documents[kind].inline_shapes]
    assert shown == tree.xpath("//img/@alt")
    assert len(shown) == len(SAMPLES[kind]()["charts"])


@pytest.mark.parametrize("kind", SAMPLES)
def test_monthly_and_quarterly_sections_say_what_the_context_says(documents: dict[str, Document], kind: str) -> None:
    context = SAMPLES[kind]()
    monthly, quarterly = context["monthly"], context["quarterly"]
    assert monthly is not None
    expected = [
        *monthly["quota_sentences"],
        *monthly["debt_sentences"],
        *monthly["recoveries"],
        *context["debt_alerts"],
        *(alert["text"] for alert in context["alerts"]),
        *context["next_steps"],
    ]
    if quarterly is not None:
        narrative = ("trend_sentences", "band_sentences", "commendations", "achievements", "problems", "measures")
        expected += [line for key in narrative for line in quarterly[key]]  # type: ignore[literal-required]
    text = all_text(documents[kind])
    assert [line for line in expected if line not in text] == []


def test_the_escalation_and_follow_up_tables_name_who_acts_and_why(documents: dict[str, Document]) -> None:
    context = sample_quarterly_context()
    assert context["monthly"] is not None and context["quarterly"] is not None
    document = documents["quarterly"]
    escalations = table_with_header(document, ["县市区", "滞后事项", "督办等级", "督办要求", "滞后情况"])
    expected = [
        [e["unit"], e["target"], e["level"], e["action"], e["streak_zh"]] for e in context["monthly"]["escalations"]
    ]
    assert rows_text(escalations)[1:] == expected
    follow_ups = table_with_header(document, ["县市区", "约谈事项", "约谈层级", "上季末差距", "本季末差距", "整改情况"])
    assert rows_text(follow_ups)[1:] == [
        [f["unit"], f["target"], f["level"], f["gap_then"], f["gap_now"], f["status_zh"]]
        for f in context["quarterly"]["follow_ups"]
    ]


def test_a_quarter_without_half_year_list_or_interviews_says_so() -> None:
    context = sample_quarterly_context()
    assert context["quarterly"] is not None
    context["quarterly"].update(half_year_interviews=None, half_year_label=None, interviews=[], follow_ups=[])
    document = docx.Document(io.BytesIO(render_docx(context)))
    assert styled(document, "Heading 2") == texts(html_tree("quarterly", context), "//h3")
    assert not [h for h in styled(document, "Heading 2") if "常务副市长约谈名单" in h]
    body = [p.text for p in document.paragraphs]
    assert "本季无约谈事项。" in body and "上季度无约谈事项。" in body


@pytest.mark.parametrize("kind", KINDS)
def test_committed_template_is_what_the_build_script_makes(tmp_path: Path, kind: str) -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_docx_template.py"
    spec = importlib.util.spec_from_file_location("build_docx_template", script)
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    built = tmp_path / f"{kind}.docx"
    builder.build(kind, built)
    assert package_parts(built) == package_parts(docx_template_path(kind))


def package_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}

"""The three briefs as HTML email body and plain text, and the hardened template environment."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError

from govbrief.render import UnsafeTemplateError, render_html, render_text, template_environment
from govbrief.render.context import BriefContext
from govbrief.render.templates import DEFAULT_TEMPLATES_DIR
from tests.fixtures.contexts import SCRIPT_SUMMARY, UNITS, sample_ten_day_context
from tests.fixtures.contexts_monthly import sample_monthly_context
from tests.fixtures.contexts_quarterly import sample_quarterly_context

SECTIONS = (
    "一、总体情况",
    "二、重点行业领域",
    "三、隐患排查整治",
    "四、监管执法",
    "五、债务风险提示",
    "六、报送情况",
    "七、存在问题和下步工作",
)


@pytest.fixture(scope="module")
def context() -> BriefContext:
    return sample_ten_day_context()


@pytest.fixture(scope="module")
def html(context: BriefContext) -> str:
    return render_html(context)


@pytest.fixture(scope="module")
def text(context: BriefContext) -> str:
    return render_text(context)


def visible_text(html: str) -> str:
    """Roughly what a reader sees: tags dropped, the few entities we use decoded."""
    stripped = re.sub(r"<[^>]+>", "", html)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#34;", '"'), ("&amp;", "&")):
        stripped = stripped.replace(entity, char)
    return stripped


def test_html_names_every_unit_and_the_period(html: str) -> None:
    for unit in UNITS:
        assert unit in html
    header = ("安全生产和政府债务化解旬简报", "第32期", "2026年11月中旬", "11月11日—11月20日")
    for label in (*header, "2026年11月25日"):
        assert label in html


@pytest.mark.parametrize("render", [render_html, render_text], ids=["html", "text"])
def test_sections_appear_once_in_order(context: BriefContext, render: Callable[[BriefContext], str]) -> None:
    output = render(context)
    positions = [output.find(heading) for heading in SECTIONS]
    assert -1 not in positions, dict(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions)
    assert all(output.count(heading) == 1 for heading in SECTIONS)


def test_styles_are_inlined_and_no_style_block_remains(html: str) -> None:
    assert "<style" not in html
    assert "<link" not in html
    assert re.search(r'<div class="brief" style="[^"]*max-width: 720px', html)
    assert "Noto Sans CJK SC" in html
    # every table cell carries its own borders: a client that drops classes still draws the grid
    cells = re.findall(r"<t[dh]\b[^>]*>", html)
    assert cells and all("style=" in cell and "border" in cell for cell in cells)


def test_traffic_light_cells_are_coloured_and_plain_cells_are_not(html: str) -> None:
    red_cell = re.search(r'<td[^>]*style="([^"]*)"[^>]*>87\.8%</td>', html)
    yellow_cell = re.search(r'<td[^>]*style="([^"]*)"[^>]*>94\.3%</td>', html)
    plain_cell = re.search(r'<td[^>]*style="([^"]*)"[^>]*>98\.9%</td>', html)
    assert red_cell and yellow_cell and plain_cell
    red_bg = re.search(r"background-color: (#\w+)", red_cell.group(1))
    yellow_bg = re.search(r"background-color: (#\w+)", yellow_cell.group(1))
    assert red_bg and yellow_bg and red_bg.group(1) != yellow_bg.group(1)
    assert "background" not in plain_cell.group(1)


def test_major_accident_particulars_are_given(html: str) -> None:
    seen = visible_text(html)
    assert "东湖县11月12日建筑施工较大事故" in seen
    assert "死亡3人，重伤1人，直接经济损失420.00万元" in seen


def test_free_text_is_escaped_not_executed(html: str) -> None:
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    assert SCRIPT_SUMMARY in visible_text(html)


def test_charts_are_referenced_by_content_id_with_alt_text(context: BriefContext, html: str) -> None:
    for chart in context["charts"]:
        tag = re.search(rf'<img[^>]*src="cid:{chart["cid"]}"[^>]*>', html)
        assert tag, chart["cid"]
        assert f'alt="{chart["alt"]}"' in tag.group(0)


def test_correction_banner_only_on_a_correction(context: BriefContext, html: str) -> None:
    note = "东湖县更正了隐患排查数据：一般隐患整改由441项改为451项。"
    corrected: BriefContext = {**context, "correction": note}
    seen = visible_text(render_html(corrected))
    banner = seen.find("更正" + note)
    assert -1 < banner < seen.index("一、总体情况")
    before_overview = visible_text(html).split("一、总体情况")[0]
    assert "更正" not in before_overview
    assert "【更正】" + note in render_text(corrected)


def test_empty_debt_and_alert_sections_say_so(context: BriefContext) -> None:
    quiet: BriefContext = {**context, "debt_alerts": [], "alerts": []}
    for output in (render_html(quiet), render_text(quiet)):
        assert "本期无债务风险红色提示" in output
        assert "本期未发现需要提示的问题" in output
        assert "北坪县11月15日到期" not in output


def test_text_alternative_carries_the_same_figures(context: BriefContext, text: str) -> None:
    for sentence in context["overview"]["sentences"]:
        assert sentence in text
    for unit in UNITS:
        assert unit in text
    assert "整改率 87.8%（红）" in text  # the colour survives as a word
    assert "全市：检查单位（家次） 4742" in text
    assert "合计：本旬起数 5；本旬死亡 6" in text
    assert context["submission_summary"] in text
    for alert in context["alerts"]:
        assert alert["text"] in text
    assert "\n\n\n" not in text


def test_text_alternative_is_not_html_escaped(text: str) -> None:
    assert SCRIPT_SUMMARY in text
    assert "&lt;" not in text and "&amp;" not in text
    assert "<p" not in text and "<td" not in text


def write_templates(folder: Path, **templates: str) -> Path:
    for name, source in templates.items():
        (folder / name.replace("__", ".")).write_text(source, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("<p>{{ title|safe }}</p>", "|safe"),
        ("<p>{{ title | safe }}</p>", "|safe"),
        ("{% filter safe %}{{ title }}{% endfilter %}", "|safe"),
        ("{% autoescape false %}{{ title }}{% endautoescape %}", "{% autoescape %}"),
        ("{% autoescape true %}{{ title }}{% endautoescape %}", "{% autoescape %}"),
    ],
)
def test_templates_that_switch_escaping_off_are_refused(
    tmp_path: Path, context: BriefContext, source: str, named: str
) -> None:
    write_templates(tmp_path, brief__html__j2=f"<h1>ok</h1>\n{source}")
    with pytest.raises(UnsafeTemplateError) as refused:
        render_html(context, template="brief.html.j2", templates_dir=tmp_path)
    assert named in str(refused.value)
    assert refused.value.lineno == 2
    assert "brief.html.j2" in str(refused.value.name)


def test_an_included_partial_is_checked_too(tmp_path: Path, context: BriefContext) -> None:
    write_templates(tmp_path, brief__html__j2='{% include "bad.html.j2" %}', bad__html__j2="{{ title|safe }}")
    with pytest.raises(UnsafeTemplateError):
        render_html(context, template="brief.html.j2", templates_dir=tmp_path)


def test_undefined_variable_raises(tmp_path: Path, context: BriefContext) -> None:
    write_templates(tmp_path, brief__txt__j2="{{ period.label_zh }} {{ titel }}")
    with pytest.raises(UndefinedError, match="titel"):
        render_text(context, template="brief.txt.j2", templates_dir=tmp_path)


def test_only_html_templates_are_escaped(tmp_path: Path, context: BriefContext) -> None:
    same = "{{ overview.major_accidents[0].summary }}"
    write_templates(tmp_path, brief__html__j2=same, brief__txt__j2=same)
    assert "&lt;script&gt;" in render_html(context, template="brief.html.j2", templates_dir=tmp_path)
    assert render_text(context, template="brief.txt.j2", templates_dir=tmp_path) == SCRIPT_SUMMARY + "\n"


def test_sandbox_bounds_repetition_and_refuses_mutation(tmp_path: Path) -> None:
    environment = template_environment(tmp_path)
    with pytest.raises(SecurityError):
        environment.from_string("{{ 'x' * 10000000 }}").render()
    with pytest.raises(SecurityError):
        environment.from_string("{{ 10 ** 100000 }}").render()
    with pytest.raises(SecurityError):
        environment.from_string("{{ rows.append(1) }}").render(rows=[])
    assert environment.from_string("{{ '-' * 3 }}{{ 'ab'.upper() }}").render() == "---AB"


def test_methods_of_non_plain_objects_cannot_be_called(tmp_path: Path) -> None:
    class Frame:
        def to_csv(self, path: str) -> str:
            raise AssertionError("a template must not reach this")

    with pytest.raises(SecurityError):
        template_environment(tmp_path).from_string("{{ frame.to_csv('/tmp/x') }}").render(frame=Frame())


def test_environment_is_cached_per_folder(tmp_path: Path) -> None:
    assert template_environment(tmp_path) is template_environment(tmp_path / ".")
    assert template_environment(tmp_path) is not template_environment()


MONTHLY_SECTIONS = (
    "一、总体情况",
    "二、县市区综合排名",
    "三、重点行业领域",
    "四、隐患排查整治",
    "五、监管执法",
    "六、死亡控制指标使用情况",
    "七、政府债务化解",
    "八、重点工作推进情况",
    "九、督办事项",
    "十、报送情况",
    "十一、存在问题和下步工作",
)
QUARTERLY_SECTIONS = (
    "一、总体情况",
    "二、季度趋势",
    "三、县市区综合排名",
    "四、重点行业领域",
    "五、隐患排查整治",
    "六、监管执法",
    "七、死亡控制指标使用情况",
    "八、政府债务化解",
    "九、债务风险等级变化",
    "十、重点工作推进情况",
    "十一、督办事项",
    "十二、约谈情况",
    "十三、上季度约谈整改跟踪",
    "十四、通报表扬",
    "十五、报送情况",
    "十六、成效、问题和措施",
)
BRIEFS = {
    "ten_day": (sample_ten_day_context, SECTIONS),
    "monthly": (sample_monthly_context, MONTHLY_SECTIONS),
    "quarterly": (sample_quarterly_context, QUARTERLY_SECTIONS),
}


def rendered(kind: str, form: str) -> str:
    make_context, _ = BRIEFS[kind]
    render = render_html if form == "html" else render_text
    return render(make_context(), template=f"{kind}.{form}.j2")


def headings(html: str, level: str = "h2") -> list[str]:
    return [visible_text(text) for text in re.findall(rf"<{level}\b[^>]*>(.*?)</{level}>", html)]


@pytest.mark.parametrize("form", ["html", "txt"])
@pytest.mark.parametrize("kind", ["monthly", "quarterly"])
def test_every_brief_has_its_sections_once_in_order(kind: str, form: str) -> None:
    output = rendered(kind, form)
    sections = BRIEFS[kind][1]
    positions = [output.find(heading) for heading in sections]
    assert -1 not in positions, dict(zip(sections, positions, strict=True))
    assert positions == sorted(positions)
    assert all(output.count(heading) == 1 for heading in sections)


def test_html_has_exactly_the_sections_of_its_brief() -> None:
    for kind, (_, sections) in BRIEFS.items():
        assert headings(rendered(kind, "html")) == list(sections), kind


def test_the_three_briefs_are_lists_of_sections_without_markup_of_their_own() -> None:
    for kind in BRIEFS:
        for form in ("html", "txt"):
            source = (DEFAULT_TEMPLATES_DIR / f"{kind}.{form}.j2").read_text(encoding="utf-8")
            content = source.split("{% block content %}", 1)[1].split("{% endblock %}", 1)[0]
            calls = [line for line in content.splitlines() if line.strip()]
            # every line places a section (or names a group of charts): no heading, paragraph or table of its own
            assert all(line.startswith(("{{ ", "{% set ")) for line in calls), (kind, form)
            assert "<" not in content


def test_quarterly_says_what_its_sections_say() -> None:
    context = sample_quarterly_context()
    quarterly = context["quarterly"]
    assert quarterly is not None
    seen = visible_text(rendered("quarterly", "html"))
    text = rendered("quarterly", "txt")
    expected = [
        *quarterly["trend_sentences"],
        *quarterly["band_sentences"],
        *quarterly["commendations"],
        *quarterly["achievements"],
        *quarterly["problems"],
        *quarterly["measures"],
        *(alert["text"] for alert in context["alerts"]),
        *context["next_steps"],
    ]
    for output in (seen, text):
        assert [line for line in expected if line not in output] == []
    assert "（二）2026年上半年常务副市长约谈名单" in seen and "（二）2026年上半年常务副市长约谈名单" in text
    assert (
        "东湖县（年度化债任务，分管市领导约谈）：与序时进度差由-8.5个百分点变为+0.4个百分点，已追上序时进度。" in text
    )


def section_of(html: str, heading: str, next_heading: str) -> str:
    """The visible text of one section, cells run together (whitespace dropped) in reading order."""
    return re.sub(r"\s+", "", visible_text(html[html.index(heading) : html.index(next_heading)]))


def test_quarterly_tables_carry_their_rows() -> None:
    html = rendered("quarterly", "html")
    trend = section_of(html, "二、季度趋势", "三、县市区综合排名")
    assert "化解隐性债务（亿元）14.2012.00+18.3%11.50+23.5%26.20" in trend
    interviews = section_of(html, "十二、约谈情况", "十三、上季度约谈整改跟踪")
    assert interviews.count("城关区年度化债任务常务副市长约谈") == 2  # 本季 and 半年 lists
    assert "西山县年度化债任务分管市领导约谈" in interviews
    follow_ups = section_of(html, "十三、上季度约谈整改跟踪", "十四、通报表扬")
    assert "城关区年度化债任务分管市领导约谈-12.0个百分点-20.0个百分点仍滞后，升级为常务副市长约谈" in follow_ups
    bands = section_of(html, "九、债务风险等级变化", "十、重点工作推进情况")
    assert "临江市红色橙色下降" in bands


def test_half_year_list_only_in_q2_and_q4_and_empty_lists_say_so() -> None:
    context = sample_quarterly_context()
    assert context["quarterly"] is not None
    context["quarterly"]["half_year_interviews"] = None
    context["quarterly"]["half_year_label"] = None
    context["quarterly"]["follow_ups"] = []
    context["quarterly"]["interviews"] = []
    for output in (
        render_html(context, template="quarterly.html.j2"),
        render_text(context, template="quarterly.txt.j2"),
    ):
        assert "常务副市长约谈名单" not in output
        assert "本季无约谈事项。" in output
        assert "上季度无约谈事项。" in output


def test_figures_are_numbered_in_the_order_they_appear() -> None:
    context = sample_quarterly_context()
    html = rendered("quarterly", "html")
    order = sorted(context["charts"], key=lambda chart: html.index(f'src="cid:{chart["cid"]}"'))
    assert [chart["cid"] for chart in order] == ["chart1", "chart3", "chart2"]
    captions = re.findall(r"图(\d+)\u3000([^<]+)</p>", html)
    assert captions == [(str(n), chart["title"]) for n, chart in enumerate(order, start=1)]
    assert all(html.count(f'src="cid:{chart["cid"]}"') == 1 for chart in context["charts"])
    text = rendered("quarterly", "txt")
    assert [text.index(f"图{n}\u3000{chart['title']}") for n, chart in enumerate(order, start=1)] == sorted(
        text.index(f"图{n}\u3000{chart['title']}") for n, chart in enumerate(order, start=1)
    )


def test_an_empty_half_year_list_names_the_half_year() -> None:
    context = sample_quarterly_context()
    assert context["quarterly"] is not None
    context["quarterly"].update(half_year_interviews=[], half_year_label="2026年下半年")
    for output in (
        render_html(context, template="quarterly.html.j2"),
        render_text(context, template="quarterly.txt.j2"),
    ):
        assert "（二）2026年下半年常务副市长约谈名单" in output
        assert "2026年下半年无常务副市长约谈事项。" in output

"""The 旬简报 as HTML email body and plain text, and the hardened template environment."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError

from govbrief.briefs.context import BriefContext
from govbrief.render import UnsafeTemplateError, render_html, render_text, template_environment
from tests.fixtures.contexts import SCRIPT_SUMMARY, UNITS, sample_ten_day_context

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

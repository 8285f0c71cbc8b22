"""`govbrief check-templates`: edited templates are linted before use, with bilingual per-line findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govbrief.cli.main import app
from govbrief.render.template_lint import Finding, lint_folder, lint_template
from govbrief.render.templates import DEFAULT_TEMPLATES_DIR

SUMMARY_LINE = '<p class="accident-summary">{{ accident.summary }}</p>'


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """An analyst's working copy of the repo's templates."""
    return Path(shutil.copytree(DEFAULT_TEMPLATES_DIR, tmp_path / "reports_templates"))


def check(*paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check-templates", *map(str, paths)])
    return result.exit_code, result.output


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_the_repo_templates_pass() -> None:
    code, output = check()
    assert code == 0, output
    assert "拒绝0个" in output and "0 refused" in output


def test_every_shipped_template_is_checked_and_clean_the_quarterly_ones_included() -> None:
    files = [*DEFAULT_TEMPLATES_DIR.rglob("*.j2"), *DEFAULT_TEMPLATES_DIR.rglob("*.docx")]
    shipped = sorted(p.relative_to(DEFAULT_TEMPLATES_DIR).as_posix() for p in files)
    results = lint_folder(DEFAULT_TEMPLATES_DIR)
    assert sorted(results) == shipped
    assert {"ten_day.docx", "monthly.docx", "quarterly.docx"} <= set(shipped)
    assert {"quarterly.html.j2", "quarterly.txt.j2", "quarterly.print.html.j2"} <= set(shipped)
    assert {name for name in shipped if name.startswith("partials/sections/")} >= {
        f"partials/sections/{section}.{form}.j2"
        for section in ("overview", "tables", "debt", "escalations", "submissions", "closing")
        for form in ("html", "txt")
    }
    assert {name: found for name, found in results.items() if found} == {}
    code, output = check()
    assert code == 0 and f"{len(shipped)} templates checked: {len(shipped)} passed, 0 refused" in output


def test_an_edited_template_with_safe_is_refused_with_a_clear_message(templates: Path) -> None:
    brief = templates / "partials" / "sections" / "overview.html.j2"
    edited = SUMMARY_LINE.replace("accident.summary", "accident.summary|safe")
    brief.write_text(brief.read_text(encoding="utf-8").replace(SUMMARY_LINE, edited), encoding="utf-8")
    line = line_of(brief, "|safe")

    code, output = check(templates)

    assert code == 1
    expected = f"partials/sections/overview.html.j2 第{line}行：禁止使用 |safe 过滤器（模板不得关闭转义） / "
    expected += f"line {line}: the |safe filter is not allowed"
    assert expected in output
    assert "拒绝1个" in output and "1 refused" in output
    assert output.count("✗") == 1  # only the edited template is named


def test_a_single_template_file_can_be_checked(templates: Path) -> None:
    partial = templates / "partials" / "alerts.html.j2"
    partial.write_text(partial.read_text(encoding="utf-8").replace("{{ alert.text }}", "{{ alert.text|safe }}"))
    code, output = check(partial)
    assert code == 1
    assert f"partials/alerts.html.j2 第{line_of(partial, '|safe')}行" in output
    assert "1 templates checked" in output


def write(folder: Path, name: str, source: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return name


def findings(folder: Path, name: str, source: str) -> list[Finding]:
    return lint_template(folder, write(folder, name, source))


@pytest.mark.parametrize(
    ("source", "line", "zh", "en"),
    [
        ("<p>\n{% filter safe %}{{ title }}{% endfilter %}", 2, "|safe", "the |safe filter"),
        ("<p>\n\n{% autoescape false %}{{ title }}{% endautoescape %}", 3, "{% autoescape %}", "autoescape"),
        (
            "{{ title }}\n{{ overview.to_csv('/tmp/x') }}",
            2,
            "禁止调用方法 .to_csv()",
            "calling .to_csv() is not allowed",
        ),
        ("{{ title.__class__ }}", 1, "下划线开头的名称 __class__", "names starting with _"),
        ("{{ period['_hidden'] }}", 1, "下划线开头的名称 _hidden", "names starting with _"),
        ('\n{% include "../../etc/passwd" %}', 2, "模板目录以外", "outside the templates folder"),
        ('{% include "notes.txt.j2" %}', 1, "转义方式不同", "escaped differently"),
        ("{% include title %}", 1, "必须直接写明", "literally"),
        ('{% include "missing.html.j2" %}', 1, "不存在", "does not exist"),
        ("{{ title }}\n{{ titel }}", 2, "未声明的变量 titel", "undeclared variable titel"),
        ("{% for x in rows %}\n{% if %}{% endif %}{% endfor %}", 2, "语法错误", "syntax error"),
        ("{{ title|no_such_filter }}", 1, "无法编译", "does not compile"),
    ],
)
def test_forbidden_constructs_are_named_with_their_line(
    tmp_path: Path, source: str, line: int, zh: str, en: str
) -> None:
    write(tmp_path, "notes.txt.j2", "{{ title }}")
    found = findings(tmp_path, "monthly.html.j2", source)
    assert any(f.line == line and zh in f.message_zh and en in f.message_en for f in found), found
    assert all(f.severity == "error" for f in found)


def test_a_brief_may_use_every_key_of_its_context_and_its_own_names(tmp_path: Path) -> None:
    source = (
        '{% from "parts.html.j2" import cell %}{% set heading = title ~ issue_label %}'
        "{% macro item(value) %}<li>{{ value }}</li>{% endmacro %}"
        "{% block content %}{{ heading }}{{ period.label_zh|upper }}{{ cell(city) }}"
        "{% for step in next_steps %}{{ item(step) }}{{ loop.cycle('a', 'b') }}{% endfor %}"
        "{{ sector_table.lights.get('0', {}).items()|list }}{{ range(3)|join }}{% endblock %}"
    )
    write(tmp_path, "parts.html.j2", "{% macro cell(v) %}<td>{{ v }}</td>{% endmacro %}")
    assert findings(tmp_path, "quarterly.html.j2", source) == []


def test_other_templates_are_checked_against_their_declared_data(tmp_path: Path) -> None:
    assert findings(tmp_path, "returned.txt.j2", "{{ clerk_name }} {{ problems|length }}") == []
    found = findings(tmp_path, "returned.txt.j2", "{{ clerk_name }} {{ overview }}")
    assert [f.message_en for f in found] == [
        "undeclared variable overview: the data this template receives has no such key"
    ]
    assert findings(tmp_path, "partials/list.html.j2", "{{ title }}")[0].message_zh.startswith("未声明的变量 title")


def test_a_stylesheet_with_template_code_is_refused_where_it_is_included(tmp_path: Path) -> None:
    write(tmp_path, "brief.css", "p { color: red; }\n{{ overview }}")
    found = findings(tmp_path, "ten_day.html.j2", '<style>\n{% include "brief.css" %}</style>')
    assert [(f.line, f.message_en) for f in found] == [
        (2, "the static file brief.css may not contain template code (it is inserted unescaped)")
    ]


def test_an_unknown_template_is_a_warning_not_a_refusal(tmp_path: Path) -> None:
    write(tmp_path, "poster.html.j2", "{{ anything }}")
    code, output = check(tmp_path)
    assert code == 0
    assert "! poster.html.j2 第1行：不认识的模板，变量未核对" in output


def add_paragraph(word_template: Path, text: str) -> None:
    """What an analyst does in Word: type a paragraph into the template and save it."""
    import docx

    document = docx.Document(str(word_template))
    document.add_paragraph(text)
    document.save(str(word_template))


def test_a_word_template_edited_with_safe_or_an_unknown_field_is_refused_naming_the_paragraph(
    templates: Path,
) -> None:
    word = templates / "monthly.docx"
    add_paragraph(word, "督查意见：{{ opinion|safe }}")

    code, output = check(word)

    assert code == 1
    refused = [line for line in output.splitlines() if "monthly.docx" in line and "✗" in line]
    assert any("“督查意见：{{ opinion|safe }}”" in line and "safe" in line for line in refused), output
    assert any("未声明的变量 opinion" in line and "undeclared variable opinion" in line for line in refused), output
    assert "1 refused" in output


def test_a_damaged_word_template_is_refused_not_a_crash(templates: Path) -> None:
    (templates / "ten_day.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    findings = lint_template(templates, "ten_day.docx")
    assert [f.message_en.split(":")[0] for f in findings] == ["cannot read the Word template"]

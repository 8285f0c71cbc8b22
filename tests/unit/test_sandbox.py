"""The hardened template sandbox: time and size limits, plain data only, escaping that cannot be switched off."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from jinja2 import Environment, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateAssertionError
from markupsafe import Markup

from govbrief.render import UnsafeTemplateError, template_environment
from govbrief.render.sandbox import RenderLimitError, RenderLimits, UnsafeContextError

FREE_TEXT = "<script>alert(1)</script> & 'x'"  # 简要情况 as a county might type it
SHORT = RenderLimits(seconds=0.3, max_output_chars=10_000)


@pytest.fixture
def environment(tmp_path: Path) -> Environment:
    return template_environment(tmp_path, limits=SHORT)


def render(environment: Environment, source: str, **context: object) -> str:
    return environment.from_string(source).render(context)


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% set xs = range(100000)|list %}{% for i in xs %}{% for j in xs if j < 0 %}{% endfor %}{% endfor %}",
        "{% macro grow(n) %}{% if n %}{{ grow(n - 1) }}{{ grow(n - 1) }}{% endif %}{% endmacro %}{{ grow(60) }}",
    ],
    ids=["nested-ranges", "nested-lists-no-output", "branching-recursion"],
)
def test_runaway_templates_stop_at_the_time_limit(environment: Environment, source: str) -> None:
    started = time.monotonic()
    with pytest.raises(RenderLimitError) as stopped:
        render(environment, source)
    assert time.monotonic() - started < 3  # stopped near the 0.3 s limit, not after hours
    assert "0.3秒上限" in str(stopped.value) and "0.3 s limit" in str(stopped.value)


def test_the_time_limit_works_in_a_worker_thread(environment: Environment) -> None:
    endless = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    with ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(RenderLimitError):
        pool.submit(render, environment, endless).result(timeout=10)


def test_deep_recursion_is_stopped_with_a_clear_error(environment: Environment) -> None:
    with pytest.raises(RenderLimitError, match=r"递归过深.*recursion too deep"):
        render(environment, "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}")


def test_a_huge_range_is_refused_before_looping(environment: Environment) -> None:
    with pytest.raises(SecurityError, match=r"range\(\) 最多100000项.*limited to 100000 items"):
        render(environment, "{% for i in range(10**9) %}{% endfor %}")


def test_output_is_capped(environment: Environment) -> None:
    with pytest.raises(RenderLimitError, match=r"10000个字符上限.*10000 characters"):
        render(environment, "{% for i in range(2000) %}0123456789{% endfor %}")


def test_the_default_limits_are_five_seconds_and_five_million_characters(tmp_path: Path) -> None:
    limits = getattr(template_environment(tmp_path), "limits", None)
    assert limits == RenderLimits(seconds=5.0, max_output_chars=5_000_000)


@pytest.mark.parametrize(
    "source",
    [
        "{% set a = 'x' * 100000 %}{% set b = a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a %}",
        "{% set ns = namespace(s='x' * 90000) %}{% for i in range(20) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "{{ 'x'.center(100000000) }}",
        "{{ 'x'|center(100000000) }}",
        "{{ 'x'|indent(100000000) }}",
        "{{ '%100000000s'|format(1) }}",
        "{{ '{:>100000000}'.format(1) }}",
        "{{ '%100000000d' % 1 }}",
        "{{ 'x' * 10000000 }}",
        "{{ 10 ** 100000 }}",
        "{% set ns = namespace(n=3) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
        "{{ [1]|batch(1000000000, 0)|list }}",
        "{{ [1]|slice(1000000000)|list }}",
    ],
)
def test_values_that_would_exhaust_memory_are_refused(environment: Environment, source: str) -> None:
    with pytest.raises(SecurityError):
        render(environment, source)


def test_ordinary_formatting_still_works(environment: Environment) -> None:
    source = (
        "{{ '%5s'|format('a') }}|{{ 'ab'.center(6) }}|{{ 1 + 2 }}|{{ 'a' ~ 'b' }}|{{ 7 % 3 }}|{{ [1] + [2] }}|"
        "{% set ns = namespace(n=0) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"
    )
    assert render(environment, source) == "    a|  ab  |3|ab|1|[1, 2]|6"


def test_free_text_with_big_numbers_and_percent_signs_is_not_taken_for_a_width(environment: Environment) -> None:
    text = "完成率达到1000%，同比增长12345元"
    source = "{{ x|indent(2) }}|{{ '%s（摘要）'|format(x) }}|{{ x|center(3) }}|{{ ([x] * 3)|batch(2)|list|length }}"
    assert render(environment, source, x=text) == f"{text}|{text}（摘要）|{text}|2"


@pytest.mark.parametrize(
    "source",
    [
        "{{ x }}",
        "{{ x|string }}",
        "{{ x|e|string }}",
        "{{ '%s'|format(x) }}",
        "{{ '{}'.format(x) }}",
        "{{ '<p>%s</p>' % x }}",
        "{{ x ~ '' }}",
        "{{ x|replace('&lt;', '<') }}",
        "{{ x|title|trim|indent(2) }}",
        "{{ [x]|join(',') }}",
        "{{ x|urlize }}",
        "{% set copy %}{{ x }}{% endset %}{{ copy|replace('&lt;', '<') }}",
        "{% macro show(v) %}{{ v }}{% endmacro %}{{ show(x)|replace('&lt;', '<') }}",
    ],
)
def test_free_text_from_returns_is_always_escaped_in_html(environment: Environment, source: str) -> None:
    html = render(environment, source, x=FREE_TEXT)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html.lower()


def test_free_text_stays_escaped_in_json(environment: Environment) -> None:
    html = render(environment, "<div data-x='{{ x|tojson }}'></div>", x=FREE_TEXT)
    assert "<script" not in html.lower() and "'x'" not in html


@pytest.mark.parametrize(
    ("value", "named"),
    [(Markup("<b>trusted?</b>"), "Markup"), ({"rows": [1, object()]}, "object"), ({1: "x", "y": {2, 3}}, "set")],
)
def test_only_plain_data_reaches_a_template(environment: Environment, value: object, named: str) -> None:
    with pytest.raises(UnsafeContextError, match=f"模板只接收普通数据.*plain data only.*{named}"):
        render(environment, "{{ value }}", value=value)


def test_safe_filter_do_statement_and_lipsum_do_not_exist(environment: Environment) -> None:
    with pytest.raises(TemplateAssertionError, match="safe"):
        render(environment, "{{ x|safe }}", x=FREE_TEXT)
    with pytest.raises(UndefinedError, match="lipsum"):
        render(environment, "{{ lipsum(1000000000) }}")
    with pytest.raises(TemplateSyntaxError):
        render(environment, "{% do x %}", x=FREE_TEXT)


def write(folder: Path, **files: str) -> None:
    for name, source in files.items():
        path = folder / name.replace("__", ".").replace("_SLASH_", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({"notes__txt__j2": "{{ x }}", "page__html__j2": '<p>{% include "notes.txt.j2" %}</p>'}, "notes.txt.j2"),
        (
            {"shell__txt__j2": "{% block b %}{% endblock %}", "page__html__j2": '{% extends "shell.txt.j2" %}'},
            ".txt.j2",
        ),
        ({"page__html__j2": "{% include name %}"}, "literally"),
        (
            {"style__css": "p { color: red; } {{ x }}", "page__html__j2": '<style>{% include "style.css" %}</style>'},
            "style.css",
        ),
    ],
    ids=["text-included-in-html", "html-extends-text", "computed-name", "static-file-with-code"],
)
def test_references_that_would_bypass_escaping_are_refused(tmp_path: Path, files: dict[str, str], named: str) -> None:
    write(tmp_path, **files)
    with pytest.raises(UnsafeTemplateError) as refused:
        template_environment(tmp_path).get_template("page.html.j2").render(x=FREE_TEXT, name="notes.txt.j2")
    assert named in str(refused.value)


def test_a_plain_stylesheet_and_same_kind_partials_are_fine(tmp_path: Path) -> None:
    write(
        tmp_path,
        style__css='p > b { font-family: "Noto Sans CJK SC"; }',
        parts_SLASH_cell__html__j2="{% macro cell(v) %}<td>{{ v }}</td>{% endmacro %}",
        page__html__j2='<style>{% include "style.css" %}</style>'
        '{% from "parts/cell.html.j2" import cell %}{{ cell(x) }}',
    )
    html = template_environment(tmp_path).get_template("page.html.j2").render(x=FREE_TEXT)
    assert html.startswith('<style>p > b { font-family: "Noto Sans CJK SC"; }</style><td>&lt;script&gt;')

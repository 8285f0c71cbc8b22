"""The sections of the briefs as template entries, each taking its numbered heading: the Word twins
of reports_templates/partials/sections/*.html.j2 (same headings, order, tables and wording)."""

from __future__ import annotations

import json

from .blocks import Entry

# Traffic lights as cell shading, as in the email (pale, so the figures stay legible in print).
LIGHT_FILLS = 'dict(red="F4CCCC", orange="FCE5CD", yellow="FFF2CC")'
# Lists of records shown as tables: [key, header] as in partials/sections/escalations.html.j2.
ESCALATION_COLUMNS = [
    ["unit", "县市区"],
    ["target", "滞后事项"],
    ["level", "督办等级"],
    ["action", "督办要求"],
    ["streak_zh", "滞后情况"],
]
FOLLOW_UP_COLUMNS = [
    ["unit", "县市区"],
    ["target", "约谈事项"],
    ["level", "约谈层级"],
    ["gap_then", "上季末差距"],
    ["gap_now", "本季末差距"],
    ["status_zh", "整改情况"],
]
SUB_NUMBERS = ("（一）", "（二）", "（三）")


def preamble() -> list[Entry]:
    """Names the body uses: the light words and fills, and the one table macro."""
    return [
        ("Normal", '{%p set level_zh = dict(red="红色", orange="橙色", yellow="黄色") %}'),
        ("Normal", "{%p set fills = " + LIGHT_FILLS + " %}"),
        ("Normal", "{%p macro data_table(t) %}"),
        (None, "data_table"),
        ("Normal", "{%p if t.note %}"),
        ("Table Note", "{{ t.note }}"),
        ("Normal", "{%p endif %}"),
        ("Normal", "{%p endmacro %}"),
    ]


def masthead() -> list[Entry]:
    """Title, issue, period, the office and date over the red rule, and the 更正 note if any."""
    return [
        ("Brief Title", "{{ title }}"),
        ("Brief Masthead", "{{ issue_label }}"),
        ("Brief Masthead", "{{ period.label_zh }}（{{ period.range_zh }}）"),
        (None, "office_line"),
        *when("correction", [("Body Text", "【更正】{{ correction }}")]),
    ]


def overview(heading: str, charts: str, first: str) -> list[Entry]:
    """总体情况: sentences, each 较大及以上 accident, then the charts `charts` numbered from `first`."""
    accident = (
        "{{ accident.unit }}{{ accident.occurred_on_zh }}{{ accident.sector }}{{ accident.grade }}事故："
        "死亡{{ accident.deaths }}人，重伤{{ accident.serious_injuries }}人，"
        "直接经济损失{{ accident.direct_loss_wan }}万元。"
    )
    return [
        ("Heading 1", heading),
        *each("sentence in overview.sentences", "{{ sentence }}"),
        ("Normal", "{%p for accident in overview.major_accidents %}"),
        ("Body Text", accident),
        ("Body Text", "{{ accident.summary }}"),
        ("Normal", "{%p endfor %}"),
        *figures(charts, first),
    ]


def table_section(heading: str, table: str, sentences: str = "", charts: str = "", first: str = "1") -> list[Entry]:
    """Sentences, one context Table, and optionally figures."""
    return [
        ("Heading 1", heading),
        *(each(f"sentence in {sentences}", "{{ sentence }}") if sentences else []),
        ("Normal", f"{{{{p data_table({table}) }}}}"),
        *(figures(charts, first) if charts else []),
    ]


def debt_flags(heading: str) -> list[Entry]:
    """The 旬简报's 债务风险提示: red flags only."""
    return [
        ("Heading 1", heading),
        *each("flag in debt_alerts", "{{ flag }}", otherwise="本期无债务风险红色提示。"),
        *when("debt_note", [("Body Text", "{{ debt_note }}")]),
    ]


def debt_section(heading: str, charts: str, first: str) -> list[Entry]:
    """政府债务化解: sentences, red flags, the county table, the 化债进度 chart, the channels."""
    return [
        ("Heading 1", heading),
        *each("sentence in monthly.debt_sentences", "{{ sentence }}"),
        *when("debt_alerts", [("Heading 2", "债务风险红色提示"), *each("flag in debt_alerts", "{{ flag }}")]),
        ("Normal", "{{p data_table(monthly.debt_table) }}"),
        *figures(charts, first),
        ("Heading 2", "化债渠道（“六个一批”）"),
        ("Normal", "{{p data_table(monthly.channel_table) }}"),
        *when("debt_note", [("Body Text", "{{ debt_note }}")]),
    ]


def escalations(heading: str, none_found: str) -> list[Entry]:
    """督办事项, then who caught up."""
    return [
        ("Heading 1", heading),
        *records("monthly.escalations", ESCALATION_COLUMNS, none_found),
        *each("line in monthly.recoveries", "{{ line }}"),
    ]


def interviews(heading: str) -> list[Entry]:
    """约谈: the quarter's list and, in Q2/Q4, the half-year 常务副市长约谈 list."""
    half_year = "quarterly.half_year_interviews"
    return [
        ("Heading 1", heading),
        ("Heading 2", "（一）本季约谈名单"),
        *records("quarterly.interviews", ESCALATION_COLUMNS, "本季无约谈事项。"),
        *when(
            f"{half_year} is not none",
            [
                ("Heading 2", "（二）{{ quarterly.half_year_label }}常务副市长约谈名单"),
                *records(half_year, ESCALATION_COLUMNS, "{{ quarterly.half_year_label }}无常务副市长约谈事项。"),
            ],
        ),
    ]


def follow_ups(heading: str) -> list[Entry]:
    """Last quarter's 约谈 and where each stands now."""
    return [("Heading 1", heading), *records("quarterly.follow_ups", FOLLOW_UP_COLUMNS, "上季度无约谈事项。")]


def commendations(heading: str) -> list[Entry]:
    """通报表扬, one paragraph each."""
    return [("Heading 1", heading), *each("line in quarterly.commendations", "{{ line }}")]


def submissions(heading: str) -> list[Entry]:
    """报送情况: the summary and one row per unit."""
    return [("Heading 1", heading), ("Body Text", "{{ submission_summary }}"), (None, "submissions_table")]


def problems_and_next_steps(heading: str, none_found: str, *, narrative: bool = False) -> list[Entry]:
    """存在问题 (the alerts) and 下步工作; with the narrative, the 季总结's 成效、问题、措施 close."""
    numbers = iter(SUB_NUMBERS)
    alert = "{{ loop.index }}．【{{ level_zh[alert.level] }}】{{ alert.text }}"
    if not narrative:
        return [
            ("Heading 1", heading),
            ("Heading 2", f"{next(numbers)}存在问题"),
            *each("alert in alerts", alert, otherwise=none_found),
            ("Heading 2", f"{next(numbers)}下步工作"),
            *each("step in next_steps", "{{ loop.index }}．{{ step }}"),
        ]
    return [
        ("Heading 1", heading),
        ("Heading 2", f"{next(numbers)}主要成效"),
        *each("line in quarterly.achievements", "{{ line }}"),
        ("Heading 2", f"{next(numbers)}存在问题"),
        *each("line in quarterly.problems", "{{ line }}"),
        ("Normal", "{%p for alert in alerts %}"),
        ("Body Text", alert),
        ("Normal", "{%p else %}"),
        *when("not quarterly.problems", [("Body Text", none_found)]),
        ("Normal", "{%p endfor %}"),
        ("Heading 2", f"{next(numbers)}下步措施"),
        *each("line in quarterly.measures", "{{ line }}"),
        *each("step in next_steps", "{{ loop.index }}．{{ step }}"),
    ]


def figures(charts: str, first: str) -> list[Entry]:
    """Each chart of `charts` (a template expression) on a paragraph of its own, numbered from `first`."""
    return [
        ("Normal", f"{{%p for chart in {charts} %}}"),
        ("Brief Figure", "{{ chart.cid }}"),  # replaced by the chart image after rendering
        ("Brief Caption", f"图{{{{ loop.index0 + {first} }}}}　{{{{ chart.title }}}}"),
        ("Normal", "{%p endfor %}"),
    ]


def records(items: str, columns: list[list[str]], none_found: str) -> list[Entry]:
    """A list of records (督办, 约谈, follow-ups) as a data table, or a sentence saying there are none."""
    # No braces in the expression: docxtpl finds the end of `{{p … }}` at the first "}".
    table = f"dict(columns={json.dumps(columns, ensure_ascii=False)}, rows={items}, total=none, lights=dict(), note='')"
    return [
        ("Normal", f"{{%p if {items} %}}"),
        ("Normal", f"{{{{p data_table({table}) }}}}"),
        ("Normal", "{%p else %}"),
        ("Body Text", none_found),
        ("Normal", "{%p endif %}"),
    ]


def each(loop: str, line: str, *, otherwise: str = "") -> list[Entry]:
    """One Body Text paragraph per item (`loop` is the for-clause), or `otherwise` when there is none."""
    fallback: list[Entry] = [("Normal", "{%p else %}"), ("Body Text", otherwise)] if otherwise else []
    return [("Normal", f"{{%p for {loop} %}}"), ("Body Text", line), *fallback, ("Normal", "{%p endfor %}")]


def when(condition: str, entries: list[Entry]) -> list[Entry]:
    """`entries` only when the template expression `condition` holds."""
    return [("Normal", f"{{%p if {condition} %}}"), *entries, ("Normal", "{%p endif %}")]

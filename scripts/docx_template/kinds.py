"""Each brief's Word template as a list of sections in order, as in reports_templates/{kind}.html.j2."""

from __future__ import annotations

from . import sections as s
from .blocks import Entry

KIND_ZH = {"ten_day": "旬简报", "monthly": "月通报", "quarterly": "季总结"}

TEN_DAY: list[Entry] = [
    *s.overview("一、总体情况", "charts", "1"),
    *s.table_section("二、重点行业领域", "sector_table"),
    *s.table_section("三、隐患排查整治", "hazard_table"),
    *s.table_section("四、监管执法", "enforcement_table"),
    *s.debt_flags("五、债务风险提示"),
    *s.submissions("六、报送情况"),
    *s.problems_and_next_steps("七、存在问题和下步工作", "本期未发现需要提示的问题。"),
]
MONTHLY: list[Entry] = [
    *s.overview("一、总体情况", "charts[:1]", "1"),
    *s.table_section("二、县市区综合排名", "monthly.ranking_table"),
    *s.table_section("三、重点行业领域", "sector_table"),
    *s.table_section("四、隐患排查整治", "hazard_table"),
    *s.table_section("五、监管执法", "enforcement_table"),
    *s.table_section("六、死亡控制指标使用情况", "monthly.quota_table", "monthly.quota_sentences"),
    *s.debt_section("七、政府债务化解", "charts[1:2]", "2"),
    *s.table_section("八、重点工作推进情况", "monthly.key_task_table"),
    *s.escalations("九、督办事项", "本月无督办事项。"),
    *s.submissions("十、报送情况"),
    *s.problems_and_next_steps("十一、存在问题和下步工作", "本月未发现需要提示的问题。"),
]
# Charts numbered as they appear: chart1 in 总体情况, the trend charts (charts[2:]) in 季度趋势,
# chart2 (化债进度) in 政府债务化解.
QUARTERLY: list[Entry] = [
    *s.overview("一、总体情况", "charts[:1]", "1"),
    *s.table_section("二、季度趋势", "quarterly.trend_table", "quarterly.trend_sentences", "charts[2:]", "2"),
    *s.table_section("三、县市区综合排名", "monthly.ranking_table"),
    *s.table_section("四、重点行业领域", "sector_table"),
    *s.table_section("五、隐患排查整治", "hazard_table"),
    *s.table_section("六、监管执法", "enforcement_table"),
    *s.table_section("七、死亡控制指标使用情况", "monthly.quota_table", "monthly.quota_sentences"),
    *s.debt_section("八、政府债务化解", "charts[1:2]", "2 + charts[2:]|length"),
    *s.table_section("九、债务风险等级变化", "quarterly.band_changes", "quarterly.band_sentences"),
    *s.table_section("十、重点工作推进情况", "monthly.key_task_table"),
    *s.escalations("十一、督办事项", "本季无督办事项。"),
    *s.interviews("十二、约谈情况"),
    *s.follow_ups("十三、上季度约谈整改跟踪"),
    *s.commendations("十四、通报表扬"),
    *s.submissions("十五、报送情况"),
    *s.problems_and_next_steps("十六、成效、问题和措施", "本季未发现需要提示的问题。", narrative=True),
]
BODIES: dict[str, list[Entry]] = {
    kind: [*s.preamble(), *s.masthead(), *body]
    for kind, body in (("ten_day", TEN_DAY), ("monthly", MONTHLY), ("quarterly", QUARTERLY))
}

"""The core safety indicators: id, Chinese name, unit, kind and direction.

`kind` says how an indicator is aggregated and shown:
- "count": a sum of whole numbers (起, 人, 项, 家次), added up over units and windows;
- "amount": a sum with decimals (万元);
- "ratio": a share in [0, 1+] recomputed from its parts, never summed;
- "latest": the value in a unit's most recent period within the window; the city
  figure is the sum of the units' latest values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "amount", "ratio", "latest"]
Direction = Literal["down", "up", "zero", "none"]


@dataclass(frozen=True)
class Indicator:
    """One safety indicator (docs/domain.md §4.2 and §4.4)."""

    id: str
    name_zh: str
    unit_zh: str
    kind: Kind
    direction: Direction

    @property
    def additive(self) -> bool:
        """Whether the city figure is the sum of the units' figures."""
        return self.kind in ("count", "amount")


INDICATORS: tuple[Indicator, ...] = (
    Indicator("acc_count", "事故起数", "起", "count", "down"),
    Indicator("acc_deaths", "死亡人数", "人", "count", "down"),
    Indicator("acc_serious_injuries", "重伤人数", "人", "count", "down"),
    Indicator("acc_direct_loss", "直接经济损失", "万元", "amount", "down"),
    Indicator("acc_major_plus", "较大及以上事故起数", "起", "count", "zero"),
    Indicator("acc_severe", "重特大事故起数", "起", "count", "zero"),
    Indicator("death_quota_used", "死亡控制指标使用率", "%", "ratio", "down"),
    Indicator("hz_units_checked", "检查单位数", "家次", "count", "none"),
    Indicator("hz_general_found", "一般隐患发现数", "项", "count", "none"),
    Indicator("hz_general_fixed", "一般隐患整改数", "项", "count", "none"),
    Indicator("hz_general_fix_rate", "一般隐患整改率", "%", "ratio", "up"),
    Indicator("hz_major_found", "重大隐患发现数", "项", "count", "none"),
    Indicator("hz_major_fixed", "重大隐患整改数", "项", "count", "none"),
    Indicator("hz_major_fix_rate", "重大隐患整改率", "%", "ratio", "up"),
    Indicator("hz_overdue", "逾期未整改隐患", "项", "latest", "zero"),
    Indicator("enf_units", "执法检查单位数", "家次", "count", "up"),
    Indicator("enf_cases", "立案数", "起", "count", "up"),
    Indicator("enf_penalties", "行政处罚数", "起", "count", "up"),
    Indicator("enf_fines", "罚款金额", "万元", "amount", "up"),
    Indicator("enf_suspensions", "责令停产整顿", "家", "count", "up"),
    Indicator("enf_closures", "取缔关闭", "家", "count", "up"),
    Indicator("enf_illegal", "打非治违案件", "起", "count", "up"),
)
BY_ID: dict[str, Indicator] = {ind.id: ind for ind in INDICATORS}
INDICATOR_IDS: tuple[str, ...] = tuple(BY_ID)
ADDITIVE_IDS: tuple[str, ...] = tuple(ind.id for ind in INDICATORS if ind.additive)


def indicator(indicator_id: str) -> Indicator:
    """The catalogue entry of an indicator id."""
    return BY_ID[indicator_id]

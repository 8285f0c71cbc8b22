"""The debt red lines a 旬简报 reports: the 旬 brief carries no debt figures, only the red flags of
the month whose debt returns fell due in the 旬 — new hidden debt (遏制增量) and payments missed
or overdue (不暴雷) — each unit named once with its amounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from govbrief.briefs.common.measures import DebtEvents
from govbrief.calendar.periods import Period
from govbrief.formatting import fmt_amount

EPSILON = 1e-6  # amounts are in 亿元 with two decimals


@dataclass(frozen=True)
class DebtFlags:
    """The red flags of one month's accepted debt returns."""

    month: Period
    sentences: tuple[str, ...]  # one per unit with a flag
    events: DebtEvents

    def paragraph(self) -> str:
        """10月政府债务化解月报表显示，南岭县…；安平县…。 / …未报告新增隐性债务和到期债务逾期。"""
        label = f"{self.month.index}月政府债务化解月报表"
        if not self.sentences:
            return f"债务数据按月报送。{label}未报告新增隐性债务和到期债务逾期。"
        return f"债务数据按月报送。{label}显示，{'；'.join(self.sentences)}。"


NO_REPORT = "债务数据按月报送，本旬未接到新增隐性债务和到期债务逾期报告。"


def debt_flags(month: Period, rows: pd.DataFrame, names: Mapping[str, str]) -> DebtFlags:
    """The flags in `rows` (the month's accepted 债务化解 rows, one per unit), units in configured order."""
    sentences: list[str] = []
    missed, new, overdue = [], [], []
    by_unit = {str(r["unit_code"]): r for r in rows.to_dict("records")} if not rows.empty else {}
    for code, name in names.items():
        row = by_unit.get(code)
        if row is None:
            continue
        parts = []
        if float(row["hidden_new"]) > EPSILON:
            parts.append(f"新增隐性债务{fmt_amount(float(row['hidden_new']))}亿元")
            new.append(name)
        short = float(row["due"]) - float(row["paid_on_time"])
        if short > EPSILON:
            parts.append(
                f"到期应偿本息{fmt_amount(float(row['due']))}亿元，按期偿付{fmt_amount(float(row['paid_on_time']))}亿元，"
                f"{fmt_amount(short)}亿元逾期未还"
            )
            missed.append(name)
        elif float(row["overdue_balance"]) > EPSILON:
            parts.append(f"逾期债务余额{fmt_amount(float(row['overdue_balance']))}亿元")
            overdue.append(name)
        if parts:
            sentences.append(name + "，".join(parts))
    return DebtFlags(month, tuple(sentences), DebtEvents(tuple(missed), tuple(new), tuple(overdue)))

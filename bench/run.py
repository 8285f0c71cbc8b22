"""The benchmark, in one run, each probe in its own fresh process, against a bare Prefect flow
with the same number of tasks: the demo's 旬简报 by stage, cold and warm; then, on a year of demo
returns, the 月通报 and 季总结 cold and warm, a 旬简报 backfill per period against a rerun, and
the inbox poll (first scan, then a quiet poll). Prints JSON.

    bash scripts/bench.sh [--period 2026-11-x2] [--month 2026-09] [--skip-year]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLOW_TASKS_BESIDES_GATHER = 5  # validate, load, compute, render, deliver


def probe(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run one fresh benchmark process and return its JSON line."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.probe", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_process_s"] = round(time.perf_counter() - began, 4)
    return result


def generate(state: Path, period: str, env: dict[str, str]) -> float:
    """Write the demo returns (timed apart: generating is not part of a brief run)."""
    began = time.perf_counter()
    code = (
        "from govbrief.config import load_settings; from govbrief.calendar.periods import parse_period;"
        "from govbrief.demo import demo_periods, generate_safety_returns;"
        f"t = parse_period({period!r}); s = load_settings();"
        "generate_safety_returns(s, demo_periods(t), awkward_period=t)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True)
    return round(time.perf_counter() - began, 4)


def generate_year(month: str, env: dict[str, str]) -> float:
    """The demo's safety, debt and key-task returns from January of last year to `month` (as `demo --year`)."""
    began = time.perf_counter()
    code = (
        "from govbrief.config import load_settings;"
        "from govbrief.calendar.periods import Period, PeriodKind, parse_period;"
        "from govbrief.demo import demo_periods, generate_safety_returns;"
        "from govbrief.demo.debt_returns import demo_months, generate_debt_returns;"
        "from govbrief.demo.key_task_returns import generate_key_task_returns;"
        f"m = parse_period({month!r}); s = load_settings();"
        "generate_safety_returns(s, demo_periods(Period.containing(PeriodKind.TEN_DAY, m.end)));"
        "generate_debt_returns(s, demo_months(m)); generate_key_task_returns(s, demo_months(m))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True)
    return round(time.perf_counter() - began, 4)


def isolated_env(tmp: str) -> dict[str, str]:
    """A temporary state folder, the SQLite warehouse, mail to the outbox."""
    env = {**os.environ, "GOVBRIEF_STATE_DIR": tmp, "GOVBRIEF_MAIL_TRANSPORT": "outbox"}
    env.pop("GOVBRIEF_WAREHOUSE_URL", None)
    return env


def ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 2)


def versus_bare(name: str, side: dict[str, float], bare: dict[str, float]) -> dict[str, float]:
    """The cold and warm flow times of `side` over the bare flow's."""
    return {
        f"{name}_{when}_vs_bare": ratio(side[f"{when}_flow_s"], bare[f"{when}_flow_s"]) for when in ("cold", "warm")
    }


def year_scenario(month: str, bare: dict[str, float]) -> dict[str, object]:
    """月通报, 季总结, backfill and inbox probes on a year of returns up to `month` (a quarter's last)."""
    quarter = f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"
    span = f"{month[:5]}{int(month[5:]) - 1:02d}-x1:{month}-x3"  # the quarter's last two months: 6 旬
    with tempfile.TemporaryDirectory(prefix="govbrief-bench-year-") as tmp:
        env = isolated_env(tmp)
        generate_s = generate_year(month, env)
        monthly = probe(["monthly", month], env)
        quarterly = probe(["quarterly", quarter], env)
        backfill = probe(["backfill", span], env)
        inbox = probe(["inbox", "-"], env)
    return {
        "month": month,
        "quarter": quarter,
        "backfill_span": span,
        "generate_year_of_returns_s": generate_s,
        "monthly": monthly,
        "quarterly": quarterly,
        "backfill": backfill,
        "inbox": inbox,
        "ratios": {
            **versus_bare("monthly", monthly, bare),
            **versus_bare("quarterly", quarterly, bare),
            "backfill_new_period_vs_warm_rerun": ratio(backfill["new_per_period_s"], backfill["warm_rerun_s"]),
            "backfill_again_period_vs_warm_rerun": ratio(backfill["again_per_period_s"], backfill["warm_rerun_s"]),
            "inbox_quiet_poll_vs_bare_warm": ratio(inbox["warm_flow_s"], bare["warm_flow_s"]),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--period", default="2026-11-x2")
    parser.add_argument("--month", default="2026-09", help="Last month of the year scenario (a quarter's last).")
    parser.add_argument("--skip-year", action="store_true", help="Only the 旬简报 against the bare flow.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govbrief-bench-") as tmp:
        env = isolated_env(tmp)
        generate_s = generate(Path(tmp), args.period, env)
        units = _unit_count(env)
        govbrief = probe(["govbrief", args.period], env)
        bare = probe(["bare", str(units + FLOW_TASKS_BESIDES_GATHER)], env)
    year = None if args.skip_year else year_scenario(args.month, bare)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "method": "each side in a fresh process; cold = first flow run in the process (includes the ephemeral "
        "Prefect server start), warm = the same flow again in that process; stage times measured inside the flow",
        "period": args.period,
        "generate_demo_returns_s": generate_s,
        "govbrief": govbrief,
        "bare_prefect_flow": bare,
        "ratios": {
            **versus_bare("flow", govbrief, bare),
            "cold_process_vs_bare": ratio(govbrief["wall_process_s"], bare["wall_process_s"]),
        },
        "year": year,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


def _unit_count(env: dict[str, str]) -> int:
    code = "from govbrief.config import load_settings; print(len(load_settings().units))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


if __name__ == "__main__":
    main()

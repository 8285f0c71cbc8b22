"""The benchmark: the demo's 旬简报 by stage, cold and warm, against a bare Prefect flow
with the same number of tasks, each in its own fresh process, in one run. Prints JSON.

    bash scripts/bench.sh [--period 2026-11-x2]
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
        "from govbrief.config import load_settings; from govbrief.periods import parse_period;"
        "from govbrief.demo import demo_periods, generate_safety_returns;"
        f"t = parse_period({period!r}); s = load_settings();"
        "generate_safety_returns(s, demo_periods(t), awkward_period=t)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True)
    return round(time.perf_counter() - began, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--period", default="2026-11-x2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govbrief-bench-") as tmp:
        env = {**os.environ, "GOVBRIEF_STATE_DIR": tmp, "GOVBRIEF_MAIL_TRANSPORT": "outbox"}
        env.pop("GOVBRIEF_WAREHOUSE_URL", None)
        generate_s = generate(Path(tmp), args.period, env)
        units = _unit_count(env)
        govbrief = probe(["govbrief", args.period], env)
        bare = probe(["bare", str(units + FLOW_TASKS_BESIDES_GATHER)], env)
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
            "cold_flow_vs_bare": round(govbrief["cold_flow_s"] / bare["cold_flow_s"], 2),
            "warm_flow_vs_bare": round(govbrief["warm_flow_s"] / bare["warm_flow_s"], 2),
            "cold_process_vs_bare": round(govbrief["wall_process_s"] / bare["wall_process_s"], 2),
        },
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


def _unit_count(env: dict[str, str]) -> int:
    code = "from govbrief.config import load_settings; print(len(load_settings().units))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip())


if __name__ == "__main__":
    main()

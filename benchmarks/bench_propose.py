"""Target-setting benchmark (issue 16): ``propose`` on a 40-indicator plan, 100,000 runs per option.

Run: ``.venv/bin/python benchmarks/bench_propose.py`` (``--runs N`` to change the runs).

The plan is synthetic: 40 indicators — 20 levels growing 3–12 % a year (亿元), 10 shares
rising 0.2–1.5 百分点 a year (%), 10 counts (户) — each with one 2030 target, 6 years of
noisy actuals (2020–2025, seeded), and a superior plan giving the growth of the levels
(so every level target has trend, guidance and stretch). Floor: ≤ 5 s on this 2-core
machine. Prints the median of 3 timed calls after one warm-up, with the CPU time they used
(over both threads) and the load average: the machine is shared, and wall time waits for it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import pandas as pd


def plan(n_levels: int = 20, n_shares: int = 10, n_counts: int = 10, seed: int = 7):
    """(scenario, actuals, superior) of the synthetic plan."""
    from planlib.scenario import Scenario
    from planlib.tracking.actuals import actuals_from_frame

    rng = np.random.default_rng(seed)
    inds, targets, rows, sup_inds, sup_targets = [], [], [], [], []
    years = np.arange(2020, 2026)
    for k in range(n_levels + n_shares + n_counts):
        if k < n_levels:
            unit, r = "亿元", rng.uniform(3, 12)
            v = 100 * np.exp(np.log1p(r / 100) * (years - 2020) + rng.normal(0, 0.02, len(years)))
            tgt = {"kind": "growth", "value": round(r, 1)}
            sup_inds.append(
                {
                    "id": f"x{k}",
                    "name_zh": f"指标{k}",
                    "unit": unit,
                    "base": {"year": 2025, "value": 1.0},
                }
            )
            sup_targets.append(
                {
                    "id": f"sx{k}",
                    "indicator": f"x{k}",
                    "year": 2030,
                    "kind": "growth",
                    "op": ">=",
                    "value": round(r - 1, 1),
                }
            )
        elif k < n_levels + n_shares:
            unit, step = "%", rng.uniform(0.2, 1.5)
            v = 40 + step * (years - 2020) + rng.normal(0, 0.3, len(years))
            tgt = {"kind": "pp_change", "value": round(5 * step, 1)}
        else:
            unit, step = "户", rng.integers(1, 4)
            v = np.round(20 + step * (years - 2020) + rng.normal(0, 1, len(years)))
            tgt = {"kind": "level", "value": float(v[-1] + 5 * step)}
        inds.append(
            {
                "id": f"x{k}",
                "name_zh": f"指标{k}",
                "unit": unit,
                "category": "经济发展",
                "base": {"year": 2025, "value": float(v[-1])},
                "rule": {"kind": "hold"},
            }
        )
        targets.append({"id": f"t{k}", "indicator": f"x{k}", "year": 2030, "op": ">=", **tgt})
        rows += [
            {
                "indicator": f"x{k}",
                "year": int(y),
                "value": float(x),
                "unit": unit,
                "source": "synthetic",
            }
            for y, x in zip(years, v, strict=True)
        ]
    meta = {
        "id": "bench-40",
        "name": "基准测试规划",
        "region": "虚构县",
        "level": "县",
        "base_year": 2025,
        "period": [2026, 2030],
    }
    sc = Scenario.model_validate({"meta": meta, "indicators": inds, "targets": targets})
    sup = Scenario.model_validate(
        {
            "meta": {**meta, "id": "bench-superior", "name": "上级规划", "level": "省"},
            "indicators": sup_inds,
            "targets": sup_targets,
        }
    )
    return sc, actuals_from_frame(pd.DataFrame(rows), sc, file="<bench>"), sup


def main() -> None:
    """Time ``propose`` and print the median."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=100_000)
    args = ap.parse_args()
    from planlib.tracking.proposals import propose

    sc, act, sup = plan()
    propose(sc, act, superior=sup, runs=20_000, seed=0)  # warm-up (imports, first allocations)
    times, cpu = [], []
    for rep in range(3):
        t, c = time.perf_counter(), time.process_time()
        res = propose(sc, act, superior=sup, runs=args.runs, seed=rep)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    n_opt = sum(len(r.options) for r in res.rows)
    med = statistics.median(times)
    load = os.getloadavg()[0]
    print(
        f"propose: {len(sc.indicators)} indicators, {n_opt} options, "
        f"{args.runs:,} runs per option: median {med:.2f} s wall "
        f"(runs: {', '.join(f'{x:.2f}' for x in times)}), CPU {statistics.median(cpu):.2f} s "
        f"over all threads; load average {load:.1f} on {os.cpu_count()} cores; floor 5 s: "
        f"{'met' if med <= 5 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()

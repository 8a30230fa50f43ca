"""Kernel latency of the what-if: slider change → recompute → redraw (median of ≥ 30 changes).

Run: .venv/bin/python benchmarks/latency_kernel.py [scenario.yaml] [--changes 40]
Floor (issue 3): median ≤ 120 ms on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_MS = 120.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "scenario", nargs="?", default=str(ROOT / "scenarios" / "huangyang-park-14fyp.yaml")
    )
    ap.add_argument("--changes", type=int, default=40)
    args = ap.parse_args(argv)

    from planlib.workbook.widgets import whatif

    wi = whatif(args.scenario)
    ui = wi.widget and wi._ui  # build the app exactly as a notebook shows it
    p = wi.scenario.parameters[0]
    slider = ui["sliders"][p.name]
    step = slider.step
    values = [p.default + step * ((k % 10) - 5) for k in range(args.changes)]
    values = [min(max(v, p.bounds[0]), p.bounds[1]) for v in values]
    times = []
    for k, v in enumerate(values):
        if abs(slider.value - v) < 1e-12:
            v = values[k - 1] if k else p.bounds[1]
        t0 = time.perf_counter()
        slider.value = v  # observe → Model.evaluate → targets → set_ydata → blit → PNG → tables
        times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    # for comparison: re-creating the figure on every move (what we avoid)
    from planlib.workbook.charts import TrajectoryChart

    rec = []
    for _ in range(5):
        t0 = time.perf_counter()
        TrajectoryChart(wi.scenario, wi.baseline).png()
        rec.append((time.perf_counter() - t0) * 1000)
    print(
        f"scenario: {wi.scenario.meta.id}; parameter moved: {p.name}; panels: "
        f"{len(wi.chart.panels)}"
    )
    print(
        f"kernel latency (slider → recompute → redraw): median {med:.1f} ms over {len(times)} "
        f"changes (p90 {sorted(times)[int(0.9 * len(times)) - 1]:.1f} ms; floor {FLOOR_MS:.0f} ms)"
    )
    print(f"re-creating the figure instead: median {statistics.median(rec):.1f} ms")
    return 0 if med <= FLOOR_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Monte Carlo benchmark: planlib vs PySD vs an idiomatic pandas loop on the identical model.

Run: ``.venv/bin/python benchmarks/bench_mc.py`` (add ``--quick`` to skip the 1e7 run).

The model is the seed park plan's own 14 indicators over 2020–2030 (11 years; the file's
``components:`` left out — see ``_core.py``), with output and tax growth drawn from the
file's distributions (correlated 0.5). Floors (issue 4): 1e6 runs with exact p5/p50/p95
and hit probabilities ≤ 0.30 s median and ≤ 600 MB peak; 1e7 runs ≤ 4 s with bounded
memory; planlib ≥ 5000× PySD and ≥ 200× the pandas loop per run.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
PCT = (5.0, 50.0, 95.0)


def child(runs: int, full: bool) -> None:
    """Run once in a fresh process; print wall time and peak RSS as JSON."""
    from _core import PARK, core_park

    from planlib.scenario import load_scenario
    from planlib.simulation.engine import simulate

    sc = load_scenario(PARK) if full else core_park()
    simulate(sc, 20_000, seed=0, percentiles=PCT)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    res = simulate(sc, runs, seed=1, percentiles=PCT)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "runs": runs,
                "seconds": dt,
                "peak_mb": peak,
                "rss_before_mb": before,
                "p_output_2025": res.probability("output_2025"),
            }
        )
    )


def in_child(runs: int, full: bool = False) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(runs)] + (["--full"] if full else []),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def pandas_loop(sc, draws: dict, runs: int):
    """The same model the way a spreadsheet user writes it in pandas.

    One run, one year at a time.
    """
    import pandas as pd

    years = list(range(2020, sc.meta.period[1] + 1))
    p = sc.defaults
    out = []
    for r in range(runs):
        g, h = draws["output_growth"][r], draws["tax_growth"][r]
        df = pd.DataFrame(
            index=years,
            columns=[
                "new_projects",
                "projects_total",
                "above_scale_enterprises",
                "industrial_output",
                "tax",
                "tax_output_ratio",
                "tertiary_share",
                "urbanisation_rate",
                "investment_attracted",
                "fixed_asset_investment",
                "infrastructure_investment",
            ],
            dtype=float,
        )
        df.loc[2020, ["above_scale_enterprises", "tertiary_share", "urbanisation_rate"]] = [
            15,
            15,
            55,
        ]
        for y in years[1:]:
            df.loc[y, "new_projects"] = 12 if y == 2021 else p["new_projects_per_year"]
            df.loc[y, "projects_total"] = df.loc[2021:y, "new_projects"].sum()
            df.loc[y, "above_scale_enterprises"] = (
                df.loc[y - 1, "above_scale_enterprises"] + p["new_above_scale_per_year"]
            )
            df.loc[y, "industrial_output"] = (
                35 if y == 2021 else df.loc[y - 1, "industrial_output"] * (1 + g / 100)
            )
            df.loc[y, "tax"] = 1 if y == 2021 else df.loc[y - 1, "tax"] * (1 + h / 100)
            df.loc[y, "tax_output_ratio"] = df.loc[y, "tax"] / df.loc[y, "industrial_output"] * 100
            df.loc[y, "tertiary_share"] = (
                df.loc[y - 1, "tertiary_share"] + p["tertiary_pp_per_year"]
            )
            df.loc[y, "urbanisation_rate"] = (
                df.loc[y - 1, "urbanisation_rate"] + p["urbanisation_pp_per_year"]
            )
            df.loc[y, "investment_attracted"] = p["attracted_per_year"]
            df.loc[y, "fixed_asset_investment"] = p["fai_per_year"]
            df.loc[y, "infrastructure_investment"] = p["infrastructure_per_year"]
        out.append(df)
    return out


def pysd_runs(draws: dict, runs: int):
    import pysd

    tmp = Path(tempfile.mkdtemp(prefix="planlib-pysd-"))
    try:
        shutil.copy(HERE / "park_core.mdl", tmp / "park_core.mdl")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = pysd.read_vensim(str(tmp / "park_core.mdl"))
            cols = [
                "industrial output",
                "tax",
                "tax output ratio",
                "projects total",
                "above scale enterprises",
            ]
            model.run(params={"output growth": 10, "tax growth": 20}, return_columns=cols)
            t = time.perf_counter()
            outs = [
                model.run(
                    params={
                        "output growth": float(draws["output_growth"][r]),
                        "tax growth": float(draws["tax_growth"][r]),
                    },
                    return_columns=cols,
                )
                for r in range(runs)
            ]
            dt = time.perf_counter() - t
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return outs, dt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", type=int)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--quick", action="store_true", help="skip the 1e7 run")
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.full)
        return 0

    from _core import core_park

    from planlib.model import Model
    from planlib.simulation.engine import draw_parameters, simulate

    code = "import time; t = time.perf_counter(); import planlib; print(time.perf_counter() - t)"
    imports = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    print(f"import planlib: median {statistics.median(imports):.3f} s (floor 0.7 s)")

    sc = core_park()
    print(
        f"model: {sc.meta.id} core, {len(sc.indicators)} indicators × {len(sc.years)} years "
        f"({sc.years[0]}–{sc.years[-1]}), drawn: output_growth, tax_growth (ρ = 0.5)"
    )
    simulate(sc, 50_000, seed=0, percentiles=PCT)
    times = []
    for _ in range(a.repeat):
        t = time.perf_counter()
        res = simulate(sc, 1_000_000, seed=1, percentiles=PCT)
        times.append(time.perf_counter() - t)
    t1e6 = statistics.median(times)
    mem = in_child(1_000_000)
    print(
        f"1e6 runs, exact p5/p50/p95 + P(meet) of {len(res.targets)} targets: median {t1e6:.3f} s "
        f"(min {min(times):.3f}, {a.repeat} repeats; floor 0.30 s); peak RSS {mem['peak_mb']:.0f} "
        f"MB (process after imports {mem['rss_before_mb']:.0f} MB; floor 600 MB); P(output_2025) = "
        f"{res.probability('output_2025'):.4f}"
    )
    if not a.quick:
        big = in_child(10_000_000)
        print(
            f"1e7 runs: {big['seconds']:.2f} s (floor 4 s); peak RSS {big['peak_mb']:.0f} MB "
            f"(bounded: blocks of 8192 runs, chunks of 65536)"
        )
    full = in_child(1_000_000, full=True)
    print(
        f"seed park with its components (43 indicators, 6 drawn parameters), 1e6 runs: "
        f"{full['seconds']:.2f} s, peak RSS {full['peak_mb']:.0f} MB"
    )

    # the identical model in PySD and in a pandas loop, on the same draws
    n_pysd, n_loop = 300, 100
    draws = draw_parameters(sc, max(n_pysd, n_loop), seed=1)
    traj = Model(sc).evaluate(draws, runs=max(n_pysd, n_loop))
    outs, dt_pysd = pysd_runs(draws, n_pysd)
    got = np.array([o["industrial output"].to_numpy() for o in outs])
    ref = traj.series("industrial_output")[:n_pysd, 1:]
    assert np.allclose(got, ref, rtol=1e-12), "PySD and planlib disagree"
    assert np.allclose(
        np.array([o["tax output ratio"].to_numpy() for o in outs]),
        traj.series("tax_output_ratio")[:n_pysd, 1:],
        rtol=1e-12,
    )
    t = time.perf_counter()
    frames = pandas_loop(sc, draws, n_loop)
    dt_loop = time.perf_counter() - t
    assert np.allclose(
        np.array([f["industrial_output"].to_numpy()[1:] for f in frames]),
        traj.series("industrial_output")[:n_loop, 1:],
        rtol=1e-12,
    ), "pandas loop disagrees"
    per_run = t1e6 / 1e6
    pysd_run, loop_run = dt_pysd / n_pysd, dt_loop / n_loop
    print(
        f"per run: planlib {per_run * 1e9:.0f} ns, PySD {pysd_run * 1e3:.2f} ms, pandas loop "
        f"{loop_run * 1e3:.2f} ms"
    )
    print(
        f"ratio planlib/PySD: {pysd_run / per_run:,.0f}× (floor 5000×); "
        f"planlib/pandas loop: {loop_run / per_run:,.0f}× (floor 200×)"
    )
    print(
        f"path-years per second: planlib {len(sc.years) * 1e6 / t1e6:,.0f}; "
        f"pandas loop {len(sc.years) * n_loop / dt_loop:,.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``planlib mc | mc-solve | sensitivity | sweep`` on the command line."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest
from conftest import PARK

from planlib.cli import main
from planlib.simulation.engine import simulate


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse rejections
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_mc_text_json_csv_agree_with_the_engine(park):
    ref = simulate(park, 20_000, seed=3)
    code, out, _ = run("mc", PARK, "--runs", 20000, "--seed", 3)
    assert code == 0 and "output_2025" in out and "np.float64" not in out
    assert f"{100 * ref.probability('output_2025'):.2f}%" in out
    code, out, _ = run("mc", PARK, "--runs", 20000, "--seed", 3, "--format", "json")
    d = json.loads(out)
    assert {t["id"]: t["p_meet"] for t in d["targets"]}["tax_2025"] == ref.probability("tax_2025")
    code, out, _ = run(
        "mc",
        PARK,
        "--runs",
        20000,
        "--seed",
        3,
        "--format",
        "csv",
        "--long",
        "--percentiles",
        "5,50,95",
    )
    df = pd.read_csv(io.StringIO(out))
    assert set(df.statistic) == {"p5", "p50", "p95", "mean", "std"}


def test_mc_writes_atomically_and_shows_progress(tmp_path):
    target = tmp_path / "mc.csv"
    code, out, err = run("mc", PARK, "--runs", 3000, "--format", "csv", "-o", target, "--progress")
    assert code == 0 and target.exists() and "Monte Carlo" in err
    assert "p_meet" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "0"], "positive whole number"),
        (["--percentiles", "5,120"], r"numbers in \[0, 100\]"),
    ],
)
def test_mc_rejects_bad_arguments(args, message):
    code, _, err = run("mc", PARK, *args)
    assert code == 2
    import re

    assert re.search(message, err)


def test_mc_on_a_broken_file_names_file_and_line(edited):
    path = edited(("sd: 2}", "sd: -2}"))
    code, _, err = run("mc", path, "--runs", 10)
    assert code == 2 and str(path) in err and "sd" in err and "Traceback" not in err


def test_mc_solve_and_sensitivity():
    code, out, _ = run(
        "mc-solve",
        PARK,
        "--target",
        "output_2025",
        "--param",
        "output_growth",
        "--probability",
        0.8,
        "--runs",
        4000,
        "--format",
        "json",
    )
    d = json.loads(out)
    assert code == 0 and d["status"] == "solved" and 10.4 < d["value"] < 11.8
    code, _, err = run("mc-solve", PARK, "--target", "nope", "--param", "output_growth")
    assert code == 2 and "nope" in err
    code, out, _ = run("sensitivity", PARK, "--target", "tax_2025")
    assert code == 0 and "tax_growth" in out
    code, out, _ = run(
        "sensitivity",
        PARK,
        "--target",
        "tax_2025",
        "--method",
        "sobol",
        "--n",
        64,
        "--format",
        "json",
    )
    assert json.loads(out)[0]["parameter"] == "tax_growth"
    code, _, err = run("sensitivity", PARK, "--target", "nope")
    assert code == 2 and "not a target" in err


def test_sweep_in_process(tmp_path):
    table = tmp_path / "counties.csv"
    table.write_text("id,region,output_growth\nc1,甲县,8\nc2,乙县,12\n", encoding="utf-8")
    code, out, _ = run(
        "sweep", PARK, "--table", table, "--runs", 2000, "--scheduler", "inprocess", "--no-progress"
    )
    df = pd.read_csv(io.StringIO(out))
    assert code == 0 and list(df.scenario.unique()) == ["c1", "c2"]
    p = df[df.target == "output_2025"].set_index("scenario").p_meet
    assert p["c1"] < p["c2"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,nope\nc1,1\n", encoding="utf-8")
    code, _, err = run("sweep", PARK, "--table", bad, "--scheduler", "inprocess")
    assert code == 2 and "'nope' is not a parameter" in err

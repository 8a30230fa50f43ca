"""planlib batch: one papermill run per scenario file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from planlib.errors import PlanlibError
from planlib.workbook.batch import parameter_names, run_batch, scenario_files

ROOT = Path(__file__).resolve().parents[2]
NB01 = ROOT / "notebooks" / "01_indicators_audit.ipynb"


@pytest.fixture
def two_scenarios(tmp_path, park_path):
    d = tmp_path / "sc"
    d.mkdir()
    shutil.copy2(park_path, d / "a.yaml")
    text = park_path.read_text(encoding="utf-8").replace(
        "id: huangyang-park-14fyp", "id: other-park", 1
    )
    (d / "b.yaml").write_text(text, encoding="utf-8")
    for f in park_path.parent.iterdir():  # files the scenario refers to (e.g. actuals)
        if f.is_file() and f.suffix != ".yaml":
            shutil.copy2(f, d / f.name)
    return d


def test_parameter_names_reads_the_tagged_cell():
    assert parameter_names(NB01) == ["scenario_file"]


def test_untagged_notebook_is_rejected(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("scenario_file = 'x'")])
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(PlanlibError, match="no cell is tagged 'parameters'"):
        run_batch(path, "*.yaml", tmp_path / "out")


def test_empty_glob_is_an_error(tmp_path):
    with pytest.raises(PlanlibError, match="no .yaml file matches"):
        scenario_files(str(tmp_path / "*.yaml"))


@pytest.mark.slow
def test_batch_runs_the_notebook_once_per_scenario(two_scenarios, tmp_path):
    out = tmp_path / "out"
    seen = []
    results = run_batch(NB01, str(two_scenarios / "*.yaml"), out, progress=seen.append)
    assert [r.scenario.name for r in results] == ["a.yaml", "b.yaml"] and len(seen) == 2
    assert all(r.ok for r in results), [r.error for r in results]
    for r in results:
        nb = nbformat.read(r.output, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert injected and str(r.scenario.resolve()) in injected[0].source
    texts = [
        "".join(
            o.get("text", "")
            for c in nbformat.read(r.output, 4).cells
            for o in c.get("outputs", [])
        )
        for r in results
    ]
    assert all("审计" in t or "目标" in t for t in texts)


@pytest.mark.slow
def test_cli_batch_reports_failures_with_exit_1(two_scenarios, tmp_path):
    (two_scenarios / "c.yaml").write_text("meta: {id: broken}\n", encoding="utf-8")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "planlib.cli",
            "batch",
            str(NB01),
            "--scenarios",
            str(two_scenarios / "[bc].yaml"),
            "-o",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 1, res.stdout + res.stderr
    assert "1/2 个情景运行成功" in res.stdout and "失败" in res.stdout
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "planlib.cli",
            "batch",
            str(NB01),
            "--scenarios",
            str(tmp_path / "none*.yaml"),
            "-o",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2 and "no .yaml file matches" in res.stderr


@pytest.mark.slow
def test_batch_of_01_on_the_programme_scenarios_reads_as_a_planner_expects(tmp_path):
    """Issue 12: 01 on the community programmes printed "年均增长 0.00%，达标需 0.00%" for
    formulas and limits, and called the binding 30 % 低保 rule 预期性 in the 主要指标表."""
    d = tmp_path / "sc"
    d.mkdir()
    for name in (
        "minimum-living-standard.yaml",
        "taierzhuang-village-consolidation.yaml",
        "xishan-service-centres.yaml",
    ):
        shutil.copy2(ROOT / "scenarios" / name, d / name)
    results = run_batch(NB01, str(d / "*.yaml"), tmp_path / "out")
    assert all(r.ok for r in results), [r.error for r in results]
    for r in results:
        nb = nbformat.read(r.output, 4)
        text = "".join(
            o.get("text", "") + "".join(str(v) for v in o.get("data", {}).values())
            for c in nb.cells
            for o in c.get("outputs", [])
        )
        assert "年均增长 0.00%" not in text and "[ok]" not in text, r.scenario.name
        if r.scenario.name.startswith("minimum-living"):
            table = next(
                o["data"]["text/html"]
                for c in nb.cells
                for o in c.get("outputs", [])
                if "主要指标表" in o.get("data", {}).get("text/html", "")
            )
            assert "约束性" in table and "预期性" not in table

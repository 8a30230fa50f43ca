"""``planlib propose`` and ``planlib check`` from the command line: files written, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from planlib.cli import main
from planlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SUPERIOR = ROOT / "scenarios" / "superior"
PROVINCE = SUPERIOR / "example-province-15fyp.yaml"
SAMPLE = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"


def test_cli_propose_park_plan_and_check(tmp_path, capsys):
    out = tmp_path / "draft.yaml"
    park = ROOT / "scenarios" / "huangyang-park-14fyp.yaml"
    assert (
        main(
            [
                "propose",
                str(park),
                "--actuals",
                str(SAMPLE),
                "-o",
                str(out),
                "--runs",
                "20000",
                "--seed",
                "1",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "目标测算" in text and "达标概率" in text
    sc = load_scenario(out)
    assert all(t.proposal is not None for t in sc.targets)
    # existing file: refused without --overwrite
    assert (
        main(["propose", str(park), "--actuals", str(SAMPLE), "-o", str(out), "--runs", "1000"])
        == 2
    )
    assert "exists" in capsys.readouterr().err
    assert (
        main(
            [
                "propose",
                str(park),
                "--actuals",
                str(SAMPLE),
                "-o",
                str(out),
                "--runs",
                "1000",
                "--period",
                "2030-2026",
            ]
        )
        == 2
    )
    capsys.readouterr()
    # the park's draft lacks the province's binding indicators: exit 1, table in JSON
    assert (
        main(
            [
                "check",
                str(out),
                "--superior",
                str(PROVINCE),
                "--format",
                "json",
                "--map",
                "industrial_output=industrial_value_added",
            ]
        )
        == 1
    )
    data = json.loads(capsys.readouterr().out)
    assert data["exit_code"] == 1 and data["counts"]["缺失"] == 3
    assert any(
        r["status"] == "符合" and r["indicator"] == "industrial_output" for r in data["rows"]
    )
    xlsx = tmp_path / "衔接.xlsx"
    assert (
        main(["check", str(out), "--superior", str(PROVINCE), "--format", "xlsx", "-o", str(xlsx)])
        == 1
    )
    import openpyxl

    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["上级规划衔接", "明细"]
    assert book["上级规划衔接"].cell(1, 1).value == "上级指标"
    assert main(["check", str(out)]) == 2  # no superior given nor in the file
    assert "--superior" in capsys.readouterr().err


def test_cli_propose_with_superior_guidance(tmp_path, capsys):
    out = tmp_path / "draft.yaml"
    park = ROOT / "scenarios" / "huangyang-park-14fyp.yaml"
    assert (
        main(
            [
                "propose",
                str(park),
                "--actuals",
                str(SAMPLE),
                "-o",
                str(out),
                "--runs",
                "20000",
                "--seed",
                "2",
                "--superior",
                str(PROVINCE),
                "--map",
                "industrial_output=industrial_value_added",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out.rsplit("\n", 2)[0])
    growth = next(t for t in data["targets"] if t["target"] == "output_growth")
    guidance = next(o for o in growth["options"] if o["option"] == "guidance")
    assert guidance["value"] == 6.0  # the province's 年均增长6%
    sc = load_scenario(out)
    assert sc.superior is not None and sc.superior.file.endswith("example-province-15fyp.yaml")


def test_draft_names_its_superior_relative_to_itself_and_check_finds_it(tmp_path, capsys):
    sub = tmp_path / "drafts"
    sub.mkdir()
    out = sub / "draft.yaml"
    county = ROOT / "scenarios" / "county-example-14fyp.yaml"
    act = ROOT / "scenarios" / "county-example-14fyp.actuals.csv"
    assert (
        main(
            [
                "propose",
                str(county),
                "--actuals",
                str(act),
                "--superior",
                str(PROVINCE),
                "-o",
                str(out),
                "--runs",
                "5000",
                "--seed",
                "1",
            ]
        )
        == 0
    )
    sc = load_scenario(out)
    assert (out.parent / sc.superior.file).resolve() == PROVINCE.resolve()
    capsys.readouterr()
    # no --superior: the draft's own superior: field is used; the CO2 indicator is missing
    assert main(["check", str(out)]) == 1
    assert "[缺失] 单位地区生产总值二氧化碳排放" in capsys.readouterr().out

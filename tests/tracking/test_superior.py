"""上级规划衔接: targets against the superior plan's; planlib propose / check from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planlib.cli import main
from planlib.scenario import Scenario, load_scenario
from planlib.tracking.superior import check_superior

ROOT = Path(__file__).resolve().parents[2]
SUPERIOR = ROOT / "scenarios" / "superior"
PROVINCE = SUPERIOR / "example-province-15fyp.yaml"
NATIONAL = SUPERIOR / "national-15fyp.yaml"
SAMPLE = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"

CO2 = {
    "id": "co2",
    "name_zh": "单位地区生产总值二氧化碳排放",
    "unit": "吨二氧化碳/万元",
    "category": "绿色生态",
    "direction": "lower",
    "attribute": "约束性",
    "base": {"year": 2025, "value": 1.2},
    "rule": {"kind": "hold"},
}
FOREST = {
    "id": "forest",
    "name_zh": "森林覆盖率",
    "unit": "%",
    "category": "绿色生态",
    "attribute": "约束性",
    "base": {"year": 2025, "value": 40.0},
    "rule": {"kind": "hold"},
}
RD = {
    "id": "rd",
    "name_zh": "研究与试验发展经费投入",
    "unit": "亿元",
    "category": "创新驱动",
    "base": {"year": 2025, "value": 3.0},
    "rule": {"kind": "hold"},
}


def county(targets, indicators=(CO2, FOREST, RD)):
    return Scenario.model_validate(
        {
            "meta": {
                "id": "county-15fyp",
                "name": "示例县",
                "region": "示例县",
                "level": "县",
                "base_year": 2025,
                "period": [2026, 2030],
            },
            "indicators": list(indicators),
            "targets": targets,
        }
    )


def row(res, sup_target):
    return next(r for r in res.rows if r["superior_target"] == sup_target)


def test_binding_reduction_15_against_17_is_a_conflict():
    sc = county(
        [
            {
                "id": "co2_cut",
                "indicator": "co2",
                "year": 2030,
                "kind": "reduction",
                "value": 15,
                "attribute": "约束性",
            }
        ]
    )
    res = check_superior(sc, load_scenario(NATIONAL))
    r = row(res, "co2_reduction")
    assert r["status"] == "冲突" and r["equivalent_value"] == 17.0
    assert res.exit_code == 1
    ok = check_superior(
        county(
            [{"id": "co2_cut", "indicator": "co2", "year": 2030, "kind": "reduction", "value": 18}]
        ),
        load_scenario(NATIONAL),
    )
    assert row(ok, "co2_reduction")["status"] == "符合" and ok.exit_code == 0


def test_binding_level_against_reduction_is_translated_from_the_base():
    # a ceiling of 1.0 t/万元 from 1.2 is a 16.67 % cut: weaker than 17 %
    sc = county([{"id": "co2_2030", "indicator": "co2", "year": 2030, "op": "<=", "value": 1.0}])
    r = row(check_superior(sc, load_scenario(NATIONAL)), "co2_reduction")
    assert r["status"] == "冲突"
    assert r["equivalent_value"] == pytest.approx(1.2 * 0.83)
    sc = county([{"id": "co2_2030", "indicator": "co2", "year": 2030, "op": "<=", "value": 0.99}])
    assert row(check_superior(sc, load_scenario(NATIONAL)), "co2_reduction")["status"] == "符合"


def test_missing_binding_indicator_and_floor_below_the_superior():
    sc = county([{"id": "forest_2030", "indicator": "forest", "year": 2030, "value": 41}])
    res = check_superior(sc, load_scenario(PROVINCE))
    assert row(res, "forest_2030")["status"] == "冲突"  # floor 41 % below the province's 42 %
    assert row(res, "energy_reduction")["status"] == "缺失"  # handed down, not in the plan
    assert row(res, "unemployment_2030")["status"] == "未列"  # indicative: may be left out
    assert res.exit_code == 1
    assert [r["status"] for r in res.rows][:3] == ["冲突", "缺失", "缺失"]  # conflicts first


def test_indicative_growth_below_the_superior_needs_a_reason():
    note = {"reason": "研发基数小、企业少，按趋势设定", "options": []}
    sc = county(
        [{"id": "rd_growth", "indicator": "rd", "year": 2030, "kind": "growth", "value": 6}]
    )
    r = row(check_superior(sc, load_scenario(PROVINCE)), "rd_growth")
    assert r["status"] == "低于上级" and "需说明理由" in r["note"]
    sc = county(
        [
            {
                "id": "rd_growth",
                "indicator": "rd",
                "year": 2030,
                "kind": "growth",
                "value": 6,
                "proposal": note,
            }
        ]
    )
    r = row(check_superior(sc, load_scenario(PROVINCE)), "rd_growth")
    assert r["status"] == "低于上级" and note["reason"] in r["note"]
    assert check_superior(sc, load_scenario(NATIONAL)).exit_code == 1  # the CO2 target is missing


def test_qualitative_and_total_rows_are_listed_not_compared():
    res = check_superior(county([]), load_scenario(NATIONAL))
    assert row(res, "gdp_growth")["status"] == "定性"
    assert {r["status"] for r in res.rows} <= {"定性", "缺失", "未列"}


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


def test_superior_files_load_and_are_labelled():
    prov = load_scenario(PROVINCE)
    assert "示例" in prov.meta.name and "EXAMPLE" in (prov.meta.name_en or "")
    nat = load_scenario(NATIONAL)
    assert all(t.source for t in nat.targets)  # every national figure cites its source
    assert nat.target("co2_reduction").value == 17 and nat.target("rd_growth").value == 7


def test_draft_names_its_superior_relative_to_itself_and_check_finds_it(tmp_path, capsys):
    sub = tmp_path / "drafts"
    sub.mkdir()
    out = sub / "draft.yaml"
    county = ROOT / "scenarios" / "county-example-14fyp.yaml"
    act = ROOT / "scenarios" / "county-example-14fyp.actuals.csv"
    assert main(["propose", str(county), "--actuals", str(act), "--superior", str(PROVINCE),
                 "-o", str(out), "--runs", "5000", "--seed", "1"]) == 0
    sc = load_scenario(out)
    assert (out.parent / sc.superior.file).resolve() == PROVINCE.resolve()
    capsys.readouterr()
    # no --superior: the draft's own superior: field is used; the CO2 indicator is missing
    assert main(["check", str(out)]) == 1
    assert "[缺失] 单位地区生产总值二氧化碳排放" in capsys.readouterr().out

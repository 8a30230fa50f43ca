"""上级规划衔接: targets against the superior plan's; planlib propose / check from the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_superior_files_load_and_are_labelled():
    prov = load_scenario(PROVINCE)
    assert "示例" in prov.meta.name and "EXAMPLE" in (prov.meta.name_en or "")
    nat = load_scenario(NATIONAL)
    assert all(t.source for t in nat.targets)  # every national figure cites its source
    assert nat.target("co2_reduction").value == 17 and nat.target("rd_growth").value == 7


def test_proposal_note_and_superior_field_are_validated_with_lines():
    from planlib.errors import ScenarioError
    from planlib.scenario import parse_scenario

    text = """meta: {id: x, name: x, region: x, level: 县, base_year: 2025, period: [2026, 2030]}
indicators:
  - {id: a, name_zh: a, unit: 亿元, base: {year: 2025, value: 1}}
targets:
  - id: t1
    indicator: a
    year: 2030
    value: 2
    proposal:
      recommended: trend
      reason: x
      options:
        - {option: trend, value: 2, p_meet: 1.5}
superior: {file: s.yaml, mapp: {}}
"""
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, "x.yaml")
    msg = str(err.value)
    assert "x.yaml:13 targets[0].proposal.options[0].p_meet" in msg
    assert "x.yaml:14 superior.mapp: unknown key" in msg
    ok = parse_scenario(text.replace("p_meet: 1.5", "p_meet: 0.5").replace("mapp", "map"), "x.yaml")
    assert ok.target("t1").proposal.options[0].p_meet == 0.5 and ok.superior.file == "s.yaml"

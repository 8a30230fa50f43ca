"""Roll-forward: the next period's scenario from a reviewed plan; review → roll-forward → audit."""

import os
from pathlib import Path

import pandas as pd
import pytest

from planlib import growth
from planlib.auditing import audit
from planlib.cli import main
from planlib.scenario import load_scenario
from planlib.tracking.actuals import actuals_from_frame, read_actuals
from planlib.tracking.rollforward import RollForwardError, roll_forward, write_rollforward

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"


@pytest.fixture(scope="module")
def act(park):
    return read_actuals(SAMPLE, park)


def target(data, tid):
    return next(t for t in data["targets"] if t["id"] == tid)


def test_round_trip_review_rollforward_audit(park, act, tmp_path, capsys):
    out = tmp_path / "next.yaml"
    assert main(["review", str(park.source_path), "--actuals", str(SAMPLE)]) == 0
    assert (
        main(["rollforward", str(park.source_path), "--actuals", str(SAMPLE), "-o", str(out)]) == 0
    )
    sc = load_scenario(out)
    assert sc.meta.id == "huangyang-park-15fyp" and "十五五" in sc.meta.name
    assert sc.meta.base_year == 2025 and sc.meta.period == (2026, 2030)
    assert sc.indicator("industrial_output").base.value == 47.5
    assert sc.indicator("tax").base.value == pytest.approx(2.05)  # from 万元
    assert audit(sc).exit_code == 0
    capsys.readouterr()
    assert main(["audit", str(out)]) == 0
    assert sorted(os.listdir(tmp_path)) == ["next.yaml"]  # atomic: no temp file left


def test_level_rules(park, act):
    req = growth.required_rate(35, 50, 4)
    obs = growth.cagr(35, 47.5, 4)
    expect = {
        "carry": 50,
        "rescale": round(50 * 47.5 / 35, 2),
        "reset": round(47.5 * (1 + req) ** 5, 2),
        "trend": round(47.5 * (1 + obs) ** 5, 2),
    }
    for rule, value in expect.items():
        data = roll_forward(park, act, rules={"level": rule})
        t = target(data, "output_2030")
        assert t["value"] == pytest.approx(value), rule
        assert t["year"] == 2030
    # counts are whole numbers: 25 + 2 × 5
    assert target(roll_forward(park, act), "above_scale_2030")["value"] == 35


def test_other_kinds_carry_or_reset(park, act):
    data = roll_forward(park, act)
    assert target(data, "output_growth")["value"] == 10
    assert target(data, "urbanisation_pp")["value"] == 9
    cum = target(data, "projects_cumulative")
    assert cum["value"] == 30 and cum["from_year"] == 2026
    trend = roll_forward(
        park, act, rules={"pp_change": "trend", "cumulative": "trend", "growth": "trend"}
    )
    assert target(trend, "tertiary_share_pp")["value"] == pytest.approx(
        round((13.5 - 15) / 5 * 5, 2)
    )
    assert target(trend, "fai_cumulative")["value"] == pytest.approx(7.5)  # 1.5 a year × 5
    assert target(trend, "tax_growth")["value"] == pytest.approx(
        round(growth.cagr(1, 2.05, 4) * 100, 2)
    )


def test_per_target_rules_values_and_drop(park, act):
    data = roll_forward(
        park,
        act,
        target_rules={"output_2025": "carry", "tax_growth": "drop"},
        values={"tax_2025": 5},
    )
    assert target(data, "output_2030")["value"] == 50
    assert all(t["id"] != "tax_growth" for t in data["targets"])
    assert target(data, "tax_2030")["value"] == 5 and "wording" not in target(data, "tax_2030")


def test_bad_input_is_named(park, act, tmp_path):
    with pytest.raises(
        RollForwardError,
        match="rules.level: 'keep'.*auto, carry, rescale, reset, trend, toward, drop",
    ):
        roll_forward(park, act, rules={"level": "keep"})
    with pytest.raises(RollForwardError, match="'levels' is not a target kind"):
        roll_forward(park, act, rules={"levels": "carry"})
    with pytest.raises(RollForwardError, match="'nope' is not a target"):
        roll_forward(park, act, target_rules={"nope": "carry"})
    with pytest.raises(RollForwardError, match="period"):
        roll_forward(park, act, period=(2019, 2030))
    out = tmp_path / "x.yaml"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_rollforward(out, park, act)
    assert out.read_text(encoding="utf-8") == "old"
    assert (
        main(["rollforward", str(park.source_path), "--actuals", str(SAMPLE), "-o", str(out)]) == 2
    )


def test_missing_base_actual_is_never_a_plan_value(park, tmp_path):
    df = pd.DataFrame(
        [
            ("industrial_output", 2021, 35, "亿元", "t"),
            ("industrial_output", 2024, 44, "亿元", "t"),
        ],
        columns=["indicator", "year", "value", "unit", "source"],
    )
    act = actuals_from_frame(df, park, "partial.csv")
    path = write_rollforward(
        tmp_path / "p.yaml", park, act, rules={"level": "carry"}, period=(2026, 2035)
    )
    sc = load_scenario(path)
    assert sc.meta.period == (2026, 2035)
    ind = sc.indicator("industrial_output")
    # the last actual (2024) is the base, not the plan's 2025 value 35 × 1.1⁴ = 51.24
    assert ind.base.year == 2024 and ind.base.value == 44
    assert "缺2025年实绩（数据不足）" in ind.assumption and "不以原规划值代替" in ind.assumption
    assert "# 数据不足：规上工业产值（industrial_output）：缺2025年实绩" in path.read_text(
        encoding="utf-8"
    )
    assert sc.target("output_2035").year == 2035


def test_rule_without_data_falls_back_or_is_named():
    from planlib.scenario import parse_scenario
    from tracking.test_review import EDGE

    sc = parse_scenario(EDGE, "edge.yaml")
    df = pd.DataFrame(
        [("output", 2020, 10, "亿元", "t"), ("output", 2025, 12.5, "亿元", "t")],
        columns=["indicator", "year", "value", "unit", "source"],
    )
    act = actuals_from_frame(df, sc, "edge.csv")
    data = roll_forward(sc, act, rules={"pp_change": "trend"})  # forest has no actuals: carried
    assert target(data, "forest_pp")["value"] == 2 and "沿用" in target(data, "forest_pp")["source"]
    with pytest.raises(RollForwardError, match="'forest_pp': rule 'trend' needs the observed pace"):
        roll_forward(sc, act, target_rules={"forest_pp": "trend"})

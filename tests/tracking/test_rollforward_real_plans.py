"""Rolling a real-plan table forward: kinds without a level rule are carried,
2035 goals keep their year."""

from __future__ import annotations

from pathlib import Path

from planlib.scenario import load_scenario
from planlib.tracking.actuals import read_actuals
from planlib.tracking.rollforward import write_rollforward

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "scenarios").is_dir())


def test_county_example_rolls_forward(tmp_path):
    sc = load_scenario(ROOT / "scenarios" / "county-example-14fyp.yaml")
    act = read_actuals(ROOT / "scenarios" / "county-example-14fyp.actuals.csv", sc)
    new = load_scenario(write_rollforward(tmp_path / "next.yaml", sc, act))
    assert new.meta.period == (2026, 2030) and [u.name for u in new.units] == [
        u.name for u in sc.units
    ]
    q = new.target("gdp_growth_rate_qualitative_2030")
    assert q.kind == "qualitative" and q.text == "保持在合理区间、各年度视情提出"
    goal = new.target("gdp_level_2035")
    assert goal.year == 2035 and goal.value == 600 and goal.op == ">"
    red = new.target("energy_intensity_reduction_2030")
    assert red.kind == "reduction" and red.value == 13.5
    rel = new.target("income_relative_growth_2030")
    assert rel.reference == "gdp" and rel.op == "~"
    # the new base is the 2025 actual, in the indicator's unit (680000 吨 → 68 万吨)
    assert new.indicator("grain").known[2025] == 68.0

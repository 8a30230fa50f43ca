"""Audit checks that allow the rounding a stated precision implies, and 2035 goals on the way."""

from __future__ import annotations

import pytest

from planlib.auditing import audit
from planlib.scenario import parse_scenario

BASE = """\
meta: {id: c, name: 一致性, region: 某县, level: 县, base_year: 2020, period: [2021, 2025],
       price_basis: nominal}
indicators:
  - {id: va, name_zh: 工业增加值, unit: 亿元, base: {year: 2020, value: 57.02},
     rule: {kind: growth, rate: %s}}
targets:
  - {id: lv, indicator: va, year: 2025, op: "%s", value: %s}
  - {id: gr, indicator: va, year: 2025, kind: growth, op: "%s", value: %s}
"""


def _check(rate, lop, level, gop, grow):
    sc = parse_scenario(BASE % (rate, lop, level, gop, grow), "c.yaml")
    return next(c for c in audit(sc).checks if c["kind"] == "growth_vs_level")


def test_stated_rate_and_level_consistent_within_rounding():
    # 57.02 × 1.0672⁵ = 78.933; 78.94 needs 6.7220 %, which rounds to the stated 6.72 %
    need = ((78.94 / 57.02) ** 0.2 - 1) * 100
    assert 6.72 < need < 6.725
    chk = _check(6.72, ">=", 78.94, ">=", 6.72)
    assert chk["status"] == "ok" and "：一致" in chk["message"]
    lo, hi = chk["values"]["required_rate_range"]
    # the interval from the half-units of 57.02 and 78.94
    assert lo == pytest.approx(((78.935 / 57.025) ** 0.2 - 1) * 100)
    assert hi == pytest.approx(((78.945 / 57.015) ** 0.2 - 1) * 100)
    assert _check(6.72, "=", 78.93, "=", 6.72)["status"] == "ok"


def test_equal_targets_far_apart_are_inconsistent():
    # "=" 6.62 % cannot give "=" 78.94 (needs 6.72 %): the intervals do not overlap
    chk = _check(6.62, "=", 78.94, "=", 6.62)
    assert chk["status"] == "warning" and "不一致" in chk["message"]
    # and a rate one digit short (6.71 %) is inconsistent with ≥ 78.94 too
    assert _check(6.71, ">=", 78.94, ">=", 6.71)["status"] == "warning"


GOAL = """\
meta: {id: g, name: 远景, region: 某县, level: 县, base_year: 2020, period: [2021, 2025]}
parameters:
  - {name: g, label_zh: 增速, unit: "%", default: 4, bounds: [0, 10]}
indicators:
  - {id: gdp, name_zh: 地区生产总值, unit: 亿元, base: {year: 2020, value: 300},
     rule: {kind: growth, rate: g}}
targets:
  - {id: goal, indicator: gdp, year: 2035, op: ">", value: 600}
"""


def test_a_2035_goal_runs_the_model_and_checks_the_period_end():
    sc = parse_scenario(GOAL, "g.yaml")
    assert sc.years[-1] == 2035
    rep = audit(sc)
    # 300 × 1.04¹⁵ = 540.28 < 600: missed; the path to 600 needs 300 × 2^(5/15) = 377.98 in 2025
    r = rep.row("goal")
    assert r["implied"] == pytest.approx(300 * 1.04**15) and r["status"] == "warning"
    way = next(c for c in rep.checks if c["kind"] == "on_the_way")
    assert way["values"]["path_value"] == pytest.approx(300 * 2 ** (5 / 15))
    assert way["values"]["plan_value"] == pytest.approx(300 * 1.04**5)
    assert way["status"] == "warning" and "落后于路径" in way["message"]
    rep = audit(sc, {"g": 5})
    assert rep.row("goal")["status"] == "ok"
    assert next(c for c in rep.checks if c["kind"] == "on_the_way")["status"] == "ok"

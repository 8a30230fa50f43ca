"""Target kinds of real plans: reduction, strict and about operators,
relative growth (properties)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planlib.auditing import audit
from planlib.scenario import Target, parse_scenario
from planlib.solver import solve
from planlib.targets import (
    ABOUT_BAND_LEVEL,
    ABOUT_BAND_RATE,
    CompiledTarget,
    about_band,
    default_tolerance,
    implied_value,
    margin,
)


def _ct(t: Target, unit: str = "%", ref_row: int = -1) -> CompiledTarget:
    stated = {"growth": "%", "reduction": "%", "relative_growth": "百分点"}.get(t.kind, unit)
    return CompiledTarget(t, 0, 5, 0, 5, default_tolerance(t, stated), "预期性", stated, ref_row)


def _met(values, t, unit="%", ref_row=-1):
    ct = _ct(t, unit, ref_row)
    return margin(implied_value(values, ct), ct) >= 0


def _path(start, end):
    """(runs=1, indicators=1, years=6) from start to end."""
    v = np.linspace(start, end, 6)
    return v.reshape(1, 1, 6)


@settings(max_examples=200, deadline=None)
@given(base=st.floats(0.01, 1e6), ratio=st.floats(0.2, 1.5), p=st.floats(0.1, 60))
def test_reduction_met_iff_end_at_most_base_times_one_minus_p(base, ratio, p):
    end = base * ratio
    limit = base * (1 - p / 100)
    assume(abs(end - limit) > 1e-7 * base)
    t = Target(indicator="x", year=2025, kind="reduction", value=p)
    assert bool(_met(_path(base, end), t)[0]) == (end <= limit)


def test_reduction_exactly_at_the_limit_is_met():
    # 0.6 → 0.519 is exactly 13.5 % lower
    t = Target(indicator="x", year=2025, kind="reduction", value=13.5)
    assert _met(_path(0.6, 0.6 * (1 - 0.135)), t)[0]
    assert not _met(_path(0.6, 0.6 * (1 - 0.135) + 1e-6), t)[0]


@settings(max_examples=200, deadline=None)
@given(v=st.floats(-1e4, 1e4), op=st.sampled_from([">", ">=", "<", "<="]))
def test_strict_and_non_strict_differ_only_at_the_bound(v, op):
    t = Target(indicator="x", year=2025, op=op, value=v)
    at = _met(_path(0.0, v), t, unit="亿元")[0]
    assert at == (op in (">=", "<="))  # the bound itself: met by >= and <=, missed by > and <
    step = 1e-6 * max(1.0, abs(v))
    above = _met(_path(0.0, v + step), t, unit="亿元")[0]
    below = _met(_path(0.0, v - step), t, unit="亿元")[0]
    assert above == (op in (">", ">=")) and below == (op in ("<", "<="))


@settings(max_examples=200, deadline=None)
@given(v=st.floats(0.1, 1e4), d=st.floats(0, 1e3), band=st.one_of(st.none(), st.floats(0.01, 100)))
def test_about_band_is_symmetric(v, d, band):
    t = Target(indicator="x", year=2025, op="~", value=v, band=band)
    b = about_band(t, "亿元")
    assume(abs(d - b) > 1e-6 * max(1.0, v))
    up = _met(_path(0.0, v + d), t, unit="亿元")[0]
    down = _met(_path(0.0, v - d), t, unit="亿元")[0]
    assert up == down == (d <= b)


def test_about_band_defaults():
    assert (
        about_band(Target(indicator="x", year=2025, kind="growth", op="~", value=5), "%")
        == ABOUT_BAND_RATE
    )
    assert about_band(Target(indicator="x", year=2025, op="~", value=3.4), "%") == 0.5
    lv = Target(indicator="x", year=2025, op="~", value=600)
    assert (
        about_band(lv, "亿元") == pytest.approx(600 * ABOUT_BAND_LEVEL / 100) == pytest.approx(12)
    )
    assert about_band(Target(indicator="x", year=2025, op="~", value=600, band=20), "亿元") == 20


@settings(max_examples=100, deadline=None)
@given(a=st.floats(-5, 15), b=st.floats(-5, 15), op=st.sampled_from([">", ">=", "~"]))
def test_relative_growth_compares_the_two_rates(a, b, op):
    values = np.stack(
        [np.linspace(100, 100 * (1 + a / 100) ** 5, 6), np.linspace(50, 50 * (1 + b / 100) ** 5, 6)]
    )[None, :, :]
    t = Target(indicator="x", year=2025, kind="relative_growth", reference="y", op=op)
    diff = a - b
    assume(abs(diff) > 1e-6 and abs(abs(diff) - 0.5) > 1e-6)
    want = {">": diff > 0, ">=": diff >= 0, "~": abs(diff) <= 0.5}[op]
    assert bool(_met(values, t, ref_row=1)[0]) == want


SC = """\
meta: {id: t, name: 测试, region: 某县, level: 县, base_year: 2020, period: [2021, 2025]}
parameters:
  - {name: fall, label_zh: 能耗年均变化, unit: "%", default: -3, bounds: [-8, 2]}
indicators:
  - {id: energy, name_zh: 单位GDP能耗, unit: 吨标煤/万元, direction: lower,
     base: {year: 2020, value: 0.6},
     rule: {kind: growth, rate: fall}}
targets:
  - {id: red, indicator: energy, year: 2025, kind: reduction, value: 13.5, attribute: 约束性}
  - {id: lv, indicator: energy, year: 2025, value: 0.516}
"""


def test_lower_is_better_default_op_and_solver_on_a_reduction():
    sc = parse_scenario(SC, "t.yaml")
    assert sc.target("lv").op == "<="  # direction: lower makes a bare level target a ceiling
    res = solve(sc, "red", "fall")
    # (1 + f)^5 = 0.865  ⇒  f = 0.865^(1/5) − 1
    assert res.status == "solved" and res.value == pytest.approx((0.865**0.2 - 1) * 100, abs=1e-8)
    assert "至多" in res.message  # a fall: the yearly change may be at most this
    rep = audit(sc, {"fall": -2.5})
    r = rep.row("red")
    assert r["status"] == "error" and r["implied"] == pytest.approx((1 - 0.975**5) * 100)
    assert rep.exit_code == 1


def test_qualitative_and_relative_growth_validation():
    from planlib.errors import ScenarioError

    bad = SC.replace("kind: reduction, value: 13.5", "kind: qualitative")
    with pytest.raises(ScenarioError, match="qualitative target needs text"):
        parse_scenario(bad, "q.yaml")
    bad = SC.replace("kind: reduction, value: 13.5", "kind: relative_growth")
    with pytest.raises(ScenarioError, match="reference is required"):
        parse_scenario(bad, "r.yaml")
    bad = SC.replace("kind: reduction, value: 13.5", "kind: relative_growth, reference: gdp")
    with pytest.raises(ScenarioError, match="'gdp' is not an indicator"):
        parse_scenario(bad, "r.yaml")
    bad = SC.replace("value: 13.5", "value: 13.5, band: 1")
    with pytest.raises(ScenarioError, match="band is only used with op '~'"):
        parse_scenario(bad, "b.yaml")
    bad = SC.replace("value: 13.5", "value: 120")
    with pytest.raises(ScenarioError, match="must be below 100 %"):
        parse_scenario(bad, "b.yaml")

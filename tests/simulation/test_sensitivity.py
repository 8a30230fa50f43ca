"""Tornado and Sobol sensitivity against analytic answers."""

from __future__ import annotations

import numpy as np
import pytest

from planlib.scenario import parse_scenario
from planlib.simulation.sensitivity import sobol, tornado, upstream_parameters

ADDITIVE = """\
meta: {id: add, name: 加法, region: 某镇, level: 乡镇, base_year: 2020, period: [2021, 2025]}
parameters:
  - {name: a, label_zh: 甲, unit: 亿元, default: 0.5, bounds: [0, 1]}
  - {name: b, label_zh: 乙, unit: 亿元, default: 0.5, bounds: [0, 1]}
  - {name: c, label_zh: 丙, unit: 亿元, default: 0.5, bounds: [0, 1]}
  - {name: g, label_zh: 增速, unit: "%", default: 10, bounds: [0, 20]}
indicators:
  - {id: y, name_zh: 合计, unit: 亿元, category: 经济发展, rule: {kind: formula, expr: "a + 2 * b"}}
  - {id: z, name_zh: 产值, unit: 亿元, category: 经济发展, base: {year: 2020, value: 10},
     rule: {kind: growth, rate: g}}
  - {id: w, name_zh: 其他, unit: 亿元, category: 经济发展, rule: {kind: level, value: c}}
targets:
  - {id: y_2025, indicator: y, year: 2025, value: 1}
  - {id: z_2025, indicator: z, year: 2025, value: 16}
"""


@pytest.fixture(scope="module")
def add():
    return parse_scenario(ADDITIVE, "add.yaml")


def test_tornado_reads_each_bound_and_sorts_by_swing(add):
    df = tornado(add, "y_2025")
    assert list(df.parameter) == ["b", "a"]  # c does not reach y: left out by default
    b = df.iloc[0]
    assert (b.value_low, b.value_high, b.baseline) == pytest.approx((0.5, 2.5, 1.5))
    assert b.swing == pytest.approx(2.0) and df.iloc[1].swing == pytest.approx(1.0)
    z = tornado(add, "z_2025").iloc[0]
    assert z.value_low == pytest.approx(10.0) and z.value_high == pytest.approx(10 * 1.2**5)
    assert df.attrs["target"] == "y_2025"


def test_tornado_with_explicit_parameters_and_errors(add):
    df = tornado(add, "y_2025", params=["a", "c"])
    assert df.set_index("parameter").loc["c", "swing"] == 0.0
    with pytest.raises(KeyError, match="no parameter 'nope'"):
        tornado(add, "y_2025", params=["nope"])
    with pytest.raises(KeyError, match="no target 'nope'"):
        tornado(add, "nope")


def test_upstream_parameters_follow_links(park):
    assert upstream_parameters(park, "tax_output_ratio")[:2] == ["output_growth", "tax_growth"]
    assert "tax_growth" not in upstream_parameters(park, "industrial_output")


def test_sobol_matches_the_analytic_indices(add):
    # y = a + 2b with a, b ~ U(0, 1): Var = 1/12 + 4/12, so S1(a) = 0.2, S1(b) = 0.8, no interaction
    df = sobol(add, "y_2025", n=4096, seed=1).set_index("parameter")
    assert df.loc["b", "S1"] == pytest.approx(0.8, abs=0.03)
    assert df.loc["a", "S1"] == pytest.approx(0.2, abs=0.03)
    assert df.loc["b", "ST"] == pytest.approx(0.8, abs=0.03)
    assert df.index[0] == "b"
    assert np.isfinite(df["ST_conf"]).all()
    again = sobol(add, "y_2025", n=4096, seed=1).set_index("parameter")
    assert df.loc["b", "S1"] == again.loc["b", "S1"]  # seeded: reproducible


def test_sobol_rejects_bad_sample_size(add):
    with pytest.raises(ValueError, match="power of two"):
        sobol(add, "y_2025", n=1000)


def test_park_output_depends_on_output_growth_only(park):
    df = sobol(park, "output_2025", n=256, seed=0)
    assert df.parameter.iloc[0] == "output_growth"
    assert df.ST.iloc[0] > 0.9

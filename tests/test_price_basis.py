"""Price basis: nominal levels with comparable growth are compared like with like once declared."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib import price_basis as PB
from planlib.auditing import audit
from planlib.model import Model
from planlib.scenario import parse_scenario

HEAD = """\
meta: {id: p, name: 口径, region: 某园区, level: 园区, base_year: 2020, period: [2021, 2025]%s}
parameters:
  - {name: g, label_zh: 名义增速, unit: "%%", default: 12.75, bounds: [0, 30]}
indicators:
  - {id: output, name_zh: 产值, unit: 亿元, category: 经济发展, base: {year: 2021, value: 35},
     rule: {kind: growth, rate: g}}
"""
UNDECLARED = (
    HEAD % ""
    + """\
targets:
  - {id: out_level, indicator: output, year: 2025, value: 56}
  - {id: out_growth, indicator: output, year: 2025, kind: growth, value: 10}
"""
)
DECLARED = (
    HEAD % ""
    + """\
targets:
  - {id: out_level, indicator: output, year: 2025, value: 56}
  - {id: out_growth, indicator: output_comparable, year: 2025, kind: growth, value: 10}
components:
  - kind: price_basis
    deflator: {default: 2.5, bounds: [-2, 8], step: 0.1}
    indicators: [{id: output, name_zh: 产值}]
"""
)


def _gv(sc):
    return next(c for c in audit(sc).checks if c["kind"] == "growth_vs_level")


def test_undeclared_basis_is_flagged():
    chk = _gv(parse_scenario(UNDECLARED, "u.yaml"))
    assert chk["status"] == "warning" and "不一致" in chk["message"]
    assert "价格口径未声明" in chk["message"] and chk["price_basis_declared"] is False
    assert chk["values"]["level_at_stated_rate"] == pytest.approx(35 * 1.1**4)


def test_declared_basis_is_compared_like_with_like():
    sc = parse_scenario(DECLARED, "d.yaml")
    assert sc.indicator("output_comparable").price_basis == "comparable"
    rep = audit(sc)
    chk = next(c for c in rep.checks if c["kind"] == "growth_vs_level")
    assert (
        chk["status"] == "ok"
        and chk["indicator"] == "output"
        and chk["basis"] == "comparable→nominal"
    )
    assert "可比价" in chk["message"] and "2.50%" in chk["message"]
    assert chk["values"]["level_at_stated_rate"] == pytest.approx(35 * (1.1 * 1.025) ** 4)
    need_nominal = ((56 / 35) ** 0.25 - 1) * 100
    assert chk["values"]["required_rate"] == pytest.approx(
        ((1 + need_nominal / 100) / 1.025 - 1) * 100
    )
    # the comparable growth target reads comparable growth: 12.75 % nominal at 2.5 % prices is 10 %
    assert rep.row("out_growth")["implied"] == pytest.approx(10.0)
    assert rep.status == "ok"


def test_english_names_the_basis():
    chk = next(
        c
        for c in audit(parse_scenario(DECLARED, "d.yaml"), lang="en").checks
        if c["kind"] == "growth_vs_level"
    )
    assert "comparable growth against nominal level" in chk["message"]


def test_declared_single_basis_says_so(park):
    chk = next(c for c in audit(park).checks if c["kind"] == "growth_vs_level")
    assert chk["basis"] == "nominal" and "现价" in chk["message"]


def test_deflator_slider_moves_the_comparable_path():
    m = Model(parse_scenario(DECLARED, "d.yaml"))
    traj = m.evaluate({"deflator": np.array([0.0, 2.5, 5.0])})
    real = traj.at("output_comparable", 2025)
    assert real[0] == pytest.approx(35 * 1.1275**4)
    assert real[0] > real[1] > real[2]


@settings(max_examples=60, deadline=None)
@given(r=st.floats(-0.2, 0.5), pi=st.floats(-0.05, 0.2))
def test_nominal_and_real_rates_invert(r, pi):
    assert PB.real_rate(PB.nominal_rate(r, pi), pi) == pytest.approx(r, abs=1e-12)
    assert PB.deflate(100 * (1 + pi), 100 * (1 + pi)) == pytest.approx(100.0)


# ---- issue 13: comparable growth, nominal level, no index; a deflator of exactly 0 ---------------
MIXED = """\
meta: {id: m, name: 口径, region: 某县, level: 县, base_year: 2020, period: [2021, 2025]}
indicators:
  - {id: gdp, name_zh: 地区生产总值, unit: 亿元, base: {year: 2020, value: 100},
     rule: {kind: growth, rate: 8}}
targets:
  - {id: g, indicator: gdp, year: 2025, kind: growth, value: 6, price_basis: comparable}
  - {id: lv, indicator: gdp, year: 2025, value: 146.93}
"""


def test_comparable_growth_with_nominal_level_is_no_false_alarm():
    chk = _gv(parse_scenario(MIXED, "m.yaml"))
    assert chk["status"] == "info" and chk["basis"] == "mixed" and "不一致" not in chk["message"]
    need = ((146.93 / 100) ** 0.2 - 1) * 100
    assert chk["implied_deflator"] == pytest.approx(((1 + need / 100) / 1.06 - 1) * 100)
    assert "隐含价格涨幅年均 1.89%" in chk["message"]


def test_a_deflator_of_exactly_zero_still_says_the_level_is_nominal():
    sc = parse_scenario(DECLARED.replace("default: 2.5", "default: 0"), "z.yaml")
    chk = _gv(sc)
    assert chk["basis"] == "comparable→nominal" and "现价水平" in chk["message"]
    assert "价格指数年均 0.00%" in chk["message"]


@pytest.mark.parametrize("stated", [6, 9])
def test_mixed_basis_message_is_exact_and_gives_no_verdict(stated):
    """可比价 growth, 现价 level, no index: the message states the implied price rise, no verdict.

    Whether the stated comparable growth is slower (6 %) or faster (9 %) than the 8 % the level
    needs, the status stays info and neither 一致 nor 不一致 is printed.
    """
    sc = parse_scenario(MIXED.replace("value: 6,", f"value: {stated},"), "m.yaml")
    level = 100 * (1 + stated / 100) ** 5  # 133.82 at 6 %, 153.86 at 9 %
    need = ((146.93 / 100) ** 0.2 - 1) * 100  # 8.00 % a year
    implied = ((1 + need / 100) / (1 + stated / 100) - 1) * 100  # 1.89 % at 6 %, -0.92 % at 9 %
    zh = _gv(sc)
    assert zh["status"] == "info" and zh["basis"] == "mixed"
    assert zh["message"] == (
        f"地区生产总值: 按所述年均增长 {stated:.2f}%，2020年 100.00亿元 "
        f"到2025年为 {level:.2f}亿元；所述目标 ≥ 146.93亿元 需年均增长 {need:.2f}%："
        "增速为可比价、水平为现价，未给出价格指数："
        f"二者隐含价格涨幅年均 {implied:.2f}%（不作一致性判断）"
    )
    en = next(c for c in audit(sc, lang="en").checks if c["kind"] == "growth_vs_level")
    assert en["message"] == (
        f"地区生产总值: stated growth {stated:.2f}% from 100.00亿元 in 2020 "
        f"gives {level:.2f}亿元 in 2025; the stated level ≥ 146.93亿元 needs {need:.2f}%: "
        "comparable growth, nominal level, no price index: "
        f"they imply prices rising {implied:.2f} % a year (no consistency verdict)"
    )
    assert audit(sc).exit_code == 0

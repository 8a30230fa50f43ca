"""Edge tests: equality at every threshold and tolerance, lower-is-better paths, rounding
direction, class cuts that split firms, NaN inputs, percentiles at many run counts.

Every expected value here is worked out by hand in the comment beside it (issue 11: five
of eight planted bugs survived the suite before these tests).
"""

import math

import numpy as np
import pandas as pd
import pytest

from planlib import growth
from planlib.auditing import audit
from planlib.domains.land import LandError, ScoreIndicator, score_enterprises
from planlib.scenario import Target, parse_scenario
from planlib.targets import _met, default_tolerance, margin_of
from planlib.tracking.review import Thresholds, classify, progress_ratio
from planlib.tracking.rollforward import _round_target

try:  # after the restructure (issue 10)
    from planlib.simulation import engine as S
except ImportError:  # pragma: no cover - before it
    from planlib import simulate as S


# ---- targets: >=, <=, = at the boundary ----------------------------------------------------
@pytest.mark.parametrize(
    "op, implied, met",
    [
        # value 10, tolerance 0.5: ">=" accepts 9.5 and above, "<=" 10.5 and below, "=" 9.5–10.5
        (">=", 9.5, True),
        (">=", 9.4999, False),
        (">=", 10.0, True),
        (">=", 1e6, True),
        ("<=", 10.5, True),
        ("<=", 10.5001, False),
        ("<=", 10.0, True),
        ("<=", -1e6, True),
        ("=", 9.5, True),
        ("=", 10.5, True),
        ("=", 10.5001, False),
        ("=", 9.4999, False),
    ],
)
def test_met_at_the_tolerance_boundary(op, implied, met):
    assert bool(_met(np.array([implied]), op, 10.0, 0.5)[0]) is met


@pytest.mark.parametrize(
    "op, implied, expected",
    [
        (">=", 9.5, 0.0),
        (">=", 12.0, 2.5),
        (">=", 9.0, -0.5),
        ("<=", 10.5, 0.0),
        ("<=", 8.0, 2.5),
        ("<=", 11.0, -0.5),
        ("=", 10.0, 0.5),
        ("=", 10.5, 0.0),
        ("=", 9.0, -0.5),
        # strict: must pass the value by more than the tolerance
        (">", 10.5, 0.0),
        (">", 11.0, 0.5),
        (">", 10.0, -0.5),
        ("<", 9.5, 0.0),
        ("<", 9.0, 0.5),
        ("<", 10.0, -0.5),
    ],
)
def test_margin_is_zero_at_the_boundary_and_positive_inside(op, implied, expected):
    got = float(margin_of(np.array([implied]), op, 10.0, 0.5)[0])
    assert got == pytest.approx(expected, abs=1e-12)
    assert bool(_met(np.array([implied]), op, 10.0, 0.5)[0]) is (expected >= 0)


@pytest.mark.parametrize(
    "op, value, tolerance, expected",
    [
        ("=", 50, None, 0.5),  # stated "50": half of the last digit
        ("=", 9.33, None, 0.005),  # stated "9.33": 9.325–9.335
        ("=", 0.516, None, 0.0005),
        (">=", 200, None, 2e-7),  # floating-point noise only: 1e-9 × |value|
        ("<=", 0.5, None, 1e-9),  # … at least 1e-9
        ("<=", 10, 0, 0.0),  # an explicit tolerance wins, even 0
        (">=", 10, 0.3, 0.3),
    ],
)
def test_default_tolerance(op, value, tolerance, expected):
    t = Target(indicator="x", year=2025, op=op, value=value, tolerance=tolerance)
    assert default_tolerance(t) == pytest.approx(expected, rel=1e-12, abs=0)


ENERGY = """\
meta: {{id: e, name: 能耗, region: 某区, level: 区, base_year: 2020, period: [2021, 2022]}}
parameters:
  - {{name: r, label_zh: 年均变化, unit: "%", default: {rate}, bounds: [-50, 50]}}
indicators:
  - {{id: energy, name_zh: 单位GDP能耗, unit: 吨标准煤/万元, category: 资源环境, attribute: 约束性,
     base: {{year: 2020, value: 0.5}}, rule: {{kind: growth, rate: r}}}}
targets:
  - {{id: lv, indicator: energy, year: 2022, op: "<=", value: {level}}}
  - {{id: gr, indicator: energy, year: 2022, kind: growth, op: "=", value: {stated}}}
"""


@pytest.mark.parametrize(
    "rate, level, stated, level_met, consistent",
    [
        # 0.5 × 0.9² = 0.405 exactly at the stated level: met; -10 % a year is what it needs
        (-10, 0.405, -10, True, True),
        # a steeper stated fall (-12 % a year gives 0.3872 ≤ 0.405) is consistent with the level
        (-10, 0.405, -12, True, True),
        # rounding as written: base "0.5" is 0.45–0.55 and "0.405" is 0.4045–0.4055, so the
        # needed rate lies in [-14.24, -5.07] %; "-5" (-5.5…-4.5) overlaps it: consistent
        (-10, 0.405, -5, True, True),
        # "-3" (-3.5…-2.5) is slower than any rate in that range: inconsistent
        (-10, 0.405, -3, True, False),
        # the model falls 5 % a year: 0.45125 > 0.405, the lower-is-better level is missed
        (-5, 0.405, -10, False, True),
        # … and 0.45125 ≤ 0.4513 is met
        (-5, 0.4513, -5, True, True),
    ],
)
def test_lower_is_better_level_and_growth_vs_level(rate, level, stated, level_met, consistent):
    sc = parse_scenario(ENERGY.format(rate=rate, level=level, stated=stated), "e.yaml")
    rep = audit(sc)
    lv = rep.row("lv")
    assert lv["implied"] == pytest.approx(0.5 * (1 + rate / 100) ** 2, rel=1e-12)
    assert (lv["status"] in ("met", "ok")) is level_met, lv
    check = next(c for c in rep.checks if c["kind"] == "growth_vs_level")
    assert (check["status"] == "ok") is consistent
    assert ("不一致" not in check["message"]) is consistent
    assert check["values"]["required_rate"] == pytest.approx(((level / 0.5) ** 0.5 - 1) * 100)
    assert check["values"]["level_at_stated_rate"] == pytest.approx(0.5 * (1 + stated / 100) ** 2)


# ---- review classes at every threshold -----------------------------------------------------
T = Thresholds()  # on_track 0.95, acceleration 0.6, limited 0.0


@pytest.mark.parametrize(
    "ratio, cls",
    [
        (0.95, "on_track"),
        (0.9499, "needs_acceleration"),
        (2.0, "on_track"),
        (0.6, "needs_acceleration"),
        (0.5999, "limited_progress"),
        (0.0, "limited_progress"),  # a flat indicator: limited, not moving away
        (-0.0001, "moving_away"),
        (-3.0, "moving_away"),
        (float("nan"), "insufficient_data"),
    ],
)
def test_classify_at_each_threshold(ratio, cls):
    assert classify([ratio], [False], T)[0] == cls


def test_classify_flags_override_the_ratio():
    ratio = [0.95, 0.95, float("nan"), 0.95, 0.0]
    achieved = [True, False, True, False, False]
    overdue = [False, True, False, False, False]
    wrong = [False, False, False, True, False]
    out = classify(ratio, achieved, T, overdue=overdue, wrong_way=wrong)
    # achieved wins; an overdue target is never on track; wrong way is moving away
    assert list(out) == [
        "achieved",
        "needs_acceleration",
        "achieved",
        "moving_away",
        "limited_progress",
    ]


def test_classify_with_custom_thresholds_uses_each_one():
    th = Thresholds(on_track=1.0, acceleration=0.5, limited=0.2)
    out = classify([1.0, 0.99, 0.5, 0.49, 0.2, 0.19], [False] * 6, th)
    assert list(out) == [
        "on_track",
        "needs_acceleration",
        "needs_acceleration",
        "limited_progress",
        "limited_progress",
        "moving_away",
    ]


def test_progress_ratio_edges():
    # lower-is-better: both paces negative, the ratio positive; zero or NaN required → NaN
    r = progress_ratio([-2.0, 3.0, 1.0, 1.0, float("nan")], [-4.0, 2.0, 0.0, float("nan"), 1.0])
    assert r[0] == 0.5 and r[1] == 1.5
    assert np.isnan(r[2]) and np.isnan(r[3]) and np.isnan(r[4])


# ---- roll-forward rounding direction -------------------------------------------------------
@pytest.mark.parametrize(
    "value, unit, op, expected",
    [
        (43.33, "个", ">=", 44.0),  # a count to reach: round up (43 would miss 43.33)
        (43.0, "个", ">=", 43.0),
        (43.0000000001, "个", ">=", 43.0),  # float noise does not add a firm
        (43.67, "个", "<=", 43.0),  # a count not to exceed: round down
        (43.0, "个", "<=", 43.0),
        (42.9999999999, "个", "<=", 43.0),
        (43.5, "个", "=", 44.0),
        (43.49, "个", "=", 43.0),
        (43.335, "亿元", ">=", 43.34),
        (43.333, "亿元", "<=", 43.33),  # levels: 2 decimals
    ],
)
def test_roll_forward_rounds_counts_in_the_safe_direction(value, unit, op, expected):
    assert _round_target(value, unit, op) == expected


# ---- 亩均 class cuts when shares are not whole firms -----------------------------------------
@pytest.mark.parametrize(
    "n, classes",
    [
        # cumulative shares 0.2/0.7/0.9/1.0 × n; rank r takes the first class whose bound
        # exceeds r - 0.5
        (3, "ABC"),  # bounds 0.6, 2.1, 2.7, 3: no D with three firms
        (7, "ABBBBCD"),  # bounds 1.4, 4.9, 6.3, 7
        (9, "AABBBBCCD"),  # bounds 1.8, 6.3, 8.1, 9
        (10, "AABBBBBCCD"),  # whole firms: 2, 5, 2, 1
        (13, "AAABBBBBBCCCD"),  # bounds 2.6, 9.1, 11.7, 13
    ],
)
def test_land_class_cuts(n, classes):
    df = pd.DataFrame({"name": [f"f{i}" for i in range(n)], "tax": np.arange(n, 0, -1.0)})
    out = score_enterprises(
        df, [ScoreIndicator("tax", "税", float(n), 100.0)], {"A": 0.2, "B": 0.5, "C": 0.2, "D": 0.1}
    )
    assert list(out["name"]) == [f"f{i}" for i in range(n)]  # best first
    assert "".join(out["class"]) == classes


def test_land_scores_at_benchmark_and_cap():
    df = pd.DataFrame(
        {
            "name": ["at", "double", "half", "zero", "low_at", "low_half"],
            "tax": [10.0, 20.0, 5.0, 0.0, 1.0, 1.0],
            "energy": [2.0, 2.0, 2.0, 2.0, 2.0, 1.0],
        }
    )
    ind = [
        ScoreIndicator("tax", "税", 10.0, 40.0, cap=1.5),
        ScoreIndicator("energy", "能耗", 2.0, 10.0, higher_is_better=False, cap=1.5),
    ]
    out = score_enterprises(df, ind, {"A": 0.5, "B": 0.5}).set_index("name")
    # tax: 40 × min(v / 10, 1.5); energy (lower is better): 10 × min(2 / v, 1.5)
    assert out.loc["at", "score"] == 40 + 10
    assert out.loc["double", "score"] == 60 + 10  # capped at 1.5 × 40
    assert out.loc["half", "score"] == 20 + 10
    assert out.loc["zero", "score"] == 0 + 10
    assert out.loc["low_half", "score"] == 4 + 15  # 2 / 1 = 2 capped at 1.5
    with pytest.raises(LandError, match="missing"):
        score_enterprises(df.assign(tax=[1, float("nan"), 1, 1, 1, 1]), ind, {"A": 1.0})


# ---- growth at the edges and with NaN ------------------------------------------------------
def test_growth_edges_and_nan():
    assert growth.cagr(100, 100, 5) == 0.0
    assert math.isnan(growth.cagr(0, 10, 5)) and math.isnan(growth.cagr(-1, 10, 5))
    assert math.isnan(growth.cagr(10, 20, 0)) and math.isnan(growth.cagr(float("nan"), 20, 5))
    assert growth.cagr(10, 0, 2) == -1.0  # end 0 is allowed: -100 %
    assert growth.cagr(100, 121, 2) == pytest.approx(0.1, abs=1e-15)
    assert growth.required_rate(50, 40.5, 2) == pytest.approx(-0.1, abs=1e-15)
    assert growth.required_increment(10, 16, 3) == 2.0
    assert math.isnan(growth.required_increment(10, 16, 0))
    np.testing.assert_allclose(growth.compound_path(100, [0.1, 0.1, -0.5]), [110, 121, 60.5])
    np.testing.assert_allclose(growth.linear_path(1.0, [0.5, -2.0]), [1.5, -0.5])
    assert growth.project(100, 0.1, 2) == pytest.approx(121)


# ---- percentiles equal np.percentile at many run counts -------------------------------------
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 10, 99, 100, 101, 1000, 10_007])
def test_exact_percentiles_at_several_run_counts(n):
    rng = np.random.default_rng(n)
    q = [0, 2.5, 5, 33.3, 50, 66.7, 95, 97.5, 100]
    x = rng.lognormal(size=n)
    np.testing.assert_array_equal(S.exact_percentiles(x, q), np.percentile(x, q))
    ties = np.round(x, 0)  # many equal values
    np.testing.assert_array_equal(S.exact_percentiles(ties, q), np.percentile(ties, q))


SIM = """\
meta: {id: s, name: 模拟, region: 某区, level: 区, base_year: 2020, period: [2021, 2023]}
parameters:
  - {name: g, label_zh: 增速, unit: "%", default: 8, bounds: [-20, 30],
     distribution: {kind: normal, mean: 8, sd: 3}}
indicators:
  - {id: out, name_zh: 产值, unit: 亿元, base: {year: 2020, value: 40},
     rule: {kind: growth, rate: g}}
targets:
  - {indicator: out, year: 2023, value: 50}
"""


@pytest.mark.parametrize("runs", [1, 2, 3, 17, 1001, 2 * S.BLOCK + 3])
def test_simulated_percentiles_equal_numpy_at_several_run_counts(runs):
    from planlib.model import Model

    sc = parse_scenario(SIM, "s.yaml")
    res = S.simulate(sc, runs, seed=3, chunk_size=S.BLOCK)
    draws = S.draw_parameters(sc, runs, 3)
    traj = Model(sc).evaluate(draws, runs=runs)
    np.testing.assert_array_equal(
        res.quantiles, np.percentile(traj.values, res.percentiles, axis=0)
    )


def test_growth_paths_default_method_broadcast_and_dtype():
    # annual_milestones defaults to compound: 100 → 121 in 2 years passes 110 (linear: 110.5)
    np.testing.assert_allclose(growth.annual_milestones(100, 121, 2), [110.0, 121.0])
    np.testing.assert_allclose(growth.annual_milestones(100, 121, 2, "linear"), [110.5, 121.0])
    many = growth.annual_milestones(np.array([100.0, 200.0]), np.array([121.0, 242.0]), 2)
    np.testing.assert_allclose(many, [[110.0, 121.0], [220.0, 242.0]])
    assert many[1, -1] == 242.0  # the last milestone is the target exactly
    ints = growth.annual_milestones(np.array([1, 2]), np.array([3, 5]), 2, "linear")
    np.testing.assert_array_equal(ints, [[2.0, 3.0], [3.5, 5.0]])
    # a vector of bases against one row of rates: one path per base
    paths = growth.compound_path(np.array([100.0, 200.0]), [0.1, 0.1])
    np.testing.assert_allclose(paths, [[110.0, 121.0], [220.0, 242.0]])
    lin = growth.linear_path(np.array([1, 2]), np.array([[1, 1], [2, 2]]))
    np.testing.assert_array_equal(lin, [[2.0, 3.0], [4.0, 6.0]])
    assert lin.dtype == float and growth.linear_path(1, [1, 2]).dtype == float
    assert growth.compound_path(100, [0, 1]).dtype == float


RI = """\
meta: {id: r, name: 区间, region: 某区, level: 区, base_year: 2020, period: [2021, 2025]}
indicators:
  - {id: x, name_zh: 产值, unit: 亿元, base: {year: 2020, value: 50}, rule: {kind: growth, rate: 9}}
"""


@pytest.mark.parametrize(
    "g_op, g_band, lv_op, lv_band, start, price_rise, expected",
    [
        # "6.72" is 6.715–6.725; "78.94" is 78.935–78.945; the stated start "50" is 49.5–50.5
        (
            ">=",
            None,
            ">=",
            None,
            50.0,
            0.0,
            (6.715, 6.725, (78.935 / 50.5) ** 0.2, (78.945 / 49.5) ** 0.2),
        ),
        # a band counts only for "~" (左右): 6.72 ± 0.3, 78.94 ± 1
        ("~", 0.3, "~", 1.0, 50.0, 0.0, (6.42, 7.02, (77.94 / 50.5) ** 0.2, (79.94 / 49.5) ** 0.2)),
        (
            ">=",
            0.3,
            ">=",
            1.0,
            50.0,
            0.0,
            (6.715, 6.725, (78.935 / 50.5) ** 0.2, (78.945 / 49.5) ** 0.2),
        ),
        # a start the model computed (not the stated 50) carries no rounding
        (
            ">=",
            None,
            ">=",
            None,
            51.0,
            0.0,
            (6.715, 6.725, (78.935 / 51) ** 0.2, (78.945 / 51) ** 0.2),
        ),
        # prices rising 2 % a year: the comparable-price rate needed is the nominal one deflated
        (
            ">=",
            None,
            ">=",
            None,
            50.0,
            2.0,
            (6.715, 6.725, (78.935 / 50.5) ** 0.2 / 1.02, (78.945 / 49.5) ** 0.2 / 1.02),
        ),
    ],
)
def test_rounding_intervals(g_op, g_band, lv_op, lv_band, start, price_rise, expected):
    from planlib.auditing import rounding_intervals

    sc = parse_scenario(RI, "r.yaml")
    g = {"target": 6.72, "op": g_op, "band": g_band}
    lv = {
        "year": 2025,
        "from_year": 2020,
        "target": 78.94,
        "op": lv_op,
        "band": lv_band,
        "start_value": start,
        "indicator": "x",
    }
    got = rounding_intervals(sc, g, lv, price_rise) if price_rise else rounding_intervals(sc, g, lv)
    g_lo, g_hi, f_lo, f_hi = expected
    assert got == pytest.approx((g_lo, g_hi, (f_lo - 1) * 100, (f_hi - 1) * 100), rel=1e-12)


def test_land_shares_weights_and_negative_values():
    df = pd.DataFrame({"name": list("abcde"), "tax": [50.0, 40.0, 30.0, 20.0, -10.0]})
    one = [ScoreIndicator("tax", "税", 10.0, 1.0)]
    # a class with share 0 is allowed and stays empty; half a firm at a bound goes to the next class
    out = score_enterprises(df, one, {"A": 0.1, "B": 0.9, "C": 0.0})
    assert list(out["class"]) == ["B"] * 5  # bound 0.5 for A: rank 1 (0.5) is not below it
    # a negative value scores 0, never below
    assert out.set_index("name").loc["e", "score"] == 0.0
    # weight 0 is allowed (the indicator is shown, not counted); benchmark 0 or a negative
    # weight is not
    zero = score_enterprises(df, [ScoreIndicator("tax", "税", 10.0, 0.0)], {"A": 1.0})
    assert (zero["score"] == 0).all()
    for bad in (ScoreIndicator("tax", "税", 0.0, 1.0), ScoreIndicator("tax", "税", 10.0, -1.0)):
        with pytest.raises(LandError, match="benchmark must be > 0 and weight >= 0"):
            score_enterprises(df, [bad], {"A": 1.0})
    with pytest.raises(LandError, match="sum to 1"):
        score_enterprises(df, one, {"A": 0.5, "B": 0.6})
    with pytest.raises(LandError, match="non-negative"):
        score_enterprises(df, one, {"A": 1.1, "B": -0.1})


GVL = """\
meta: {{id: g, name: 增长与水平, region: 某区, level: 区, base_year: 2020, period: [2021, 2022]}}
indicators:
  - {{id: out, name_zh: 产值, unit: 亿元, base: {{year: 2020, value: 100}},
     rule: {{kind: growth, rate: 10}}}}
targets:
  - {{id: lv, indicator: out, year: 2022, op: "{lv_op}", value: 121}}
  - {{id: gr, indicator: out, year: 2022, kind: growth, op: "{g_op}", value: {g}}}
"""


@pytest.mark.parametrize(
    "lv_op, g_op, g, consistent",
    [
        # "100" → "121" in 2 years needs 9.4996 %…10.5037 % (start 99.5–100.5, level 120.5–121.5)
        (">=", ">=", 9.5, True),  # 9.45–9.55 reaches 9.4996
        (">=", ">=", 9.4, False),  # 9.35–9.45 does not
        ("=", "=", 10, True),  # 9.5–10.5 overlaps
        ("=", "=", 12, False),  # 11.5–12.5 lies above 10.5037
        ("=", "=", 8, False),  # 7.5–8.5 lies below 9.4996
    ],
)
def test_growth_vs_level_higher_is_better(lv_op, g_op, g, consistent):
    sc = parse_scenario(GVL.format(lv_op=lv_op, g_op=g_op, g=g), "g.yaml")
    check = next(c for c in audit(sc).checks if c["kind"] == "growth_vs_level")
    assert (check["status"] == "ok") is consistent
    lo, hi = check["values"]["required_rate_range"]
    assert lo == pytest.approx(((120.5 / 100.5) ** 0.5 - 1) * 100, rel=1e-9)
    assert hi == pytest.approx(((121.5 / 99.5) ** 0.5 - 1) * 100, rel=1e-9)
    assert check["values"]["stated_rate_range"] == pytest.approx(
        [g - 0.05, g + 0.05] if isinstance(g, float) else [g - 0.5, g + 0.5]
    )
    assert set(check["values"]) >= {
        "stated_rate",
        "level_at_stated_rate",
        "stated_level",
        "required_rate",
        "required_rate_range",
        "stated_rate_range",
    }
    assert check["year"] == 2022 and check["indicator"] == "out"


RATIO = """\
meta: {id: q, name: 比值, region: 某区, level: 区, base_year: 2020, period: [2021, 2022]}
indicators:
  - {id: tax, name_zh: 税收, unit: 万元, base: {year: 2020, value: 5000},
     rule: {kind: growth, rate: 21}}
  - {id: out, name_zh: 产值, unit: 亿元, base: {year: 2020, value: 10},
     rule: {kind: growth, rate: 10}}
  - {id: none, name_zh: 零值, unit: 亿元, base: {year: 2020, value: 0}, rule: {kind: hold}}
checks:
  - {kind: ratio, numerator: tax, denominator: out, years: [2020, 2021, 2022]}
  - {kind: ratio, numerator: tax, denominator: none, years: [2020, 2022]}
  - {kind: shares_sum, indicators: [tax, out], total: 5010, year: 2020, tolerance: 0}
  - {kind: ratio, numerator: tax, denominator: out}
  - {kind: shares_sum, indicators: [out, out], total: 24.2, tolerance: 0.001}
"""


def test_ratio_and_shares_checks():
    rep = audit(parse_scenario(RATIO, "q.yaml"))
    ratio, zero, shares, default_years, default_year = rep.checks[:5]
    # tax 5000 万元 = 0.5 亿元 of 10 亿元: 5 %; 2021: 0.605 / 11 = 5.5 %; 2022: 0.73205 / 12.1 =
    # 6.05 %
    assert ratio["values"] == pytest.approx({"2020": 5.0, "2021": 5.5, "2022": 6.05})
    # growth over the first to the last listed year (2020–2022): 21 % and 10 % a year
    assert "税收年均增长 21.00%，产值 10.00%" in ratio["message"]
    assert zero["values"] == {"2020": None, "2022": None} and "—" in zero["message"]
    # shares_sum adds the values as written (5000 + 10) and compares with total within tolerance
    assert shares["status"] == "ok" and shares["total"] == 5010 and shares["values"] == [5000, 10]
    assert shares["year"] == 2020
    # without years: the plan period's first and last year; without year: the last year
    assert list(default_years["values"]) == ["2021", "2022"]
    assert default_year["year"] == 2022 and default_year["status"] == "ok"  # 12.1 + 12.1


def test_growth_vs_level_json_fields():
    sc = parse_scenario(GVL.format(lv_op=">=", g_op=">=", g=9.5), "g.yaml")
    check = next(c for c in audit(sc).checks if c["kind"] == "growth_vs_level")
    assert {
        "kind",
        "label",
        "status",
        "indicator",
        "year",
        "basis",
        "price_basis_declared",
        "values",
        "message",
    } <= set(check)
    assert "implied_deflator" in check or "implied_deflator" in check["values"]
    json_text = audit(sc).to_json()
    for key in (
        '"basis"',
        '"price_basis_declared"',
        '"required_rate_range"',
        '"stated_rate_range"',
    ):
        assert key in json_text


def test_land_ties_keep_the_input_order_and_bad_rows_are_counted():
    n = 40  # equal scores: ranks follow the table's order (a stable sort), classes by rank
    df = pd.DataFrame({"name": [f"f{i:02d}" for i in range(n)], "tax": [5.0] * n})
    out = score_enterprises(
        df, [ScoreIndicator("tax", "税", 10.0, 1.0)], {"A": 0.2, "B": 0.5, "C": 0.2, "D": 0.1}
    )
    assert list(out["name"]) == list(df["name"]) and list(out["rank"]) == list(range(1, n + 1))
    assert "".join(out["class"]) == "A" * 8 + "B" * 20 + "C" * 8 + "D" * 4
    assert list(out.index) == list(range(n)) and "index" not in out.columns
    bad = df.assign(tax=[float("nan")] * 12 + [1.0] * (n - 12))
    with pytest.raises(LandError) as err:
        score_enterprises(bad, [ScoreIndicator("tax", "税", 10.0, 1.0)], {"A": 1.0})
    msg = str(err.value)
    assert (
        "'f09'" in msg and "'f10'" not in msg and "and 2 more" in msg
    )  # the first 10, then a count
    nameless = bad.drop(columns=["name"])
    with pytest.raises(
        LandError, match=r"\['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'\] and 2 more"
    ):
        score_enterprises(nameless, [ScoreIndicator("tax", "税", 10.0, 1.0)], {"A": 1.0})

"""十五五 target setting: trend fits, options, P(meet) from the engine, recommendation, draft."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from planlib.scenario import Scenario, load_scenario
from planlib.tracking.actuals import actuals_from_frame, read_actuals
from planlib.tracking.proposals import (
    ProposalError,
    probability_curve,
    propose,
    write_draft,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"
YEARS = np.arange(2016, 2026)


def county(targets, indicators, superior=None):
    """Build a small county draft for 2026–2030 (base 2025)."""
    data = {
        "meta": {
            "id": "county-15fyp",
            "name": "示例县“十五五”规划",
            "region": "示例县",
            "level": "县",
            "base_year": 2025,
            "period": [2026, 2030],
        },
        "indicators": indicators,
        "targets": targets,
    }
    if superior:
        data["superior"] = superior
    return Scenario.model_validate(data)


def actuals_of(sc, series):
    rows = [
        {
            "indicator": i,
            "year": int(y),
            "value": float(v),
            "unit": sc.indicator(i).unit,
            "source": "synthetic",
        }
        for i, s in series.items()
        for y, v in s.items()
    ]
    return actuals_from_frame(pd.DataFrame(rows), sc, file="<synthetic>")


def synthetic_level(rate=0.06, noise=0.02, seed=11, years=YEARS):
    """Levels growing log-linearly at ``rate`` [log points a year] with log-normal noise."""
    rng = np.random.default_rng(seed)
    t = years - years[0]
    return {
        int(y): float(v)
        for y, v in zip(years, 100 * np.exp(rate * t + rng.normal(0, noise, len(t))), strict=True)
    }


def level_plan(kind="level", value=150.0, attribute="预期性", op=">="):
    ind = [
        {
            "id": "output",
            "name_zh": "地区生产总值",
            "unit": "亿元",
            "category": "经济发展",
            "base": {"year": 2025, "value": 1.0},
            "rule": {"kind": "hold"},
        }
    ]
    tg = [
        {
            "id": "output_2030",
            "indicator": "output",
            "year": 2030,
            "kind": kind,
            "op": op,
            "value": value,
            "attribute": attribute,
        }
    ]
    return county(tg, ind)


# ---- propose ----------------------------------------------------------------------------------
def test_trend_option_recovers_the_trend_and_has_p_about_one_half():
    sc = level_plan()
    series = synthetic_level(rate=0.06, noise=0.02)
    prop = propose(sc, actuals_of(sc, {"output": series}), runs=40_000, seed=3)
    r = prop.row("output_2030")
    years = np.array(sorted(series))
    logs = np.log([series[y] for y in years])
    b = np.polyfit(years, logs, 1)[0]
    # the fitted trend is the least-squares one, and close to the true 6 log points a year
    assert r.fit["trend"] == pytest.approx(100 * math.expm1(b), rel=1e-9)
    se_ols = 0.02 * math.sqrt(2) / math.sqrt(((years - years.mean()) ** 2).sum())
    assert abs(b - 0.06) < 4 * se_ols
    trend = r.option("trend")
    assert trend.value == pytest.approx(round(series[2025] * math.exp(5 * b), 2))
    mc_sd = math.sqrt(0.25 / 40_000)
    assert abs(trend.p_meet - 0.5) < 4 * mc_sd + 1e-3  # + the effect of rounding to 2 decimals


def test_p_meet_equals_the_random_walk_probability():
    """Independent hand calculation: the end log-level is normal with variance h·sd² + h²·se²."""
    sc = level_plan(value=140.0)
    series = synthetic_level(rate=0.05, noise=0.03, seed=4)
    prop = propose(sc, actuals_of(sc, {"output": series}), runs=50_000, seed=8)
    r = prop.row("output_2030")
    sd, se = r.fit["sd"] / 100, r.fit["se"] / 100
    mu = math.log(series[2025]) + 5 * (math.log1p(r.fit["trend"] / 100))
    s = math.sqrt(5 * sd**2 + 25 * se**2)
    for o in r.options:
        p_hand = 1 - norm.cdf((math.log(o.value) - mu) / s)
        assert o.p_meet == pytest.approx(p_hand, abs=4 * math.sqrt(0.25 / 50_000) + 1e-3), o.name


def test_linear_share_trend_p_half_and_growth_kind():
    ind = [
        {
            "id": "urban",
            "name_zh": "常住人口城镇化率",
            "unit": "%",
            "category": "城乡建设",
            "base": {"year": 2025, "value": 1.0},
            "rule": {"kind": "hold"},
        },
        {
            "id": "output",
            "name_zh": "地区生产总值",
            "unit": "亿元",
            "category": "经济发展",
            "base": {"year": 2025, "value": 1.0},
            "rule": {"kind": "hold"},
        },
    ]
    tg = [
        {"id": "urban_pp", "indicator": "urban", "year": 2030, "kind": "pp_change", "value": 5},
        {"id": "output_growth", "indicator": "output", "year": 2030, "kind": "growth", "value": 6},
    ]
    sc = county(tg, ind)
    rng = np.random.default_rng(2)
    urban = {int(y): 50 + 0.8 * (y - 2016) + float(rng.normal(0, 0.2)) for y in YEARS}
    prop = propose(
        sc, actuals_of(sc, {"urban": urban, "output": synthetic_level()}), runs=40_000, seed=1
    )
    u = prop.row("urban_pp")
    slope = np.polyfit(YEARS, [urban[y] for y in YEARS], 1)[0]
    assert u.fit["method"] == "linear" and u.option("trend").value == pytest.approx(
        round(5 * slope, 2)
    )
    assert abs(u.option("trend").p_meet - 0.5) < 0.012
    g = prop.row("output_growth")
    assert g.option("trend").value == pytest.approx(round(g.fit["trend"], 2))
    assert abs(g.option("trend").p_meet - 0.5) < 0.012


def test_guidance_from_a_superior_17_percent_reduction_is_the_same_reduction():
    ind = [
        {
            "id": "co2",
            "name_zh": "单位地区生产总值二氧化碳排放",
            "unit": "吨二氧化碳/万元",
            "category": "绿色生态",
            "direction": "lower",
            "attribute": "约束性",
            "base": {"year": 2025, "value": 1.0},
            "rule": {"kind": "hold"},
        }
    ]
    tg = [
        {
            "id": "co2_cut",
            "indicator": "co2",
            "year": 2030,
            "kind": "reduction",
            "op": ">=",
            "value": 15,
            "attribute": "约束性",
        }
    ]
    sc = county(tg, ind)
    sup = national()
    falling = {int(y): 1.2 * math.exp(-0.04 * (y - 2016)) for y in YEARS}
    prop = propose(sc, actuals_of(sc, {"co2": falling}), superior=sup, runs=20_000, seed=2)
    r = prop.row("co2_cut")
    assert r.option("guidance").value == 17.0
    assert r.option("trend").value == pytest.approx(round(100 * (1 - math.exp(-0.2)), 2))
    # binding: never weaker than the guidance
    assert r.recommended in ("guidance", "trend", "stretch")
    assert r.value >= 17.0
    # a level target on the same indicator gets the level a 17 % cut implies
    sc2 = county(
        [
            {
                "id": "co2_2030",
                "indicator": "co2",
                "year": 2030,
                "kind": "level",
                "op": "<=",
                "value": 0.8,
            }
        ],
        ind,
    )
    prop2 = propose(sc2, actuals_of(sc2, {"co2": falling}), superior=sup, runs=20_000, seed=2)
    assert prop2.row("co2_2030").option("guidance").value == pytest.approx(
        round(falling[2025] * 0.83, 2)
    )


def national():
    return load_scenario(ROOT / "scenarios" / "superior" / "national-15fyp.yaml")


def test_binding_guidance_with_low_probability_is_still_recommended():
    ind = [
        {
            "id": "co2",
            "name_zh": "单位地区生产总值二氧化碳排放",
            "unit": "吨二氧化碳/万元",
            "category": "绿色生态",
            "direction": "lower",
            "attribute": "约束性",
            "base": {"year": 2025, "value": 1.0},
            "rule": {"kind": "hold"},
        }
    ]
    sc = county(
        [{"id": "co2_cut", "indicator": "co2", "year": 2030, "kind": "reduction", "value": 10}], ind
    )
    flat = {int(y): 1.0 + 0.01 * ((y % 2) - 0.5) for y in YEARS}  # no fall at all
    r = propose(sc, actuals_of(sc, {"co2": flat}), superior=national(), runs=20_000, seed=2).row(
        "co2_cut"
    )
    assert r.recommended == "guidance" and r.value == 17.0 and not r.meets_threshold
    assert r.option("guidance").p_meet < 0.9 and "约束性指标须不低于上级要求" in r.reason


def test_prudent_value_when_no_option_reaches_the_threshold():
    sc = level_plan(value=500.0)  # a stretch far above the trend
    prop = propose(sc, actuals_of(sc, {"output": synthetic_level()}), runs=20_000, seed=5)
    r = prop.row("output_2030")
    assert r.recommended == "prudent" and r.meets_threshold
    p = r.option("prudent")
    assert p.p_meet >= 0.7 and p.value < r.option("trend").value
    # it is the engine's P(meet) of that value (the same runs, computed again)
    again = probability_curve(prop, "output_2030", [p.value, r.option("trend").value], runs=20_000)
    assert again[0] == p.p_meet and again[1] == r.option("trend").p_meet


def test_seeded_results_reproduce_bit_for_bit():
    sc = level_plan()
    act = actuals_of(sc, {"output": synthetic_level()})
    a = propose(sc, act, runs=30_000, seed=42)
    b = propose(sc, act, runs=30_000, seed=42, threads=1)
    assert a.to_dict() == b.to_dict()
    assert np.array_equal(a.simulation.p_meet, b.simulation.p_meet)
    assert np.array_equal(a.simulation.quantiles, b.simulation.quantiles)
    c = propose(sc, act, runs=30_000, seed=43)
    assert not np.array_equal(a.simulation.p_meet, c.simulation.p_meet)


def test_thresholds_and_bad_input():
    sc = level_plan(value=100.0)
    act = actuals_of(sc, {"output": synthetic_level()})
    loose = propose(sc, act, runs=10_000, seed=1, thresholds={"预期性": 0.4}).row("output_2030")
    assert loose.threshold == 0.4 and loose.recommended in ("trend", "stretch")
    with pytest.raises(ProposalError, match="thresholds.预期性"):
        propose(sc, act, runs=1000, thresholds={"预期性": 1.5})
    with pytest.raises(ProposalError, match="not an attribute"):
        propose(sc, act, runs=1000, thresholds={"binding": 0.9})
    with pytest.raises(ProposalError, match="ambition: nope"):
        propose(sc, act, runs=1000, ambition={"nope": 3})
    amb = propose(sc, act, runs=10_000, seed=1, ambition={"output_2030": 170}).row("output_2030")
    assert amb.option("stretch").value == 170 and "目标设想" in amb.option("stretch").basis


def test_stretch_from_a_2035_goal():
    ind = [
        {
            "id": "output",
            "name_zh": "地区生产总值",
            "unit": "亿元",
            "category": "经济发展",
            "base": {"year": 2025, "value": 1.0},
            "rule": {"kind": "hold"},
        }
    ]
    tg = [
        {"id": "output_2030", "indicator": "output", "year": 2030, "value": 150},
        {"id": "output_2035", "indicator": "output", "year": 2035, "value": 400},
    ]
    sc = county(tg, ind)
    series = synthetic_level()
    prop = propose(sc, actuals_of(sc, {"output": series}), runs=10_000, seed=1)
    st_ = prop.row("output_2030").option("stretch")
    assert st_.value == pytest.approx(round(series[2025] * (400 / series[2025]) ** 0.5, 2))
    assert "2035年远景目标" in st_.basis
    goal = prop.row("output_2035")
    assert goal.options == () and "远景目标" in goal.reason


def test_park_plan_rolls_forward_and_every_target_has_a_note(park, tmp_path):
    act = read_actuals(SAMPLE, park)
    prop = propose(park, act, runs=20_000, seed=1)
    assert prop.period == (2026, 2030) and prop.base_year == 2025
    out = write_draft(tmp_path / "draft.yaml", prop)
    sc = load_scenario(out)
    assert all(t.proposal is not None and t.proposal.reason for t in sc.targets)
    out_growth = sc.target("output_growth")
    r = prop.row("output_growth")
    assert out_growth.value == r.value
    assert [o.option for o in out_growth.proposal.options] == [o.name for o in r.options]
    # the trend of 规上工业产值 is its least-squares log trend over the five actuals
    ys = np.arange(2021, 2026)
    vals = [act.series("industrial_output")[y] for y in ys]
    assert r.fit["trend"] == pytest.approx(100 * math.expm1(np.polyfit(ys, np.log(vals), 1)[0]))
    with pytest.raises(FileExistsError):
        write_draft(out, prop)


def test_fan_is_the_engine_quantiles_in_levels():
    sc = level_plan()
    series = synthetic_level()
    prop = propose(sc, actuals_of(sc, {"output": series}), runs=20_000, seed=1)
    fan = prop.fan("output")
    assert fan["history"] == series and fan["unit"] == "亿元"
    y = list(fan["years"]).index(2025)
    assert fan["quantiles"][5.0][y] == pytest.approx(series[2025])
    assert (fan["quantiles"][5.0][y + 1 :] < fan["quantiles"][95.0][y + 1 :]).all()


def test_about_target_is_judged_within_its_band_and_qualitative_kept():
    """``~`` (左右): P(meet) = P(value − band ≤ growth ≤ value + band), by hand from the normal."""
    ind = [
        {
            "id": "output",
            "name_zh": "地区生产总值",
            "unit": "亿元",
            "category": "经济发展",
            "base": {"year": 2025, "value": 1.0},
            "rule": {"kind": "hold"},
        }
    ]
    tg = [
        {
            "id": "g",
            "indicator": "output",
            "year": 2030,
            "kind": "growth",
            "op": "~",
            "value": 6,
            "band": 0.5,
        },
        {
            "id": "q",
            "indicator": "output",
            "year": 2030,
            "kind": "qualitative",
            "text": "保持在合理区间",
        },
    ]
    sc = county(tg, ind)
    series = synthetic_level(rate=0.06, noise=0.03, seed=9)
    prop = propose(sc, actuals_of(sc, {"output": series}), runs=50_000, seed=2)
    r = prop.row("g")
    mu = math.log(series[2025]) + 5 * math.log1p(r.fit["trend"] / 100)
    s = math.sqrt(5 * (r.fit["sd"] / 100) ** 2 + 25 * (r.fit["se"] / 100) ** 2)
    for o in r.options:
        lo = math.log(series[2025]) + 5 * math.log1p((o.value - 0.5) / 100)
        hi = math.log(series[2025]) + 5 * math.log1p((o.value + 0.5) / 100)
        p_hand = norm.cdf((hi - mu) / s) - norm.cdf((lo - mu) / s)
        assert o.p_meet == pytest.approx(p_hand, abs=0.01), o.name
    q = prop.row("q")
    assert q.options == () and "定性" in q.reason
    assert prop.draft_scenario().target("q").proposal.reason == q.reason


def test_growth_of_a_real_growth_indicator_reads_the_comparable_price_index():
    """GDP growth targets are comparable-price (可比价): the trend is that of the chained index."""
    sc = load_scenario(ROOT / "scenarios" / "county-example-14fyp.yaml")
    act = read_actuals(ROOT / "scenarios" / "county-example-14fyp.actuals.csv", sc)
    prop = propose(sc, act, runs=20_000, seed=1)
    r = prop.row("gdp_growth_2030")
    g = act.real_growth("gdp")
    years = sorted(g)
    index = np.cumprod([1 + g[y] / 100 for y in years])
    ys = np.array([years[0] - 1] + years)
    logs = np.log(np.concatenate([[1.0], index]))
    assert r.fit["series"] == "gdp__real"
    assert r.fit["trend"] == pytest.approx(100 * math.expm1(np.polyfit(ys, logs, 1)[0]), rel=1e-9)
    nominal = np.polyfit(years, np.log([act.series("gdp")[y] for y in years]), 1)[0]
    assert r.fit["trend"] < 100 * math.expm1(nominal)  # current prices grow faster here
    assert "可比价" in r.option("trend").basis
    assert prop.fan_for("gdp_growth_2030")["unit"] == "可比价指数"


def test_anticipated_progress_is_the_share_of_the_change_the_trend_delivers():
    ind = [
        {
            "id": "output",
            "name_zh": "地区生产总值",
            "unit": "亿元",
            "category": "经济发展",
            "base": {"year": 2025, "value": 1.0},
            "rule": {"kind": "hold"},
        }
    ]
    sc = county(
        [{"id": "g", "indicator": "output", "year": 2030, "kind": "growth", "value": 9}], ind
    )
    series = synthetic_level()
    r = propose(sc, actuals_of(sc, {"output": series}), runs=5_000, seed=1).row("g")
    base = series[2025]
    trend_end = base * (1 + r.option("trend").value / 100) ** 5
    stretch_end = base * 1.09**5
    assert r.option("trend").anticipated == pytest.approx(100.0)
    assert r.option("stretch").anticipated == pytest.approx(
        100 * (trend_end - base) / (stretch_end - base)
    )
    note = r.note()["options"]
    assert note[1]["anticipated_progress"] == round(r.option("stretch").anticipated, 1)

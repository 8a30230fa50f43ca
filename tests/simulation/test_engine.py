"""Monte Carlo engine: draws, exactness, reproducibility, probabilities,
solving under uncertainty."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import MINIMAL

from planlib.errors import PlanlibError
from planlib.model import Model
from planlib.scenario import parse_scenario
from planlib.simulation import engine as S
from planlib.targets import evaluate_targets

TWO = (
    MINIMAL.replace(
        '  - {name: g, label_zh: 增速, unit: "%", default: 10, bounds: [0, 20], step: 0.5}',
        '  - {name: g, label_zh: 增速, unit: "%", default: 10, bounds: [0, 20], step: 0.5,\n'
        "     distribution: {kind: normal, mean: 10, sd: 2}}\n"
        '  - {name: h, label_zh: 税收增速, unit: "%", default: 20, bounds: [0, 40], step: 0.5,\n'
        "     distribution: {kind: normal, mean: 20, sd: 4}}\n"
        "  - {name: inc, label_zh: 每年新增, unit: 户, default: 2, bounds: [0, 6], step: 1}",
    )
    + """\
  - {id: tax_2025, indicator: tax, year: 2025, value: 2.4}
  - {id: firms_2025, indicator: firms, year: 2025, value: 20, attribute: 约束性}
  - {id: cum, indicator: tax, year: 2025, kind: cumulative, value: 8.5}
  - {id: tax_rate, indicator: tax, year: 2025, kind: growth, value: 18}
"""
)
TWO = TWO.replace(
    "targets:\n",
    """\
  - id: tax
    name_zh: 税收
    unit: 亿元
    category: 经济发展
    base: {year: 2020, value: 1}
    rule: {kind: growth, rate: h}
  - id: firms
    name_zh: 规上企业
    unit: 户
    category: 经济发展
    base: {year: 2020, value: 10}
    rule: {kind: increment, increment: inc}
targets:
""",
)


@pytest.fixture(scope="module")
def two():
    return parse_scenario(TWO, "two.yaml")


def _brute(sc, runs, seed):
    """Every run in memory: the reference the chunked engine must reproduce."""
    draws = S.draw_parameters(sc, runs, seed)
    traj = Model(sc).evaluate(draws, runs=runs)
    return draws, traj


# ---- draws -----------------------------------------------------------------------------------
DISTS = [  # (distribution, analytic mean, analytic sd, tolerance on each in sd units)
    ("{kind: normal, mean: 10, sd: 2}", 10, 2),
    ("{kind: lognormal, mean: 5, sd: 1.5}", 5, 1.5),
    ("{kind: uniform, low: 2, high: 8}", 5, 6 / 12**0.5),
    ("{kind: triangular, low: 0, mode: 3, high: 9}", 4, ((0 + 9 + 81 - 0 - 0 - 27) / 18) ** 0.5),
    # truncated at ±1 sd: mean stays 10, sd = 2 * sqrt(1 - 2 φ(1) / (Φ(1) - Φ(-1)))
    (
        "{kind: truncnormal, mean: 10, sd: 2, low: 8, high: 12}",
        10,
        2 * (1 - 2 * 0.2419707 / 0.6826895) ** 0.5,
    ),
]


@pytest.mark.parametrize(("dist", "mean", "sd"), DISTS)
def test_draw_moments_within_tolerance(dist, mean, sd):
    sc = parse_scenario(
        MINIMAL.replace("step: 0.5}", f"step: 0.5, distribution: {dist}}}"), "m.yaml"
    )
    x = S.draw_parameters(sc, 200_000, seed=3)["g"]
    assert x.shape == (200_000,)
    # 200k draws: the mean is within 5 standard errors, the sd within 2 %
    assert abs(x.mean() - mean) < 5 * sd / 200_000**0.5
    assert abs(x.std() - sd) < 0.02 * sd


def test_truncnormal_stays_within_bounds():
    sc = parse_scenario(
        MINIMAL.replace(
            "step: 0.5}",
            "step: 0.5, distribution: {kind: truncnormal, mean: 10, sd: 5, low: 9, high: 20}}",
        ),
        "m.yaml",
    )
    x = S.draw_parameters(sc, 50_000, seed=1)["g"]
    assert x.min() >= 9 and x.max() <= 20


def test_per_year_draws_have_a_column_per_year_and_narrow_the_spread():
    text = MINIMAL.replace(
        "step: 0.5}", "step: 0.5, distribution: {kind: normal, mean: 10, sd: 2, per_year: true}}"
    )
    sc = parse_scenario(text, "m.yaml")
    x = S.draw_parameters(sc, 1000, seed=1)["g"]
    assert x.shape == (1000, len(sc.years))
    assert abs(np.corrcoef(x[:, 1], x[:, 2])[0, 1]) < 0.15
    per_year = S.simulate(sc, 20_000, seed=1).std
    const = S.simulate(
        parse_scenario(text.replace(", per_year: true", ""), "c.yaml"), 20_000, seed=1
    ).std
    # averaging yearly shocks: the end-year spread is clearly smaller than with one draw per run
    assert per_year[0, -1] < 0.7 * const[0, -1]


def test_gaussian_copula_gives_the_stated_correlation(two):
    text = TWO + "correlations:\n  - {a: g, b: h, rho: 0.6}\n"
    d = S.draw_parameters(parse_scenario(text, "c.yaml"), 100_000, seed=2)
    assert np.corrcoef(d["g"], d["h"])[0, 1] == pytest.approx(0.6, abs=0.01)
    d0 = S.draw_parameters(two, 100_000, seed=2)
    assert abs(np.corrcoef(d0["g"], d0["h"])[0, 1]) < 0.01


def test_correlation_errors_name_file_field_and_allowed():
    bad = (
        TWO.replace("sd: 4}", "sd: 4, per_year: true}")
        + "correlations:\n  - {a: g, b: h, rho: 0.5}\n"
    )
    with pytest.raises(
        PlanlibError, match=r"mixed\.yaml correlations\[0\]: 'g' is drawn once per run.*allowed"
    ):
        S.draw_parameters(parse_scenario(bad, "mixed.yaml"), 10, seed=1)
    three = TWO.replace(
        "  - {name: inc,",
        "  - {name: k, label_zh: 甲, unit: '%', default: 1, bounds: [0, 2],\n"
        "     distribution: {kind: normal, mean: 1, sd: 0.1}}\n  - {name: inc,",
    )
    nonpsd = three + (
        "correlations:\n  - {a: g, b: h, rho: 0.9}\n  - {a: g, b: k, rho: 0.9}\n"
        "  - {a: h, b: k, rho: -0.9}\n"
    )
    with pytest.raises(PlanlibError, match="not positive semi-definite"):
        S.simulate(parse_scenario(nonpsd, "psd.yaml"), 100, seed=1)


@pytest.mark.parametrize("runs", [0, -5, 2.5, True])
def test_bad_runs_are_rejected(two, runs):
    with pytest.raises(ValueError, match="runs must be a positive integer"):
        S.simulate(two, runs)


def test_bad_percentiles_and_seed_are_rejected(two):
    with pytest.raises(ValueError, match=r"percentiles must be numbers in \[0, 100\]"):
        S.simulate(two, 10, percentiles=[5, 150])
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        S.simulate(two, 10, seed=-1)


# ---- analytic identity -------------------------------------------------------------------------
def test_zero_variance_equals_the_deterministic_path_exactly(two):
    text = TWO.replace(
        "{kind: normal, mean: 10, sd: 2}", "{kind: normal, mean: 10, sd: 0}"
    ).replace("{kind: normal, mean: 20, sd: 4}", "{kind: lognormal, mean: 20, sd: 0}")
    sc = parse_scenario(text, "zero.yaml")
    det = Model(sc).evaluate()
    res = S.simulate(sc, 3 * S.BLOCK + 17, seed=5, percentiles=(5, 50, 95))
    for j in range(3):
        np.testing.assert_array_equal(res.quantiles[j], det.values[0])
    np.testing.assert_array_equal(res.mean, det.values[0])
    np.testing.assert_array_equal(res.std[np.isfinite(res.std)], 0.0)
    np.testing.assert_array_equal(res.p_meet, evaluate_targets(sc, det).met[0].astype(float))
    assert set(res.first_met.ravel()) <= {0.0, 1.0}


# ---- exactness against brute force ---------------------------------------------------------------
def test_percentiles_and_probabilities_equal_the_all_in_memory_reference(two):
    runs = 5 * S.BLOCK + 123
    res = S.simulate(two, runs, seed=11, chunk_size=2 * S.BLOCK)
    draws, traj = _brute(two, runs, 11)
    ref = np.percentile(traj.values, res.percentiles, axis=0)
    np.testing.assert_array_equal(res.quantiles, ref)
    np.testing.assert_allclose(res.mean, traj.values.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(res.std, traj.values.std(axis=0, ddof=1), rtol=1e-9, atol=1e-12)
    tr = evaluate_targets(two, traj)
    np.testing.assert_array_equal(res.p_meet, tr.met.mean(axis=0))
    assert res.p_all == tr.met.all(axis=1).mean()
    b = [k for k, t in enumerate(res.targets) if t["attribute"] == "约束性"]
    assert b and res.p_all_binding == tr.met[:, b].all(axis=1).mean()
    # expected shortfall of the level target: mean distance below 2.4 among the misses
    k = [t["id"] for t in res.targets].index("tax_2025")
    end = traj.at("tax", 2025)
    miss = end < 2.4 - 1e-9 * 2.4
    assert res.expected_shortfall[k] == pytest.approx(
        np.mean(2.4 - 1e-9 * 2.4 - end[miss]), rel=1e-12
    )
    assert res.shortfall_mean[k] == pytest.approx(
        np.sum(2.4 - 1e-9 * 2.4 - end[miss]) / runs, rel=1e-12
    )


def test_first_year_met_matches_a_year_by_year_reading(two):
    runs = 2 * S.BLOCK
    res = S.simulate(two, runs, seed=4)
    _, traj = _brute(two, runs, 4)
    k = [t["id"] for t in res.targets].index("tax_2025")
    tax = traj.series("tax")
    met = tax >= 2.4 - 1e-9 * 2.4
    first = np.where(met.any(axis=1), met.argmax(axis=1), len(traj.years))
    np.testing.assert_array_equal(
        res.first_met[k], np.bincount(first, minlength=len(traj.years) + 1) / runs
    )
    assert res.first_met[k].sum() == pytest.approx(1.0)
    # a cumulative target read each year: the running sum from 2021
    c = [t["id"] for t in res.targets].index("cum")
    csum = np.cumsum(tax[:, 1:], axis=1)
    ok = csum >= 8.5 - 8.5e-9
    fc = np.where(ok.any(axis=1), ok.argmax(axis=1) + 1, len(traj.years))
    np.testing.assert_array_equal(
        res.first_met[c], np.bincount(fc, minlength=len(traj.years) + 1) / runs
    )


def test_results_do_not_depend_on_chunk_size_or_threads(two):
    runs = 7 * S.BLOCK + 5
    a = S.simulate(two, runs, seed=9, chunk_size=S.BLOCK, threads=1)
    b = S.simulate(two, runs, seed=9, chunk_size=3 * S.BLOCK, threads=2)
    c = S.simulate(two, runs, seed=9, chunk_size=100 * S.BLOCK)
    for other in (b, c):
        for field in ("quantiles", "mean", "std", "p_meet", "first_met", "shortfall_mean"):
            np.testing.assert_array_equal(getattr(a, field), getattr(other, field), err_msg=field)
    d = S.simulate(two, runs, seed=10)
    assert not np.array_equal(a.quantiles, d.quantiles)


def test_a_missed_bracket_falls_back_to_an_exact_second_pass(two, monkeypatch):
    real = S._Brackets.__init__

    def shifted(self, pilot, q, runs, wide=None):
        real(self, pilot, q, runs, wide)
        finite = np.isfinite(self.lo) & np.isfinite(self.hi) & (self.lo < self.hi)
        self.lo[finite] += 1e3  # brackets far from the data: every one misses
        self.hi[finite] += 1e3

    monkeypatch.setattr(S._Brackets, "__init__", shifted)
    runs = 4 * S.BLOCK
    res = S.simulate(two, runs, seed=8, chunk_size=S.BLOCK)
    _, traj = _brute(two, runs, 8)
    np.testing.assert_array_equal(
        res.quantiles, np.percentile(traj.values, res.percentiles, axis=0)
    )


def test_exact_percentiles_match_numpy():
    x = np.random.default_rng(0).lognormal(size=10_001)
    q = [0, 5, 33.3, 50, 95, 100]
    np.testing.assert_array_equal(S.exact_percentiles(x, q), np.percentile(x, q))


def test_block_seeds_are_spawn_children():
    kids = np.random.SeedSequence(42).spawn(5)
    ours = S.block_seeds(42, range(5))
    for k, o in zip(kids, ours, strict=True):
        assert np.array_equal(k.generate_state(4), o.generate_state(4))


def test_per_run_fixed_values_drive_the_indicators(two):
    runs = S.BLOCK + 10
    inc = np.linspace(0, 4, runs)
    res = S.simulate(two, runs, seed=1, params={"inc": inc})
    _, traj = _brute(two, runs, 1)
    firms = 10 + 5 * inc
    assert res.probability("firms_2025") == np.mean(firms >= 20 - 2e-8)
    with pytest.raises(ValueError, match="3 values given"):
        S.simulate(two, runs, params={"inc": [1, 2, 3]})


# ---- the seed plan -------------------------------------------------------------------------------
def test_park_probabilities_and_outputs(park):
    res = S.simulate(park, 20_000, seed=1)
    p = res.probability("output_2025")
    # output 35·(1+g)^4 ≥ 50 ⇔ g ≥ 9.33 %; g ~ N(10, 2): P = Φ(0.336) ≈ 0.63
    assert p == pytest.approx(0.6316, abs=0.012)
    assert res.probability("projects_cumulative") == 1.0
    assert np.isnan(res.p_all_binding)  # the park states no binding target
    long = res.to_long()
    assert {"scenario", "region", "indicator", "unit", "year", "statistic", "value"} <= set(
        long.columns
    )
    row = long[
        (long.indicator == "industrial_output") & (long.year == 2025) & (long.statistic == "p50")
    ]
    assert row.value.iloc[0] == pytest.approx(35 * 1.1**4, rel=0.01)
    d = json.loads(json.dumps(res.to_dict(), ensure_ascii=False))
    assert d["targets"][2]["id"] == "output_2025" and d["runs"] == 20_000
    text = res.to_text()
    assert "output_2025" in text and "np.float64" not in text and "%" in text
    table = res.target_table()
    assert table.loc[table.id == "output_2025", "median_first_year"].iloc[0] == 2025


def test_unknown_target_is_reported(park):
    res = S.simulate(park, 100, seed=1)
    with pytest.raises(KeyError, match="no target 'nope'"):
        res.probability("nope")


# ---- solve under uncertainty ---------------------------------------------------------------------
def test_solve_probability_finds_the_edge(two):
    r = S.solve_probability(two, "out", "g", probability=0.8, runs=4000, seed=3)
    assert r.status == "solved"
    # out: 10·(1+g)^5 ≥ 16 needs g ≥ 9.856 %; g is drawn N(centre, 2):
    # P = 0.8 at centre ≈ 9.856 + 0.8416·2
    assert r.value == pytest.approx(9.856 + 0.8416 * 2, abs=0.12)
    assert r.achieved >= 0.8
    below = S.solve_probability(two, "out", "g", probability=0.8, runs=4000, seed=3, xtol=1e-3)
    assert below.value == pytest.approx(r.value, abs=2e-3)
    assert "%" in r.message


def test_solve_probability_unreachable_and_everywhere(two):
    r = S.solve_probability(two, "firms_2025", "inc", probability=0.5, runs=500, seed=1)
    assert r.status == "solved" and r.value == pytest.approx(2.0, abs=1e-4)
    none = S.solve_probability(two, "tax_rate", "inc", probability=0.99, runs=500, seed=1)
    assert none.status == "unreachable" and none.value is None and none.achieved < 0.99
    with pytest.raises(ValueError, match="probability must be in"):
        S.solve_probability(two, "out", "g", probability=1.5)


# ---- charts --------------------------------------------------------------------------------------
def test_fan_chart_draws_bands_median_and_target(park):
    from planlib.workbook.charts import fan_chart

    res = S.simulate(park, 5000, seed=1)
    fig = fan_chart(res, "industrial_output")
    ax = fig.axes[0]
    assert "规上工业产值" in ax.get_title() and ax.get_ylabel() == "亿元"
    median = [ln for ln in ax.get_lines() if ln.get_label() == "中位数"][0]
    np.testing.assert_array_equal(median.get_ydata(), res.quantile("industrial_output", 50)[1:])
    target = [ln for ln in ax.get_lines() if ln.get_label().startswith("目标")][0]
    assert list(target.get_xdata()) == [2025] and list(target.get_ydata()) == [50]
    assert f"{100 * res.probability('output_2025'):.1f}%" in target.get_label()
    assert len(ax.collections) == 2  # two bands
    with pytest.raises(ValueError, match="needs percentiles 5, 50 and 95"):
        fan_chart(S.simulate(park, 100, seed=1, percentiles=(10, 90)), "industrial_output")


def test_tornado_and_sobol_charts(park):
    from planlib.simulation.sensitivity import sobol, tornado
    from planlib.workbook.charts import sobol_chart, tornado_chart

    df = tornado(park, "tax_2025", params=["tax_growth", "output_growth"])
    ax = tornado_chart(df).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1].startswith("税收年均增速")  # largest swing on top
    widths = sorted(abs(p.get_width()) for p in ax.patches)
    assert widths[-1] == pytest.approx(
        max(abs(df.value_high - df.baseline).max(), abs(df.value_low - df.baseline).max())
    )
    sob = sobol(park, "tax_2025", n=64, params=["tax_growth", "output_growth"])
    ax2 = sobol_chart(sob).axes[0]
    assert "Sobol" in ax2.get_title() and len(ax2.patches) == 4


# ---- the two small additions to Model.evaluate this engine relies on -----------------------------
def test_model_keeps_only_requested_indicators(park):
    m = Model(park)
    g = np.linspace(5, 15, 7)
    full = m.evaluate({"output_growth": g})
    sub = m.evaluate({"output_growth": g}, indicators=["tax_output_ratio", "industrial_output"])
    assert sub.indicators == ("tax_output_ratio", "industrial_output") and sub.units == (
        "%",
        "亿元",
    )
    np.testing.assert_array_equal(sub.values[:, 1], full.series("industrial_output"))
    np.testing.assert_array_equal(sub.values[:, 0], full.series("tax_output_ratio"))
    with pytest.raises(KeyError, match="no indicator 'nope'"):
        m.evaluate(indicators=["nope"])


def test_run_invariant_rows_are_identical_in_every_run(park):
    m = Model(park)
    many = m.evaluate({"output_growth": np.linspace(5, 15, 5)})
    one = m.evaluate()
    k = many.index("tertiary_share")  # reads no varied parameter
    np.testing.assert_array_equal(many.values[:, k], np.repeat(one.values[:, k], 5, axis=0))
    # growth rows: the same arithmetic as one run at a time, bit for bit
    for r, g in enumerate(np.linspace(5, 15, 5)):
        np.testing.assert_array_equal(
            many.series("industrial_output")[r],
            m.evaluate({"output_growth": g}).series("industrial_output")[0],
        )


@pytest.mark.parametrize("kind", ["level", "cumulative", "growth", "increment"])
@pytest.mark.parametrize("op", [">=", "<=", "="])
def test_first_met_counts_equal_the_runs_by_years_table(two, kind, op):
    """First years met, counted one year at a time, equal the (runs, years) table exactly.

    The Monte Carlo engine must agree with ``_met_by_year`` for every target kind and operator.
    """
    from dataclasses import replace

    runs = 3000
    draws = S.draw_parameters(two, runs, seed=5)
    values = Model(two).evaluate(draws, runs=runs).values
    block = np.ascontiguousarray(values.transpose(1, 2, 0)).transpose(2, 0, 1)  # runs contiguous
    base = Model(two).evaluate()
    from planlib.targets import compile_targets

    ct = next(c for c in compile_targets(two, base) if c.target.id == "tax_rate")
    value = {"level": 2.4, "cumulative": 8.5, "growth": 18.0, "increment": 1.2}[kind]
    ct = replace(
        ct,
        target=ct.target.model_copy(update={"kind": kind, "op": op, "value": value}),
        tolerance=0.5 if op == "=" else ct.tolerance,
    )
    by_year = S._met_by_year(values, ct)
    seen = np.zeros(runs, dtype=bool)
    expected = np.zeros(len(two.years) + 1, dtype=np.int64)
    for t in range(max(ct.start, 0), len(two.years)):
        expected[t] = np.count_nonzero(by_year[:, t] & ~seen)
        seen |= by_year[:, t]
    expected[-1] = runs - expected[:-1].sum()
    assert 0 < expected[-1] < runs or expected[:-1].any()
    np.testing.assert_array_equal(S._first_met_counts(block, ct), expected)


def test_narrowing_brackets_leave_results_exact_and_chunking_free(two, monkeypatch):
    """Enough runs for the brackets to narrow twice (at 4 and 16 pilots' worth of runs)."""
    from planlib.simulation import percentiles as P

    refined = []
    real = P._Tally.refine
    monkeypatch.setattr(P._Tally, "refine", lambda self: refined.append(self.runs) or real(self))
    monkeypatch.setattr(S, "NARROW", 4)
    runs = 48 * S.BLOCK + 3
    pct = (0, 5, 50, 50, 95, 99.9, 100)  # a repeated level shares its bracket
    a = S.simulate(two, runs, seed=12, percentiles=pct, threads=1)
    assert len(refined) == 2
    b = S.simulate(two, runs, seed=12, percentiles=pct, chunk_size=3 * S.BLOCK, threads=2)
    c = S.simulate(two, runs, seed=12, percentiles=pct, chunk_size=11 * S.BLOCK, threads=3)
    _, traj = _brute(two, runs, 12)
    np.testing.assert_array_equal(a.quantiles, np.percentile(traj.values, pct, axis=0))
    for other in (b, c):
        for field in ("quantiles", "mean", "std", "p_meet", "first_met", "shortfall_mean"):
            np.testing.assert_array_equal(getattr(a, field), getattr(other, field), err_msg=field)


def test_cells_the_same_in_every_run_but_off_the_baseline_keep_their_mean(two):
    """A cell equal in every run skips its sums only when it equals the deterministic path."""
    runs = 3 * S.BLOCK + 7
    res = S.simulate(two, runs, seed=2, params={"inc": np.full(runs, 3.0)})  # default inc = 2
    i = list(res.indicators).index("firms")
    years = np.arange(len(res.years))
    np.testing.assert_array_equal(res.mean[i], 10.0 + 3.0 * years)  # not the baseline's 2/year
    np.testing.assert_array_equal(res.std[i], 0.0)
    np.testing.assert_array_equal(res.quantiles[:, i], np.broadcast_to(10.0 + 3.0 * years, (5, 6)))

import numpy as np
import pytest

from planlib.model import Model, dependency_order
from planlib.scenario import RULE_KINDS, parse_scenario

HEAD = """\
meta: {id: t, name: 测试, region: 测试镇, level: 乡镇, base_year: 2020, period: [2021, 2024]}
parameters:
  - {name: g, label_zh: 增速, unit: "%", default: 10, bounds: [-50, 50]}
  - {name: inc, label_zh: 增量, unit: 户, default: 2, bounds: [0, 10]}
  - {name: s, label_zh: 比重, unit: "%", default: 40, bounds: [0, 100]}
indicators:
  - {id: a, name_zh: 甲, unit: 亿元, base: {year: 2020, value: 100}, rule: {kind: growth, rate: g}}
  - {id: w, name_zh: 万元值, unit: 万元, base: {year: 2020, value: 5000}, rule: {kind: hold}}
"""

# rule kind -> (indicator YAML, expected values 2020..2024)
CASES = {
    "growth": (
        "{id: x, name_zh: 乙, unit: 亿元, base: {year: 2020, value: 10}, "
        "rule: {kind: growth, rate: {2021: 10, 2023: -10}}}",
        [10, 11, 12.1, 10.89, 9.801],
    ),
    "increment": (
        "{id: x, name_zh: 乙, unit: 户, base: {year: 2020, value: 15}, "
        "rule: {kind: increment, increment: inc}}",
        [15, 17, 19, 21, 23],
    ),
    "pp_change": (
        "{id: x, name_zh: 乙, unit: '%', base: {year: 2020, value: 55}, "
        "rule: {kind: pp_change, change: 1.8}}",
        [55, 56.8, 58.6, 60.4, 62.2],
    ),
    "level": (
        "{id: x, name_zh: 乙, unit: 亿元, rule: {kind: level, value: {2021: 3, 2023: 4}}}",
        [np.nan, 3, 3, 4, 4],
    ),
    "path": (
        "{id: x, name_zh: 乙, unit: 个, base: {year: 2020, value: 0}, "
        "rule: {kind: path, values: {2022: 10, 2024: 30}}}",
        [0, 5, 10, 20, 30],
    ),
    "hold": (
        "{id: x, name_zh: 乙, unit: 个, history: {2019: 1, 2020: 7}, rule: {kind: hold}}",
        [7, 7, 7, 7, 7],
    ),
    "formula": (
        "{id: x, name_zh: 乙, unit: 亿元, rule: {kind: formula, expr: 'max(a * s / 100, 41)'}}",
        [41, 44, 48.4, 53.24, 58.564],
    ),
    "sum": (
        "{id: x, name_zh: 乙, unit: 亿元, rule: {kind: sum, of: [a, w]}}",
        [100.5, 110.5, 121.5, 133.6, 146.91],
    ),
    "ratio": (
        "{id: x, name_zh: 乙, unit: '%', rule: {kind: ratio, numerator: w, denominator: a}}",
        [0.5, 0.5 / 1.1, 0.5 / 1.21, 0.5 / 1.331, 0.5 / 1.4641],
    ),
    "share": (
        "{id: x, name_zh: 乙, unit: 万元, rule: {kind: share, of: a, share: s}}",
        [400000, 440000, 484000, 532400, 585640],
    ),
    "cumulative": (
        "{id: x, name_zh: 乙, unit: 亿元, rule: {kind: cumulative, of: w, initial: 1}}",
        [np.nan, 1.5, 2.0, 2.5, 3.0],
    ),
}


def test_every_rule_kind_has_a_case():
    assert set(CASES) == set(RULE_KINDS)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_rule_kind(kind):
    yaml_ind, expected = CASES[kind]
    sc = parse_scenario(HEAD + "  - " + yaml_ind + "\n", file=f"{kind}.yaml")
    traj = Model(sc).evaluate()
    got = traj.series("x")[0, -5:]
    np.testing.assert_allclose(got, expected, rtol=1e-9, equal_nan=True)


def test_dependency_order_puts_links_after_their_sources():
    sc = parse_scenario(HEAD + "  - " + CASES["sum"][0] + "\n")
    order = dependency_order(sc)
    assert order.index("x") > order.index("a") and order.index("x") > order.index("w")


def test_runs_are_independent_rows(park):
    m = Model(park)
    rates = np.array([8.0, 10.0, 12.0])
    many = m.evaluate({"output_growth": rates})
    assert many.values.shape == (3, len(park.indicators), 6)
    for k, r in enumerate(rates):
        one = m.evaluate({"output_growth": r})
        np.testing.assert_array_equal(many.values[k], one.values[0])


def test_per_year_parameter_draws(park):
    m = Model(park)
    per_year = np.array([[0, 0, 10, 10, 20, 20]], dtype=float)  # 2020..2025
    traj = m.evaluate({"output_growth": per_year})
    np.testing.assert_allclose(
        traj.series("industrial_output")[0, 1:], [35, 38.5, 42.35, 50.82, 60.984]
    )


def test_zero_variance_equals_deterministic(park):
    m = Model(park)
    det = m.evaluate()
    same = m.evaluate({"output_growth": np.full(1000, 10.0)})
    np.testing.assert_array_equal(same.values, np.broadcast_to(det.values, same.values.shape))


def test_unknown_parameter_and_bad_shapes(park):
    m = Model(park)
    with pytest.raises(KeyError, match="unknown parameters"):
        m.evaluate({"nope": 1})
    with pytest.raises(ValueError, match="per-year values need 6 columns"):
        m.evaluate({"output_growth": np.zeros((2, 3))})


def test_long_table(park):
    long = Model(park).evaluate().to_long()
    assert list(long.columns) == [
        "scenario",
        "region",
        "indicator",
        "name",
        "unit",
        "year",
        "value",
    ]
    row = long[(long.indicator == "industrial_output") & (long.year == 2025)]
    assert row.value.iloc[0] == pytest.approx(51.2435)
    assert row.unit.iloc[0] == "亿元" and row.name.iloc[0] == "规上工业产值"


def test_formula_recurrence_with_prev():
    # 低保 standard: max(last year's standard, 30 % of last year's consumption)
    text = (
        HEAD
        + """\
  - {id: c, name_zh: 消费, unit: 元/月, base: {year: 2020, value: 800},
     rule: {kind: growth, rate: g}}
  - {id: std, name_zh: 低保, unit: 元/月, base: {year: 2020, value: 241},
     rule: {kind: formula, expr: 'max(prev(std), 0.3 * prev(c))'}}
"""
    )
    traj = Model(parse_scenario(text)).evaluate({"g": np.array([10.0, -10.0])})
    c = 800 * 1.1 ** np.arange(5)
    expected_up = [241] + [max(241, 0.3 * c[t - 1]) for t in range(1, 5)]
    expected_up = np.maximum.accumulate(expected_up)
    np.testing.assert_allclose(traj.series("std")[0], expected_up)
    np.testing.assert_allclose(traj.series("std")[1], [241] * 5)  # never falls


def test_formula_using_itself_without_prev_is_an_error():
    from planlib.errors import ScenarioError

    text = HEAD + "  - {id: x, name_zh: 乙, unit: 个, rule: {kind: formula, expr: 'x + 1'}}\n"
    with pytest.raises(ScenarioError, match=r"uses 'x' itself; use prev\(x\)"):
        parse_scenario(text)


def test_mismatched_run_counts_are_refused(park):
    with pytest.raises(ValueError, match="has 4 runs, expected 3"):
        Model(park).evaluate({"output_growth": np.ones(3), "tax_growth": np.ones(4)})


RECURRENCE = (
    "{id: x, name_zh: 乙, unit: 亿元, base: {year: 2020, value: 10}, "
    "rule: {kind: formula, expr: 'prev(x) * (1 + g / 100) + inc'}}"
)


@pytest.mark.parametrize("kind", sorted(CASES) + ["formula_prev"])
def test_layout_independence(kind):
    """A batch equals each run alone, bit for bit, whatever the layout.

    Runs are computed time-major, in (years, runs) blocks; parameters per run, per year or
    scalar; the Monte Carlo fast path (``_evaluate_into``) writes the same numbers.
    """
    yaml_ind = RECURRENCE if kind == "formula_prev" else CASES[kind][0]
    sc = parse_scenario(HEAD + "  - " + yaml_ind + "\n", file=f"{kind}.yaml")
    m, Y, n = Model(sc), len(sc.years), 7
    rng = np.random.default_rng(4)
    params = {
        "g": 10 + 3 * rng.standard_normal((n, Y)),
        "inc": 2 + rng.standard_normal(n),
        "s": 40.0,
    }
    many = m.evaluate(params)
    assert many.values.shape == (n, len(sc.indicators), Y) and many.values.flags.c_contiguous
    for r in range(n):
        one = m.evaluate({"g": params["g"][r : r + 1], "inc": params["inc"][r], "s": 40.0})
        np.testing.assert_array_equal(many.values[r], one.values[0])
    block = np.full((2, Y, n), -1.0)
    m._evaluate_into(params, n, ["x", "a"], block)
    kept = many.values[:, [many.index("x"), many.index("a")]]
    np.testing.assert_array_equal(block.transpose(2, 0, 1), kept)


@pytest.mark.parametrize("kind", sorted(CASES) + ["formula_prev"])
def test_parameters_passed_in_are_never_written(kind):
    """Rules compute in place into arrays they made; the caller's arrays stay as they were."""
    yaml_ind = RECURRENCE if kind == "formula_prev" else CASES[kind][0]
    sc = parse_scenario(HEAD + "  - " + yaml_ind + "\n", file=f"{kind}.yaml")
    m, Y, n = Model(sc), len(sc.years), 9
    rng = np.random.default_rng(5)
    params = {"g": 10 + 3 * rng.standard_normal((n, Y)), "inc": rng.standard_normal(n), "s": 40.0}
    before = {k: np.copy(v) for k, v in params.items()}
    m.evaluate(params)
    block = np.empty((1, Y, n))
    m._evaluate_into(params, n, ["x"], block)
    for k, v in before.items():
        np.testing.assert_array_equal(params[k], v)


def test_linked_rules_equal_their_plain_formulas_bit_for_bit():
    """sum, share, cumulative and formula steps equal the textbook numpy expressions exactly."""
    ids = ["a", "w"]
    body = HEAD + "".join(
        f"  - {text}\n"
        for text in (
            "{id: sm, name_zh: 和, unit: 亿元, rule: {kind: sum, of: [a, w]}}",
            "{id: sh, name_zh: 份, unit: 万元, rule: {kind: share, of: a, share: s}}",
            "{id: cu, name_zh: 累, unit: 亿元, rule: {kind: cumulative, of: a, initial: 1}}",
            "{id: fo, name_zh: 式, unit: 亿元, rule: {kind: formula, "
            "expr: 'max(a * s / 100 - w / 1e4, -a) * 3 + -a'}}",
        )
    )
    sc = parse_scenario(body, file="linked.yaml")
    m, n = Model(sc), 257
    rng = np.random.default_rng(6)
    params = {"g": 5 * rng.standard_normal(n), "s": 40 + 30 * rng.standard_normal(n)}
    t = m.evaluate(params)
    a, w = (t.series(k) for k in ids)
    s = params["s"][:, None]
    expected = {
        "sm": sum(v * c for v, c in ((a, 1.0), (w, 1e-4))),
        "sh": a * 1e4 * s / 100.0,
        "cu": np.concatenate([np.full((n, 1), np.nan), 1 + np.cumsum(a[:, 1:], axis=1)], axis=1),
        "fo": np.maximum(a * s / 100 - w / 1e4, -a) * 3 + -a,
    }
    for k, ref in expected.items():
        got = t.series(k)
        np.testing.assert_array_equal(got, ref, err_msg=k)
        assert np.array_equal(np.signbit(got), np.signbit(ref)), k


@pytest.mark.parametrize("kind", sorted(CASES))
def test_rows_the_same_in_every_run_are_kept_across_calls(kind):
    """The Monte Carlo engine passes one dict to every chunk: run-invariant rows computed once."""
    sc = parse_scenario(HEAD + "  - " + CASES[kind][0] + "\n", file=f"{kind}.yaml")
    m, Y, n = Model(sc), len(sc.years), 11
    rng = np.random.default_rng(8)
    invariant: dict = {}
    for _ in range(3):  # chunks: new per-run draws of g, the same scalar s
        params = {"g": 10 + 3 * rng.standard_normal(n), "s": 40.0}
        block = np.full((3, Y, n), -1.0)
        m._evaluate_into(params, n, ["x", "a", "w"], block, invariant)
        ref = m.evaluate(params).values
        for i, k in enumerate(["x", "a", "w"]):
            np.testing.assert_array_equal(block[i].T, ref[:, m.indicators.index(k)], err_msg=k)
    assert "w" in invariant and "a" not in invariant  # w holds; a grows at the drawn rate
    assert all(v.shape[-1] == 1 for v in invariant.values())

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlib import growth

rates = st.floats(-0.5, 1.0)
levels = st.floats(0.01, 1e6)
years = st.integers(1, 30)


def test_seed_golden_figures():
    # 规上工业产值 35 亿 × 1.1⁴ = 51.24; 50 亿 needs 9.33 %
    assert float(growth.project(35, 0.10, 4)) == pytest.approx(51.2435)
    assert float(growth.required_rate(35, 50, 4)) * 100 == pytest.approx(9.3265, abs=1e-4)
    # 税收 1 亿 × 1.2⁴ = 2.07; 2 亿 needs 18.92 %
    assert float(growth.project(1, 0.20, 4)) == pytest.approx(2.0736)
    assert float(growth.required_rate(1, 2, 4)) * 100 == pytest.approx(18.92, abs=0.005)
    # 规上企业 15 + 2 + 2×4 = 25
    assert float(growth.linear_path(15, [2] * 5)[-1]) == 25
    assert float(growth.required_increment(15, 25, 5)) == 2


def test_cagr_undefined_for_non_positive_start():
    assert np.isnan(growth.cagr(0, 5, 3))
    assert np.isnan(growth.cagr(-1, 5, 3))
    assert np.isnan(growth.cagr(1, 5, 0))


def test_vectorised_over_runs():
    base = np.array([35.0, 35.0, 70.0])
    rate = np.array([0.1, 0.08, 0.1])
    out = growth.project(base, rate, 4)
    np.testing.assert_allclose(out, [51.2435, 35 * 1.08**4, 102.487])
    path = growth.compound_path(base, np.repeat(rate[:, None], 4, axis=1))
    np.testing.assert_allclose(path[:, -1], out)


@given(levels, rates, years)
def test_cagr_of_projection_returns_the_rate(base, rate, n):
    end = growth.project(base, rate, n)
    assert float(growth.cagr(base, end, n)) == pytest.approx(rate, abs=1e-9)


@given(levels, levels, years)
def test_required_rate_meets_the_target(base, target, n):
    r = growth.required_rate(base, target, n)
    assert float(growth.project(base, r, n)) == pytest.approx(target, rel=1e-9, abs=1e-12 * base)


@given(levels, levels, years, st.sampled_from(["compound", "linear"]))
def test_milestones_reach_the_target(base, target, n, method):
    m = growth.annual_milestones(base, target, n, method)
    assert m.shape == (n,)
    assert m[-1] == target
    if method == "compound":
        # every step grows by the same rate, which compounds back to the target
        steps = np.concatenate([[base], m])
        ratios = steps[1:] / steps[:-1]
        np.testing.assert_allclose(ratios, ratios[0], rtol=1e-7)
        assert float(growth.project(base, ratios[0] - 1, n)) == pytest.approx(target, rel=1e-6)
    else:
        np.testing.assert_allclose(
            np.diff(np.concatenate([[base], m])),
            (target - base) / n,
            atol=1e-6 * max(1, abs(target)),
        )


def test_milestones_reject_bad_input():
    with pytest.raises(ValueError, match="years must be >= 1"):
        growth.annual_milestones(1, 2, 0)
    with pytest.raises(ValueError, match="method"):
        growth.annual_milestones(1, 2, 3, "log")

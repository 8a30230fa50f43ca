"""Trend and volatility of the actuals: least squares, sample sd of changes, the wide prior."""

import math

import numpy as np
import pytest

from planlib.tracking.proposal_trends import (
    FLOOR_LOG_SD,
    PRIOR_ADD_SHARE,
    PRIOR_LOG_SD,
    fit_trends,
)


def test_fit_trends_is_least_squares_and_sample_sd_of_changes():
    y = np.array([[10.0, 12.0, 13.0, 17.0, 18.0]])
    years = np.arange(2021, 2026)
    f = fit_trends(y, years, log=False)
    slope_hand = np.polyfit(years, y[0], 1)[0]
    d = np.diff(y[0])
    assert f.slope[0] == pytest.approx(slope_hand, rel=1e-12)
    assert f.sd[0] == pytest.approx(np.std(d, ddof=1), rel=1e-12)
    assert f.se[0] == pytest.approx(np.std(d, ddof=1) / 2.0, rel=1e-12)  # 4 changes
    assert f.latest[0] == 18.0 and f.last_year[0] == 2025 and not f.prior[0]
    g = fit_trends(y, years, log=True)
    assert g.slope[0] == pytest.approx(100 * np.polyfit(years, np.log(y[0]), 1)[0], rel=1e-12)
    assert g.rate[0] == pytest.approx(
        100 * np.expm1(np.polyfit(years, np.log(y[0]), 1)[0]), rel=1e-12
    )
    assert g.sd[0] == pytest.approx(np.std(100 * np.diff(np.log(y[0])), ddof=1), rel=1e-12)


def test_fit_trends_vectorised_rows_with_gaps_equal_one_by_one():
    X = np.array([[1.0, 2.0, np.nan, 4.5, 5.0], [50.0, 51.0, 53.0, 52.0, 55.0]])
    years = np.arange(2021, 2026)
    both = fit_trends(X, years, log=[True, False])
    for r, lg in enumerate([True, False]):
        one = fit_trends(X[r : r + 1], years, log=lg)
        for name in ("slope", "sd", "se", "latest"):
            assert getattr(both, name)[r] == getattr(one, name)[0]


def test_two_points_give_the_stated_wide_prior():
    f = fit_trends(np.array([[40.0, 44.0], [30.0, 31.0]]), [2024, 2025], log=[True, False])
    assert f.prior.all()
    assert f.sd[0] == f.se[0] == PRIOR_LOG_SD == 5.0
    assert f.sd[1] == f.se[1] == pytest.approx(PRIOR_ADD_SHARE * 31.0)
    assert f.slope[0] == pytest.approx(
        100 * math.log(44 / 40)
    )  # the trend itself is still the data's
    # a straight series is not certain: the floor holds
    g = fit_trends(np.array([[100 * 1.05**k for k in range(6)]]), np.arange(2020, 2026), log=True)
    assert g.sd[0] == FLOOR_LOG_SD and not g.prior[0]

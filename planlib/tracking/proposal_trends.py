"""Trend and year-to-year volatility of a target's actuals (十五五 目标测算).

:func:`fit_trends` fits, by least squares, a log-linear trend to levels of positive
quantities (产值, 税收, 投资) and a linear trend to shares, rates and counts (%, 百分点,
户, 个), and measures the yearly volatility around it: ``sd`` is the sample standard
deviation of the actuals' year-to-year changes (log changes for levels) [ddof 1], ``se``
the uncertainty of the trend itself, ``sd`` divided by the square root of the number of
yearly changes observed (the standard error of a mean of yearly changes).

A short series never gives false precision. With fewer than :data:`MIN_POINTS` actuals
(fewer than two yearly changes) the volatility is not estimated: a stated wide prior is
used instead — ``sd = se =`` :data:`PRIOR_LOG_SD` (5 % a year) for levels,
:data:`PRIOR_ADD_SHARE` × the latest value (5 % of it a year) for shares, rates and
counts. A fitted volatility is never taken below a floor (:data:`FLOOR_LOG_SD`, 1 % a
year; :data:`FLOOR_ADD_SHARE` × the latest value): a perfectly straight series does not
make the future certain.

The actuals a fit reads (``_series``, or the chained comparable-price index of
``_real_index``) and the sentences that state a fit in the draft (``_trend_basis``,
``_uncertainty_text``) live here too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..formatting import fmt_number
from ..scenario import Scenario
from .actuals import Actuals

__all__ = [
    "FLOOR_ADD_SHARE",
    "FLOOR_LOG_SD",
    "MIN_POINTS",
    "PRIOR_ADD_SHARE",
    "PRIOR_LOG_SD",
    "REAL",
    "TrendFits",
    "fit_trends",
]

#: fewest actuals for a fitted volatility (two yearly changes)
MIN_POINTS = 3
#: wide prior of a short series: yearly volatility of a level's growth [% a year]
PRIOR_LOG_SD = 5.0
#: wide prior of a short series: yearly volatility of a share, rate or count
#: [share of the latest value]
PRIOR_ADD_SHARE = 0.05
#: floor of a fitted volatility: levels [% a year]
FLOOR_LOG_SD = 1.0
#: floor of a fitted volatility: shares, rates, counts [share of the latest value]
FLOOR_ADD_SHARE = 0.01
#: suffix of the engine series of a comparable-price index (growth targets with real growth actuals)
REAL = "__real"


@dataclass(frozen=True)
class TrendFits:
    """Trend and volatility of several series (arrays shaped ``(series,)``).

    Attributes
    ----------
    log : numpy.ndarray of bool
        Log-linear (levels) or linear (shares, rates, counts).
    points : numpy.ndarray of int
        Actuals used.
    last_year : numpy.ndarray of float
        Year of the latest actual (NaN without any) [year].
    latest : numpy.ndarray
        Latest actual [unit].
    slope : numpy.ndarray
        Least-squares trend: [% a year, log points × 100] for log series, [unit/year] otherwise.
    sd : numpy.ndarray
        Yearly volatility around the trend (same unit as ``slope``).
    se : numpy.ndarray
        Uncertainty of the trend itself (same unit as ``slope``).
    prior : numpy.ndarray of bool
        True where the wide prior replaced the fit (fewer than :data:`MIN_POINTS` actuals).
    """

    log: np.ndarray
    points: np.ndarray
    last_year: np.ndarray
    latest: np.ndarray
    slope: np.ndarray
    sd: np.ndarray
    se: np.ndarray
    prior: np.ndarray

    @property
    def rate(self) -> np.ndarray:
        """Trend as a compound annual rate for log series, slope otherwise [%/year or unit/year]."""
        return np.where(self.log, np.expm1(self.slope / 100.0) * 100.0, self.slope)


def fit_trends(values, years, log) -> TrendFits:
    """Least-squares trend and year-to-year volatility of each row of ``values``.

    Parameters
    ----------
    values : array_like, shape (series, years)
        Actuals, NaN where there is none [unit of each series].
    years : array_like, shape (years,)
        Consecutive years [year].
    log : bool or array_like of bool, shape (series,)
        Fit ``100·ln(value)`` (levels) instead of ``value`` (shares, rates, counts).

    Returns
    -------
    TrendFits
    """
    X = np.atleast_2d(np.asarray(values, dtype=float))
    k = X.shape[0]
    t = np.asarray(years, dtype=float)
    log = np.broadcast_to(np.asarray(log, dtype=bool), (k,)).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        Z = np.where(log[:, None], 100.0 * np.log(np.where(X > 0, X, np.nan)), X)
    m = np.isfinite(Z)
    n = m.sum(axis=1)
    nn = np.maximum(n, 1)
    tm = np.where(m, t, 0.0).sum(axis=1) / nn
    zm = np.where(m, Z, 0.0).sum(axis=1) / nn
    dt = np.where(m, t - tm[:, None], 0.0)
    sxx = (dt**2).sum(axis=1)
    sxy = (dt * np.where(m, Z - zm[:, None], 0.0)).sum(axis=1)
    slope = np.where(sxx > 0, sxy / np.where(sxx > 0, sxx, 1.0), 0.0)
    # latest actual of each row
    last = X.shape[1] - 1 - np.argmax(m[:, ::-1], axis=1)
    has = n > 0
    latest = np.where(has, X[np.arange(k), last], np.nan)
    last_year = np.where(has, t[last], np.nan)
    # year-to-year changes (consecutive years only)
    D = Z[:, 1:] - Z[:, :-1]
    dm = np.isfinite(D)
    nd = dm.sum(axis=1)
    dmean = np.where(dm, D, 0.0).sum(axis=1) / np.maximum(nd, 1)
    ss = np.where(dm, (D - dmean[:, None]) ** 2, 0.0).sum(axis=1)
    sd_fit = np.sqrt(ss / np.maximum(nd - 1, 1))
    ref = np.where(np.isfinite(latest) & (latest != 0), np.abs(latest), 1.0)
    prior_sd = np.where(log, PRIOR_LOG_SD, PRIOR_ADD_SHARE * ref)
    floor = np.where(log, FLOOR_LOG_SD, FLOOR_ADD_SHARE * ref)
    prior = nd < MIN_POINTS - 1
    sd = np.where(prior, prior_sd, np.maximum(sd_fit, floor))
    se = np.where(prior, prior_sd, sd / np.sqrt(np.maximum(nd, 1)))
    return TrendFits(
        log=log,
        points=n,
        last_year=last_year,
        latest=latest,
        slope=np.where(n >= 2, slope, 0.0),
        sd=sd,
        se=se,
        prior=prior,
    )


def _real_index(actuals: Actuals, ind_id: str, upto: int) -> dict[int, float]:
    """Chain the comparable-price index (100 the year before the first reported growth) [-].

    Empty unless the actuals give ``real_growth`` for consecutive years up to ``upto``.
    """
    getter = getattr(actuals, "real_growth", None)
    got = getter(ind_id) if getter else {}
    g = {y: v for y, v in got.items() if y <= upto and math.isfinite(v)}
    if not g or max(g) != upto or sorted(g) != list(range(min(g), upto + 1)):
        return {}
    idx, level = {min(g) - 1: 100.0}, 100.0
    for y in sorted(g):
        level *= 1.0 + g[y] / 100.0
        idx[y] = level
    return idx


def _series(
    ind_id: str, actuals: Actuals, original: Scenario | None, upto: int
) -> dict[int, float]:
    """Actuals of an indicator up to ``upto``, completed by the original file's known values."""
    out = {}
    if original is not None:
        try:
            out.update(original.indicator(ind_id).known)
        except KeyError:
            pass
    try:
        out.update(actuals.series(ind_id))
    except KeyError:
        pass
    return {y: v for y, v in sorted(out.items()) if y <= upto and math.isfinite(v)}


def _uncertainty_text(fit, j, unit, log) -> str:
    n = int(fit.points[j])
    if fit.prior[j]:
        what = (
            f"{fmt_number(PRIOR_LOG_SD, 0)}%/年"
            if log
            else f"最新值的{fmt_number(100 * PRIOR_ADD_SHARE, 0)}%/年"
            f"（{fmt_number(fit.sd[j], 3)}{unit}）"
        )
        return f"实绩仅{n}个点，不足以估计波动，采用宽先验：年度波动与趋势不确定性均为{what}"
    u = "%/年（对数）" if log else f"{unit}/年"
    return (
        f"由{n}个实绩点拟合：年度波动（逐年变化标准差）{fmt_number(fit.sd[j], 3)}{u}，"
        f"趋势不确定性{fmt_number(fit.se[j], 3)}{u}"
    )


def _trend_basis(fit, j, s, stated=None) -> str:
    n = int(fit.points[j])
    if stated is not None:
        s_note = f"（{stated}年取草案基期值）"
    else:
        s_note = ""
    if n < 2:
        return f"仅{n}个数据点，按{s.anchor}年值持平外推{s_note}"
    if s.id.endswith(REAL):
        return (
            f"{n - 1}年可比价增速（实绩所报）的对数线性趋势，年均增长{fmt_number(fit.rate[j], 2)}%"
        )
    if s.log:
        return (
            f"{n}个实绩点对数线性趋势，年均增长{fmt_number(fit.rate[j], 2)}%，"
            f"自{s.anchor}年{fmt_number(s.latest, 2)}外推{s_note}"
        )
    return (
        f"{n}个实绩点线性趋势，每年变化{fmt_number(fit.slope[j], 3)}{s.unit}，"
        f"自{s.anchor}年{fmt_number(s.latest, 2)}外推{s_note}"
    )

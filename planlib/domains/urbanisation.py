"""Urbanisation (常住人口城镇化率): population-based and UN WUP URGD models.

Two ways to project the share of residents living in towns:

* **population-based** — urban and rural resident populations each grow by their
  natural rate, and ``migration`` people a year move from rural to urban;
  the rate is urban / (urban + rural);
* **UN World Urbanization Prospects (URGD)** — the urban–rural growth
  difference ``URGD = r_U − r_R`` held constant makes logit(PU) rise by URGD a
  year: ``PU(t+n) = PU·e^{n·URGD} / (1 − PU + PU·e^{n·URGD})``.

Rates are fractions inside the functions of this module (0.55 means 55 %) and
URGD is per year (0.03 means 3 % a year); scenario files and components speak
percent. 百分点 targets are additive changes of the rate, never % growth.
Every function broadcasts over numpy arrays (runs first), with no loop over runs.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "NATIONAL_URBANISATION",
    "NATIONAL_SOURCE",
    "logit",
    "expit",
    "urgd_project",
    "urgd_path",
    "required_urgd",
    "fit_urgd",
    "population_path",
    "required_migration",
]

#: 国家统计局 常住人口城镇化率 [%] (2020 第七次全国人口普查; 2023, 2024 统计公报)
NATIONAL_URBANISATION = {2020: 63.89, 2023: 66.16, 2024: 67.00}
NATIONAL_SOURCE = (
    "国家统计局：第七次全国人口普查公报（2020年 63.89%）；2023年、2024年国民经济和社会发展"
    "统计公报（66.16%、67.00%，2024年比上年末提高0.84个百分点）"
)


def logit(p):
    """log(p / (1 − p)) of a share.

    Parameters
    ----------
    p : array_like
        Share in (0, 1) [fraction].

    Returns
    -------
    numpy.ndarray
        Log-odds [-].
    """
    p = np.asarray(p, dtype=float)
    if np.any((p <= 0) | (p >= 1)):
        raise ValueError("urbanisation shares must lie strictly between 0 and 1 (0 % and 100 %)")
    return np.log(p / (1.0 - p))


def expit(x):
    """Inverse of :func:`logit`: 1 / (1 + e^{-x}) [fraction]."""
    x = np.asarray(x, dtype=float)
    return 1.0 / (1.0 + np.exp(-x))


def urgd_project(pu, urgd, years):
    """Urban share after ``years`` of a constant URGD (UN WUP method).

    Parameters
    ----------
    pu : array_like
        Urban share at the start [fraction].
    urgd : array_like
        Urban–rural growth difference r_U − r_R [1/year].
    years : array_like
        Years ahead [year].

    Returns
    -------
    numpy.ndarray
        ``PU·e^{n·URGD} / (1 − PU + PU·e^{n·URGD})`` [fraction].
    """
    pu = np.asarray(pu, dtype=float)
    g = np.exp(np.asarray(years, dtype=float) * np.asarray(urgd, dtype=float))
    return pu * g / (1.0 - pu + pu * g)


def urgd_path(pu, urgd, n_years: int):
    """Yearly urban shares from the start year through ``n_years`` later.

    Parameters
    ----------
    pu : array_like, shape (runs,) or scalar
        Urban share in the start year [fraction].
    urgd : array_like, shape (runs,) or scalar
        URGD [1/year].
    n_years : int
        Years after the start [year].

    Returns
    -------
    numpy.ndarray, shape (runs, n_years + 1)
        Shares [fraction]; column 0 is the start year.
    """
    pu = np.atleast_1d(np.asarray(pu, dtype=float))[:, None]
    urgd = np.atleast_1d(np.asarray(urgd, dtype=float))[:, None]
    steps = np.arange(n_years + 1, dtype=float)[None, :]
    return urgd_project(pu, urgd, steps)


def required_urgd(pu_start, pu_end, years):
    """URGD that takes the urban share from ``pu_start`` to ``pu_end`` in ``years``.

    Parameters
    ----------
    pu_start, pu_end : array_like
        Urban shares [fraction].
    years : array_like
        Years between them [year].

    Returns
    -------
    numpy.ndarray
        ``(logit(pu_end) − logit(pu_start)) / years`` [1/year].
    """
    years = np.asarray(years, dtype=float)
    if np.any(years <= 0):
        raise ValueError("years must be positive")
    return (logit(pu_end) - logit(pu_start)) / years


def fit_urgd(years, shares):
    """Fit a constant URGD to a history of urban shares (least squares on logit).

    Parameters
    ----------
    years : array_like, shape (k,)
        Observation years, at least two distinct [year].
    shares : array_like, shape (k,) or (runs, k)
        Urban shares [fraction]; NaN entries are ignored per row.

    Returns
    -------
    urgd : numpy.ndarray, shape () or (runs,)
        Slope of logit(share) over years [1/year].
    intercept_share : numpy.ndarray
        Fitted share in the first year [fraction].
    """
    t = np.asarray(years, dtype=float)
    y = logit(np.where(np.isnan(shares), 0.5, shares))
    w = np.isfinite(np.asarray(shares, dtype=float)).astype(float)
    if np.any(w.sum(axis=-1) < 2):
        raise ValueError("fitting a URGD needs at least two observed years")
    x = t - t[0]
    sw = w.sum(axis=-1)
    mx = (w * x).sum(axis=-1) / sw
    my = (w * y).sum(axis=-1) / sw
    xc = x - np.expand_dims(mx, -1)
    sxx = (w * xc**2).sum(axis=-1)
    if np.any(sxx == 0):
        raise ValueError("fitting a URGD needs at least two distinct years")
    slope = (w * xc * (y - np.expand_dims(my, -1))).sum(axis=-1) / sxx
    return slope, expit(my - slope * mx)


def population_path(urban0, rural0, urban_growth, rural_growth, migration, n_years: int):
    """Urban and rural resident populations with natural growth and rural → urban migration.

    ``U_t = U_{t-1}·(1 + g_U) + m``, ``R_t = max(R_{t-1}·(1 + g_R) − m, 0)``.

    Parameters
    ----------
    urban0, rural0 : array_like, shape (runs,) or scalar
        Populations in the start year [persons, any one unit].
    urban_growth, rural_growth : array_like
        Natural growth rates [1/year].
    migration : array_like
        Net rural → urban migrants a year [same unit as the populations].
    n_years : int
        Years projected [year].

    Returns
    -------
    urban, rural, rate : numpy.ndarray, shape (runs, n_years + 1)
        Populations [unit of input] and urbanisation rate [fraction].
    """
    u0 = np.atleast_1d(np.asarray(urban0, dtype=float))
    r0 = np.atleast_1d(np.asarray(rural0, dtype=float))
    gu, gr, m = (
        np.atleast_1d(np.asarray(a, dtype=float)) for a in (urban_growth, rural_growth, migration)
    )
    runs = np.broadcast_shapes(u0.shape, r0.shape, gu.shape, gr.shape, m.shape)[0]
    urban = np.empty((runs, n_years + 1))
    rural = np.empty((runs, n_years + 1))
    urban[:, 0], rural[:, 0] = u0, r0
    for t in range(1, n_years + 1):  # loop over years, vectorised over runs
        urban[:, t] = urban[:, t - 1] * (1.0 + gu) + m
        rural[:, t] = np.maximum(rural[:, t - 1] * (1.0 + gr) - m, 0.0)
    return urban, rural, urban / (urban + rural)


def _annuity(g, n):
    """Σ_{k<n} (1+g)^k, accurate for tiny |g| (→ n) [-]."""
    small = np.abs(g) < 1e-9
    safe = np.where(small, 1.0, g)
    return np.where(small, n * (1.0 + 0.5 * (n - 1.0) * g), np.expm1(n * np.log1p(safe)) / safe)


def required_migration(urban0, rural0, urban_growth, rural_growth, rate_end, n_years):
    """Constant yearly rural → urban migration that gives ``rate_end`` after ``n_years``.

    Closed form of :func:`population_path` (valid while rural stays positive):
    with ``A = (1+g_U)^n``, ``B = (1+g_R)^n``, ``S_A = Σ_{k<n} (1+g_U)^k``,
    ``S_B = Σ_{k<n} (1+g_R)^k`` and target share ``p``,
    ``m = (p·(U0·A + R0·B) − U0·A) / (S_A − p·(S_A − S_B))``.

    Parameters
    ----------
    urban0, rural0 : array_like
        Start populations [persons, any one unit].
    urban_growth, rural_growth : array_like
        Natural growth [1/year].
    rate_end : array_like
        Urbanisation rate wanted [fraction].
    n_years : int or array_like
        Years [year].

    Returns
    -------
    numpy.ndarray
        Migrants a year [unit of the populations]; negative means the rate is
        reached without migration (urban-to-rural flow would be needed to stay on it).
    """
    u0, r0, gu, gr, p = (
        np.asarray(a, dtype=float) for a in (urban0, rural0, urban_growth, rural_growth, rate_end)
    )
    n = np.asarray(n_years, dtype=float)
    a, b = (1.0 + gu) ** n, (1.0 + gr) ** n
    sa, sb = _annuity(gu, n), _annuity(gr, n)
    return (p * (u0 * a + r0 * b) - u0 * a) / (sa - p * (sa - sb))

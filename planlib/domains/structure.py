"""Three-sector structure (三次产业结构): sector paths, shares, required growth.

Each sector (primary, secondary, tertiary) grows at its own rate; shares are
computed from the levels, so they always sum to 100. The growth one sector
needs for a stated share ("第三产业比重提高30个百分点") follows in closed form
from the others' paths; a share of 100 % or more, or a rate outside the
parameter's bounds, is reported as impossible.

Rates are fractions (0.1 = 10 % a year); shares are percent. Arrays broadcast
with runs first; sectors lie along axis 1.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "SECTORS",
    "SECTORS_ZH",
    "sector_levels",
    "shares",
    "required_sector_growth",
    "feasibility",
]

SECTORS = ("primary", "secondary", "tertiary")
SECTORS_ZH = {"primary": "第一产业", "secondary": "第二产业", "tertiary": "第三产业"}


def sector_levels(base, rates, n_years: int):
    """Levels of each sector over the years at constant growth.

    Parameters
    ----------
    base : array_like, shape (sectors,) or (runs, sectors)
        Levels in the start year [亿元].
    rates : array_like, shape (sectors,) or (runs, sectors)
        Growth of each sector [1/year].
    n_years : int
        Years projected [year].

    Returns
    -------
    numpy.ndarray, shape (runs, sectors, n_years + 1)
        Levels [亿元].
    """
    base = np.atleast_2d(np.asarray(base, dtype=float))
    rates = np.atleast_2d(np.asarray(rates, dtype=float))
    if np.any(base < 0):
        raise ValueError("sector levels must be non-negative")
    if np.any(rates <= -1):
        raise ValueError("sector growth must be above -100 %")
    steps = np.arange(n_years + 1, dtype=float)
    return base[:, :, None] * (1.0 + rates[:, :, None]) ** steps


def shares(levels, axis: int = 1):
    """Shares of each sector in the total [%]; they sum to 100 along ``axis``.

    Parameters
    ----------
    levels : array_like
        Sector levels [any one unit], sectors along ``axis``.
    axis : int
        Sector axis.

    Returns
    -------
    numpy.ndarray
        Shares [%]; NaN where the total is zero.
    """
    levels = np.asarray(levels, dtype=float)
    total = levels.sum(axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, levels / total * 100.0, np.nan)


def required_sector_growth(base, rates, target_share, n_years, sector: int = 2):
    """Growth of ``sector`` that gives it ``target_share`` after ``n_years``.

    With the other sectors' levels ``O_T = Σ_{j≠k} L_j (1+r_j)^n`` and target
    share ``s``, sector ``k`` must reach ``L_k,T = s/(1−s)·O_T``, hence
    ``r_k = (L_k,T / L_k,0)^{1/n} − 1``.

    Parameters
    ----------
    base : array_like, shape (sectors,) or (runs, sectors)
        Start levels [亿元].
    rates : array_like, shape (sectors,) or (runs, sectors)
        Growth of every sector (the entry of ``sector`` is ignored) [1/year].
    target_share : array_like
        Share wanted [%].
    n_years : int
        Years [year].
    sector : int
        Which sector (0 primary, 1 secondary, 2 tertiary).

    Returns
    -------
    numpy.ndarray, shape (runs,)
        Required growth [1/year]; NaN when the share is impossible
        (``≤ 0`` or ``≥ 100`` %, or the sector starts at zero).
    """
    base = np.atleast_2d(np.asarray(base, dtype=float))
    rates = np.atleast_2d(np.asarray(rates, dtype=float))
    s = np.asarray(target_share, dtype=float) / 100.0
    grown = base * (1.0 + rates) ** float(n_years)
    others = grown.sum(axis=1) - grown[:, sector]
    possible = (s > 0) & (s < 1) & (base[:, sector] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        need_level = np.where(possible, s / (1.0 - s) * others, np.nan)
        return np.where(possible, (need_level / base[:, sector]) ** (1.0 / n_years) - 1.0, np.nan)


def feasibility(required, bounds) -> np.ndarray:
    """Classify required rates: ``"impossible"`` (NaN), ``"beyond_bounds"`` or ``"within_bounds"``.

    Parameters
    ----------
    required : array_like
        Required rates [same unit as ``bounds``].
    bounds : tuple of float
        Parameter bounds (low, high) [same unit].
    """
    r = np.asarray(required, dtype=float)
    lo, hi = bounds
    return np.where(
        np.isnan(r), "impossible", np.where((r < lo) | (r > hi), "beyond_bounds", "within_bounds")
    )

"""Pure rate arithmetic: projection, CAGR, required rate, 年度分解.

Every function broadcasts over numpy arrays, so the same code serves one
deterministic run and a million Monte Carlo runs shaped ``(runs, …)``.
Rates here are fractions per year (0.10 for 10 %); scenario files and tables
speak percent, and convert at their edge.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "annual_milestones",
    "cagr",
    "compound_path",
    "linear_path",
    "project",
    "required_increment",
    "required_rate",
]


def project(base, rate, years):
    """Value after compounding ``base`` at ``rate`` for ``years``.

    Parameters
    ----------
    base : float or array_like
        Starting level [any unit].
    rate : float or array_like
        Annual growth rate [1/year], e.g. 0.10.
    years : float or array_like
        Number of years [year].

    Returns
    -------
    numpy.ndarray or float
        ``base * (1 + rate) ** years`` [unit of base].

    Examples
    --------
    >>> round(float(project(35, 0.10, 4)), 2)
    51.24
    """
    return np.asarray(base, dtype=float) * (1.0 + np.asarray(rate, dtype=float)) ** years


def cagr(start, end, years):
    """Compound annual growth rate from ``start`` to ``end`` (年均增长).

    Parameters
    ----------
    start, end : float or array_like
        Levels at the first and last year [same unit].
    years : float or array_like
        Years between them [year], > 0.

    Returns
    -------
    numpy.ndarray or float
        Rate [1/year]; NaN where it is undefined (a non-positive level, or
        ``years <= 0``).

    Examples
    --------
    >>> round(float(cagr(35, 50, 4)) * 100, 2)
    9.33
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    years = np.asarray(years, dtype=float)
    ok = (start > 0) & (end >= 0) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(
            ok, (end / np.where(ok, start, 1.0)) ** (1.0 / np.where(ok, years, 1.0)) - 1.0, np.nan
        )
    return out[()] if out.ndim == 0 else out


def required_rate(base, target, years):
    """Annual growth rate that takes ``base`` to ``target`` in ``years``.

    The same formula as :func:`cagr`, named for the question a planner asks:
    *what pace does this target need?*

    Parameters
    ----------
    base : float or array_like
        Level at the start [unit].
    target : float or array_like
        Level to reach [unit].
    years : float or array_like
        Years available [year].

    Returns
    -------
    numpy.ndarray or float
        Rate [1/year]; NaN where undefined.
    """
    return cagr(base, target, years)


def required_increment(base, target, years):
    """Constant yearly increment that takes ``base`` to ``target``.

    Parameters
    ----------
    base, target : float or array_like
        Levels [unit].
    years : float or array_like
        Years available [year], > 0.

    Returns
    -------
    numpy.ndarray or float
        Increment per year [unit/year].

    Examples
    --------
    >>> float(required_increment(15, 25, 5))
    2.0
    """
    years = np.asarray(years, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (np.asarray(target, dtype=float) - np.asarray(base, dtype=float)) / np.where(
            years > 0, years, np.nan
        )
    return out[()] if np.ndim(out) == 0 else out


def compound_path(base, rates):
    """Levels year by year when ``base`` grows at per-year ``rates``.

    Parameters
    ----------
    base : array_like, shape (...)
        Level in the year before the first rate [unit].
    rates : array_like, shape (..., n)
        Rate of each following year [1/year].

    Returns
    -------
    numpy.ndarray, shape (..., n)
        Level at the end of each year [unit].
    """
    rates = np.asarray(rates, dtype=float)
    level = np.asarray(base, dtype=float)
    out = np.empty(np.broadcast_shapes(level.shape + (1,), rates.shape), dtype=float)
    level = np.broadcast_to(level, out.shape[:-1])
    # a loop over years (n ≈ 5–10) over whole vectors beats cumprod on large run counts
    for t in range(out.shape[-1]):
        level = level * (1.0 + rates[..., t])
        out[..., t] = level
    return out


def linear_path(base, increments):
    """Levels year by year when ``base`` changes by per-year ``increments``.

    Parameters
    ----------
    base : array_like, shape (...)
        Level in the year before the first increment [unit].
    increments : array_like, shape (..., n)
        Change in each following year [unit/year].

    Returns
    -------
    numpy.ndarray, shape (..., n)
        Level at the end of each year [unit].
    """
    increments = np.asarray(increments, dtype=float)
    return np.asarray(base, dtype=float)[..., None] + np.cumsum(increments, axis=-1)


def annual_milestones(base, target, years: int, method: str = "compound"):
    """年度分解: the level each year must reach for a period target to be met.

    Parameters
    ----------
    base : float or array_like
        Level in the base year [unit].
    target : float or array_like
        Level required in the last year [unit].
    years : int
        Number of years from base to target [year].
    method : {"compound", "linear"}
        Constant growth rate (产值, 税收) or constant increment (counts, 百分点).

    Returns
    -------
    numpy.ndarray, shape (..., years)
        Milestones for year 1 … ``years``; the last equals ``target``.
    """
    years = int(years)
    if years < 1:
        raise ValueError(f"years must be >= 1, got {years}")
    base = np.asarray(base, dtype=float)
    target = np.asarray(target, dtype=float)
    steps = np.arange(1, years + 1, dtype=float)
    if method == "compound":
        rate = required_rate(base, target, years)
        out = base[..., None] * (1.0 + np.asarray(rate)[..., None]) ** steps
    elif method == "linear":
        inc = (target - base) / years
        out = base[..., None] + inc[..., None] * steps
    else:
        raise ValueError(f"method must be 'compound' or 'linear', got {method!r}")
    out[..., -1] = np.broadcast_to(target, out.shape[:-1])  # exact, free of rounding
    return out

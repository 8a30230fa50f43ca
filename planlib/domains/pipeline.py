"""Investment project pipeline (项目库): schedules, realisation, target coverage, output, tax.

A project has a status (储备 reserve, 签约 signed, 在建 under construction,
建成 completed), an amount, a start year and a duration. Its investment is
spread evenly over the construction years; after completion it produces
``output_per_yuan`` yuan of output per yuan invested each year, of which
``tax_ratio`` percent is tax. Realisation is uncertain: a probability by status
either scales the schedules (expected values, the slider form) or is drawn
per project and run by :func:`draw_realisation` (vectorised, ``rng`` passed in).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "STATUSES",
    "STATUS_KEYS",
    "DEFAULT_PROBABILITY",
    "investment_schedule",
    "output_schedule",
    "status_totals",
    "draw_realisation",
    "coverage",
]

STATUSES = ("储备", "签约", "在建", "建成")
#: ASCII keys used in parameter and indicator ids
STATUS_KEYS = {"储备": "reserve", "签约": "signed", "在建": "construction", "建成": "completed"}
#: default probability of realisation by status [%] (assumptions, shown as sliders)
DEFAULT_PROBABILITY = {"储备": 30.0, "签约": 70.0, "在建": 95.0, "建成": 100.0}


def investment_schedule(amount, start, duration, years):
    """Investment of each project in each year, spread evenly over its construction years.

    Parameters
    ----------
    amount : array_like, shape (projects,)
        Total investment [亿元].
    start : array_like of int, shape (projects,)
        First construction year [year].
    duration : array_like of int, shape (projects,)
        Construction years, at least 1 [year].
    years : array_like of int, shape (years,)
        Calendar years of the schedule.

    Returns
    -------
    numpy.ndarray, shape (projects, years)
        Investment [亿元/年].
    """
    amount, start, duration = (
        np.asarray(a, dtype=float)[:, None] for a in (amount, start, duration)
    )
    years = np.asarray(years, dtype=float)[None, :]
    if np.any(duration < 1):
        raise ValueError("project duration must be at least 1 year")
    building = (years >= start) & (years < start + duration)
    return np.where(building, amount / duration, 0.0)


def output_schedule(amount, start, duration, output_per_yuan, years):
    """Yearly output of each project from the year after construction ends.

    Parameters
    ----------
    amount : array_like, shape (projects,)
        Investment [亿元].
    start, duration : array_like of int, shape (projects,)
        Construction start [year] and length [year].
    output_per_yuan : array_like, shape (projects,) or scalar
        Output per yuan invested, per year after completion [元/元/年].
    years : array_like of int
        Calendar years.

    Returns
    -------
    numpy.ndarray, shape (projects, years)
        Output [亿元/年].
    """
    amount, start, duration = (
        np.asarray(a, dtype=float)[:, None] for a in (amount, start, duration)
    )
    opy = np.broadcast_to(np.asarray(output_per_yuan, dtype=float), amount.shape[:1])[:, None]
    years = np.asarray(years, dtype=float)[None, :]
    return np.where(years >= start + duration, amount * opy, 0.0)


def status_totals(amount, status) -> dict:
    """Total amount by status, in the order of :data:`STATUSES` (statuses present only) [亿元]."""
    amount = np.asarray(amount, dtype=float)
    status = np.asarray(status, dtype=object)
    return {s: float(amount[status == s].sum()) for s in STATUSES if np.any(status == s)}


def draw_realisation(probability, runs: int, rng) -> np.ndarray:
    """Draw which projects are realised in each run (independent Bernoulli draws).

    Parameters
    ----------
    probability : array_like, shape (projects,)
        Probability of realisation of each project [fraction].
    runs : int
        Number of Monte Carlo runs.
    rng : numpy.random.Generator
        Source of randomness (``np.random.default_rng(seed)``).

    Returns
    -------
    numpy.ndarray of bool, shape (runs, projects)
    """
    p = np.asarray(probability, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("probabilities must lie in [0, 1]")
    return rng.random((int(runs), p.size)) < p[None, :]


def coverage(schedule, realised, years, first: int, last: int, target: float):
    """Share of a cumulative target that realised projects cover.

    Parameters
    ----------
    schedule : array_like, shape (projects, years)
        Investment by project and year [亿元/年].
    realised : array_like, shape (runs, projects) or (projects,)
        Realisation weights: booleans from :func:`draw_realisation` or probabilities [fraction].
    years : array_like of int
        Calendar years of ``schedule``'s columns.
    first, last : int
        Years summed, inclusive [year].
    target : float
        Target amount [亿元].

    Returns
    -------
    cumulative, share : numpy.ndarray, shape (runs,)
        Investment in the window [亿元] and its share of the target [%].
    """
    years = np.asarray(years)
    window = (years >= first) & (years <= last)
    per_project = np.asarray(schedule, dtype=float)[:, window].sum(axis=1)
    w = np.atleast_2d(np.asarray(realised, dtype=float))
    cum = w @ per_project
    return cum, cum / float(target) * 100.0

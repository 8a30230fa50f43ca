"""Progress of a target in a review (中期评估): Open SDG classes, paces and the trend.

Progress class — Open SDG's progress measure: the ratio of the observed pace
(from the start year to the latest actual) to the pace the target required
(from the start year to the target year)::

    ratio >= on_track (0.95)      进展顺利 on track
    ratio >= acceleration (0.6)   需加快   needs acceleration
    ratio >= limited (0)          进展有限 limited progress
    otherwise                     逆向变化 moving away

and 已实现 achieved when the latest actual already meets the target. A target
whose year has passed unmet is never "on track" (it is demoted to needs
acceleration). The pace is a compound growth rate for levels of positive
quantities (产值, 税收), a constant yearly change for shares, rates, counts and
百分点 targets (additive), and a yearly average for cumulative (累计) targets
(sums). Direction follows the target's operator: ``>=`` higher is better,
``<=`` lower is better (e.g. energy per unit of output); because the observed
and required paces carry the same sign when the indicator moves the right
way, one ratio serves both directions.

The trend projection and UN ESCAP's *anticipated progress* extend the observed
pace to the target year: anticipated progress is the share of the required
change the trend is expected to deliver [%].

Every function here is pure and vectorised over numpy arrays;
:func:`planlib.tracking.review.review` applies them to each target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import growth

__all__ = [
    "CLASSES",
    "CLASS_EN",
    "CLASS_ZH",
    "COLORS",
    "LIGHTS",
    "LIGHTS_EN",
    "METHODS",
    "Thresholds",
    "anticipated_progress",
    "classify",
    "observed_pace",
    "progress_ratio",
    "project_trend",
    "required_pace",
]

CLASSES = (
    "achieved",
    "on_track",
    "needs_acceleration",
    "limited_progress",
    "moving_away",
    "insufficient_data",
    "qualitative",
)
CLASS_ZH = {
    "achieved": "已实现",
    "on_track": "进展顺利",
    "needs_acceleration": "需加快",
    "limited_progress": "进展有限",
    "moving_away": "逆向变化",
    "insufficient_data": "数据不足",
    "qualitative": "定性",
}
CLASS_EN = {
    "achieved": "achieved",
    "on_track": "on track",
    "needs_acceleration": "needs acceleration",
    "limited_progress": "limited progress",
    "moving_away": "moving away",
    "insufficient_data": "insufficient data",
    "qualitative": "qualitative",
}
#: traffic light of each class as a colour word (plain text: no emoji, which office PCs show as
#: empty boxes); HTML shows it as a coloured badge (:meth:`Review.to_html`), Excel as a fill
LIGHTS = {
    "achieved": "绿",
    "on_track": "浅绿",
    "needs_acceleration": "黄",
    "limited_progress": "橙",
    "moving_away": "红",
    "insufficient_data": "灰",
    "qualitative": "—",
}
LIGHTS_EN = {
    "achieved": "green",
    "on_track": "light green",
    "needs_acceleration": "yellow",
    "limited_progress": "orange",
    "moving_away": "red",
    "insufficient_data": "grey",
    "qualitative": "—",
}
COLORS = {
    "achieved": "1a9850",
    "on_track": "91cf60",
    "needs_acceleration": "fee08b",
    "limited_progress": "fc8d59",
    "moving_away": "d73027",
    "insufficient_data": "bdbdbd",
    "qualitative": "d9d9d9",
}
METHODS = ("compound", "linear", "sum")


@dataclass(frozen=True)
class Thresholds:
    """Lower bounds of the progress ratio for each class (Open SDG defaults).

    Parameters
    ----------
    on_track : float
        Ratio at or above which progress is on track [1].
    acceleration : float
        Ratio at or above which progress needs acceleration [1].
    limited : float
        Ratio at or above which progress is limited; below it, moving away [1].
    """

    on_track: float = 0.95
    acceleration: float = 0.6
    limited: float = 0.0

    def __post_init__(self):
        for name in ("on_track", "acceleration", "limited"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValueError(f"thresholds.{name}: {v!r} is not a finite number")
        if not self.on_track > self.acceleration >= self.limited:
            raise ValueError(
                f"thresholds must satisfy on_track > acceleration >= limited; got "
                f"on_track={self.on_track:g}, acceleration={self.acceleration:g}, "
                f"limited={self.limited:g}"
            )


def observed_pace(start, latest, years, method: str = "compound"):
    """Pace from ``start`` to ``latest`` over ``years``.

    Parameters
    ----------
    start, latest : float or array_like
        Levels [unit]; for ``method="sum"`` ``latest`` is the sum so far [unit].
    years : float or array_like
        Years elapsed [year] (for ``sum``: years summed).
    method : {"compound", "linear", "sum"}
        Compound annual growth [1/year], constant yearly change [unit/year],
        or yearly average of a flow [unit/year].

    Returns
    -------
    numpy.ndarray or float
        NaN where undefined (no year elapsed, non-positive level for compound).
    """
    years = np.asarray(years, dtype=float)
    if method == "compound":
        return growth.cagr(start, latest, years)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "linear":
            out = (np.asarray(latest, float) - np.asarray(start, float)) / np.where(
                years > 0, years, np.nan
            )
        elif method == "sum":
            out = np.asarray(latest, float) / np.where(years > 0, years, np.nan)
        else:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    return out[()] if np.ndim(out) == 0 else out


def required_pace(start, target, years, method: str = "compound"):
    """Pace that takes ``start`` to ``target`` in ``years`` (see :func:`observed_pace`).

    For ``method="sum"`` ``target`` is the total to accumulate over ``years``.
    """
    return observed_pace(start, target, years, method)


def progress_ratio(observed, required):
    """Open SDG progress ratio: observed pace / required pace [1].

    NaN where the required pace is zero or undefined. Paces of a lower-is-better
    target are both negative when it moves the right way, so the ratio is
    positive in either direction.
    """
    observed = np.asarray(observed, dtype=float)
    required = np.asarray(required, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(
            (required != 0) & np.isfinite(required),
            observed / np.where(required != 0, required, 1.0),
            np.nan,
        )
    return out[()] if out.ndim == 0 else out


def classify(
    ratio, achieved, thresholds: Thresholds = Thresholds(), overdue=False, wrong_way=False
):
    """Progress class of each target.

    Parameters
    ----------
    ratio : array_like of float
        Progress ratio [1] (NaN: not enough data).
    achieved : array_like of bool
        The latest actual meets the target.
    thresholds : Thresholds
    overdue : array_like of bool
        The target year has passed (or is the latest year) without the target met:
        never on track.
    wrong_way : array_like of bool
        The target asks for no change or the opposite one (already met at the
        start) but is no longer met: moving away.

    Returns
    -------
    numpy.ndarray of str
        One of :data:`CLASSES` each.
    """
    ratio = np.asarray(ratio, dtype=float)
    achieved = np.broadcast_to(np.asarray(achieved, dtype=bool), ratio.shape)
    overdue = np.broadcast_to(np.asarray(overdue, dtype=bool), ratio.shape)
    wrong_way = np.broadcast_to(np.asarray(wrong_way, dtype=bool), ratio.shape)
    finite = np.isfinite(ratio)
    out = np.select(
        [
            achieved,
            wrong_way,
            ~finite,
            (ratio >= thresholds.on_track) & ~overdue,
            ratio >= thresholds.acceleration,
            ratio >= thresholds.limited,
        ],
        [
            "achieved",
            "moving_away",
            "insufficient_data",
            "on_track",
            "needs_acceleration",
            "limited_progress",
        ],
        default="moving_away",
    )
    return out


def project_trend(latest, pace, years_left, method: str = "compound", so_far=None):
    """Value at the target year if the observed pace continues.

    Parameters
    ----------
    latest : float or array_like
        Latest observed level [unit].
    pace : float or array_like
        Observed pace [1/year] (compound) or [unit/year] (linear, sum).
    years_left : float or array_like
        Years from the latest actual to the target year [year].
    method : {"compound", "linear", "sum"}
    so_far : float or array_like, optional
        For ``sum``: the total accumulated so far [unit].
    """
    latest = np.asarray(latest, dtype=float)
    pace = np.asarray(pace, dtype=float)
    years_left = np.asarray(years_left, dtype=float)
    if method == "compound":
        return growth.project(latest, pace, years_left)
    if method == "linear":
        return latest + pace * years_left
    if method == "sum":
        return np.asarray(so_far, dtype=float) + pace * years_left
    raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")


def anticipated_progress(start, projected, target, method: str = "compound"):
    """UN ESCAP anticipated progress: share of the required change the trend delivers [%].

    Parameters
    ----------
    start : float or array_like
        Level at the start year [unit] (ignored for ``sum``).
    projected : float or array_like
        Trend value at the target year [unit] (for ``sum``: projected total).
    target : float or array_like
        Target level (for ``sum``: target total) [unit].
    """
    start = np.asarray(start, dtype=float)
    projected = np.asarray(projected, dtype=float)
    target = np.asarray(target, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "sum":
            out = projected / np.where(target != 0, target, np.nan) * 100.0
        else:
            out = (projected - start) / np.where(target != start, target - start, np.nan) * 100.0
    return out[()] if np.ndim(out) == 0 else out

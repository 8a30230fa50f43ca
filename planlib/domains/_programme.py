"""Shared helpers of the community-programme components (issue 6).

Not a component kind itself: it holds the base class :class:`Programme` (a
component whose ids carry an optional prefix) and builders of scenario-file
entries, so each programme module reads as a list of its parameters and
indicators.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import Field

from . import Component

__all__ = ["Programme", "check_years", "indicator", "parameter", "series", "target"]


class Programme(Component):
    """A component whose expanded ids are ``<id>_<name>`` (or ``<name>`` when ``id`` is empty)."""

    id: str = Field(default="", pattern=r"^([A-Za-z][A-Za-z0-9_]*)?$")

    def n(self, name: str) -> str:
        """Expanded id of ``name`` (prefixed with this component's ``id``)."""
        return f"{self.id}_{name}" if self.id else name


def parameter(name, label_zh, unit, default, bounds, step=None, description=None, label_en=None) -> dict:
    """A ``parameters:`` entry (one slider); ``bounds`` are widened to hold ``default``."""
    lo, hi = float(bounds[0]), float(bounds[1])
    default = float(default)
    lo, hi = min(lo, default), max(hi, default)
    if not lo < hi:
        hi = lo + 1.0
    out = {"name": name, "label_zh": label_zh, "unit": unit, "default": default, "bounds": [lo, hi]}
    if label_en:
        out["label_en"] = label_en
    if step:
        out["step"] = float(step)
    if description:
        out["description"] = description
    return out


def indicator(id, name_zh, unit, rule=None, *, name_en=None, category="社区建设", base=None, history=None,
              attribute=None, assumption=None, source=None) -> dict:
    """An ``indicators:`` entry in scenario-file form."""
    out = {"id": id, "name_zh": name_zh, "unit": unit, "category": category}
    if name_en:
        out["name_en"] = name_en
    if attribute:
        out["attribute"] = attribute
    if base is not None:
        out["base"] = {"year": int(base[0]), "value": float(base[1])}
    if history:
        out["history"] = {int(y): float(v) for y, v in history.items()}
    if rule is not None:
        out["rule"] = rule
    if assumption:
        out["assumption"] = assumption
    if source:
        out["source"] = source
    return out


def target(id, indicator_id, year, value, op=">=", kind="level", wording=None, attribute=None, source=None) -> dict:
    """A ``targets:`` entry."""
    out = {"id": id, "indicator": indicator_id, "year": int(year), "kind": kind, "op": op, "value": float(value)}
    if wording:
        out["wording"] = wording
    if attribute:
        out["attribute"] = attribute
    if source:
        out["source"] = source
    return out


def check_years(field: str, years, meta: dict, first_ok: int | None = None) -> None:
    """Raise ValueError when a year of ``field`` lies outside the plan period of ``meta``."""
    period = meta.get("period") or [None, None]
    start, end = (first_ok if first_ok is not None else period[0]), period[1]
    if start is None or end is None:
        return
    for y in years:
        if not start <= int(y) <= end:
            raise ValueError(f"{field}: year {y} lies outside the plan period {start}–{end}; "
                             "give years inside meta.period")


def series(traj, ind: str, run: int = 0) -> dict[int, float]:
    """``{year: value}`` of one indicator in one run, NaN dropped, as plain floats."""
    vals = np.asarray(traj.series(ind))[run]
    return {int(y): float(v) for y, v in zip(traj.years, vals) if not math.isnan(float(v))}

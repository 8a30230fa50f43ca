"""Helpers shared by every domain component.

One way to build a slider parameter, an indicator, a target and an audit row, and to
read a parameter's value per run.

Structural components (urbanisation, structure, pipeline, land, price basis) expose
:class:`Knob` fields; programme components (service centres, community norms, village
consolidation, minimum living) derive from :class:`Programme` and build their entries
with :func:`parameter`, :func:`indicator` and :func:`target`.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from .._prebuilt import Prebuilt
from ..formatting import json_float as clean
from ..scenario import Distribution
from . import Component

__all__ = [
    "Knob",
    "Programme",
    "param_value",
    "clean",
    "check_row",
    "check_years",
    "indicator",
    "parameter",
    "series",
    "target",
    "at_least_by_year",
]


class Knob(Prebuilt):
    """A number a component exposes as a slider parameter.

    ``default`` within ``bounds``; optional ``distribution`` in scenario-file form
    (drawn by the simulation engine) and ``description`` (why this value).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: float
    bounds: tuple[float, float]
    step: float | None = Field(default=None, gt=0)
    distribution: Distribution | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _inside(self):
        lo, hi = self.bounds
        if not lo < hi:
            raise ValueError(f"bounds [{lo:g}, {hi:g}] must have low < high")
        if not lo <= self.default <= hi:
            raise ValueError(f"default {self.default:g} lies outside bounds [{lo:g}, {hi:g}]")
        return self

    def parameter(self, name: str, label_zh: str, unit: str, label_en: str | None = None) -> dict:
        """Return the parameter entry in scenario-file form."""
        out = parameter(
            name, label_zh, unit, self.default, self.bounds, self.step, self.description, label_en
        )
        if self.distribution is not None:
            out["distribution"] = self.distribution.model_dump(exclude_defaults=True)
        return out


def param_value(scenario, params: dict | None, name: str) -> np.ndarray:
    """Values of parameter ``name`` for every run: ``params`` first, else the default.

    Returns
    -------
    numpy.ndarray, shape (runs,)
        First column when a per-year array was given [parameter unit].
    """
    raw = (params or {}).get(name, scenario.parameter(name).default)
    a = np.asarray(raw, dtype=float)
    if a.ndim == 0:
        return a.reshape(1)
    if a.ndim == 2:
        return a[:, -1]
    return a


def check_row(kind: str, label: str, status: str, message: str, **values) -> dict:
    """One audit cross-check entry (the shape :func:`planlib.audit` uses)."""
    return {
        "kind": kind,
        "label": label,
        "status": status,
        "values": {
            k: (clean(v) if isinstance(v, (int, float, np.floating)) else v)
            for k, v in values.items()
        },
        "message": message,
    }


class Programme(Component):
    """A component whose expanded ids are ``<id>_<name>`` (or ``<name>`` when ``id`` is empty)."""

    id: str = Field(default="", pattern=r"^([A-Za-z][A-Za-z0-9_]*)?$")

    def n(self, name: str) -> str:
        """Return the expanded id of ``name`` (prefixed with this component's ``id``)."""
        return f"{self.id}_{name}" if self.id else name


def parameter(
    name, label_zh, unit, default, bounds, step=None, description=None, label_en=None
) -> dict:
    """Build a ``parameters:`` entry (one slider); ``bounds`` are widened to hold ``default``."""
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


def indicator(
    id,
    name_zh,
    unit,
    rule=None,
    *,
    name_en=None,
    category="社区建设",
    base=None,
    history=None,
    attribute=None,
    assumption=None,
    source=None,
) -> dict:
    """Build an ``indicators:`` entry in scenario-file form."""
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


def target(
    id, indicator_id, year, value, op=">=", kind="level", wording=None, attribute=None, source=None
) -> dict:
    """Build a ``targets:`` entry."""
    out = {
        "id": id,
        "indicator": indicator_id,
        "year": int(year),
        "kind": kind,
        "op": op,
        "value": float(value),
    }
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
            raise ValueError(
                f"{field}: year {y} lies outside the plan period {start}–{end}; "
                "give years inside meta.period"
            )


def series(traj, ind: str, run: int = 0) -> dict[int, float]:
    """``{year: value}`` of one indicator in one run, NaN dropped, as plain floats."""
    vals = np.asarray(traj.series(ind))[run]
    return {
        int(y): float(v) for y, v in zip(traj.years, vals, strict=False) if not math.isnan(float(v))
    }


def at_least_by_year(values: dict, field: str, what: str, low: float = 0.0) -> dict:
    """Validate a ``{year: value}`` field whose values must be ``>= low`` (ValueError otherwise)."""
    for year, value in values.items():
        if value < low:
            raise ValueError(
                f"{field} {value:g} {what} in {year} is impossible; use a value >= {low:g}"
            )
    return values

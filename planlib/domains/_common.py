"""Helpers shared by the structural components (urbanisation, structure, pipeline, land, price basis)."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..formatting import json_float as clean
from ..scenario import Distribution

__all__ = ["Knob", "param_value", "clean", "check_row"]


class Knob(BaseModel):
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
        """The parameter entry in scenario-file form."""
        out = {"name": name, "label_zh": label_zh, "unit": unit, "default": self.default,
               "bounds": list(self.bounds)}
        if label_en:
            out["label_en"] = label_en
        for key in ("step", "description"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
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
    return {"kind": kind, "label": label, "status": status,
            "values": {k: (clean(v) if isinstance(v, (int, float, np.floating)) else v) for k, v in values.items()},
            "message": message}

"""Targets as vectorised tests on trajectories: implied value, met, gap, required pace.

:func:`compile_targets` fixes, once per scenario, where each target reads the
trajectories (indicator row, years, tolerance). :func:`evaluate_targets` then
works on any number of runs at once and returns arrays shaped ``(runs, targets)``
— the deterministic audit reads row 0, the Monte Carlo engine reads P(met).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import growth
from .formatting import written_decimals
from .model import Trajectories
from .scenario import Scenario, Target

__all__ = [
    "CompiledTarget",
    "TargetResults",
    "compile_targets",
    "evaluate_targets",
    "default_tolerance",
    "about_band",
    "implied_at",
    "implied_value",
    "margin",
    "margin_of",
    "stated_unit",
    "written_decimals",
    "ABOUT_BAND_RATE",
    "ABOUT_BAND_LEVEL",
    "level_pace",
]

#: unit of the quantity a target of each kind states
KIND_UNIT = {"growth": "%", "pp_change": "百分点", "reduction": "%", "relative_growth": "百分点"}
#: default half-width of 左右 (op "~") for rates, shares and 百分点 [百分点]
ABOUT_BAND_RATE = 0.5
#: default half-width of 左右 for a level, as a share of the stated value [%]
ABOUT_BAND_LEVEL = 2.0
#: targets that compare numbers; "qualitative" ones are kept and shown, never computed
NUMERIC_KINDS = (
    "level",
    "growth",
    "cumulative",
    "increment",
    "pp_change",
    "reduction",
    "relative_growth",
)


def level_pace(rule_kind: str | None) -> str | None:
    """Which pace a level target on an indicator with this rule needs, if any.

    ``"rate"`` (年均增长) for indicators that grow at a rate (``growth``, ``sum`` of such, or
    no rule); ``"step"`` (每年增加 / 每年提高) for ``increment`` and ``pp_change``; ``None``
    for formulas, ratios, shares and paths — limits such as 节地率 ≤ 50% or a funding gap of
    0 have no yearly pace, and a rate there would print noise (±100 %, 0.00 %).
    """
    if rule_kind in ("growth", "sum", None):
        return "rate"
    if rule_kind in ("increment", "pp_change"):
        return "step"
    return None


def stated_unit(target: Target, indicator_unit: str) -> str:
    """Return the unit of the quantity a target states.

    % for growth and reduction, 百分点 for changes of rates.
    """
    return KIND_UNIT.get(target.kind, indicator_unit)


def about_band(target: Target, unit: str) -> float:
    """Half-width of 左右 (op "~") [unit of the stated value].

    ``band`` when the target gives one; otherwise :data:`ABOUT_BAND_RATE` (0.5) for a
    growth rate, a %/‰ indicator or a 百分点 change, and :data:`ABOUT_BAND_LEVEL` (2 %)
    of the stated value for a level.
    """
    if target.band is not None:
        return float(target.band)
    from .units import get_unit  # noqa: PLC0415

    dim = get_unit(unit).dimension if unit not in ("百分点",) else "percentage_point"
    if dim in ("percent", "percentage_point"):
        return ABOUT_BAND_RATE
    return ABOUT_BAND_LEVEL / 100.0 * abs(float(target.value or 0.0))


def default_tolerance(target: Target, unit: str | None = None) -> float:
    """Tolerance for a stated figure when the file gives none.

    ``=`` targets are met within half a unit of the stated value's last digit
    (stated "50" accepts 49.5–50.5, "9.33" accepts 9.325–9.335); ``~`` (左右) within
    its band (:func:`about_band`; ``unit`` is the stated value's unit); ``>=``/``<=``
    and the strict ``>``/``<`` only forgive floating-point noise (so a value equal to
    the bound meets ``>=`` and misses ``>``).
    """
    if target.tolerance is not None:
        return float(target.tolerance)
    value = float(target.value or 0.0)
    if target.op == "~":
        return about_band(target, unit or "%") + 1e-9 * max(1.0, abs(value))
    if target.op == "=":
        return 0.5 * 10.0 ** (-written_decimals(value))
    return 1e-9 * max(1.0, abs(value))


@dataclass(frozen=True)
class CompiledTarget:
    """Where and how a target reads trajectories."""

    target: Target
    row: int  # indicator position
    year: int  # target year position
    start: int  # position of from_year (level/growth/increment/pp) or first summed year
    years: int  # years of change (or years summed, for cumulative)
    tolerance: float
    attribute: str
    unit: str  # unit of the stated value
    ref_row: int = -1  # reference indicator of a relative_growth target
    mode: str = (
        "numeric"  # "numeric", "qualitative" (text only) or "stated" (nothing to compute from)
    )


def compile_targets(scenario: Scenario, baseline: Trajectories) -> list[CompiledTarget]:
    """Fix each target's rows and years.

    Parameters
    ----------
    scenario : Scenario
        The plan.
    baseline : Trajectories
        A deterministic evaluation, used to find the first year with a value
        when a target does not state ``from_year``.
    """
    y0 = int(baseline.years[0])
    out = []
    for t in scenario.targets:
        ind = scenario.indicator(t.indicator)
        row = baseline.index(t.indicator)
        ref_row = baseline.index(t.reference) if t.reference else -1
        unit = KIND_UNIT.get(t.kind, ind.unit)
        attr = t.attribute or ind.attribute
        if t.kind == "qualitative":
            first = t.from_year if t.from_year is not None else scenario.meta.base_year
            out.append(
                CompiledTarget(
                    t,
                    row,
                    t.year - y0,
                    first - y0,
                    t.year - first,
                    0.0,
                    attr,
                    unit,
                    ref_row,
                    "qualitative",
                )
            )
            continue
        # a rule, or stated values that reach the target year (a base alone does not: 仅列示)
        computable = all(
            x.rule is not None or max(x.known, default=-1) >= t.year
            for x in [ind] + ([scenario.indicator(t.reference)] if t.reference else [])
        )
        mode = "numeric" if computable else "stated"
        if t.kind == "cumulative":
            first = t.from_year if t.from_year is not None else scenario.meta.period[0]
            n = t.year - first + 1
        else:
            if t.from_year is not None:
                first = t.from_year
            else:
                known = np.isfinite(baseline.values[0, row, :])
                if ref_row >= 0:
                    known &= np.isfinite(baseline.values[0, ref_row, :])
                cands = [y for y in range(scenario.meta.base_year, t.year) if known[y - y0]]
                first = cands[0] if cands else scenario.meta.base_year
            n = t.year - first
        out.append(
            CompiledTarget(
                t,
                row,
                t.year - y0,
                first - y0,
                n,
                default_tolerance(t, unit),
                attr,
                unit,
                ref_row,
                mode,
            )
        )
    return out


@dataclass(frozen=True)
class TargetResults:
    """Arrays shaped (runs, targets); NaN where a quantity does not apply.

    Attributes
    ----------
    implied : value the scenario's rules give, in the target's terms
        (level [unit], growth [%/year], cumulative [unit], increment [unit],
        pp_change [百分点]).
    met : bool, whether the target is met within tolerance.
    gap : implied − target (signed).
    start_value : level at ``from_year`` [unit of the indicator].
    end_value : level in the target year [unit of the indicator].
    implied_rate : CAGR from ``from_year`` to the target year [%/year].
    required_rate : CAGR a level target needs [%/year] (= target for growth targets).
    required_increment : constant yearly change the target needs [unit/year].
    required_per_year : average yearly amount a cumulative target needs [unit/year].
    """

    targets: tuple
    implied: np.ndarray
    met: np.ndarray
    gap: np.ndarray
    start_value: np.ndarray
    end_value: np.ndarray
    implied_rate: np.ndarray
    required_rate: np.ndarray
    required_increment: np.ndarray
    required_per_year: np.ndarray

    def column(self, target_id: str) -> int:
        """Position of a target along axis 1."""
        ids = [c.target.id for c in self.targets]
        return ids.index(target_id)


def margin_of(implied, op: str, value: float, tol: float):
    """Signed distance to failing for an operator: >= 0 exactly when met (NaN: not met).

    ``>=``/``<=`` accept the bound (within ``tol``), the strict ``>``/``<`` need to pass it
    by more than ``tol``; ``=`` and ``~`` (左右) accept ``|implied − value| <= tol``.
    """
    if op == ">=":
        return implied - (value - tol)
    if op == "<=":
        return (value + tol) - implied
    if op == ">":
        return implied - (value + tol)
    if op == "<":
        return (value - tol) - implied
    return tol - np.abs(implied - value)


def _met(implied, op, value, tol):
    with np.errstate(invalid="ignore"):
        return margin_of(implied, op, value, tol) >= 0


def margin(implied, ct: CompiledTarget):
    """Signed distance to failing: >= 0 when met (used by root-finding and Monte Carlo)."""
    t = ct.target
    if ct.mode != "numeric":
        return np.full(np.shape(implied), np.nan)
    return margin_of(implied, t.op, t.value, ct.tolerance)


def implied_at(values: np.ndarray, ct: CompiledTarget, t: int) -> np.ndarray:
    """Return what the trajectories imply for one target if read in year position ``t``.

    Parameters
    ----------
    values : numpy.ndarray, shape (runs, indicators, years)
    ct : CompiledTarget
    t : int
        Year position (``ct.year`` for the target's own year).

    Returns
    -------
    numpy.ndarray, shape (runs,)
        In the target's terms: level [unit], growth [%/year], cumulative [unit],
        increment [unit], pp_change [百分点], reduction [% below the start],
        relative_growth [百分点 of growth above the reference's]; NaN for a
        qualitative or stated-only target.
    """
    series = values[:, ct.row, :]
    kind = ct.target.kind
    if ct.mode != "numeric":
        return np.full(series.shape[0], np.nan)
    end = series[:, t]
    if kind == "level":
        return end
    if kind == "cumulative":
        return series[:, ct.start : t + 1].sum(axis=1)
    start = series[:, ct.start]
    n = t - ct.start
    if n <= 0:
        return np.full(series.shape[0], np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "growth":
            return growth.cagr(start, end, n) * 100.0
        if kind == "reduction":
            return (1.0 - end / start) * 100.0
        if kind == "relative_growth":
            ref = values[:, ct.ref_row, :]
            return (
                growth.cagr(start, end, n) - growth.cagr(ref[:, ct.start], ref[:, t], n)
            ) * 100.0
    return end - start  # increment, pp_change


def implied_value(values: np.ndarray, ct: CompiledTarget) -> np.ndarray:
    """Return what the trajectories imply for one target, shape (runs,).

    Parameters
    ----------
    values : numpy.ndarray, shape (runs, indicators, years)
    ct : CompiledTarget
    """
    return implied_at(values, ct, ct.year)


def evaluate_targets(
    scenario: Scenario, traj: Trajectories, compiled: list[CompiledTarget] | None = None
) -> TargetResults:
    """Evaluate every target for every run.

    Parameters
    ----------
    scenario : Scenario
    traj : Trajectories
        From :meth:`planlib.Model.evaluate`.
    compiled : list of CompiledTarget, optional
        Reuse a compilation (fast path for Monte Carlo and solving).

    Returns
    -------
    TargetResults
    """
    if compiled is None:
        compiled = compile_targets(scenario, traj)
    runs, T = traj.values.shape[0], len(compiled)
    fields = {
        k: np.full((runs, T), np.nan)
        for k in (
            "implied",
            "gap",
            "start_value",
            "end_value",
            "implied_rate",
            "required_rate",
            "required_increment",
            "required_per_year",
        )
    }
    met = np.zeros((runs, T), dtype=bool)
    for j, ct in enumerate(compiled):
        t = ct.target
        series = traj.values[:, ct.row, :]
        end = series[:, ct.year]
        fields["end_value"][:, j] = end
        if ct.mode != "numeric":
            continue  # qualitative / stated-only: nothing implied, never "met" by arithmetic
        imp = implied_value(traj.values, ct)
        fields["implied"][:, j] = imp
        fields["gap"][:, j] = imp - t.value
        met[:, j] = _met(imp, t.op, t.value, ct.tolerance)
        if t.kind == "cumulative":
            fields["start_value"][:, j] = series[:, ct.start]
            fields["required_per_year"][:, j] = t.value / ct.years
            continue
        start = series[:, ct.start]
        fields["start_value"][:, j] = start
        fields["implied_rate"][:, j] = growth.cagr(start, end, ct.years) * 100.0
        if t.kind == "level":
            fields["required_rate"][:, j] = growth.required_rate(start, t.value, ct.years) * 100.0
            fields["required_increment"][:, j] = growth.required_increment(start, t.value, ct.years)
        elif t.kind == "growth":
            fields["required_rate"][:, j] = t.value
        elif t.kind == "reduction":
            fields["required_rate"][:, j] = (
                (1.0 - t.value / 100.0) ** (1.0 / ct.years) - 1.0
            ) * 100.0
        elif t.kind == "relative_growth":
            ref = traj.values[:, ct.ref_row, :]
            with np.errstate(invalid="ignore", divide="ignore"):
                fields["required_rate"][:, j] = (
                    growth.cagr(ref[:, ct.start], ref[:, ct.year], ct.years) * 100.0 + t.value
                )
        else:  # increment, pp_change
            fields["required_increment"][:, j] = t.value / ct.years
    return TargetResults(tuple(compiled), met=met, **fields)

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
from .model import Trajectories
from .scenario import Scenario, Target

__all__ = ["CompiledTarget", "TargetResults", "compile_targets", "evaluate_targets", "default_tolerance",
           "level_pace"]

#: unit of the quantity a target of each kind states
KIND_UNIT = {"growth": "%", "pp_change": "百分点"}


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


def default_tolerance(target: Target) -> float:
    """Tolerance for a stated figure when the file gives none.

    ``=`` targets are met within half a unit of the stated value's last digit
    (stated "50" accepts 49.5–50.5, "9.33" accepts 9.325–9.335); ``>=``/``<=``
    only forgive floating-point noise.
    """
    if target.tolerance is not None:
        return float(target.tolerance)
    if target.op == "=":
        text = repr(float(target.value)).rstrip("0").rstrip(".")
        decimals = len(text.split(".")[1]) if "." in text else 0
        return 0.5 * 10.0 ** (-decimals)
    return 1e-9 * max(1.0, abs(target.value))


@dataclass(frozen=True)
class CompiledTarget:
    """Where and how a target reads trajectories."""

    target: Target
    row: int          # indicator position
    year: int         # target year position
    start: int        # position of from_year (level/growth/increment/pp) or first summed year
    years: int        # years of change (or years summed, for cumulative)
    tolerance: float
    attribute: str
    unit: str         # unit of the stated value


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
        if t.kind == "cumulative":
            first = t.from_year if t.from_year is not None else scenario.meta.period[0]
            n = t.year - first + 1
        else:
            if t.from_year is not None:
                first = t.from_year
            else:
                known = np.isfinite(baseline.values[0, row, :])
                cands = [y for y in range(scenario.meta.base_year, t.year)
                         if known[y - y0]]
                first = cands[0] if cands else scenario.meta.base_year
            n = t.year - first
        unit = KIND_UNIT.get(t.kind, ind.unit)
        out.append(CompiledTarget(t, row, t.year - y0, first - y0, n, default_tolerance(t),
                                  t.attribute or ind.attribute, unit))
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


def _met(implied, op, value, tol):
    if op == ">=":
        return implied >= value - tol
    if op == "<=":
        return implied <= value + tol
    return np.abs(implied - value) <= tol


def margin(implied, ct: CompiledTarget):
    """Signed distance to failing: >= 0 when met (used by root-finding)."""
    t = ct.target
    if t.op == ">=":
        return implied - (t.value - ct.tolerance)
    if t.op == "<=":
        return (t.value + ct.tolerance) - implied
    return ct.tolerance - np.abs(implied - t.value)


def implied_value(values: np.ndarray, ct: CompiledTarget) -> np.ndarray:
    """What the trajectories imply for one target, shape (runs,).

    Parameters
    ----------
    values : numpy.ndarray, shape (runs, indicators, years)
    ct : CompiledTarget
    """
    series = values[:, ct.row, :]
    end = series[:, ct.year]
    kind = ct.target.kind
    if kind == "level":
        return end
    if kind == "cumulative":
        return series[:, ct.start:ct.year + 1].sum(axis=1)
    start = series[:, ct.start]
    if kind == "growth":
        return growth.cagr(start, end, ct.years) * 100.0
    return end - start  # increment, pp_change


def evaluate_targets(scenario: Scenario, traj: Trajectories,
                     compiled: list[CompiledTarget] | None = None) -> TargetResults:
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
    fields = {k: np.full((runs, T), np.nan) for k in
              ("implied", "gap", "start_value", "end_value", "implied_rate", "required_rate",
               "required_increment", "required_per_year")}
    met = np.zeros((runs, T), dtype=bool)
    for j, ct in enumerate(compiled):
        t = ct.target
        series = traj.values[:, ct.row, :]
        imp = implied_value(traj.values, ct)
        fields["implied"][:, j] = imp
        fields["gap"][:, j] = imp - t.value
        met[:, j] = _met(imp, t.op, t.value, ct.tolerance)
        end = series[:, ct.year]
        fields["end_value"][:, j] = end
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
        else:  # increment, pp_change
            fields["required_increment"][:, j] = t.value / ct.years
    return TargetResults(tuple(compiled), met=met, **fields)

"""Solve for what a target requires: the parameter value that just meets it.

The model is evaluated on a grid over the parameter's bounds in one vectorised
call; a sign change of the target's margin brackets the answer, which bisection
then refines. When no value within the bounds meets the target the answer says
so, with the best value reachable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .formatting import fmt_number
from .model import Model
from .scenario import Scenario
from .targets import compile_targets, implied_value, margin

__all__ = ["SolveResult", "solve"]


@dataclass(frozen=True)
class SolveResult:
    """Answer of :func:`solve`.

    Attributes
    ----------
    status : {"solved", "met_throughout", "unreachable"}
    value : float or None
        Parameter value that just meets the target [parameter unit] (solved).
    best_param : float
        Parameter value giving the value closest to the target [parameter unit].
    best_implied : float
        What the target reads at ``best_param`` [target unit].
    baseline : float
        The scenario's own value of the parameter [parameter unit].
    bounds : tuple of float
        Range searched [parameter unit].
    message : str
        One line for the planner.
    """

    target: str
    parameter: str
    unit: str
    status: str
    value: float | None
    best_param: float
    best_implied: float
    baseline: float
    bounds: tuple
    message: str

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        d = asdict(self)
        d["bounds"] = list(self.bounds)
        return d


def solve(
    scenario: Scenario,
    target: str,
    param: str,
    params: dict | None = None,
    model: Model | None = None,
    lang: str = "zh",
    grid: int = 201,
    xtol: float = 1e-10,
) -> SolveResult:
    """Find the value of ``param`` at which ``target`` is just met.

    Parameters
    ----------
    scenario : Scenario
    target : str
        Target id.
    param : str
        Parameter name; searched within its ``bounds``.
    params : dict, optional
        Values of the other parameters (defaults otherwise).
    model : Model, optional
        Compiled model to reuse.
    lang : {"zh", "en"}
    grid : int
        Grid points used to bracket the answer.
    xtol : float
        Bisection stops when the bracket is narrower than this [parameter unit].

    Returns
    -------
    SolveResult
    """
    model = model or Model(scenario)
    p = scenario.parameter(param)
    tgt = scenario.target(target)
    others = dict(params or {})
    others.pop(param, None)
    base_val = float((params or {}).get(param, p.default))
    baseline = model.evaluate(others)
    ct = next(c for c in compile_targets(scenario, baseline) if c.target.id == target)
    lo, hi = p.bounds

    def margins(x):
        traj = model.evaluate({**others, param: np.asarray(x, dtype=float)})
        imp = implied_value(traj.values, ct)
        return margin(imp, ct), imp

    xs = np.linspace(lo, hi, grid)
    m, imp = margins(xs)
    m = np.where(np.isnan(m), -np.inf, m)
    zh = lang == "zh"
    label = p.label_zh if zh else (p.label_en or p.name)
    shown = tgt.wording or f"{tgt.indicator} {tgt.year}"
    best = int(np.argmax(m))
    if np.all(m >= 0):
        msg = (
            f"在 {label} 的范围 [{fmt_number(lo)}, {fmt_number(hi)}]{p.unit} 内，"
            f"目标“{shown}”均能达到"
            if zh
            else f"target '{shown}' is met for every {label} in [{fmt_number(lo)}, "
            f"{fmt_number(hi)}] {p.unit}"
        )
        return SolveResult(
            target,
            param,
            p.unit,
            "met_throughout",
            None,
            float(xs[best]),
            float(imp[best]),
            base_val,
            (lo, hi),
            msg,
        )
    if np.all(m < 0):
        msg = (
            f"目标“{shown}”在 {label} 范围 [{fmt_number(lo)}, {fmt_number(hi)}]{p.unit} "
            f"内无法达到；最好可达 {fmt_number(imp[best])}（{label} = "
            f"{fmt_number(xs[best])}{p.unit}）"
            if zh
            else f"unreachable within bounds [{fmt_number(lo)}, {fmt_number(hi)}] {p.unit} of "
            f"{label}; best reachable {fmt_number(imp[best])} (at {fmt_number(xs[best])} {p.unit})"
        )
        return SolveResult(
            target,
            param,
            p.unit,
            "unreachable",
            None,
            float(xs[best]),
            float(imp[best]),
            base_val,
            (lo, hi),
            msg,
        )
    # brackets where the target switches between missed and met; take the one nearest the baseline
    ok = m >= 0
    switches = np.nonzero(ok[1:] != ok[:-1])[0]
    i = switches[np.argmin(np.abs(xs[switches] - base_val))]
    a, b = xs[i], xs[i + 1]
    a_ok = ok[i]
    while b - a > xtol:
        mid = 0.5 * (a + b)
        mid_ok = bool(margins(mid)[0][0] >= 0)
        if mid_ok == a_ok:
            a = mid
        else:
            b = mid
    value = float(a if a_ok else b)  # the side that meets the target
    imp_v = float(margins(value)[1][0])
    direction = ("至少" if not a_ok else "至多") if zh else ("at least" if not a_ok else "at most")
    msg = (
        f"要达到“{shown}”，{label}需{direction} {fmt_number(value)}{p.unit}（当前 "
        f"{fmt_number(base_val)}{p.unit}）"
        if zh
        else f"to meet '{shown}', {label} must be {direction} {fmt_number(value)} {p.unit} "
        f"(now {fmt_number(base_val)} {p.unit})"
    )
    return SolveResult(
        target, param, p.unit, "solved", value, value, imp_v, base_val, (lo, hi), msg
    )

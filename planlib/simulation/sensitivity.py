"""Which assumption matters most? One-at-a-time tornado and variance-based Sobol indices.

Both read one quantity — what the scenario implies for a target (its level,
rate or sum in the target's terms) — and feed the compiled model many
parameter rows in one vectorised call. Sobol indices come from SALib
(Saltelli sampling, Sobol analysis); nothing of the method is rewritten here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import Model
from ..scenario import Scenario, rule_references
from ..targets import compile_targets, implied_value

__all__ = ["target_reader", "upstream_parameters", "tornado", "sobol"]


def target_reader(scenario: Scenario, target: str, model: Model | None = None):
    """Build a function ``params → implied value of target`` per run, and the compiled target.

    Parameters
    ----------
    scenario : Scenario
    target : str
        Target id.
    model : Model, optional

    Returns
    -------
    (callable, CompiledTarget)
    """
    model = model or Model(scenario)
    compiled = compile_targets(scenario, model.evaluate())
    ids = [ct.target.id for ct in compiled]
    if target not in ids:
        raise KeyError(f"no target {target!r}; have {', '.join(ids)}")
    ct = compiled[ids.index(target)]
    row_id = model.indicators[ct.row]
    local = ct.__class__(**{**ct.__dict__, "row": 0})

    def read(params: dict, runs: int) -> np.ndarray:
        vals = model.evaluate(params, runs=runs, indicators=[row_id]).values
        return implied_value(vals, local)

    return read, ct


def upstream_parameters(scenario: Scenario, indicator: str) -> list[str]:
    """Parameters an indicator reads, directly or through the indicators it links to."""
    names = {p.name for p in scenario.parameters}
    seen, todo, found = set(), [indicator], set()
    while todo:
        ind = todo.pop()
        if ind in seen:
            continue
        seen.add(ind)
        li, refs = rule_references(scenario.indicator(ind).rule)
        for r in li + refs:
            if r in names:
                found.add(r)
            elif r != ind:
                todo.append(r)
    return [p.name for p in scenario.parameters if p.name in found]


def _param_names(scenario: Scenario, params: Sequence[str] | None, target: str) -> list[str]:
    names = [p.name for p in scenario.parameters]
    if params is None:
        found = upstream_parameters(scenario, scenario.target(target).indicator)
        if not found:
            raise ValueError(f"target {target!r} reads no parameter: nothing to vary")
        return found
    bad = [p for p in params if p not in names]
    if bad:
        raise KeyError(f"no parameter {bad[0]!r}; have {', '.join(names)}")
    return list(params)


def tornado(
    scenario: Scenario, target: str, params: Sequence[str] | None = None, model: Model | None = None
):
    """One-at-a-time sensitivity: each parameter at its low and high bound, others at defaults.

    Parameters
    ----------
    scenario : Scenario
    target : str
        Target id; the quantity is what the scenario implies for it [target unit].
    params : sequence of str, optional
        Parameters to vary (default: those the target's indicator reads).

    Returns
    -------
    pandas.DataFrame
        One row per parameter, largest swing first: parameter, label, unit, low, high
        [parameter unit], value_low, value_high, baseline, swing [target unit].
    """
    import pandas as pd

    read, ct = target_reader(scenario, target, model)
    names = _param_names(scenario, params, target)
    k = len(names)
    defaults = scenario.defaults
    # rows: 0 baseline; 1..k low bound of each parameter; k+1..2k high bound
    rows = {name: np.full(2 * k + 1, float(defaults[name])) for name in defaults}
    for i, name in enumerate(names):
        lo, hi = scenario.parameter(name).bounds
        rows[name][1 + i] = lo
        rows[name][1 + k + i] = hi
    y = read(rows, 2 * k + 1)
    base = float(y[0])
    df = pd.DataFrame(
        {
            "parameter": names,
            "label": [scenario.parameter(n).label_zh for n in names],
            "unit": [scenario.parameter(n).unit for n in names],
            "low": [float(scenario.parameter(n).bounds[0]) for n in names],
            "high": [float(scenario.parameter(n).bounds[1]) for n in names],
            "value_low": y[1 : k + 1],
            "value_high": y[k + 1 :],
        }
    )
    df["baseline"] = base
    df["swing"] = (df["value_high"] - df["value_low"]).abs()
    df.attrs.update(
        target=target, unit=ct.unit, wording=ct.target.wording or "", value=ct.target.value
    )
    return df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def sobol(
    scenario: Scenario,
    target: str,
    n: int = 1024,
    params: Sequence[str] | None = None,
    seed: int | None = 0,
    model: Model | None = None,
):
    """Variance-based Sobol indices of a target's implied value (SALib).

    Each parameter varies uniformly over its ``bounds``; the others keep their
    defaults. ``n`` base samples give ``n·(k+2)`` model runs in one vectorised call.

    Parameters
    ----------
    scenario : Scenario
    target : str
        Target id.
    n : int
        Saltelli base sample size (a power of two).
    params : sequence of str, optional
        Parameters to vary over their bounds (default: those the target's indicator reads).
    seed : int or None
        Seed of the sampler and of the bootstrap confidence intervals.

    Returns
    -------
    pandas.DataFrame
        parameter, label, S1, S1_conf, ST, ST_conf [-], sorted by ST.
    """
    import pandas as pd
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if n < 2 or n & (n - 1):
        raise ValueError(f"n must be a power of two ≥ 2 (Saltelli/Sobol sequence), got {n}")
    read, ct = target_reader(scenario, target, model)
    names = _param_names(scenario, params, target)
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(map(float, scenario.parameter(p).bounds)) for p in names],
    }
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    runs = X.shape[0]
    cols = {p: X[:, i] for i, p in enumerate(names)}
    y = read(cols, runs)
    if not np.isfinite(y).all():
        raise ValueError(
            f"target {target!r} is undefined for some parameter values within bounds "
            f"({int((~np.isfinite(y)).sum())} of {runs} runs); narrow the bounds"
        )
    Si = sobol_analyze.analyze(
        problem, y, calc_second_order=False, seed=seed, print_to_console=False
    )
    df = pd.DataFrame(
        {
            "parameter": names,
            "label": [scenario.parameter(p).label_zh for p in names],
            "S1": Si["S1"],
            "S1_conf": Si["S1_conf"],
            "ST": Si["ST"],
            "ST_conf": Si["ST_conf"],
        }
    )
    df.attrs.update(target=target, runs=runs, unit=ct.unit)
    return df.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)

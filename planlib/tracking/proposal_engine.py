"""P(meet) of every option from the Monte Carlo engine (达标概率).

P(meet) of each option comes from the Monte Carlo engine
(:func:`planlib.simulation.engine.simulate`), not from a second one: :func:`proposal_scenario`
builds a scenario in which every indicator starts at its latest actual and moves each
year by ``drift + shock`` — on the log scale for levels, on the natural scale for
shares, rates and counts — with two drawn parameters:

* ``drift`` ~ Normal(trend slope, se): the trend itself is uncertain; ``se`` is the
  yearly volatility divided by the square root of the number of yearly changes
  observed (the standard error of a mean of yearly changes);
* ``shock`` ~ Normal(0, sd), drawn anew each year: ``sd`` is the sample standard
  deviation of the actuals' year-to-year changes (log changes for levels) [ddof 1].

So the value ``h`` years after the latest actual is normal (log-normal for levels)
around the trend with variance ``h·sd² + h²·se²`` — a random walk with uncertain drift.
Every option becomes a target of that scenario (a level target on the indicator, or on
its running sum for cumulative targets); one :func:`~planlib.simulation.engine.simulate` call
gives every P(meet) on common random numbers.

The probes of the 稳妥 value (``_probes``) and the P(meet) curve of one target against
its stated value (:func:`probability_curve`, :func:`curve_for`) run the same scenario.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ..scenario import Scenario
from ..units import get_unit
from .proposal_options import ProposalError, _band, _level_op, level_of, value_of
from .proposal_results import Proposal
from .review_progress import anticipated_progress

__all__ = [
    "PROBE_STEPS",
    "ProbabilityCurve",
    "curve_for",
    "probability_curve",
    "proposal_scenario",
    "value_range",
]


@dataclass
class _Spec:
    """One indicator of the proposal scenario: its fit and the level targets on it."""

    id: str
    name: str
    unit: str
    log: bool
    anchor: int
    latest: float
    slope: float
    sd: float
    se: float
    nonneg: bool = False
    cum_from: int | None = None
    targets: list = field(default_factory=list)  # (id, year, op, level, on_cum)


def _walk_id(s: _Spec) -> str:
    """Engine indicator holding the random walk: the log-level ×100, or the value itself."""
    if s.log:
        return f"{s.id}__log"
    return f"{s.id}__walk" if (s.nonneg or s.cum_from is not None) else s.id


def _engine_level(s: _Spec, on_cum: bool, level: float) -> tuple[str, float]:
    """(engine indicator, value) testing the end level (or the running sum) against ``level``."""
    if on_cum:
        return f"{s.id}__cum", float(level)
    if s.log:  # the log is monotone: a bound on the level is a bound on the log-level
        return f"{s.id}__log", (100.0 * math.log(level) if level > 0 else -1e300)
    return s.id, float(level)


def _param(name, label, unit, mean, sd, per_year):
    width = 12.0 * sd + 1.0
    return {
        "name": name,
        "label_zh": label,
        "unit": unit,
        "default": float(mean),
        "bounds": [float(mean - width), float(mean + width)],
        "distribution": {
            "kind": "normal",
            "mean": float(mean),
            "sd": float(sd),
            "per_year": per_year,
        },
    }


def proposal_scenario(specs, *, id: str, region: str, level: str, end: int) -> Scenario:
    """Build the scenario the engine runs: each indicator a random walk with uncertain drift.

    Parameters
    ----------
    specs : sequence of _Spec
        Per indicator: latest actual (anchor year, value), log or linear, slope, sd,
        se, and the level targets (one per option, or two for a band).
    id, region, level : str
        Meta of the scenario.
    end : int
        Last model year [year].

    Returns
    -------
    Scenario
    """
    params, inds, targets = [], [], []
    for s in specs:
        d, e = f"{s.id}__drift", f"{s.id}__shock"
        pu = "%" if s.log else s.unit
        params.append(_param(d, f"{s.name}趋势", pu, s.slope, s.se, False))
        params.append(_param(e, f"{s.name}年度波动", pu, 0.0, s.sd, True))
        anchor = int(s.anchor)
        # the yearly step (0 in the anchor year) and its running sum: the log-level (×100) of a
        # level, the value itself of a share, rate or count (cut at zero if it may get there)
        inds.append(
            {
                "id": f"{s.id}__step",
                "name_zh": f"{s.name}年度变化",
                "unit": pu,
                "base": {"year": anchor, "value": 0.0},
                "rule": {"kind": "formula", "expr": f"{d} + {e}"},
            }
        )
        walk = _walk_id(s)
        inds.append(
            {
                "id": walk,
                "name_zh": f"{s.name}（对数×100）" if s.log else s.name,
                "unit": "%" if s.log else s.unit,
                "rule": {
                    "kind": "cumulative",
                    "of": f"{s.id}__step",
                    "start": anchor,
                    "initial": 100.0 * math.log(s.latest) if s.log else float(s.latest),
                },
            }
        )
        if walk != s.id and (s.cum_from is not None or not s.log):
            expr = (
                f"{math.e!r} ** ({walk} / 100)"
                if s.log
                else (f"max({walk}, 0)" if s.nonneg else f"{walk} + 0")
            )
            inds.append(
                {
                    "id": s.id,
                    "name_zh": s.name,
                    "unit": s.unit,
                    "base": {"year": anchor, "value": float(s.latest)},
                    "rule": {"kind": "formula", "expr": expr},
                }
            )
        if s.cum_from is not None:
            inds.append(
                {
                    "id": f"{s.id}__cum",
                    "name_zh": f"{s.name}累计",
                    "unit": s.unit,
                    "rule": {"kind": "cumulative", "of": s.id, "start": int(s.cum_from)},
                }
            )
        for tid, year, op, lv, on_cum in s.targets:
            on, value = _engine_level(s, on_cum, lv)
            targets.append(
                {
                    "id": tid,
                    "indicator": on,
                    "year": int(year),
                    "kind": "level",
                    "op": op,
                    "value": value,
                    "tolerance": 0.0,
                }
            )
    base_year = min(int(s.anchor) for s in specs)
    data = {
        "meta": {
            "id": id,
            "name": f"{id} 目标测算",
            "region": region,
            "level": level,
            "base_year": base_year,
            "period": [base_year + 1, max(end, base_year + 1)],
        },
        "parameters": params,
        "indicators": inds,
        "targets": targets,
    }
    return Scenario.model_validate(data)  # built here, not read: the schema suffices


@dataclass
class _Plan:
    t: object
    ind: object
    spec: _Spec
    base: float
    h: int
    start: int
    sense: int
    kunit: str
    opts: list
    attr: str
    probes: list = field(default_factory=list)
    prudent: tuple | None = None

    @property
    def op(self) -> str:
        """Operator the options are judged by: ``=`` (达到) is read as a floor or ceiling."""
        if self.t.op == "=":
            return ">=" if self.sense > 0 else "<="
        return self.t.op


def _level_targets(pl: _Plan, n: str, v: float) -> list:
    """Engine targets (on the level, or the running sum) equivalent to option ``n`` = ``v``."""
    t, on_cum = pl.t, pl.t.kind == "cumulative"
    if pl.op == "~":
        w = _band(t, pl.kunit)
        a, b = level_of(t.kind, v - w, pl.base, pl.h), level_of(t.kind, v + w, pl.base, pl.h)
        return [
            (f"{t.id}__{n}__lo", t.year, ">=", float(min(a, b)), on_cum),
            (f"{t.id}__{n}__hi", t.year, "<=", float(max(a, b)), on_cum),
        ]
    return [
        (
            f"{t.id}__{n}",
            t.year,
            _level_op(t.kind, pl.op),
            float(level_of(t.kind, v, pl.base, pl.h)),
            on_cum,
        )
    ]


def _anticipated(pl: _Plan, trend_level: float, level: float) -> float:
    """UN ESCAP anticipated progress of an option (its level or sum; the trend's) [%]."""
    if pl.t.kind == "cumulative":
        return float(anticipated_progress(0.0, trend_level, level, method="sum"))
    return float(anticipated_progress(pl.base, trend_level, level))


def _p(pm: dict, pl: _Plan, n: str) -> float:
    if pl.op == "~":
        return max(0.0, pm[f"{pl.t.id}__{n}__lo"] + pm[f"{pl.t.id}__{n}__hi"] - 1.0)
    return pm[f"{pl.t.id}__{n}"]


#: probabilities above the threshold at which 稳妥 candidates are placed [-]
PROBE_STEPS = (0.0, 0.01, 0.02, 0.04, 0.08)


def _probes(pl: _Plan, thr: float) -> list:
    """Candidate 稳妥 values: the normal approximation's quantiles just above ``thr``.

    Only where the candidates sit comes from the approximation: their P(meet) is the
    engine's. Log series: the end level is log-normal with log-variance ``k·sd² + k²·se²``
    (k years after the latest actual); linear series: normal with that variance; a
    cumulative sum: normal, with the covariance of the yearly levels (delta method).
    """
    from scipy.special import ndtri

    s, t = pl.spec, pl.t
    sd, se = s.sd / (100.0 if s.log else 1.0), s.se / (100.0 if s.log else 1.0)
    drift = s.slope / (100.0 if s.log else 1.0)
    level_op = _level_op(t.kind, pl.op)
    years = (
        np.arange(pl.start, t.year + 1) if t.kind == "cumulative" else np.array([t.year])
    ) - s.anchor
    years = years[years > 0]
    if not len(years):
        return []
    centre = (
        np.where(s.log, np.log(s.latest) + drift * years, s.latest + drift * years)
        if s.log
        else (s.latest + drift * years)
    )
    cov = np.outer(years, years) * se**2 + np.minimum.outer(years, years) * sd**2
    out = []
    for step in PROBE_STEPS:
        prob = min(thr + step, 0.999)
        z = float(ndtri(prob)) * (-1.0 if level_op == ">=" else 1.0)
        if t.kind == "cumulative":
            lv = np.exp(centre) if s.log else centre
            grad = lv if s.log else np.ones_like(lv)
            q = float(lv.sum() + z * math.sqrt(float(grad @ cov @ grad)))
        else:
            c = float(centre[-1])
            q = (
                math.exp(c + z * math.sqrt(float(cov[-1, -1])))
                if s.log
                else c + z * math.sqrt(float(cov[-1, -1]))
            )
        v = float(value_of(t.kind, q, pl.base, pl.h))
        if math.isfinite(v):
            out.append(_round_down(v, pl))
    return sorted(set(out), key=lambda x: -pl.sense * x)


def _round_down(v: float, pl: _Plan) -> float:
    """Round toward less ambition: counts whole, else 2 decimals (P(meet) can only rise)."""
    unit = pl.ind.unit
    if pl.t.kind in ("level", "cumulative", "increment") and get_unit(unit).dimension.startswith(
        "count:"
    ):
        return float(math.floor(v + 1e-9) if pl.sense > 0 else math.ceil(v - 1e-9))
    return math.floor(v * 100 + 1e-9) / 100 if pl.sense > 0 else math.ceil(v * 100 - 1e-9) / 100


def probability_curve(proposal: Proposal, target: str, values, runs: int = 20_000, seed=None):
    """P(meet) of one target for each candidate value, from the engine.

    Parameters
    ----------
    proposal : Proposal
    target : str
        Target id of the draft.
    values : array_like
        Candidate stated values [target's unit].
    runs : int
        Monte Carlo runs.
    seed : int, optional
        Root seed (default the proposal's).

    Returns
    -------
    numpy.ndarray
        P(meet) of each value [-].
    """
    r = proposal.row(target)
    if not r.options:
        raise ProposalError(f"target {target!r} has no options: {r.reason}")
    pl = proposal.plans[target]
    vals = np.asarray(values, dtype=float)
    specs = [replace(sp, targets=[]) for sp in proposal.specs]
    own = next(sp for sp in specs if sp.id == pl.spec.id)
    for n, v in enumerate(vals):
        own.targets.extend(_level_targets(pl, f"c{n}", float(v)))
    eng = proposal_scenario(
        specs,
        id=proposal.engine.meta.id,
        region=proposal.engine.meta.region,
        level=proposal.engine.meta.level,
        end=proposal.period[1],
    )
    from ..simulation.engine import simulate

    sim = simulate(
        eng, runs=runs, seed=proposal.seed if seed is None else seed, percentiles=(50.0,)
    )
    pm = {tg["id"]: float(p) for tg, p in zip(sim.targets, sim.p_meet, strict=True)}
    return np.array([_p(pm, pl, f"c{n}") for n in range(len(vals))])


@dataclass(frozen=True)
class ProbabilityCurve:
    """P(meet) of one target against its stated value (from :func:`probability_curve`).

    Attributes
    ----------
    target : str
    values : numpy.ndarray
        Candidate stated values, increasing [target's unit].
    p_meet : numpy.ndarray
        P(meet) of each [-].
    """

    target: str
    values: np.ndarray
    p_meet: np.ndarray

    def at(self, value: float) -> float:
        """P(meet) at ``value``, linear between the computed points (ends held) [-]."""
        return float(np.interp(value, self.values, self.p_meet))


def curve_for(
    proposal: Proposal, target: str, points: int = 41, runs: int = 20_000, seed=None
) -> ProbabilityCurve:
    """P(meet) over a range of stated values covering every option of ``target``.

    The range runs from the least to the most ambitious option, widened by half its
    span (at least 10 % of the largest magnitude) on each side.

    Parameters
    ----------
    proposal : Proposal
    target : str
        Target id of the draft.
    points : int
        Number of values.
    runs : int
        Monte Carlo runs (one engine call for all values).
    seed : int, optional
        Root seed (default the proposal's).

    Returns
    -------
    ProbabilityCurve
    """
    lo, hi = value_range(proposal, target)
    vals = np.linspace(lo, hi, points)
    return ProbabilityCurve(
        target, vals, probability_curve(proposal, target, vals, runs=runs, seed=seed)
    )


def value_range(proposal: Proposal, target: str) -> tuple[float, float]:
    """(low, high) stated values a slider for ``target`` should cover [target's unit]."""
    r = proposal.row(target)
    if not r.options:
        raise ProposalError(f"target {target!r} has no options: {r.reason}")
    v = np.array([o.value for o in r.options], dtype=float)
    span = float(v.max() - v.min())
    pad = max(0.5 * span, 0.1 * float(np.abs(v).max()), 1e-6)
    lo, hi = float(v.min() - pad), float(v.max() + pad)
    if r.kind in ("level", "cumulative") and v.min() >= 0:
        lo = max(lo, 0.0)
    return lo, hi

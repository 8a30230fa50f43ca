"""十五五 target setting (目标测算): three options per target, each with its P(meet).

For every target of a draft plan, :func:`propose` offers

``trend``
    where the indicator's own actuals lead (UN ESCAP *anticipated progress*): a
    log-linear trend for levels of positive quantities (产值, 税收, 投资), a linear
    trend for shares, rates and counts (%, 百分点, 户, 个), both fitted by least
    squares to the actuals and continued from the latest actual;
``guidance``
    the superior plan's figure translated to the county: the same average growth,
    the same cumulative reduction, the same 百分点 (pro rata when the periods differ),
    or the same level;
``stretch``
    what a 2035 goal needs by the target year (the path from the base to the goal,
    compound or linear as above), or a stated ambition: ``ambition`` values, else the
    figure the draft already states (for a rolled-forward 十四五 plan: the old plan's
    pace from the new base).

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

A short series never gives false precision. With fewer than :data:`MIN_POINTS` actuals
(fewer than two yearly changes) the volatility is not estimated: a stated wide prior is
used instead — ``sd = se =`` :data:`PRIOR_LOG_SD` (5 % a year) for levels,
:data:`PRIOR_ADD_SHARE` × the latest value (5 % of it a year) for shares, rates and
counts. A fitted volatility is never taken below a floor (:data:`FLOOR_LOG_SD`, 1 % a
year; :data:`FLOOR_ADD_SHARE` × the latest value): a perfectly straight series does not
make the future certain.

A ``~`` (左右) target is met within its band (``band``, else 0.5 for rates and 百分点, 2 % of
the value for levels); an ``=`` target (达到) is read as a floor (a ceiling for a lower-is-better
indicator), since a proposal asks how likely the figure is to be reached.

The recommended option is the most ambitious one whose P(meet) reaches the threshold of
the target's attribute (:data:`DEFAULT_THRESHOLDS`: 0.7 预期性, 0.9 约束性). A 约束性
target is handed down: the recommendation is never weaker than the guidance, even when
the guidance's P(meet) is below the threshold (the note says so).

The numeric core (:func:`fit_trends`, :func:`level_of`, :func:`value_of`,
:func:`recommend`) is pure and vectorised over numpy arrays.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..errors import PlanlibError
from ..formatting import fmt_number, json_float
from ..model import Model
from ..scenario import Scenario, dump_yaml, parse_scenario, write_atomic
from ..units import factor, get_unit
from .actuals import Actuals

__all__ = [
    "DEFAULT_THRESHOLDS",
    "FLOOR_ADD_SHARE",
    "FLOOR_LOG_SD",
    "MIN_POINTS",
    "OPTIONS",
    "OPTION_ZH",
    "PRIOR_ADD_SHARE",
    "PRIOR_LOG_SD",
    "Option",
    "ProbabilityCurve",
    "Proposal",
    "ProposalError",
    "TargetProposal",
    "TrendFits",
    "curve_for",
    "fit_trends",
    "intensive",
    "level_of",
    "match_indicator",
    "probability_curve",
    "propose",
    "proposal_scenario",
    "recommend",
    "value_of",
    "value_range",
    "write_draft",
]

#: P(meet) an option needs to be recommended, by attribute [-]
DEFAULT_THRESHOLDS = {"预期性": 0.7, "约束性": 0.9}
OPTIONS = ("trend", "guidance", "stretch")
OPTION_ZH = {"trend": "趋势", "guidance": "上级指引", "stretch": "冲刺", "prudent": "稳妥"}
#: fewest actuals for a fitted volatility (two yearly changes)
MIN_POINTS = 3
#: wide prior of a short series: yearly volatility of a level's growth [% a year]
PRIOR_LOG_SD = 5.0
#: wide prior of a short series: yearly volatility of a share, rate or count
#: [share of the latest value]
PRIOR_ADD_SHARE = 0.05
#: floor of a fitted volatility: levels [% a year]
FLOOR_LOG_SD = 1.0
#: floor of a fitted volatility: shares, rates, counts [share of the latest value]
FLOOR_ADD_SHARE = 0.01
#: target kinds with options; others (relative_growth, qualitative) get a note only
SUPPORTED_KINDS = ("level", "growth", "pp_change", "increment", "cumulative", "reduction")
#: suffix of the engine series of a comparable-price index (growth targets with real growth actuals)
REAL = "__real"
#: percentiles of the fan chart [%]
FAN = (5.0, 25.0, 50.0, 75.0, 95.0)


class ProposalError(PlanlibError, ValueError):
    """A proposal that cannot be made (bad period, threshold, mapping or ambition)."""


# ---- pure, vectorised core --------------------------------------------------------------------
@dataclass(frozen=True)
class TrendFits:
    """Trend and volatility of several series (arrays shaped ``(series,)``).

    Attributes
    ----------
    log : numpy.ndarray of bool
        Log-linear (levels) or linear (shares, rates, counts).
    points : numpy.ndarray of int
        Actuals used.
    last_year : numpy.ndarray of float
        Year of the latest actual (NaN without any) [year].
    latest : numpy.ndarray
        Latest actual [unit].
    slope : numpy.ndarray
        Least-squares trend: [% a year, log points × 100] for log series, [unit/year] otherwise.
    sd : numpy.ndarray
        Yearly volatility around the trend (same unit as ``slope``).
    se : numpy.ndarray
        Uncertainty of the trend itself (same unit as ``slope``).
    prior : numpy.ndarray of bool
        True where the wide prior replaced the fit (fewer than :data:`MIN_POINTS` actuals).
    """

    log: np.ndarray
    points: np.ndarray
    last_year: np.ndarray
    latest: np.ndarray
    slope: np.ndarray
    sd: np.ndarray
    se: np.ndarray
    prior: np.ndarray

    @property
    def rate(self) -> np.ndarray:
        """Trend as a compound annual rate for log series, slope otherwise [%/year or unit/year]."""
        return np.where(self.log, np.expm1(self.slope / 100.0) * 100.0, self.slope)


def fit_trends(values, years, log) -> TrendFits:
    """Least-squares trend and year-to-year volatility of each row of ``values``.

    Parameters
    ----------
    values : array_like, shape (series, years)
        Actuals, NaN where there is none [unit of each series].
    years : array_like, shape (years,)
        Consecutive years [year].
    log : bool or array_like of bool, shape (series,)
        Fit ``100·ln(value)`` (levels) instead of ``value`` (shares, rates, counts).

    Returns
    -------
    TrendFits
    """
    X = np.atleast_2d(np.asarray(values, dtype=float))
    k = X.shape[0]
    t = np.asarray(years, dtype=float)
    log = np.broadcast_to(np.asarray(log, dtype=bool), (k,)).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        Z = np.where(log[:, None], 100.0 * np.log(np.where(X > 0, X, np.nan)), X)
    m = np.isfinite(Z)
    n = m.sum(axis=1)
    nn = np.maximum(n, 1)
    tm = np.where(m, t, 0.0).sum(axis=1) / nn
    zm = np.where(m, Z, 0.0).sum(axis=1) / nn
    dt = np.where(m, t - tm[:, None], 0.0)
    sxx = (dt**2).sum(axis=1)
    sxy = (dt * np.where(m, Z - zm[:, None], 0.0)).sum(axis=1)
    slope = np.where(sxx > 0, sxy / np.where(sxx > 0, sxx, 1.0), 0.0)
    # latest actual of each row
    last = X.shape[1] - 1 - np.argmax(m[:, ::-1], axis=1)
    has = n > 0
    latest = np.where(has, X[np.arange(k), last], np.nan)
    last_year = np.where(has, t[last], np.nan)
    # year-to-year changes (consecutive years only)
    D = Z[:, 1:] - Z[:, :-1]
    dm = np.isfinite(D)
    nd = dm.sum(axis=1)
    dmean = np.where(dm, D, 0.0).sum(axis=1) / np.maximum(nd, 1)
    ss = np.where(dm, (D - dmean[:, None]) ** 2, 0.0).sum(axis=1)
    sd_fit = np.sqrt(ss / np.maximum(nd - 1, 1))
    ref = np.where(np.isfinite(latest) & (latest != 0), np.abs(latest), 1.0)
    prior_sd = np.where(log, PRIOR_LOG_SD, PRIOR_ADD_SHARE * ref)
    floor = np.where(log, FLOOR_LOG_SD, FLOOR_ADD_SHARE * ref)
    prior = nd < MIN_POINTS - 1
    sd = np.where(prior, prior_sd, np.maximum(sd_fit, floor))
    se = np.where(prior, prior_sd, sd / np.sqrt(np.maximum(nd, 1)))
    return TrendFits(
        log=log,
        points=n,
        last_year=last_year,
        latest=latest,
        slope=np.where(n >= 2, slope, 0.0),
        sd=sd,
        se=se,
        prior=prior,
    )


def level_of(kind: str, value, base, years):
    """Return the end level (or running sum, for ``cumulative``) a target value states.

    Parameters
    ----------
    kind : str
        Target kind: level, growth [%/year], pp_change [百分点], increment [unit],
        reduction [%], cumulative [unit].
    value : float or array_like
        Stated value, in the kind's unit.
    base : float or array_like
        Level at the start year [unit].
    years : float
        Years from the start year to the target year [year].

    Returns
    -------
    numpy.ndarray or float
        Level in the target year [unit] (the sum, for cumulative).
    """
    v = np.asarray(value, dtype=float)
    b = np.asarray(base, dtype=float)
    if kind in ("level", "cumulative"):
        out = v
    elif kind == "growth":
        out = b * (1.0 + v / 100.0) ** years
    elif kind in ("pp_change", "increment"):
        out = b + v
    elif kind == "reduction":
        out = b * (1.0 - v / 100.0)
    else:
        raise ValueError(f"kind {kind!r} has no level; use one of {', '.join(SUPPORTED_KINDS)}")
    return out[()] if np.ndim(out) == 0 else out


def value_of(kind: str, level, base, years):
    """Inverse of :func:`level_of`: the stated value an end level means [kind's unit]."""
    L = np.asarray(level, dtype=float)
    b = np.asarray(base, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind in ("level", "cumulative"):
            out = L
        elif kind == "growth":
            out = (np.power(L / b, 1.0 / years) - 1.0) * 100.0
        elif kind in ("pp_change", "increment"):
            out = L - b
        elif kind == "reduction":
            out = (1.0 - L / b) * 100.0
        else:
            raise ValueError(f"kind {kind!r} has no level; use one of {', '.join(SUPPORTED_KINDS)}")
    return out[()] if np.ndim(out) == 0 else out


def recommend(values, p_meet, sense: int, threshold: float, floor=None):
    """Index of the most ambitious option whose P(meet) reaches ``threshold``.

    Parameters
    ----------
    values : array_like
        Option values (NaN: option not available) [kind's unit].
    p_meet : array_like
        P(meet) of each option [-].
    sense : {1, -1}
        1 when a higher value is more ambitious, -1 when a lower one is.
    threshold : float
        Required P(meet) [-].
    floor : float, optional
        A value the recommendation may not fall short of (a 约束性 guidance).

    Returns
    -------
    (int or None, bool)
        Chosen index and whether it reaches the threshold.
    """
    v = np.asarray(values, dtype=float)
    p = np.asarray(p_meet, dtype=float)
    ok = np.isfinite(v) & np.isfinite(p)
    if floor is not None and np.isfinite(floor):
        ok &= sense * v >= sense * floor - 1e-9 * max(1.0, abs(floor))
    if not ok.any():
        return None, False
    amb = np.where(ok, sense * v, -np.inf)
    meets = ok & (p >= threshold)
    if meets.any():
        return int(np.argmax(np.where(meets, amb, -np.inf))), True
    # none reaches it: the likeliest (the least ambitious when P falls with ambition)
    best = np.where(ok, p, -np.inf)
    top = np.flatnonzero(best == best.max())
    return int(top[np.argmin(amb[top])]), False


# ---- indicator mapping ------------------------------------------------------------------------
_SYNONYMS = (
    ("国内生产总值", "地区生产总值"),
    ("GDP", "地区生产总值"),
    ("全社会", ""),
    ("研究与试验发展", "研发"),
    ("（", "("),
    ("）", ")"),
    (" ", ""),
)


def _norm(name: str) -> str:
    out = name or ""
    for a, b in _SYNONYMS:
        out = out.replace(a, b)
    return out.split("(")[0]


def match_indicator(
    county: Scenario, superior: Scenario, mapping: Mapping | None = None
) -> dict[str, str]:
    """County indicator id → superior indicator id, matched by name.

    An explicit ``mapping`` wins; then the same id; then the same Chinese name; then
    the same name once 国内/地区生产总值, GDP and 全社会 are treated alike and units in
    brackets dropped.

    Parameters
    ----------
    county, superior : Scenario
    mapping : mapping of str to str, optional
        County id → superior id.
    """
    mapping = dict(mapping or {})
    sup_ids = {i.id for i in superior.indicators}
    own_ids = {i.id for i in county.indicators}
    for a, b in mapping.items():
        if a not in own_ids:
            raise ProposalError(f"superior map: {a!r} is not an indicator of {county.meta.id}")
        if b not in sup_ids:
            raise ProposalError(
                f"superior map: {b!r} is not an indicator of {superior.meta.id}; "
                f"have {', '.join(sorted(sup_ids))}"
            )
    by_name = {i.name_zh: i.id for i in superior.indicators}
    by_norm = {_norm(i.name_zh): i.id for i in superior.indicators}
    out = {}
    for ind in county.indicators:
        if ind.id in mapping:
            out[ind.id] = mapping[ind.id]
        elif ind.id in sup_ids:
            out[ind.id] = ind.id
        elif ind.name_zh in by_name:
            out[ind.id] = by_name[ind.name_zh]
        elif _norm(ind.name_zh) in by_norm:
            out[ind.id] = by_norm[_norm(ind.name_zh)]
    return out


# ---- small helpers ----------------------------------------------------------------------------
def _additive(unit: str) -> bool:
    dim = get_unit(unit).dimension
    return dim in ("percent", "percentage_point") or dim.startswith("count:")


def intensive(unit: str) -> bool:
    """Tell whether a county and its province share the unit's scale (%, 岁, 年, ratios)."""
    dim = get_unit(unit).dimension
    return (
        dim in ("percent", "percentage_point", "age", "duration", "ratio")
        or "_per_" in dim
        or "intensity" in dim
    )


def _sense(kind: str, op: str, direction: str = "higher") -> int:
    """1 when a higher stated value is more ambitious, -1 when a lower one is."""
    if op in (">=", ">"):
        return 1
    if op in ("<=", "<"):
        return -1
    if kind == "reduction":
        return 1
    return (
        -1 if direction == "lower" and kind in ("level", "growth", "pp_change", "increment") else 1
    )


def _level_op(kind: str, op: str) -> str:
    """Operator on the end level equivalent to ``op`` on the stated value."""
    flip = kind == "reduction"
    if op in (">=", ">"):
        return "<=" if flip else ">="
    if op in ("<=", "<"):
        return ">=" if flip else "<="
    return "="


def _band(t, kind_unit: str) -> float:
    """Half-width of an ``=``/``~`` target in the stated value's unit."""
    band = getattr(t, "band", None)
    if band is not None:
        return float(band)
    if t.op == "~":
        if kind_unit in ("%", "百分点") or t.kind in ("growth", "pp_change", "reduction"):
            return 0.5
        return 0.02 * abs(float(t.value))
    from ..targets import default_tolerance

    return default_tolerance(t)


def _round(value: float, unit: str, kind: str, sense: int) -> float:
    """Round as a planner writes: counts whole (toward less ambition), else 2 decimals."""
    if not math.isfinite(value):
        return value
    if kind in ("level", "cumulative", "increment") and get_unit(unit).dimension.startswith(
        "count:"
    ):
        return float(math.floor(value + 1e-9) if sense > 0 else math.ceil(value - 1e-9))
    return round(float(value), 2)


def _attribute(t, ind) -> str:
    return t.attribute or ind.attribute


def _direction(ind) -> str:
    return getattr(ind, "direction", None) or "higher"


def _kind_unit(kind: str, unit: str) -> str:
    return {"growth": "%", "pp_change": "百分点", "reduction": "%"}.get(kind, unit)


# ---- results ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    """One candidate value of a target.

    Attributes
    ----------
    name : {"trend", "guidance", "stretch"}
    value : float
        Stated value [target's unit].
    level : float
        Equivalent level of the indicator in the target year (sum for cumulative) [unit].
    p_meet : float
        P(meet) under the fitted uncertainty [-].
    basis : str
        Where the value comes from (Chinese).
    anticipated : float
        UN ESCAP anticipated progress: the share of the change this option asks for (from
        the base) that the trend delivers; for a cumulative target the trend's sum over the
        option's [%]. NaN when the option asks for no change.
    """

    name: str
    value: float
    level: float
    p_meet: float
    basis: str
    anticipated: float = float("nan")


@dataclass(frozen=True)
class TargetProposal:
    """Options and recommendation for one target of the draft."""

    target: str
    indicator: str
    name: str
    unit: str
    kind: str
    op: str
    year: int
    attribute: str
    threshold: float
    options: tuple
    recommended: str | None
    value: float | None
    meets_threshold: bool
    reason: str
    fit: dict = field(default_factory=dict)

    def option(self, name: str) -> Option | None:
        """Return the option called ``name`` (None when not available)."""
        return next((o for o in self.options if o.name == name), None)

    def note(self) -> dict:
        """Return the ``proposal`` note written on the draft's target."""
        return {
            "recommended": self.recommended,
            "threshold": self.threshold,
            "options": [
                {
                    "option": o.name,
                    "value": _r(o.value),
                    "p_meet": round(float(o.p_meet), 4),
                    "anticipated_progress": _r1(o.anticipated),
                    "basis": o.basis,
                }
                for o in self.options
            ],
            "reason": self.reason,
            "uncertainty": self.fit.get("text"),
        }


def _pct(x) -> str:
    return "—" if x is None or not math.isfinite(float(x)) else f"{fmt_number(x, 0)}%"


def _r1(x):
    return None if x is None or not math.isfinite(float(x)) else round(float(x), 1)


def _r(x):
    return None if x is None or not math.isfinite(float(x)) else round(float(x), 4)


@dataclass(frozen=True)
class Proposal:
    """Result of :func:`propose`.

    Attributes
    ----------
    draft : dict
        The draft scenario (file form) with recommended values and ``proposal`` notes.
    rows : tuple of TargetProposal
        One per target of the draft.
    simulation : SimulationResult
        The engine's run of :attr:`engine`.
    engine : Scenario
        The proposal scenario (trend + drawn drift and shocks, one target per option).
    history : dict
        Indicator id → {year: actual} used for the fits.
    """

    draft: dict
    rows: tuple
    simulation: object
    engine: Scenario
    history: dict
    runs: int
    seed: int
    thresholds: dict
    base_year: int
    period: tuple
    superior: str | None = None
    specs: tuple = ()
    plans: dict = field(default_factory=dict)

    def row(self, target: str) -> TargetProposal:
        """Return the proposal for one target id."""
        for r in self.rows:
            if r.target == target:
                return r
        raise KeyError(f"no target {target!r}; have {', '.join(r.target for r in self.rows)}")

    def draft_scenario(self) -> Scenario:
        """Return the draft, validated (:func:`planlib.scenario.parse_scenario`)."""
        return parse_scenario(dump_yaml(self.draft), file=f"{self.draft['meta']['id']}.yaml")

    def to_frame(self, lang: str = "zh"):
        """One row per target and option: value, P(meet), recommended."""
        import pandas as pd

        zh = lang == "zh"
        recs = []
        for r in self.rows:
            for o in r.options or (None,):
                recs.append(
                    {
                        ("目标" if zh else "target"): r.target,
                        ("指标" if zh else "indicator"): r.name,
                        ("属性" if zh else "attribute"): r.attribute,
                        ("方案" if zh else "option"): (OPTION_ZH[o.name] if zh else o.name)
                        if o
                        else "—",
                        ("目标值" if zh else "value"): None if o is None else o.value,
                        ("单位" if zh else "unit"): r.unit,
                        ("达标概率" if zh else "p_meet"): None if o is None else o.p_meet,
                        ("预期进展" if zh else "anticipated_progress"): None
                        if o is None
                        else _r1(o.anticipated),
                        ("推荐" if zh else "recommended"): bool(
                            o is not None and o.name == r.recommended
                        ),
                        ("依据" if zh else "basis"): "" if o is None else o.basis,
                    }
                )
        return pd.DataFrame(recs)

    def to_text(self, lang: str = "zh") -> str:
        """Aligned text: per target its options, P(meet) and the recommendation."""
        zh = lang == "zh"
        lines = [
            (
                f"{self.draft['meta']['name']}：目标测算（{self.period[0]}–{self.period[1]}年，"
                f"蒙特卡洛 {self.runs:,} 次，种子 {self.seed}）"
            )
            if zh
            else (
                f"{self.draft['meta']['id']}: target setting {self.period[0]}–{self.period[1]}, "
                f"{self.runs:,} runs, seed {self.seed}"
            )
        ]
        for r in self.rows:
            lines.append(
                f"  {r.target}  {r.name}（{r.attribute}，阈值{fmt_number(100 * r.threshold, 0)}%）"
                if zh
                else f"  {r.target}  {r.name} ({r.attribute}, threshold {r.threshold:g})"
            )
            for o in r.options:
                mark = "*" if o.name == r.recommended else " "
                lines.append(
                    f"   {mark} {(OPTION_ZH[o.name] if zh else o.name):<8} "
                    f"{fmt_number(o.value, 2):>12} {_kind_unit(r.kind, r.unit):<6} "
                    f"P={fmt_number(100 * o.p_meet, 1):>5}%  "
                    f"{('预期进展' if zh else 'anticipated ') + _pct(o.anticipated):<10} "
                    f"{o.basis}"
                )
            lines.append(f"     {r.reason}")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        """JSON-ready summary."""
        return {
            "scenario": self.draft["meta"]["id"],
            "period": list(self.period),
            "runs": self.runs,
            "seed": self.seed,
            "thresholds": self.thresholds,
            "superior": self.superior,
            "targets": [
                {
                    "target": r.target,
                    "indicator": r.indicator,
                    "attribute": r.attribute,
                    "kind": r.kind,
                    "op": r.op,
                    "year": r.year,
                    "unit": r.unit,
                    "value": json_float(r.value),
                    "meets_threshold": r.meets_threshold,
                    **r.note(),
                }
                for r in self.rows
            ],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def fan_for(self, target: str) -> dict:
        """Return the fan of what a target reads: the level, or the running sum (cumulative).

        Returns
        -------
        dict
            As :meth:`fan`, plus ``options`` {name: level in the target year} and ``year``.
        """
        r = self.row(target)
        if not r.options:
            raise ProposalError(f"target {target!r} has no options: {r.reason}")
        if r.kind == "cumulative":
            sim = self.simulation
            i = sim.indicators.index(f"{r.indicator}__cum")
            out = {
                "history": {},
                "years": sim.years.copy(),
                "unit": r.unit,
                "name": f"{r.name}（累计）",
                "quantiles": {p: sim.quantiles[j, i].copy() for j, p in enumerate(sim.percentiles)},
            }
        else:
            out = self.fan(r.fit.get("series", r.indicator))
        out["options"] = {o.name: o.level for o in r.options}
        out["year"] = r.year
        return out

    def fan(self, indicator: str) -> dict:
        """Actuals and the fan (5–95 percentiles) of one indicator, for charts.

        Returns
        -------
        dict
            ``history`` {year: value}, ``years`` (array), ``quantiles`` {percentile: array} [unit].
        """
        sim = self.simulation
        if f"{indicator}__log" in sim.indicators:  # quantiles of the log are the logs of quantiles
            i = sim.indicators.index(f"{indicator}__log")
            q = {p: np.exp(sim.quantiles[j, i] / 100.0) for j, p in enumerate(sim.percentiles)}
        else:
            i = sim.indicators.index(indicator)
            q = {p: sim.quantiles[j, i].copy() for j, p in enumerate(sim.percentiles)}
        ind = self.draft_scenario().indicator(indicator.removesuffix(REAL))
        real = indicator.endswith(REAL)
        return {
            "history": dict(self.history.get(indicator, {})),
            "years": sim.years.copy(),
            "quantiles": q,
            "unit": "可比价指数" if real else ind.unit,
            "name": ind.name_zh + ("（可比价指数）" if real else ""),
        }


# ---- the proposal scenario --------------------------------------------------------------------
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


# ---- the draft ----------------------------------------------------------------------------------
def _as_file(scenario: Scenario) -> dict:
    """Return a scenario in file form (components already expanded, so not repeated)."""
    out = {
        "meta": scenario.meta.model_dump(exclude_none=True),
        **(
            {"units": [u.model_dump(exclude_none=True) for u in scenario.units]}
            if scenario.units
            else {}
        ),
        "parameters": [p.model_dump(exclude_none=True) for p in scenario.parameters],
        "indicators": [i.model_dump(exclude_none=True) for i in scenario.indicators],
        "targets": [t.model_dump(exclude_none=True) for t in scenario.targets],
        "checks": [c.model_dump(exclude_none=True) for c in scenario.checks],
    }
    if scenario.correlations:
        out["correlations"] = [c.model_dump() for c in scenario.correlations]
    from .rollforward import _plain

    return _plain(out)


def _skeleton(scenario: Scenario, actuals: Actuals, period) -> dict:
    """Return the draft before proposals: the scenario, or its roll-forward to ``period``."""
    last = int(actuals.table["year"].max()) if len(actuals.table) else scenario.meta.base_year
    own = tuple(scenario.meta.period)
    if period is None:
        period = own if own[0] > last else None
    if period is not None and tuple(int(x) for x in period) == own:
        return _as_file(scenario)
    from .rollforward import roll_forward

    return roll_forward(scenario, actuals, period=period)


def _real_index(actuals: Actuals, ind_id: str, upto: int) -> dict[int, float]:
    """Chain the comparable-price index (100 the year before the first reported growth) [-].

    Empty unless the actuals give ``real_growth`` for consecutive years up to ``upto``.
    """
    getter = getattr(actuals, "real_growth", None)
    got = getter(ind_id) if getter else {}
    g = {y: v for y, v in got.items() if y <= upto and math.isfinite(v)}
    if not g or max(g) != upto or sorted(g) != list(range(min(g), upto + 1)):
        return {}
    idx, level = {min(g) - 1: 100.0}, 100.0
    for y in sorted(g):
        level *= 1.0 + g[y] / 100.0
        idx[y] = level
    return idx


def _series(
    ind_id: str, actuals: Actuals, original: Scenario | None, upto: int
) -> dict[int, float]:
    """Actuals of an indicator up to ``upto``, completed by the original file's known values."""
    out = {}
    if original is not None:
        try:
            out.update(original.indicator(ind_id).known)
        except KeyError:
            pass
    try:
        out.update(actuals.series(ind_id))
    except KeyError:
        pass
    return {y: v for y, v in sorted(out.items()) if y <= upto and math.isfinite(v)}


def _uncertainty_text(fit, j, unit, log) -> str:
    n = int(fit.points[j])
    if fit.prior[j]:
        what = (
            f"{fmt_number(PRIOR_LOG_SD, 0)}%/年"
            if log
            else f"最新值的{fmt_number(100 * PRIOR_ADD_SHARE, 0)}%/年"
            f"（{fmt_number(fit.sd[j], 3)}{unit}）"
        )
        return f"实绩仅{n}个点，不足以估计波动，采用宽先验：年度波动与趋势不确定性均为{what}"
    u = "%/年（对数）" if log else f"{unit}/年"
    return (
        f"由{n}个实绩点拟合：年度波动（逐年变化标准差）{fmt_number(fit.sd[j], 3)}{u}，"
        f"趋势不确定性{fmt_number(fit.se[j], 3)}{u}"
    )


def propose(
    scenario: Scenario,
    actuals: Actuals,
    superior: Scenario | None = None,
    period: tuple[int, int] | None = None,
    runs: int = 100_000,
    seed=None,
    thresholds: Mapping | None = None,
    ambition: Mapping | None = None,
    mapping: Mapping | None = None,
    threads: int | None = None,
) -> Proposal:
    """Propose a value for every target of the next plan, with P(meet) of each option.

    Parameters
    ----------
    scenario : Scenario
        The plan: a draft for ``period`` (its targets are proposed anew), or the plan
        of the period before (rolled forward first by
        :func:`planlib.tracking.rollforward.roll_forward`).
    actuals : Actuals
        Actuals of ``scenario`` (:func:`planlib.tracking.actuals.read_actuals`).
    superior : Scenario, optional
        The superior plan (national or provincial) for the guidance option.
    period : (int, int), optional
        Plan period (default: the scenario's own when it starts after the last
        actual, else the next period of the same length).
    runs : int
        Monte Carlo runs (every option is read on the same runs).
    seed : int, optional
        Root seed; the same seed gives the same result bit for bit.
    thresholds : mapping, optional
        Attribute → required P(meet), over :data:`DEFAULT_THRESHOLDS` [-].
    ambition : mapping, optional
        Target id (of the draft) → a stated ambition [target's unit], used as stretch.
    mapping : mapping, optional
        County indicator id → superior indicator id (else matched by name).
    threads : int, optional
        Engine threads (does not change the result).

    Returns
    -------
    Proposal
    """
    from ..simulation.engine import simulate

    th = dict(DEFAULT_THRESHOLDS)
    for k, v in (thresholds or {}).items():
        if k not in DEFAULT_THRESHOLDS:
            raise ProposalError(f"thresholds: {k!r} is not an attribute; use 预期性 or 约束性")
        if not (isinstance(v, (int, float)) and 0 < float(v) <= 1):
            raise ProposalError(f"thresholds.{k}: {v!r} must be a probability in (0, 1]")
        th[k] = float(v)
    draft = _skeleton(scenario, actuals, period)
    draft_sc = Scenario.model_validate(draft)  # fully validated when written (write_draft)
    base_year = draft_sc.meta.base_year
    p0, p1 = draft_sc.meta.period
    ambition = dict(ambition or {})
    unknown = set(ambition) - {t.id for t in draft_sc.targets}
    if unknown:
        raise ProposalError(
            f"ambition: {', '.join(sorted(unknown))} not targets of {draft_sc.meta.id}; "
            f"have {', '.join(t.id for t in draft_sc.targets)}"
        )
    plan = Model(draft_sc).evaluate()
    y0 = int(plan.years[0])

    def plan_at(ind_id, year):
        try:
            return float(plan.values[0, plan.index(ind_id), year - y0])
        except (KeyError, IndexError):
            return float("nan")

    mapped = match_indicator(draft_sc, superior, mapping) if superior is not None else {}

    # targets that get options, and the indicators they need
    active, notes = [], {}
    for t in draft_sc.targets:
        if t.kind not in SUPPORTED_KINDS:
            notes[t.id] = "定性或相对增速指标，不作概率测算；保留原表述"
        elif t.year > p1:
            notes[t.id] = f"{t.year}年远景目标，用于测算同口径目标{p1}年的冲刺方案，本身不作推荐"
        elif t.year <= base_year:
            notes[t.id] = f"目标年份{t.year}不在规划期{p0}–{p1}内，不作测算"
        else:
            active.append(t)
    # growth targets of an indicator whose actuals give comparable-price growth (可比价增速) read
    # the chained comparable-price index, not the current-price levels
    real = {}
    for t in active:
        if t.kind == "growth" and t.indicator not in real:
            idx = _real_index(actuals, t.indicator, base_year)
            if idx:
                real[t.indicator] = idx

    def keyof(t):
        return (
            f"{t.indicator}{REAL}" if (t.kind == "growth" and t.indicator in real) else t.indicator
        )

    ind_ids = list(dict.fromkeys(keyof(t) for t in active))
    series, stated = {}, {}
    for i in ind_ids:
        if i.endswith(REAL):
            series[i] = dict(real[i[: -len(REAL)]])
            continue
        series[i] = _series(i, actuals, scenario, base_year)
        if base_year not in series[i] and math.isfinite(plan_at(i, base_year)):
            series[i][base_year] = plan_at(i, base_year)  # the draft's base-year figure (预计)
            stated[i] = base_year
    for t in active:
        if not series[keyof(t)]:
            notes[t.id] = f"{t.indicator} 无实绩也无基期值，无法测算"
    ind_ids = [i for i in ind_ids if series[i]]
    active = [t for t in active if keyof(t) in ind_ids]
    if not active:
        raise ProposalError(
            f"{draft_sc.meta.id}: no target can be proposed (no actuals, no base values)"
        )
    years = np.arange(min(y for i in ind_ids for y in series[i]), base_year + 1)
    X = np.full((len(ind_ids), len(years)), np.nan)
    for r, i in enumerate(ind_ids):
        for y, v in series[i].items():
            X[r, y - years[0]] = v
    units = ["倍" if i.endswith(REAL) else draft_sc.indicator(i).unit for i in ind_ids]
    logs = np.array(
        [
            not _additive(u) and bool(np.all(X[r][np.isfinite(X[r])] > 0))
            for r, u in enumerate(units)
        ]
    )
    fit = fit_trends(X, years, logs)
    specs = {}
    for r, i in enumerate(ind_ids):
        ind = draft_sc.indicator(i.removesuffix(REAL))
        k_end = p1 - fit.last_year[r]
        spread = math.sqrt(k_end * fit.sd[r] ** 2 + (k_end * fit.se[r]) ** 2)
        reach = fit.latest[r] + fit.slope[r] * k_end - 4 * spread
        nonneg = bool(not logs[r] and np.all(X[r][np.isfinite(X[r])] >= 0) and reach < 0)
        specs[i] = _Spec(
            i,
            ind.name_zh + ("（可比价指数）" if i.endswith(REAL) else ""),
            units[r],
            bool(logs[r]),
            int(fit.last_year[r]),
            float(fit.latest[r]),
            float(fit.slope[r]),
            float(fit.sd[r]),
            float(fit.se[r]),
            nonneg=nonneg,
        )
    row_of = {i: r for r, i in enumerate(ind_ids)}

    def trend_path(i, year):
        s = specs[i]
        k = year - s.anchor
        if s.log:
            return s.latest * math.exp(s.slope / 100.0 * k)
        v = s.latest + s.slope * k
        return max(v, 0.0) if s.nonneg else v

    # options of each target, as (name, value, basis)
    plans = []
    for t in active:
        ind = draft_sc.indicator(t.indicator)
        key = keyof(t)
        s = specs[key]
        start = (
            t.from_year
            if t.from_year is not None
            else (p0 if t.kind == "cumulative" else base_year)
        )
        h = t.year - start
        if t.kind == "cumulative":
            if s.cum_from is not None and s.cum_from != start:
                notes[t.id] = "同一指标的累计目标起始年份不同，不作测算"
                continue
            s.cum_from = start
            base = float("nan")
            anchor = (series[key].get(start - 1, float("nan")), start - 1)
        else:
            base = series[key].get(start, float("nan"))
            if not math.isfinite(base):
                notes[t.id] = f"缺少{start}年基数，无法测算"
                continue
            anchor = (base, start)

        def path_value(fn, t=t, start=start, base=base, h=h):
            """Stated value implied by a path fn(year) → level."""
            if t.kind == "cumulative":
                return float(sum(fn(y) for y in range(start, t.year + 1)))
            return float(value_of(t.kind, fn(t.year), base, h))

        opts = [
            (
                "trend",
                path_value(lambda y, i=key: trend_path(i, y)),
                _trend_basis(fit, row_of[key], s, stated.get(key)),
            )
        ]
        g = _guidance(t, ind, superior, mapped, anchor, h, path_value)
        if g is not None:
            opts.append(g)
        st = _stretch(t, ind, draft_sc, ambition, base, start, path_value, real=key != t.indicator)
        if st is not None:
            opts.append(st)
        sense = _sense(t.kind, t.op, _direction(ind))
        kunit = _kind_unit(t.kind, ind.unit)
        opts = [(n, _round(v, ind.unit, t.kind, sense), b) for n, v, b in opts if math.isfinite(v)]
        plans.append(_Plan(t, ind, s, base, h, start, sense, kunit, opts, _attribute(t, ind)))

    # the engine: one level target (two for a band) per option, and a few probes around the
    # value met with the threshold probability (稳妥), all on the same runs
    for pl in plans:
        for n, v, _ in pl.opts:
            pl.spec.targets.extend(_level_targets(pl, n, v))
        if pl.op != "~":
            pl.probes = _probes(pl, th[pl.attr])
            for m, v in enumerate(pl.probes):
                pl.spec.targets.extend(_level_targets(pl, f"probe{m}", v))
    used = [specs[i] for i in ind_ids if specs[i].targets]
    eng = proposal_scenario(
        used,
        id=f"{draft_sc.meta.id}-proposal",
        region=draft_sc.meta.region,
        level=draft_sc.meta.level,
        end=p1,
    )
    sim = simulate(eng, runs=runs, seed=seed, percentiles=FAN, threads=threads)
    pm = {tg["id"]: float(p) for tg, p in zip(sim.targets, sim.p_meet, strict=True)}

    # choose; where no option reaches the threshold, the most ambitious probe that does (稳妥)
    chosen = {}
    for pl in plans:
        options = [
            Option(n, v, float(level_of(pl.t.kind, v, pl.base, pl.h)), _p(pm, pl, n), b)
            for n, v, b in pl.opts
        ]
        options = [
            replace(o, anticipated=_anticipated(pl, options[0].level, o.level)) for o in options
        ]
        thr = th[pl.attr]
        gv = next((o.value for o in options if o.name == "guidance"), None)
        floor = gv if pl.attr == "约束性" else None
        k, meets = recommend(
            [o.value for o in options], [o.p_meet for o in options], pl.sense, thr, floor
        )
        if pl.probes:  # the 稳妥 value, shown always, recommended only when no option qualifies
            pp = [_p(pm, pl, f"probe{m}") for m in range(len(pl.probes))]
            j, ok = recommend(pl.probes, pp, pl.sense, thr)
            if j is not None and ok:
                pl.prudent = (pl.probes[j], pp[j])
        chosen[pl.t.id] = (options, k, meets, thr, floor)

    rows, by_id = [], {}
    for pl in plans:
        t, ind, s = pl.t, pl.ind, pl.spec
        options, k, meets, thr, floor = chosen[t.id]
        pick = options[k] if k is not None else None
        fallback = None
        if pl.prudent is not None:
            v, pv = pl.prudent
            lv = float(level_of(t.kind, v, pl.base, pl.h))
            fallback = Option(
                "prudent",
                v,
                lv,
                pv,
                f"参考：达标概率不低于{fmt_number(100 * thr, 0)}%的最积极取值（模拟检验"
                f"{len(pl.probes)}个候选值选出）",
                _anticipated(pl, options[0].level, lv),
            )
            if not meets and not (floor is not None and k is not None):
                pick, meets = fallback, fallback.p_meet >= thr
        reason = _reason(pick, meets, thr, pl.attr, floor is not None, pl.kunit)
        j = row_of[s.id]
        fitd = {
            "series": s.id,
            "method": "log-linear" if s.log else "linear",
            "points": int(fit.points[j]),
            "latest_year": s.anchor,
            "latest": s.latest,
            "trend": float(fit.rate[j]),
            "sd": s.sd,
            "se": s.se,
            "prior": bool(fit.prior[j]),
            "base": pl.base,
            "start": pl.start,
            "years": pl.h,
            "text": _uncertainty_text(fit, j, ind.unit, s.log),
        }
        tp = TargetProposal(
            t.id,
            t.indicator,
            ind.name_zh,
            ind.unit,
            t.kind,
            t.op,
            t.year,
            pl.attr,
            thr,
            tuple(options) + ((fallback,) if fallback else ()),
            pick.name if pick else None,
            pick.value if pick else None,
            meets,
            reason,
            fitd,
        )
        rows.append(tp)
        by_id[t.id] = tp
    for t in draft_sc.targets:
        if t.id not in by_id:
            ind = draft_sc.indicator(t.indicator)
            attr = _attribute(t, ind)
            rows.append(
                TargetProposal(
                    t.id,
                    t.indicator,
                    ind.name_zh,
                    ind.unit,
                    t.kind,
                    t.op,
                    t.year,
                    attr,
                    th[attr],
                    (),
                    None,
                    None,
                    False,
                    notes.get(t.id, "不作测算"),
                    {},
                )
            )
    order = {t.id: n for n, t in enumerate(draft_sc.targets)}
    rows.sort(key=lambda r: order[r.target])
    _write_notes(draft, rows, superior, runs, sim.seed)
    return Proposal(
        draft=draft,
        rows=tuple(rows),
        simulation=sim,
        engine=eng,
        history={i: {y: v for y, v in series[i].items() if stated.get(i) != y} for i in ind_ids},
        runs=runs,
        seed=sim.seed,
        thresholds=th,
        base_year=base_year,
        period=(p0, p1),
        superior=superior.meta.id if superior is not None else None,
        specs=tuple(replace(sp, targets=[]) for sp in used),
        plans={pl.t.id: pl for pl in plans},
    )


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
    from .review import anticipated_progress

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


def _trend_basis(fit, j, s, stated=None) -> str:
    n = int(fit.points[j])
    if stated is not None:
        s_note = f"（{stated}年取草案基期值）"
    else:
        s_note = ""
    if n < 2:
        return f"仅{n}个数据点，按{s.anchor}年值持平外推{s_note}"
    if s.id.endswith(REAL):
        return (
            f"{n - 1}年可比价增速（实绩所报）的对数线性趋势，年均增长{fmt_number(fit.rate[j], 2)}%"
        )
    if s.log:
        return (
            f"{n}个实绩点对数线性趋势，年均增长{fmt_number(fit.rate[j], 2)}%，"
            f"自{s.anchor}年{fmt_number(s.latest, 2)}外推{s_note}"
        )
    return (
        f"{n}个实绩点线性趋势，每年变化{fmt_number(fit.slope[j], 3)}{s.unit}，"
        f"自{s.anchor}年{fmt_number(s.latest, 2)}外推{s_note}"
    )


def _guidance(t, ind, superior, mapped, anchor, h, path_value):
    """Return the guidance option (name, value, basis) from the superior plan, or None."""
    if superior is None or t.indicator not in mapped:
        return None
    sid = mapped[t.indicator]
    sup_ind = superior.indicator(sid)
    cands = [
        st
        for st in superior.targets
        if st.indicator == sid
        and st.kind in ("growth", "reduction", "pp_change", "increment", "level")
    ]
    if not cands:
        return None
    # the superior target of the same kind first, then one ending in the same year
    cands.sort(key=lambda st: (st.kind != t.kind, abs(st.year - t.year)))
    st = cands[0]
    sup_from = st.from_year if st.from_year is not None else superior.meta.base_year
    hs = max(st.year - sup_from, 1)
    if st.kind == t.kind and t.kind in ("growth",):
        value = float(st.value)
    elif st.kind == t.kind and st.year - sup_from == h and t.kind != "level":
        value = float(st.value)  # same reduction, same 百分点 over the same span
    else:
        anchor_base, anchor_year = anchor
        if not math.isfinite(anchor_base):
            return None
        if st.kind == "growth":

            def fn(y):
                return anchor_base * (1.0 + st.value / 100.0) ** (y - anchor_year)
        elif st.kind == "reduction":

            def fn(y):
                return anchor_base * (1.0 - st.value / 100.0) ** ((y - anchor_year) / hs)
        elif st.kind in ("pp_change", "increment"):

            def fn(y):
                return anchor_base + st.value * (y - anchor_year) / hs
        else:  # level: the same level in the target year (rates and ratios, never totals)
            if not (intensive(sup_ind.unit) and intensive(ind.unit)):
                return None
            try:
                c = factor(sup_ind.unit, ind.unit)
            except Exception:
                return None
            if t.kind == "cumulative":
                return None

            def fn(y):
                return st.value * c

        value = path_value(fn)
    wording = st.wording or f"{st.kind} {st.op} {st.value:g}"
    return (
        "guidance",
        value,
        f"上级规划《{superior.meta.name}》{sup_ind.name_zh}：{wording}，换算为本级口径",
    )


def _stretch(t, ind, draft_sc, ambition, base, start, path_value, real=False):
    """Return the stretch option: a 2035 goal's path, a stated ambition, or the draft's figure.

    A goal stated at current prices does not set a comparable-price (``real``) growth path.
    """
    goals = (
        []
        if real
        else [
            g
            for g in draft_sc.targets
            if g.indicator == t.indicator
            and g.year > t.year
            and g.kind in ("level", "growth", "pp_change", "increment", "reduction")
        ]
    )
    if goals and t.kind != "cumulative" and math.isfinite(base):
        g = goals[0]
        g_from = g.from_year if g.from_year is not None else draft_sc.meta.base_year
        if g_from == start:
            hg = g.year - start
            end = float(level_of(g.kind, g.value, base, hg))
            log = not _additive(ind.unit) and base > 0 and end > 0

            def fn(y):
                k = (y - start) / hg
                return base * (end / base) ** k if log else base + (end - base) * k

            return (
                "stretch",
                path_value(fn),
                f"{g.year}年远景目标（{g.wording or fmt_number(g.value, 2)}）"
                f"按{'等比' if log else '等差'}路径"
                f"折算至{t.year}年",
            )
    if t.id in ambition:
        return ("stretch", float(ambition[t.id]), "规划编制提出的目标设想")
    return ("stretch", float(t.value), "草案所列目标值（滚动编制所得，见目标的 source）")


def _reason(chosen, meets, thr, attr, binding_floor, kunit) -> str:
    if chosen is None:
        return "无可用方案"
    p = fmt_number(100 * chosen.p_meet, 1)
    t = fmt_number(100 * thr, 0)
    name = OPTION_ZH[chosen.name]
    if meets:
        return (
            f"推荐{name}方案（{fmt_number(chosen.value, 2)}{kunit}）：达标概率{p}%，"
            f"是达标概率不低于{t}%（{attr}）的方案中最积极的"
        )
    if binding_floor and chosen.name == "guidance":
        return (
            f"约束性指标须不低于上级要求，推荐{name}方案（{fmt_number(chosen.value, 2)}{kunit}），"
            f"但达标概率仅{p}%，低于{t}%，需加大工作力度"
        )
    if chosen.name == "prudent":
        return (
            f"趋势、上级指引、冲刺方案达标概率均低于{t}%（{attr}），推荐达标概率为{p}%的"
            f"稳妥值{fmt_number(chosen.value, 2)}{kunit}"
        )
    return (
        f"各方案达标概率均低于{t}%，推荐最稳妥的{name}方案（{fmt_number(chosen.value, 2)}{kunit}，"
        f"达标概率{p}%）"
    )


def _write_notes(draft: dict, rows, superior, runs: int, seed) -> None:
    by_id = {r.target: r for r in rows}
    for d in draft["targets"]:
        r = by_id[d["id"]]
        d["proposal"] = _plainnote(r)
        if r.value is not None and r.value != float(d["value"]):
            d["value"] = r.value
            d.pop("wording", None)
            d["source"] = f"planlib propose 推荐{OPTION_ZH[r.recommended]}方案"
    meta = draft["meta"]
    meta["notes"] = (
        f"目标值由 planlib propose 测算（蒙特卡洛{runs:,}次，种子{seed}）：每项目标列趋势、"
        f"上级指引、冲刺三个方案及达标概率，推荐达标概率不低于阈值的最积极方案，请逐项复核。"
        + (" " + meta["notes"] if meta.get("notes") else "")
    )
    if superior is not None:
        draft["superior"] = {"file": superior.source_path or superior.meta.id}


def _plainnote(r: TargetProposal) -> dict:
    note = r.note()
    return {k: v for k, v in note.items() if v is not None and v != []} | {"reason": r.reason}


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


def write_draft(path, proposal: Proposal, overwrite: bool = False) -> Path:
    """Write the draft scenario (validated by loading it first, then atomically).

    Parameters
    ----------
    path : str or os.PathLike
    proposal : Proposal
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
    """
    d = proposal.draft
    sup = d.get("superior")
    if sup and Path(sup["file"]).exists():  # the superior file, relative to the draft's folder
        import os

        rel = os.path.relpath(Path(sup["file"]).resolve(), Path(path).resolve().parent)
        d = {**d, "superior": {**sup, "file": Path(rel).as_posix()}}
    head = (
        f"# {d['meta']['name']}（目标测算草案）\n"
        "# 由 planlib propose 生成：每项目标的 proposal 列出趋势、上级指引、冲刺三个方案"
        "及达标概率，"
        "value 为推荐方案，请逐项复核。\n"
    )
    text = head + dump_yaml(d)
    parse_scenario(text, file=str(path))  # raises before anything is written
    return write_atomic(path, text, overwrite=overwrite)


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

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
(:func:`planlib.simulation.engine.simulate`), not from a second one, and the recommended
option is the most ambitious one whose P(meet) reaches the threshold of the target's
attribute. This module is the entry point (:func:`propose`); every public name of the
concept modules is importable from here:

- :mod:`~planlib.tracking.proposal_trends` — trend and volatility of the actuals
  (:func:`fit_trends`), the wide prior of a short series;
- :mod:`~planlib.tracking.proposal_options` — the options and the arithmetic of stated
  values (:func:`level_of`, :func:`value_of`), indicators paired with the superior plan
  (:func:`match_indicator`);
- :mod:`~planlib.tracking.proposal_engine` — the proposal scenario the engine runs
  (:func:`proposal_scenario`), P(meet), the 稳妥 probes and the P(meet) curve
  (:func:`curve_for`);
- :mod:`~planlib.tracking.proposal_recommend` — the recommendation (:func:`recommend`);
- :mod:`~planlib.tracking.proposal_results` — :class:`Proposal`, :class:`TargetProposal`,
  :class:`Option`;
- :mod:`~planlib.tracking.proposal_draft` — the draft scenario (:func:`write_draft`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from ..formatting import fmt_number
from ..model import Model
from ..scenario import Scenario
from .actuals import Actuals
from .proposal_draft import _skeleton, _write_notes, write_draft
from .proposal_engine import (
    PROBE_STEPS,
    ProbabilityCurve,
    _anticipated,
    _level_targets,
    _p,
    _Plan,
    _probes,
    _Spec,
    curve_for,
    probability_curve,
    proposal_scenario,
    value_range,
)
from .proposal_options import (
    OPTION_ZH,
    OPTIONS,
    SUPPORTED_KINDS,
    ProposalError,
    _additive,
    _attribute,
    _direction,
    _guidance,
    _kind_unit,
    _round,
    _stretch,
    intensive,
    level_of,
    match_indicator,
    value_of,
)
from .proposal_options import _sense as _sense  # tracking.superior
from .proposal_recommend import DEFAULT_THRESHOLDS, _reason, recommend
from .proposal_results import Option, Proposal, TargetProposal
from .proposal_trends import (
    FLOOR_ADD_SHARE,
    FLOOR_LOG_SD,
    MIN_POINTS,
    PRIOR_ADD_SHARE,
    PRIOR_LOG_SD,
    REAL,
    TrendFits,
    _real_index,
    _series,
    _trend_basis,
    _uncertainty_text,
    fit_trends,
)

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
    "FAN",
    "PROBE_STEPS",
    "REAL",
    "SUPPORTED_KINDS",
]

#: percentiles of the fan chart [%]
FAN = (5.0, 25.0, 50.0, 75.0, 95.0)


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

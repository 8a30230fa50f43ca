"""Plan review (中期评估 / 终期评估): targets against actuals.

For every target of a plan, :func:`review` compares the actuals with what the
target requires and answers a planner's questions: was it met, how far off is
it, how fast did it move, what pace do the remaining years need, where does
the trend lead by the target year, and in which year was it first met.

This module is the entry point: :func:`review` builds one row per target and
returns a :class:`Review`. The public names of the progress, completion and result
modules are importable from here; the text and export modules back the methods of
:class:`Review`.

- :mod:`~planlib.tracking.review_progress` — Open SDG progress classes (已实现, 进展顺利,
  需加快, 进展有限, 逆向变化), thresholds, observed and required pace, trend projection and
  UN ESCAP anticipated progress (pure, vectorised);
- :mod:`~planlib.tracking.review_completion` — 完成情况 of a final review (超额完成, 完成,
  基本完成, 未完成, …), 完成率, gap and the summary paragraph;
- :mod:`~planlib.tracking.review_result` — the :class:`Review` result;
- :mod:`~planlib.tracking.review_text` — the traffic-light table, 完成情况表, text report,
  HTML and one sentence per target;
- :mod:`~planlib.tracking.review_export` — JSON, the Excel workbook, long and IAMC tables.
"""

from __future__ import annotations

import numpy as np

from .. import growth
from ..formatting import fmt_number, fmt_rate, indicator_decimals
from ..model import Model
from ..scenario import Scenario
from ..targets import compile_targets, default_tolerance, margin_of
from ..units import get_unit, magnitude_mixup
from .actuals import Actuals
from .review_completion import (
    OUTCOME_COLORS,
    OUTCOME_EN,
    OUTCOME_ZH,
    OUTCOMES,
    _final_fields,
    _qualitative_final,
    completion_outcome,
    completion_rate,
    outcome_summary,
)
from .review_completion import _written_decimals as _written_decimals  # reports.official
from .review_progress import (
    CLASS_EN,
    CLASS_ZH,
    CLASSES,
    COLORS,
    LIGHTS,
    LIGHTS_EN,
    METHODS,
    Thresholds,
    anticipated_progress,
    classify,
    observed_pace,
    progress_ratio,
    project_trend,
    required_pace,
)
from .review_result import Review
from .review_text import _message
from .review_text import _stated as _stated  # reports.word

__all__ = [
    "CLASSES",
    "CLASS_EN",
    "CLASS_ZH",
    "LIGHTS",
    "LIGHTS_EN",
    "OUTCOMES",
    "OUTCOME_EN",
    "OUTCOME_ZH",
    "completion_outcome",
    "completion_rate",
    "outcome_summary",
    "Review",
    "Thresholds",
    "anticipated_progress",
    "classify",
    "observed_pace",
    "progress_ratio",
    "project_trend",
    "required_pace",
    "review",
    "COLORS",
    "METHODS",
    "OUTCOME_COLORS",
]


def _meets(x, op, value, tol):
    """Whether ``x`` meets ``op value`` within ``tol`` (>=, <=, =, the strict > and <, ~ 左右)."""
    return bool(margin_of(float(x), op, float(value), tol) >= 0)


#: a 〔〕 reduction of p % is a ceiling on the level: end <= start × (1 − p/100); the operator flips
_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "=": "=", "~": "~"}


def _method(
    kind: str, unit: str, start: float, latest: float, target_level: float
) -> tuple[str, str]:
    """Pace method for a target and why."""
    if kind == "cumulative":
        return "sum", ""
    if kind in ("pp_change", "increment"):
        return "linear", ""
    dim = get_unit(unit).dimension
    additive = dim in ("percent", "percentage_point") or dim.startswith("count:")
    if kind == "level" and additive:
        return "linear", ""
    positive = all(np.isfinite(x) and x > 0 for x in (start, target_level)) and not (
        np.isfinite(latest) and latest <= 0
    )
    if not positive:
        return "linear", "基期值或实绩非正，年均增长率无定义，按年均增量计算"
    return "compound", ""


_RATE_KINDS = ("growth", "pp_change", "reduction", "relative_growth")


def review(
    scenario: Scenario,
    actuals: Actuals,
    as_of: int | None = None,
    thresholds: Thresholds | None = None,
    lang: str = "zh",
    params: dict | None = None,
    final: bool | None = None,
) -> Review:
    """Review every target of ``scenario`` against ``actuals``.

    A mid-term review classifies progress (Open SDG classes, :func:`classify`).
    A final review (终期评估: ``as_of`` at or after the period's last year, or
    ``final=True``) also judges each target's 完成情况 (:data:`OUTCOMES`) from the
    actual of the target year: 超额完成, 完成 (equality is 完成), 基本完成 (short by
    at most the stated tolerance, or inside the 左右 band on the weaker side), 未完成,
    定性（待评价） for qualitative targets, 数据不足 where the target year's actual
    (or, for a 〔〕 sum, any year's) is missing — never filled from the plan — and
    未到期 for targets after the review year (2035 远景目标). Each row carries the
    完成率 (achieved / stated, where it means something) and the gap.

    Parameters
    ----------
    scenario : Scenario
        The plan under review.
    actuals : Actuals
        From :func:`planlib.tracking.actuals.read_actuals`, validated against ``scenario``.
    as_of : int, optional
        Use actuals up to this year only (a mid-term review); default: the last
        year with actuals.
    thresholds : Thresholds, optional
        Class bounds of the progress ratio (Open SDG defaults).
    lang : {"zh", "en"}
        Language of the messages.
    params : dict, optional
        Parameter values for the plan path (default: the scenario's defaults).
    final : bool, optional
        Force (True) or suppress (False) the final review; default: ``as_of`` ≥ the
        period's end.

    Returns
    -------
    Review
    """
    if actuals.scenario != scenario.meta.id:
        raise ValueError(
            f"the actuals were validated against {actuals.scenario!r}, not {scenario.meta.id!r}"
        )
    th = thresholds or Thresholds()
    zh = lang == "zh"
    model = Model(scenario)
    traj = model.evaluate(params or {})
    plan = traj.values[0]
    y0 = int(traj.years[0])
    last_actual_year = int(actuals.table["year"].max())
    if as_of is None:
        as_of = last_actual_year
    as_of = int(as_of)
    years = np.arange(y0, max(int(traj.years[-1]), as_of) + 1)
    plan_full = np.full((len(traj.indicators), len(years)), np.nan)
    plan_full[:, : plan.shape[1]] = plan
    actual = actuals.matrix(traj.indicators, years)
    actual[:, years > as_of] = np.nan
    is_final = (as_of >= scenario.meta.period[1]) if final is None else bool(final)
    rows = []
    for ct in compile_targets(scenario, traj):
        t = ct.target
        ind = scenario.indicator(t.indicator)
        unit = ind.unit
        a = actual[ct.row]
        p = plan_full[ct.row]
        T = t.year
        s = ct.start + y0  # start year (first summed year for cumulative)
        tol = default_tolerance(t, ct.unit)
        note = []
        direction = "lower" if t.op in ("<=", "<") else "higher"
        band = tol if t.op == "~" else None  # the 左右 band in the stated value's terms
        obs_years = [int(y) for y in years if s <= y <= min(T, as_of) and np.isfinite(a[y - y0])]
        if t.kind in ("qualitative", "relative_growth"):
            row = _special_row(
                scenario, actuals, t, ct, ind, a, actual, plan_full, years, y0, s, as_of, th, zh
            )
            row["decimals"] = indicator_decimals(scenario, t.indicator)
            row["category"] = ind.category
            if t.kind == "qualitative":
                row.update(_qualitative_final(is_final, zh))
            else:
                row.update(
                    _final_fields(
                        t,
                        ind,
                        a,
                        s,
                        y0,
                        as_of,
                        float("nan"),
                        is_final,
                        row["band"],
                        zh,
                        ref=actual[ct.ref_row],
                        period_end=scenario.meta.period[1],
                        observed=row["observed_pace"] if row["latest_year"] == T else None,
                    )
                )
            row["message"] = _message(row, zh)
            rows.append(row)
            continue
        op = t.op
        if t.kind == "reduction":
            direction = "lower" if t.op in (">=", ">", "=", "~") else "higher"
            op = _FLIP[t.op]
        real = actuals.real_growth(t.indicator) if t.kind == "growth" else {}
        implied_deflator = float("nan")
        if t.kind == "cumulative":
            start_value, start_from = float("nan"), "—"
            so_far = float(sum(a[y - y0] for y in obs_years)) if obs_years else float("nan")
            L = obs_years[-1] if obs_years else None
            n_total = T - s + 1
            target_level = float(t.value)
            method = "sum"
            gaps = [y for y in range(s, (L or s) + 1) if y not in obs_years]
            if gaps:
                note.append(
                    ("累计中缺" if zh else "sum misses ")
                    + "、".join(map(str, gaps))
                    + ("年实绩，按已有年份平均" if zh else "; averaged over the years given")
                )
            obs = observed_pace(0, so_far, len(obs_years), "sum") if obs_years else float("nan")
            req = required_pace(0, target_level, n_total, "sum")
            elapsed = (L - s + 1) if L is not None else 0
            left = T - L if L is not None else n_total
            latest_value = float(a[L - y0]) if L is not None else float("nan")
            plan_latest = (
                float(np.nansum(p[s - y0 : L - y0 + 1])) if L is not None else float("nan")
            )
            required_at_latest = req * elapsed if L is not None else float("nan")
            if direction == "higher":
                achieved = bool(L is not None and so_far >= target_level - tol)
            else:
                achieved = bool(L == T and so_far <= target_level + tol)
            projected_end = (
                float(project_trend(latest_value, obs, left, "sum", so_far=so_far))
                if L is not None
                else float("nan")
            )
            remaining = (
                (target_level - so_far) / left if (L is not None and left > 0) else float("nan")
            )
            if direction == "lower":  # a budget: within it when observed <= required
                ratio = float(progress_ratio(req, obs)) if L is not None else float("nan")
            else:
                ratio = float(progress_ratio(obs, req)) if L is not None else float("nan")
            running, first_met = 0.0, None
            for y in obs_years:
                running += a[y - y0]
                if direction == "higher" and running >= target_level - tol:
                    first_met = y
                    break
            if direction == "lower" and achieved:
                first_met = T
            projected = projected_end
            anticipated = float(anticipated_progress(0, projected_end, target_level, "sum"))
            wrong_way = False
        else:
            # start: the actual in the start year when there is one, else the plan's value
            if np.isfinite(a[s - y0]):
                start_value, start_from = float(a[s - y0]), "actual"
            else:
                start_value, start_from = float(p[s - y0]), "plan"
                note.append(
                    f"{s}年无实绩，起点用规划值"
                    if zh
                    else f"no actual for {s}; start from the plan"
                )
            later = [y for y in obs_years if y > s]
            L = later[-1] if later else None
            latest_value = float(a[L - y0]) if L is not None else float("nan")
            n = T - s
            if t.kind == "level":
                target_level = float(t.value)
            elif t.kind == "growth":
                target_level = (
                    float(start_value * (1 + t.value / 100.0) ** n)
                    if start_value > 0
                    else float("nan")
                )
            elif t.kind == "reduction":  # 〔13.5〕: the level may be at most start × (1 − 13.5 %)
                target_level = float(start_value * (1.0 - t.value / 100.0))
                if t.op == "~":
                    tol = abs(start_value) * tol / 100.0  # the band is in % of the start value
                elif t.tolerance is None:
                    tol = 1e-9 * max(1.0, abs(target_level))
            else:  # pp_change, increment: additive
                target_level = float(start_value + t.value)
            if op in ("=", "~") and np.isfinite(target_level):
                direction = "lower" if target_level < start_value else "higher"
            method, why = _method(
                "level" if t.kind == "reduction" else t.kind,
                unit,
                start_value,
                latest_value,
                target_level,
            )
            if t.kind == "growth" and not start_value > 0:
                method, why = (
                    "compound",
                    "基期值非正，增长率目标无法评估"
                    if zh
                    else "non-positive start: a growth target cannot be assessed",
                )
            if why:
                note.append(why if zh else "non-positive level: pace as a yearly change")
            elapsed = (L - s) if L is not None else 0
            left = (T - L) if L is not None else n
            obs = (
                float(observed_pace(start_value, latest_value, elapsed, method))
                if L is not None
                else float("nan")
            )
            if real and L is not None and all(y in real for y in range(s + 1, L + 1)):
                # the statistics bureau's comparable-price growth, chained: the review of a growth
                # target uses it; levels stay nominal, and the gap between the two is the price rise
                chained = float(np.prod([1.0 + real[y] / 100.0 for y in range(s + 1, L + 1)]))
                nominal = obs
                obs = chained ** (1.0 / elapsed) - 1.0
                method = "compound"
                if np.isfinite(nominal):
                    implied_deflator = ((1.0 + nominal) / (1.0 + obs) - 1.0) * 100.0
                note.append(
                    (
                        f"按统计公布的可比价增速计（{s + 1}–{L}年），隐含价格指数年均 "
                        f"{fmt_rate(implied_deflator)}"
                    )
                    if zh
                    else (
                        f"comparable-price growth as reported ({s + 1}–{L}); implied deflator "
                        f"{fmt_rate(implied_deflator)} a year"
                    )
                )
            elif real:
                note.append(
                    "可比价增速不全，按现价水平计算"
                    if zh
                    else "reported real growth incomplete: growth from current-price levels"
                )
            if t.kind == "growth":
                req = t.value / 100.0
            else:
                req = float(required_pace(start_value, target_level, n, method))
            gap_ok = np.isfinite(target_level)
            if t.kind == "growth" and L == T:
                achieved = bool(np.isfinite(obs) and _meets(obs * 100.0, op, t.value, tol))
            else:
                achieved = bool(
                    L is not None
                    and gap_ok
                    and _meets(latest_value, op, target_level, tol if t.kind != "growth" else 1e-9)
                )
            ratio = float(progress_ratio(obs, req)) if L is not None else float("nan")
            wrong_way = bool(
                L is not None
                and not achieved
                and np.isfinite(req)
                and (req == 0 or (req > 0) != (direction == "higher"))
            )
            projected_end = (
                float(project_trend(latest_value, obs, left, method))
                if L is not None
                else float("nan")
            )
            remaining = (
                float(required_pace(latest_value, target_level, left, method))
                if (L is not None and left > 0)
                else float("nan")
            )
            plan_latest = float(p[L - y0]) if L is not None else float("nan")
            if L is None:
                required_at_latest = float("nan")
            elif method == "compound":
                required_at_latest = float(start_value * (1 + req) ** elapsed)
            else:
                required_at_latest = float(start_value + req * elapsed)
            first_met = None
            if gap_ok:
                for y in later:
                    if _meets(
                        float(a[y - y0]), op, target_level, tol if t.kind != "growth" else 1e-9
                    ):
                        first_met = y
                        break
            if t.kind == "level":
                projected = projected_end
            elif t.kind == "reduction":
                projected = (
                    (1.0 - projected_end / start_value) * 100.0 if start_value else float("nan")
                )
            elif t.kind == "growth":
                projected = float(growth.cagr(start_value, projected_end, n)) * 100.0
            else:
                projected = projected_end - start_value
            anticipated = float(
                anticipated_progress(start_value, projected_end, target_level, method)
            )
            so_far = float("nan")
            if method == "compound":  # paces shown in % per year
                obs, req = obs * 100.0, req * 100.0
                remaining = remaining * 100.0
        overdue = bool(L is not None and L >= T and not achieved)
        if L is None:
            note.append(f"{s}–{min(T, as_of)}年无实绩" if zh else f"no actuals {s}–{min(T, as_of)}")
        cls = str(classify(ratio, achieved, th, overdue, wrong_way))
        if t.kind in ("level", "growth") and method == "compound":
            pace_unit = "%/年"
        else:
            pace_unit = f"{'百分点' if get_unit(unit).dimension == 'percent' else unit}/年"
        projected_met = bool(
            np.isfinite(projected)
            and _meets(
                projected_end if t.kind != "growth" else projected,
                op,
                target_level if t.kind != "growth" else t.value,
                tol,
            )
        )
        mix = _mixup_note(a, p, years, y0, zh)
        if mix:
            note.append(mix)
        row = {
            "id": t.id,
            "indicator": t.indicator,
            "name": ind.name_zh,
            "name_en": ind.name_en,
            "indicator_unit": unit,
            "kind": t.kind,
            "op": t.op,
            "target": float(t.value),
            "target_level": target_level,
            "year": T,
            "start_year": s,
            "start_value": start_value,
            "start_from": start_from,
            "latest_year": L,
            "latest_value": latest_value,
            "so_far": so_far,
            "plan_at_latest": plan_latest,
            "required_at_latest": required_at_latest,
            "method": method,
            "direction": direction,
            "pace_unit": pace_unit,
            "observed_pace": obs,
            "required_pace": req,
            "remaining_pace": remaining,
            "ratio": ratio,
            "class": cls,
            "class_zh": CLASS_ZH[cls],
            "light": LIGHTS[cls],
            "achieved": achieved,
            "overdue": overdue,
            "first_met": first_met,
            "projected_end": projected_end,
            "projected": projected,
            "projected_met": projected_met,
            "anticipated": anticipated,
            "attribute": t.attribute or ind.attribute,
            "wording": t.wording or "",
            "note": "；".join(note) if zh else "; ".join(note),
            "category": ind.category,
            "band": tol if t.op == "~" else None,
            "reference": None,
            "text": None,
            "implied_deflator": implied_deflator,
            "unit_suspect": bool(mix),
            "decimals": indicator_decimals(scenario, t.indicator),
            "status": _latest_status(actuals, t.indicator, L),
        }
        row.update(
            _final_fields(
                t,
                ind,
                a,
                s,
                y0,
                as_of,
                start_value,
                is_final,
                band,
                zh,
                period_end=scenario.meta.period[1],
                observed=obs if (t.kind == "growth" and L == T) else None,
            )
        )
        row["message"] = _message(row, zh)
        rows.append(row)
    return Review(
        scenario.meta.id,
        scenario.meta.name if zh else (scenario.meta.name_en or scenario.meta.name),
        as_of,
        th,
        rows,
        years,
        traj.indicators,
        traj.units,
        traj.names,
        plan_full,
        actual,
        scenario.meta.region,
        lang,
        final=is_final,
        period=tuple(scenario.meta.period),
    )


def _latest_status(actuals: Actuals, indicator: str, year) -> str:
    """Provenance of the latest actual used (统计 unless the file marks it 预计 / 估算)."""
    if year is None:
        return ""
    return actuals.status(indicator).get(int(year), "") or "统计"


def _mixup_note(a, p, years, y0, zh: bool) -> str:
    """Return a note when an actual is ~10⁴ or ~10⁸ off the plan path.

    That is a likely 元/万元/亿元 slip.
    """
    for y in years:
        av, pv = a[y - y0], p[y - y0] if y - y0 < len(p) else float("nan")
        f = magnitude_mixup(av, pv)
        if f:
            return (
                f"{y}年实绩与规划值相差约{f}倍，疑似元/万元/亿元单位混用，请核对单位"
                if zh
                else (
                    f"the {y} actual is about {f} times the plan: a likely 元/万元/亿元 unit slip; "
                    "check the unit"
                )
            )
    return ""


def _special_row(
    scenario, actuals, t, ct, ind, a, actual, plan, years, y0, s, as_of, th, zh
) -> dict:
    """Review row of a qualitative or a relative_growth target."""
    T, unit = t.year, ind.unit
    obs_years = [int(y) for y in years if s < y <= min(T, as_of) and np.isfinite(a[y - y0])]
    L = obs_years[-1] if obs_years else None
    nan = float("nan")
    row = {
        "id": t.id,
        "indicator": t.indicator,
        "name": ind.name_zh,
        "name_en": ind.name_en,
        "indicator_unit": unit,
        "kind": t.kind,
        "op": t.op,
        "target": None if t.value is None else float(t.value),
        "target_level": nan,
        "year": T,
        "start_year": s,
        "start_value": nan,
        "start_from": "—",
        "latest_year": L,
        "latest_value": float(a[L - y0]) if L is not None else nan,
        "so_far": nan,
        "plan_at_latest": nan,
        "required_at_latest": nan,
        "method": "linear",
        "direction": "higher",
        "pace_unit": "百分点/年",
        "observed_pace": nan,
        "required_pace": nan,
        "remaining_pace": nan,
        "ratio": nan,
        "achieved": False,
        "overdue": False,
        "first_met": None,
        "projected_end": nan,
        "projected": nan,
        "projected_met": False,
        "anticipated": nan,
        "attribute": t.attribute or ind.attribute,
        "wording": t.wording or "",
        "note": "",
        "band": None,
        "reference": t.reference,
        "text": t.text or t.wording,
        "implied_deflator": nan,
        "unit_suspect": False,
        "status": _latest_status(actuals, t.indicator, L),
    }
    if t.kind == "qualitative":
        row["class"] = "qualitative"
        row["note"] = (
            "定性目标，由评估人判断" if zh else "qualitative target: judged by the reviewer"
        )
    else:
        ref = scenario.indicator(t.reference)
        row["reference_name"] = ref.name_zh if zh else (ref.name_en or ref.name_zh)
        b = actual[ct.ref_row]
        tol = default_tolerance(t, "百分点")
        row["band"] = tol if t.op == "~" else None
        both = [y for y in obs_years if np.isfinite(b[y - y0])]
        L = both[-1] if both else None
        row["latest_year"] = L
        # start: the actuals of the start year when given, else the plan's values
        pa, pb = plan[ct.row], plan[ct.ref_row]
        a, b = a.copy(), b.copy()
        if not (np.isfinite(a[s - y0]) and np.isfinite(b[s - y0])):
            a[s - y0], b[s - y0] = pa[s - y0], pb[s - y0]
            row["start_from"] = "plan"
        if L is None or not (np.isfinite(a[s - y0]) and np.isfinite(b[s - y0])):
            row["class"] = "insufficient_data"
            row["note"] = (
                f"需{s}年及以后两项指标的实绩"
                if zh
                else f"needs actuals of both indicators from {s}"
            )
            row["latest_year"] = None
        else:
            n = L - s
            own = float(growth.cagr(a[s - y0], a[L - y0], n)) * 100.0
            other = float(growth.cagr(b[s - y0], b[L - y0], n)) * 100.0
            diff = own - other
            met = _meets(diff, t.op, t.value, tol)
            row.update(
                start_value=float(a[s - y0]),
                latest_value=float(a[L - y0]),
                observed_pace=diff,
                required_pace=float(t.value),
                projected=diff,
                projected_met=met,
                achieved=bool(met and L >= T),
                overdue=bool(L >= T and not met),
                reference_growth=other,
                own_growth=own,
            )
            if met:
                row["class"] = "achieved" if L >= T else "on_track"
            else:
                row["class"] = "needs_acceleration"
            row["note"] = (
                f"{s}–{L}年 年均增长 {fmt_rate(own)}，{row['reference_name']} {fmt_rate(other)}，"
                f"相差 {fmt_number(diff)}个百分点"
                if zh
                else f"{s}–{L}: growth {fmt_rate(own)} vs {row['reference_name']} "
                f"{fmt_rate(other)}, "
                f"difference {fmt_number(diff)} pp"
            )
    row["class_zh"] = CLASS_ZH[row["class"]]
    row["light"] = LIGHTS[row["class"]]
    return row

"""Roll a reviewed plan forward (滚动编制): a scenario file for the next plan period.

The new file starts from the real end of the old period and covers the next period of
the same length (2026–2030 after 十四五). What a planner would sign:

Bases — from actuals, never from the plan
    Every indicator's base is its actual in the old period's last year (2025). Where that
    actual is missing, the plan's own figure is never used instead: the base is the
    latest earlier actual (its year kept, so the model carries it forward by the new
    rule) and the gap is named (数据不足) in :attr:`RollForward.gaps`; an indicator with no
    actual at all loses its base and rule (a stated-only row, 无测算依据) unless other
    indicators are computed from it. A sum-linked total (GDP = Σ sectors) and its parts
    are rebased from the same year's actuals: parts without an actual get the total's
    actual minus the known parts, split in the plan's proportions (status 估算, said so),
    so the total's model value equals its actual; a total that disagrees with the sum of
    its parts' actuals is a warning.

Targets — one rule each, written into the target's ``source``
    ``auto`` (the default for every kind), per target:

    1. a target of the same indicator after the old period (a 2035 远景目标) that the
       observed trend would miss sets the new period-end value on the path from the new
       base to it (``toward``); a goal the trend already reaches does not pull the new
       target down (the next rules apply, and the note says so);
    2. a target whose indicator lacks the period-end actual keeps its stated value
       (``carry``, named as 数据不足);
    3. a target missed by a wide margin — the review's progress ratio below ``wide_miss``
       (0.6, Open SDG's "limited progress" and "moving away") — is not re-imposed at the
       pace that failed: it rolls at the pace actually observed, never backwards
       (``trend``, floored at no change). Why: a pace the county could not keep for
       five years is no basis for the next five; the observed pace is the evidence, and
       the note states the old required pace so a planner who wants more can give a
       figure (``values``) or a rule (``target_rules``) explicitly;
    4. a floor that asked for no rise (≥ a level at or below the start: 保持在65万吨以上) or
       a ceiling that allowed a rise (≤: 失业率控制在5.5%以内) is a line to hold: ``carry``;
    5. otherwise level targets are ``reset`` (the old target's required pace continued
       from the new base) and all other kinds ``carry`` their stated value.

    Explicit rules: ``carry`` (keep the figure), ``rescale`` (keep the target's distance
    from the start: additive for shares, rates, 百分点, counts and areas — 20 km² from 15
    becomes 25 from 20 — and a ratio for money and other levels), ``reset``, ``trend``
    (unfloored), ``toward`` and ``drop``. Shares, rates, 百分点 targets and additive
    quantities always roll additively (a yearly change), levels by growth.

Targets dated after the new period's end (2035) are kept as they are.

Checks — after building, the new scenario is evaluated and any jump between the last
actual and the first plan year larger than ``jump_threshold`` beyond the path's own
yearly change is a warning; the new scenario is audited and every audit warning is
explained in :attr:`RollForward.warnings`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PlanlibError
from ..model import Model
from ..scenario import Scenario, dump_yaml, parse_scenario, write_atomic
from ..units import get_unit
from .actuals import Actuals
from .review import Review, review

__all__ = [
    "DEFAULT_RULES",
    "ROLL_RULES",
    "RollForward",
    "RollForwardError",
    "additive",
    "plan_rollforward",
    "roll_forward",
    "write_planned",
    "write_rollforward",
]

ROLL_RULES = ("auto", "carry", "rescale", "reset", "trend", "toward", "drop")
TARGET_KINDS = (
    "level",
    "growth",
    "pp_change",
    "increment",
    "cumulative",
    "reduction",
    "relative_growth",
    "qualitative",
)
DEFAULT_RULES = dict.fromkeys(TARGET_KINDS, "auto")
RULE_ZH = {
    "carry": "沿用原值",
    "rescale": "按基期变化折算",
    "reset": "按原要求步伐从新基期推算",
    "trend": "按期内实际步伐推算",
    "trend_floor": "按期内实际步伐推算（不低于基期）",
    "toward": "按2035年远景目标路径推算",
    "value": "规划人员给定",
    "drop": "删除",
}
_PERIOD_NAMES = {"十二五": "十三五", "十三五": "十四五", "十四五": "十五五", "十五五": "十六五"}
_PERIOD_IDS = {"12fyp": "13fyp", "13fyp": "14fyp", "14fyp": "15fyp", "15fyp": "16fyp"}
_LINKED = ("formula", "sum", "ratio", "share", "cumulative")
_ADDITIVE_DIMS = ("percent", "percentage_point", "area")
_PACED_KINDS = ("level", "growth", "pp_change", "increment", "cumulative")


class RollForwardError(PlanlibError, ValueError):
    """A roll-forward that cannot be made (bad rule, period, or target id)."""


@dataclass
class RollForward:
    """Result of :func:`plan_rollforward`.

    Attributes
    ----------
    data : dict
        The new scenario in file form.
    decisions : list of dict
        One per rolled target: target (new id), old (old id), rule, old_value, value, why.
    bases : list of dict
        One per indicator: indicator, rule ('actual', 'latest_actual', 'sum_share',
        'computed', 'stated_only', 'kept'), year, value, why.
    gaps : list of str
        Indicators without the period-end actual (数据不足), named.
    warnings : list of str
        Jumps, inconsistent totals and audit warnings, each with its explanation.
    """

    data: dict
    decisions: list = field(default_factory=list)
    bases: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def decision(self, old_id: str) -> dict:
        """Return the decision for one old target id."""
        for d in self.decisions:
            if d["old"] == old_id:
                return d
        raise KeyError(f"no decision for target {old_id!r}")

    def to_text(self) -> str:
        """Decisions, gaps and warnings, one line each (Chinese)."""
        lines = [f"滚动编制：{self.data['meta']['name']}"]
        for b in self.bases:
            if b["rule"] != "actual":
                lines.append(f"  基期 {b['indicator']}: {b['why']}")
        for d in self.decisions:
            lines.append(
                f"  目标 {d['target']}: {d['rule']} {d['old_value']:g} → {d['value']:g}；{d['why']}"
                if d["value"] is not None
                else f"  目标 {d['target']}: {d['rule']}；{d['why']}"
            )
        lines += [f"  数据不足: {g}" for g in self.gaps]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines) + "\n"


def additive(unit: str) -> bool:
    """Whether an indicator in ``unit`` rolls forward by yearly change rather than by growth.

    Yearly change: shares, rates, 百分点, counts, areas; growth: money, output, other levels.
    """
    dim = get_unit(unit).dimension
    return dim in _ADDITIVE_DIMS or dim.startswith("count:")


def _plain(x):
    """Tuples → lists, recursively, so the YAML is plain."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _shift_years(spec, shift):
    if isinstance(spec, dict):
        return {int(y) + shift: v for y, v in spec.items()}
    return spec


def _round_target(value: float, unit: str, op: str) -> float:
    """Round counts to whole numbers (up for ≥, down for ≤), everything else to 2 decimals."""
    if get_unit(unit).dimension.startswith("count:"):
        if op in (">=", ">"):
            return float(math.ceil(value - 1e-9))
        if op in ("<=", "<"):
            return float(math.floor(value + 1e-9))
        return float(round(value))
    return round(float(value), 2)


def _check_rules(rules: dict, target_rules: dict, scenario: Scenario):
    for k, r in rules.items():
        if k not in TARGET_KINDS:
            raise RollForwardError(
                f"rules: {k!r} is not a target kind; use one of {', '.join(TARGET_KINDS)}"
            )
        if r not in ROLL_RULES:
            raise RollForwardError(
                f"rules.{k}: {r!r} is not a roll-forward rule; use one of {', '.join(ROLL_RULES)}"
            )
    ids = [t.id for t in scenario.targets]
    for k, r in target_rules.items():
        if k not in ids:
            raise RollForwardError(
                f"target_rules: {k!r} is not a target of {scenario.meta.id}; have {', '.join(ids)}"
            )
        if r not in ROLL_RULES:
            raise RollForwardError(
                f"target_rules.{k}: {r!r} is not a roll-forward rule; use one of "
                f"{', '.join(ROLL_RULES)}"
            )


def fmt(x) -> str:
    """Format a stated value as written: 50, 9.5."""
    return f"{float(x):g}"


# ---- bases ---------------------------------------------------------------------------------------
def _rebase(
    scenario: Scenario,
    actuals: Actuals,
    base_year: int,
    plan_at,
    referenced: set,
    new_start: int,
    shift: int,
):
    """Build the indicator dicts of the new file, the base decisions and the data gaps."""
    status = _statuses(actuals)
    indicators, bases, gaps = [], [], []
    src = Path(actuals.file).name
    for ind in scenario.indicators:
        d = ind.model_dump(exclude_none=True)
        series = {y: v for y, v in actuals.series(ind.id).items() if y <= base_year}
        linked = ind.rule is not None and ind.rule.kind in _LINKED
        notes = [d["assumption"]] if d.get("assumption") else []
        d.pop("history", None)
        d.pop("base", None)
        actual = series.get(base_year)
        if actual is not None:
            d["base"] = {"year": base_year, "value": round(float(actual), 6)}
            st = status.get((ind.id, base_year))
            if st:
                d["base"]["status"] = st
            d["source"] = f"{base_year}年实绩（{src}）"
            bases.append(
                {
                    "indicator": ind.id,
                    "rule": "actual",
                    "year": base_year,
                    "value": float(actual),
                    "why": f"{base_year}年实绩",
                }
            )
        elif linked:
            bases.append(
                {
                    "indicator": ind.id,
                    "rule": "computed",
                    "year": base_year,
                    "value": None,
                    "why": f"由{ind.rule.kind}规则计算",
                }
            )
        elif series:
            last = max(series)
            d["base"] = {"year": last, "value": round(float(series[last]), 6)}
            why = (
                f"缺{base_year}年实绩（数据不足），基期取{last}年实绩{fmt(series[last])}，"
                f"{base_year}年值由新规则推算，不以原规划值代替"
            )
            notes.append(why)
            gaps.append(f"{ind.name_zh}（{ind.id}）：缺{base_year}年实绩，基期取{last}年实绩")
            bases.append(
                {
                    "indicator": ind.id,
                    "rule": "latest_actual",
                    "year": last,
                    "value": float(series[last]),
                    "why": why,
                }
            )
        elif ind.known and (ind.id in referenced or ind.rule is None):
            last = max(ind.known)
            d["history"] = {last: ind.known[last]}
            why = f"无期内实绩（数据不足），保留原文件{last}年值，供相关指标计算"
            notes.append(why)
            gaps.append(f"{ind.name_zh}（{ind.id}）：无期内实绩")
            if ind.rule is not None:
                d["base"] = {"year": last, "value": ind.known[last], "status": "假设"}
                d.pop("history")
            bases.append(
                {
                    "indicator": ind.id,
                    "rule": "kept",
                    "year": last,
                    "value": ind.known[last],
                    "why": why,
                }
            )
        elif ind.id in referenced and ind.rule is not None:
            why = "无实绩（数据不足），仍由原规则计算（其他指标依赖它）"
            notes.append(why)
            gaps.append(f"{ind.name_zh}（{ind.id}）：无实绩")
            bases.append(
                {"indicator": ind.id, "rule": "kept", "year": None, "value": None, "why": why}
            )
        else:
            why = "无实绩（数据不足），不设基期与测算规则，目标仅列示"
            d.pop("rule", None)
            notes.append(why)
            gaps.append(f"{ind.name_zh}（{ind.id}）：无实绩")
            bases.append(
                {
                    "indicator": ind.id,
                    "rule": "stated_only",
                    "year": None,
                    "value": None,
                    "why": why,
                }
            )
        if notes:
            d["assumption"] = "；".join(notes)
        rule = d.get("rule")
        if rule:
            for key in ("rate", "increment", "change", "value", "share"):
                if key in rule:
                    rule[key] = _shift_years(rule[key], shift)
            if rule["kind"] == "path":
                rule["values"] = {
                    y: v for y, v in _shift_years(rule["values"], shift).items() if y > base_year
                }
                if not rule["values"]:
                    d["rule"] = {"kind": "hold"}
            if rule["kind"] == "cumulative":
                rule["start"] = new_start
        indicators.append(d)
    have = {d["id"]: d for d in indicators}
    _rebase_sums(scenario, actuals, base_year, plan_at, have, bases, gaps)
    return indicators, bases, gaps


def _statuses(actuals) -> dict:
    table = actuals.table
    if "status" not in getattr(table, "columns", []):
        return {}
    return {
        (i, int(y)): s
        for i, y, s in zip(table["indicator"], table["year"], table["status"], strict=True)
        if isinstance(s, str) and s in ("预计", "估算")
    }


def _rebase_sums(scenario, actuals, base_year, plan_at, have, bases, gaps) -> None:
    """Parts of a sum-linked total without a period-end actual share the total's actual."""
    by_id = {b["indicator"]: b for b in bases}
    for ind in scenario.indicators:
        if ind.rule is None or ind.rule.kind != "sum":
            continue
        total = actuals.series(ind.id).get(base_year)
        parts = list(ind.rule.of)
        known = {p: actuals.series(p).get(base_year) for p in parts}
        missing = [p for p in parts if known[p] is None]
        if total is None:
            continue
        if not missing:
            s = sum(known.values())
            if abs(s - total) > 0.005 * abs(total):
                by_id[ind.id]["why"] += (
                    f"；分项实绩合计{fmt(round(s, 4))}与总量实绩{fmt(total)}不一致，"
                    "总量按分项合计计算"
                )
                by_id[ind.id]["inconsistent"] = (s, total)
            continue
        rest = total - sum(v for v in known.values() if v is not None)
        weights = [plan_at(p, base_year) for p in missing]
        if not all(math.isfinite(w) and w > 0 for w in weights):
            weights = [1.0] * len(missing)
        wsum = sum(weights)
        for p, w in zip(missing, weights, strict=True):
            value = rest * w / wsum
            d = have[p]
            d["base"] = {"year": base_year, "value": round(value, 6), "status": "估算"}
            why = (
                f"缺{base_year}年实绩：按{ind.name_zh}{base_year}年实绩{fmt(total)}减已知分项，"
                f"按原规划比例分摊为{fmt(round(value, 4))}（估算），使总量与分项取同年实绩"
            )
            d["assumption"] = why
            d["source"] = f"{base_year}年总量实绩分摊（{Path(actuals.file).name}）"
            by_id[p].update({"rule": "sum_share", "year": base_year, "value": value, "why": why})
            gaps[:] = [
                g for g in gaps if not g.startswith(f"{scenario.indicator(p).name_zh}（{p}）")
            ]


# ---- targets -------------------------------------------------------------------------------------
def _observed(r: dict, add: bool) -> float:
    """Observed yearly pace of a review row: change [unit/yr] if additive else growth [1/yr]."""
    if r["kind"] == "cumulative":
        return r["observed_pace"]
    if r["latest_year"] is None or not math.isfinite(r["start_value"]):
        return math.nan
    n = r["latest_year"] - r["start_year"]
    if n <= 0:
        return math.nan
    if add or r["kind"] in ("pp_change", "increment"):
        return (r["latest_value"] - r["start_value"]) / n
    if r["start_value"] > 0 and r["latest_value"] > 0:
        return (r["latest_value"] / r["start_value"]) ** (1 / n) - 1
    return math.nan


def _required(r: dict, add: bool) -> float:
    """Yearly pace the old target asked for (same terms as :func:`_observed`)."""
    if r["kind"] == "cumulative":
        return r["required_pace"]
    n = r["year"] - r["start_year"]
    if n <= 0 or not (math.isfinite(r["start_value"]) and math.isfinite(r["target_level"])):
        return math.nan
    if add or r["kind"] in ("pp_change", "increment"):
        return (r["target_level"] - r["start_value"]) / n
    if r["kind"] == "growth":
        return r["target"] / 100.0
    if r["start_value"] > 0 and r["target_level"] > 0:
        return (r["target_level"] / r["start_value"]) ** (1 / n) - 1
    return math.nan


def _floor_or_ceiling(op: str, required: float) -> bool:
    """Whether a target is a line to hold, carried rather than re-derived from the new base.

    That is a ≥ target that asked for no rise (保持在65万吨以上), or a ≤ target that allowed
    a rise (失业率控制在5.5%以内).
    """
    if not math.isfinite(required):
        return False
    return (op in (">=", ">") and required <= 0) or (op in ("<=", "<") and required >= 0)


def _apply_pace(kind: str, pace: float, base, n_new: int, n_sum: int, add: bool) -> float:
    """Return the new stated value of a target from a yearly pace."""
    if kind == "growth":
        return pace * 100.0
    if kind == "cumulative":
        return pace * n_sum
    if kind in ("pp_change", "increment"):
        return pace * n_new
    if base is None:
        return math.nan
    return base + pace * n_new if add else base * (1 + pace) ** n_new


def plan_rollforward(
    scenario: Scenario,
    actuals: Actuals,
    period: tuple[int, int] | None = None,
    rules: dict | None = None,
    target_rules: dict | None = None,
    values: dict | None = None,
    id: str | None = None,
    name: str | None = None,
    reviewed: Review | None = None,
    wide_miss: float = 0.6,
    jump_threshold: float = 0.03,
    check: bool = True,
) -> RollForward:
    """Build the next period's scenario and say how every value was made.

    Parameters
    ----------
    scenario : Scenario
        The reviewed plan.
    actuals : Actuals
        Its actuals (validated against ``scenario``).
    period : (int, int), optional
        New plan period; default the next one of equal length. Its base year is ``period[0] - 1``.
    rules : dict, optional
        Target kind → rule (:data:`ROLL_RULES`), over :data:`DEFAULT_RULES` (``auto``).
    target_rules : dict, optional
        Target id → rule, over ``rules``.
    values : dict, optional
        Target id → stated value, over any rule (a planner's own figure).
    id, name : str, optional
        New scenario id and name (default: 14fyp → 15fyp, 十四五 → 十五五).
    reviewed : Review, optional
        A final review of ``scenario`` by ``actuals`` (computed when missing).
    wide_miss : float
        Progress ratio below which ``auto`` does not re-impose the failed pace [1].
    jump_threshold : float
        Largest tolerated difference between the first plan year's change and the path's
        own yearly change, relative to the last actual [1] (0.03 = 3 %).
    check : bool
        Evaluate and audit the new scenario and explain its warnings.

    Returns
    -------
    RollForward
    """
    rules = {**DEFAULT_RULES, **(rules or {})}
    target_rules = dict(target_rules or {})
    values = dict(values or {})
    _check_rules(rules, target_rules, scenario)
    unknown = set(values) - {t.id for t in scenario.targets}
    if unknown:
        raise RollForwardError(
            f"values: {', '.join(sorted(unknown))} not targets of {scenario.meta.id}"
        )
    s0, e0 = scenario.meta.period
    if period is None:
        period = (e0 + 1, e0 + (e0 - s0 + 1))
    new_start, new_end = int(period[0]), int(period[1])
    if not (new_start > scenario.meta.base_year and new_start <= new_end):
        raise RollForwardError(
            f"period {list(period)}: must satisfy start <= end and start > "
            f"{scenario.meta.base_year}"
        )
    base_year = new_start - 1
    shift = new_end - e0
    n_new = new_end - base_year
    rv = reviewed or review(
        scenario, actuals, as_of=min(base_year, int(actuals.table["year"].max()))
    )
    plan = Model(scenario).evaluate()

    def plan_at(ind_id, year):
        try:
            return float(plan.at(ind_id, year)[0])
        except (KeyError, IndexError):
            return float("nan")

    # ---- meta
    meta = scenario.meta.model_dump(exclude_none=True)
    old_id, old_name = meta["id"], meta["name"]
    new_id = id or next(
        (old_id.replace(a, b) for a, b in _PERIOD_IDS.items() if a in old_id), f"{old_id}-next"
    )
    new_name = name or next(
        (old_name.replace(a, b) for a, b in _PERIOD_NAMES.items() if a in old_name),
        f"{old_name}（{new_start}–{new_end}）",
    )
    if meta.get("name_en"):
        meta["name_en"] = f"{meta['name_en']} — rolled forward to {new_start}–{new_end}"
    meta.update(id=new_id, name=new_name, base_year=base_year, period=[new_start, new_end])
    meta["sources"] = list(meta.get("sources", [])) + [
        {
            "document": Path(actuals.file).name,
            "section": f"{s0}–{e0}年实绩（规划评估）",
            "note": f"基期{base_year}年取实绩；由 planlib rollforward 自 {old_id} 生成",
        }
    ]
    meta["notes"] = (
        f"由《{old_name}》滚动编制：基期{base_year}年取实绩（缺实绩的指标标明数据不足，不以规划值代替），"
        f"目标逐项按规则顺延至{new_end}年，规则写在各目标的 source 中。"
        + (" " + meta["notes"] if meta.get("notes") else "")
    )

    # ---- indicators
    referenced = set()
    from ..scenario import rule_references

    for ind in scenario.indicators:
        if ind.rule is not None:
            refs = rule_references(ind.rule)
            referenced.update(refs[0])
            referenced.update(refs[1])
    indicators, bases, gaps = _rebase(
        scenario, actuals, base_year, plan_at, referenced, new_start, shift
    )
    have = {d["id"]: d for d in indicators}
    base_rule = {b["indicator"]: b for b in bases}

    # ---- targets
    far = {}  # indicator → (year, level, id, binding) of a goal after the old period (2035)
    for t in scenario.targets:
        if (
            t.year > e0
            and t.kind in ("level", "pp_change", "increment", "growth")
            and t.value is not None
        ):
            r = rv.row(t.id)
            if math.isfinite(r["target_level"]):
                # a goal the trend already reaches does not pull the 2030 target down
                binding = not (r["projected_met"] and math.isfinite(r["projected_end"]))
                far.setdefault(t.indicator, (t.year, r["target_level"], t.id, binding))
    targets, decisions = [], []
    for t in scenario.targets:
        ind = scenario.indicator(t.indicator)
        unit = ind.unit
        add = additive(unit)
        if t.year > e0:  # a 远景目标 (2035): kept as it is
            d = t.model_dump(exclude_none=True)
            d["source"] = f"沿用{old_id}远景目标 {t.id}"
            targets.append(d)
            decisions.append(
                {
                    "target": t.id,
                    "old": t.id,
                    "rule": "carry",
                    "old_value": float(t.value) if t.value is not None else None,
                    "value": float(t.value) if t.value is not None else None,
                    "why": "期后远景目标，原样保留",
                }
            )
            continue
        rule = target_rules.get(t.id) or rules.get(t.kind, "auto")
        if rule == "drop" and t.id not in values:
            continue
        r = rv.row(t.id)
        b = have[t.indicator].get("base")
        base = b["value"] if (b is not None and b["year"] == base_year) else None
        gap = base_rule[t.indicator]["rule"] in ("latest_actual", "kept", "stated_only")
        old = float(t.value) if t.value is not None else None
        value, why = old, ""
        n_sum = new_end - new_start + 1
        if t.id in values:
            value, rule, why = float(values[t.id]), "value", "规划人员给定"
        elif t.kind in ("qualitative", "relative_growth", "reduction") and rule in (
            "auto",
            "carry",
        ):
            rule, why = "carry", "沿用原表述"
        elif rule == "auto":
            obs, req = _observed(r, add), _required(r, add)
            ratio = r["ratio"]
            fy, flevel, fid, binding = far.get(t.indicator, (None, math.nan, None, False))
            far_note = (
                f"（{fy}年远景目标 {fid} 按期内趋势可实现，不据此下调）"
                if fid is not None and not binding
                else ""
            )
            if binding and t.kind in ("level", "growth", "pp_change", "increment"):
                rule = "toward"
            elif gap:
                rule, why = "carry", f"缺{base_year}年实绩（数据不足），目标沿用原值，待补数后重算"
            elif (
                t.kind in _PACED_KINDS
                and not r["achieved"]
                and math.isfinite(ratio)
                and ratio < wide_miss
                and math.isfinite(obs)
            ):
                higher = r["direction"] != "lower"
                floored = max(obs, 0.0) if higher else min(obs, 0.0)
                rule = "trend_floor"
                old_req = (
                    f"{req * 100:.2f}%/年"
                    if (not add and t.kind in ("level", "growth"))
                    else f"{req:.4g}{'百分点' if add and t.kind != 'cumulative' else ''}/年"
                )
                why = (
                    f"原目标进度比{ratio:.2f}<{wide_miss:g}（大幅未完成），不按未实现的要求步伐"
                    f"（{old_req}）重提，按期内实际步伐"
                    + ("（不低于基期）" if floored != obs else "")
                    + "推算；如需更高目标请给定数值"
                )
                value = _apply_pace(t.kind, floored, base, n_new, n_sum, add)
            elif t.kind == "level" and _floor_or_ceiling(t.op, req):
                rule, why = (
                    "carry",
                    (
                        "底线（≥）目标未要求提高，沿用原值"
                        if t.op in (">=", ">")
                        else "上限（≤）目标未要求下降，沿用原值"
                    ),
                )
            elif t.kind == "level":
                rule = "reset"
            else:
                rule, why = "carry", "沿用原值"
            why += far_note
        if rule == "toward":
            fy, flevel, fid, _ = far.get(t.indicator, (None, math.nan, None, False))
            start = base if base is not None else math.nan
            if (fy is None or not math.isfinite(start)) and t.id not in target_rules:
                rule, why = "carry", f"缺{base_year}年实绩或期后目标（数据不足），沿用原值"
            elif fy is None or not math.isfinite(start):
                raise RollForwardError(
                    f"target {t.id!r}: rule 'toward' needs a target of {t.indicator!r} after "
                    f"{e0} and its {base_year} actual; use carry or give a value"
                )
        if rule == "toward":
            frac = (new_end - base_year) / (fy - base_year)
            if add or t.kind in ("pp_change", "increment") or not (start > 0 and flevel > 0):
                level = start + (flevel - start) * frac
            else:
                level = start * (flevel / start) ** frac
            if t.kind == "level":
                value = level
            elif t.kind == "growth":
                value = ((level / start) ** (1 / n_new) - 1) * 100.0
            else:
                value = level - start
            why = (
                f"由{base_year}年实绩{fmt(round(start, 4))}按通往{fy}年远景目标 {fid}"
                f"（{fmt(round(flevel, 4))}）的{'线性' if add else '等比'}路径取{new_end}年值"
            )
        elif rule in ("reset", "trend"):
            pace = _required(r, add) if rule == "reset" else _observed(r, add)
            if t.kind in ("growth",) and rule == "reset":
                pace = old / 100.0
            missing = not math.isfinite(pace) or (t.kind == "level" and base is None)
            if missing and t.id not in target_rules:
                rule, why = "carry", "无实绩步伐或基期实绩（数据不足），沿用原值"
            elif missing:
                raise RollForwardError(
                    f"target {t.id!r}: rule {rule!r} needs the "
                    f"{'required' if rule == 'reset' else 'observed'} pace and the "
                    f"{base_year} actual of {t.indicator!r}, which the review could not "
                    f"give ({r['class_zh']}); use carry, rescale or give a value"
                )
            else:
                value = _apply_pace(t.kind, pace, base, n_new, n_sum, add)
                how = (
                    "年均增量"
                    if (add or t.kind in ("pp_change", "increment", "cumulative"))
                    else "年均增速"
                )
                shown = f"{pace * 100:.2f}%" if how == "年均增速" else f"{pace:.4g}"
                why = f"{'原目标要求的' if rule == 'reset' else '期内实际'}{how}{shown}" + (
                    f"自{base_year}年实绩{fmt(base)}起推算"
                    if t.kind == "level"
                    else f"×{n_new}年"
                    if t.kind != "growth"
                    else ""
                )
        elif rule == "rescale":
            start = r["start_value"]
            if t.kind != "level":
                rule, why = "carry", "非水平目标，沿用原值"
            elif (base is None or not math.isfinite(start)) and t.id not in target_rules:
                rule, why = "carry", f"缺原起点或{base_year}年实绩（数据不足），沿用原值"
            elif base is None or not math.isfinite(start):
                raise RollForwardError(
                    f"target {t.id!r}: rescale needs the old start and the {base_year} "
                    f"actual of {t.indicator!r}; use carry or give a value"
                )
            elif add:
                value = base + (old - start)
                why = f"保持与基期之差：{fmt(base)} + ({fmt(old)} − {fmt(round(start, 4))})"
            else:
                value = old * base / start
                why = f"保持与基期之比：{fmt(old)} × {fmt(base)} / {fmt(round(start, 4))}"
        elif rule == "carry" and not why:
            why = "沿用原值"
        if value is not None and t.kind in ("level", "cumulative", "increment"):
            value = _round_target(value, unit, t.op)
        elif value is not None:
            value = round(value, 2)
        new_year = t.year + shift
        d = t.model_dump(exclude_none=True)
        d["id"] = t.id.replace(str(t.year), str(new_year)) if str(t.year) in (t.id or "") else t.id
        d["year"] = new_year
        d.pop("from_year", None)
        if t.kind == "cumulative":
            d["from_year"] = new_start
        if value is not None:
            d["value"] = value
        label = RULE_ZH.get(rule, rule)
        if value != old:
            d.pop("wording", None)
            d["source"] = f"由{old_id}目标 {t.id}（{fmt(old)}）按 {rule}（{label}）规则滚动：{why}"
        else:
            d["source"] = f"沿用{old_id}目标 {t.id}（{rule}：{why}）"
        targets.append(d)
        decisions.append(
            {
                "target": d["id"],
                "old": t.id,
                "rule": rule,
                "old_value": old,
                "value": value,
                "why": why,
            }
        )

    # ---- checks
    checks = []
    for c in scenario.checks:
        d = c.model_dump(exclude_none=True)
        if c.kind == "shares_sum":
            if all(base_year in actuals.series(i) for i in c.indicators):
                d["year"] = base_year
                if d.get("label_zh"):
                    d["label_zh"] = f"{base_year}年" + d["label_zh"].split("”末", 1)[-1]
            else:
                continue
        if d.get("years"):
            d["years"] = [min(max(y + shift, base_year), new_end) for y in d["years"]]
        checks.append(d)

    out = {"meta": meta}
    if getattr(scenario, "units", None):  # the file's own unit declarations travel with it
        out["units"] = [u.model_dump(exclude_none=True) for u in scenario.units]
    out |= {
        "parameters": [p.model_dump(exclude_none=True) for p in scenario.parameters],
        "indicators": indicators,
        "targets": targets,
        "checks": checks,
    }
    if scenario.correlations:
        out["correlations"] = [c.model_dump() for c in scenario.correlations]
    result = RollForward(_plain(out), decisions, bases, gaps, [])
    for b in bases:
        if "inconsistent" in b:
            s, total = b["inconsistent"]
            result.warnings.append(
                f"{b['indicator']}: {base_year}年分项实绩合计{fmt(round(s, 4))}与总量实绩"
                f"{fmt(total)}不一致；新规划总量按分项合计计算，请核对统计口径"
            )
    if check:
        _check(result, scenario, actuals, base_year, new_start, new_end, jump_threshold)
    return result


def _check(
    result: RollForward, scenario, actuals, base_year, new_start, new_end, threshold
) -> None:
    """Jumps at the seam and audit warnings of the new scenario, each explained."""
    from ..auditing import audit

    sc = parse_scenario(dump_yaml(result.data), file=f"{result.data['meta']['id']}.yaml")
    traj = Model(sc).evaluate()
    years = [int(y) for y in traj.years]
    base_of = {b["indicator"]: b for b in result.bases}
    for ind in sc.indicators:
        series = {y: v for y, v in actuals.series(ind.id).items() if y <= base_year}
        if not series or ind.id not in traj.indicators:
            continue
        last = max(series)
        a = series[last]
        if new_end not in years or new_start not in years or not a:
            continue
        path = [float(traj.at(ind.id, y)[0]) for y in range(new_start, new_end + 1)]
        if not all(math.isfinite(v) for v in path):
            continue
        first = path[0]
        steps = [(path[k + 1] / path[k] - 1) if path[k] else math.nan for k in range(len(path) - 1)]
        steps = [s for s in steps if math.isfinite(s)]
        own = sorted(steps)[len(steps) // 2] if steps else 0.0
        years_between = new_start - last
        jump = (
            (first / a) ** (1 / years_between) - 1
            if (first > 0 and a > 0)
            else (first - a) / abs(a)
        )
        if abs(jump - own) > threshold:
            result.warnings.append(
                f"{ind.id}: "
                f"从{last}年实绩{fmt(round(a, 4))}到{new_start}年规划值{fmt(round(first, 4))}，"
                f"年均变化{jump * 100:.1f}%，"
                f"与新规划路径自身的{own * 100:.1f}%相差超过{threshold * 100:g}%（跳变）——原因："
                f"{_cause(sc, ind, base_of.get(ind.id, {}))}"
            )
    rep = audit(sc)
    dec = {d["target"]: d for d in result.decisions}
    for r in rep.rows:
        if r["status"] in ("warning", "error"):
            d = dec.get(r["id"], {})
            reason = (
                f"该目标按 {d.get('rule')} 规则为{fmt(d['value'])}，"
                "沿用的原参数默认值使规划路径未达到；请调整参数或目标"
                if d.get("value") is not None
                else ""
            )
            ind_base = base_of.get(r["indicator"], {})
            if ind_base.get("rule") in ("stated_only", "kept", "latest_actual"):
                reason = f"{ind_base['why']}"
            elif "无法由情景规则推出" in r["message"] or "缺少数据" in r["message"]:
                rule_of = sc.indicator(r["indicator"]).rule
                reason = (
                    "该指标无测算规则（原文仅列示目标），新规划路径无法推算，目标由规划人员判断"
                    if rule_of is None
                    else "其计算所依赖的指标缺少基期实绩（见数据不足）"
                )
            result.warnings.append(
                f"{r['id']}: 审计{r['status']}：{r['message']}——原因：{reason or '见目标来源'}"
            )


def _cause(sc: Scenario, ind, base: dict) -> str:
    """Why the first plan year of an indicator departs from its last actual."""
    rule = ind.rule
    if rule is None:
        return base.get("why", "无测算规则")
    from ..scenario import rule_references

    names, params = rule_references(rule)
    if rule.kind in _LINKED:
        return f"由{rule.kind}规则自{'、'.join(names) or '其他指标'}计算，其分项未全部取同年实绩"
    if params:
        defaults = {p.name: p.default for p in sc.parameters}
        shown = "、".join(f"{p}={fmt(defaults[p])}" for p in params if p in defaults)
        return (
            f"{rule.kind}规则的参数{shown}沿用原规划默认值，与期内实绩不符；"
            "请按新目标调整参数（目标本身已按规则滚动）"
        )
    return f"{rule.kind}规则沿用原规划设定"


def roll_forward(
    scenario: Scenario,
    actuals: Actuals,
    period: tuple[int, int] | None = None,
    rules: dict | None = None,
    target_rules: dict | None = None,
    values: dict | None = None,
    id: str | None = None,
    name: str | None = None,
    reviewed: Review | None = None,
    **kwargs,
) -> dict:
    """Return next period's scenario in file form (a plain dict); see :func:`plan_rollforward`."""
    return plan_rollforward(
        scenario,
        actuals,
        period,
        rules,
        target_rules,
        values,
        id,
        name,
        reviewed,
        check=False,
        **kwargs,
    ).data


def write_rollforward(
    path, scenario: Scenario, actuals: Actuals, overwrite: bool = False, **kwargs
) -> Path:
    """Write the roll-forward of ``scenario`` to ``path`` (validated, atomic).

    The file's head comment lists the data gaps and warnings; each target's ``source``
    says which rule made it.

    Parameters
    ----------
    path : str or os.PathLike
        New scenario file (``.yaml``).
    scenario, actuals, **kwargs
        As for :func:`plan_rollforward`.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    RollForwardError
        For a bad rule, period or target id.
    planlib.errors.ScenarioError
        If the generated text does not validate (nothing is written then).
    """
    return write_planned(
        plan_rollforward(scenario, actuals, **kwargs), path, scenario, actuals, overwrite=overwrite
    )


def write_planned(
    rf: RollForward, path, scenario: Scenario, actuals: Actuals, overwrite: bool = False
) -> Path:
    """Write a :class:`RollForward` made by :func:`plan_rollforward` (validated, atomic)."""
    data = rf.data
    head = [
        f"# {data['meta']['name']}",
        f"# 由 planlib rollforward 自 {scenario.meta.id} 与实绩 {Path(actuals.file).name} 生成；"
        "基期取实绩，目标按规则滚动（规则见各目标 source），请逐项复核。",
    ]
    head += [f"# 数据不足：{g}" for g in rf.gaps]
    head += [f"# 提示：{w}" for w in rf.warnings]
    text = "\n".join(head) + "\n" + dump_yaml(data)
    parse_scenario(text, file=str(path))  # raises before anything is written
    return write_atomic(path, text, overwrite=overwrite)

"""Roll a reviewed plan forward (滚动编制): a scenario file for the next plan period.

The new file starts from the real end of the old period — every indicator's base
is its actual value in the old period's last year (2025 for 十四五), or the plan's
own value where no actual exists (said so in ``assumption``) — and covers the next
period of the same length (2026–2030). Each target moves to the new period by a
rule, chosen per target kind or per target:

``carry``
    keep the stated value (≥ 50 亿元 stays 50; 年均增长 10 % stays 10 %).
``rescale``
    keep the target's ratio to its start level: a level target becomes
    ``value × new base / old start`` (50 / 35 × 47.5 = 67.86 亿元); other kinds carry.
``reset``
    re-derive from the new base at the pace the old target required: a level
    target becomes ``base × (1 + required rate) ** years`` (or base + required
    increment × years for shares and counts); 百分点, increment and cumulative
    targets take the old required yearly amount × the new period's years;
    growth targets keep their rate.
``trend``
    as ``reset``, at the pace actually observed.
``drop``
    leave the target out.

Defaults (:data:`DEFAULT_RULES`): level targets ``reset``, all others ``carry``.
The text is validated by loading it before anything is written, and written
atomically; the result loads with :func:`planlib.load_scenario` and passes
``planlib audit``.
"""

from __future__ import annotations

import math
from pathlib import Path

from .actuals import Actuals
from ..errors import PlanlibError
from ..model import Model
from .review import Review, review
from ..scenario import Scenario, dump_yaml, parse_scenario, write_atomic
from ..units import get_unit

__all__ = ["DEFAULT_RULES", "ROLL_RULES", "RollForwardError", "roll_forward", "write_rollforward"]

ROLL_RULES = ("carry", "rescale", "reset", "trend", "drop")
DEFAULT_RULES = {"level": "reset", "growth": "carry", "pp_change": "carry", "increment": "carry",
                 "cumulative": "carry"}
_PERIOD_NAMES = {"十二五": "十三五", "十三五": "十四五", "十四五": "十五五", "十五五": "十六五"}
_PERIOD_IDS = {"12fyp": "13fyp", "13fyp": "14fyp", "14fyp": "15fyp", "15fyp": "16fyp"}
_LINKED = ("formula", "sum", "ratio", "share", "cumulative")


class RollForwardError(PlanlibError, ValueError):
    """A roll-forward that cannot be made (bad rule, period, or target id)."""


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
    """Counts to whole numbers (up for ≥, down for ≤), everything else to 2 decimals."""
    if get_unit(unit).dimension.startswith("count:"):
        return float(math.ceil(value - 1e-9) if op == ">=" else math.floor(value + 1e-9) if op == "<=" else round(value))
    return round(float(value), 2)


def _check_rules(rules: dict, target_rules: dict, scenario: Scenario):
    kinds = set(DEFAULT_RULES)
    for k, r in rules.items():
        if k not in kinds:
            raise RollForwardError(f"rules: {k!r} is not a target kind; use one of {', '.join(sorted(kinds))}")
        if r not in ROLL_RULES:
            raise RollForwardError(f"rules.{k}: {r!r} is not a roll-forward rule; use one of {', '.join(ROLL_RULES)}")
    ids = [t.id for t in scenario.targets]
    for k, r in target_rules.items():
        if k not in ids:
            raise RollForwardError(f"target_rules: {k!r} is not a target of {scenario.meta.id}; have {', '.join(ids)}")
        if r not in ROLL_RULES:
            raise RollForwardError(f"target_rules.{k}: {r!r} is not a roll-forward rule; use one of "
                                   f"{', '.join(ROLL_RULES)}")


def roll_forward(scenario: Scenario, actuals: Actuals, period: tuple[int, int] | None = None,
                 rules: dict | None = None, target_rules: dict | None = None,
                 values: dict | None = None, id: str | None = None, name: str | None = None,
                 reviewed: Review | None = None) -> dict:
    """Build the next period's scenario (file form, a plain dict).

    Parameters
    ----------
    scenario : Scenario
        The reviewed plan.
    actuals : Actuals
        Its actuals (validated against ``scenario``).
    period : (int, int), optional
        New plan period; default the next period of equal length (2026–2030 after
        2021–2025). Its base year is ``period[0] - 1``.
    rules : dict, optional
        Target kind → rule (:data:`ROLL_RULES`), over :data:`DEFAULT_RULES`.
    target_rules : dict, optional
        Target id → rule, over ``rules``.
    values : dict, optional
        Target id → stated value, over any rule (a planner's own figure).
    id, name : str, optional
        New scenario id and name (default: 14fyp → 15fyp, 十四五 → 十五五).
    reviewed : Review, optional
        A review of ``scenario`` by ``actuals`` (computed when missing).

    Returns
    -------
    dict
        The new scenario in file form (see :func:`write_rollforward`).
    """
    rules = {**DEFAULT_RULES, **(rules or {})}
    target_rules = dict(target_rules or {})
    values = dict(values or {})
    _check_rules(rules, target_rules, scenario)
    unknown = set(values) - {t.id for t in scenario.targets}
    if unknown:
        raise RollForwardError(f"values: {', '.join(sorted(unknown))} not targets of {scenario.meta.id}")
    s0, e0 = scenario.meta.period
    if period is None:
        period = (e0 + 1, e0 + (e0 - s0 + 1))
    new_start, new_end = int(period[0]), int(period[1])
    if not (new_start > scenario.meta.base_year and new_start <= new_end):
        raise RollForwardError(f"period {list(period)}: must satisfy start <= end and start > "
                               f"{scenario.meta.base_year}")
    base_year = new_start - 1
    shift = new_end - e0
    n_new = new_end - base_year
    rv = reviewed or review(scenario, actuals)
    plan = Model(scenario).evaluate()

    def plan_at(ind_id, year):
        try:
            return float(plan.at(ind_id, year)[0])
        except KeyError:
            return float("nan")

    # ---- meta
    meta = scenario.meta.model_dump(exclude_none=True)
    old_id, old_name = meta["id"], meta["name"]
    new_id = id or next((old_id.replace(a, b) for a, b in _PERIOD_IDS.items() if a in old_id), f"{old_id}-next")
    new_name = name or next((old_name.replace(a, b) for a, b in _PERIOD_NAMES.items() if a in old_name),
                            f"{old_name}（{new_start}–{new_end}）")
    if meta.get("name_en"):
        meta["name_en"] = f"{meta['name_en']} — rolled forward to {new_start}–{new_end}"
    meta.update(id=new_id, name=new_name, base_year=base_year, period=[new_start, new_end])
    meta["sources"] = list(meta.get("sources", [])) + [
        {"document": Path(actuals.file).name, "section": f"{s0}–{e0}年实绩（规划评估）",
         "note": f"基期{base_year}年取实绩；由 planlib rollforward 自 {old_id} 生成"}]
    meta["notes"] = (f"由《{old_name}》滚动编制：基期{base_year}年取实绩，目标按规则"
                     f"（{', '.join(f'{k}={v}' for k, v in rules.items())}）顺延至{new_end}年。"
                     + (" " + meta["notes"] if meta.get("notes") else ""))

    # ---- indicators
    indicators = []
    for ind in scenario.indicators:
        d = ind.model_dump(exclude_none=True)
        actual = actuals.series(ind.id).get(base_year)
        linked = ind.rule is not None and ind.rule.kind in _LINKED
        notes = [d["assumption"]] if d.get("assumption") else []
        d.pop("history", None)
        d.pop("base", None)
        if actual is not None:
            d["base"] = {"year": base_year, "value": round(float(actual), 6)}
            d["source"] = f"{base_year}年实绩（{Path(actuals.file).name}）"
        elif linked:
            pass  # computed from the indicators it links to
        elif ind.rule is not None and math.isfinite(plan_at(ind.id, base_year)):
            d["base"] = {"year": base_year, "value": round(plan_at(ind.id, base_year), 6)}
            notes.append(f"无{base_year}年实绩，基期取原规划值")
        elif ind.known:
            last = max(ind.known)
            d["history"] = {last: ind.known[last]}
            notes.append(f"无{base_year}年实绩，保留{last}年值")
        if notes:
            d["assumption"] = "；".join(notes)
        rule = d.get("rule")
        if rule:
            for key in ("rate", "increment", "change", "value", "share"):
                if key in rule:
                    rule[key] = _shift_years(rule[key], shift)
            if rule["kind"] == "path":
                rule["values"] = {y: v for y, v in _shift_years(rule["values"], shift).items() if y > base_year}
                if not rule["values"]:
                    d["rule"] = {"kind": "hold"}
            if rule["kind"] == "cumulative":
                rule["start"] = new_start
        indicators.append(d)
    have = {d["id"]: d for d in indicators}

    # ---- targets
    targets = []
    for t in scenario.targets:
        rule = target_rules.get(t.id) or rules[t.kind]
        if rule == "drop" and t.id not in values:
            continue
        r = rv.row(t.id)
        ind_unit = scenario.indicator(t.indicator).unit
        base = have[t.indicator].get("base", {}).get("value")
        value = float(t.value)
        method = r["method"]
        if t.id in values:
            value, rule = float(values[t.id]), "value"
        elif rule in ("reset", "trend"):
            pace = r["required_pace"] if rule == "reset" else r["observed_pace"]
            fallback = not math.isfinite(pace) or (t.kind == "level" and base is None)
            if fallback and t.id not in target_rules:
                rule = "carry"  # a kind-wide rule: a target without the data keeps its value
            elif not math.isfinite(pace):
                raise RollForwardError(f"target {t.id!r}: rule {rule!r} needs the {'required' if rule == 'reset' else 'observed'} "
                                       f"pace, which the review could not compute ({r['class_zh']}); "
                                       "use carry, rescale or give a value")
            if rule == "carry":
                pass
            elif t.kind == "level":
                if base is None:
                    raise RollForwardError(f"target {t.id!r}: rule {rule!r} needs a {base_year} value of "
                                           f"{t.indicator!r}; use carry or give a value")
                value = base * (1 + pace / 100.0) ** n_new if method == "compound" else base + pace * n_new
            elif t.kind == "growth":
                value = pace if rule == "trend" else value
            else:  # pp_change, increment, cumulative: per-year amount × years
                value = pace * (n_new if t.kind != "cumulative" else new_end - new_start + 1)
        elif rule == "rescale" and t.kind == "level":
            if base is None or not (r["start_value"] and math.isfinite(r["start_value"])):
                raise RollForwardError(f"target {t.id!r}: rescale needs the old start and the new base of "
                                       f"{t.indicator!r}; use carry or give a value")
            value = value * base / r["start_value"]
        if t.kind in ("level", "cumulative", "increment"):
            value = _round_target(value, ind_unit, t.op)
        else:
            value = round(value, 2)
        new_year = t.year + shift
        d = t.model_dump(exclude_none=True)
        d["id"] = (t.id.replace(str(t.year), str(new_year)) if str(t.year) in (t.id or "") else t.id)
        d["year"] = new_year
        d.pop("from_year", None)
        if t.kind == "cumulative":
            d["from_year"] = new_start
        d["value"] = value
        if value != float(t.value):
            d.pop("wording", None)
            d["source"] = f"由{old_id}目标 {t.id}（{fmt(t.value)}）按 {rule} 规则滚动"
        else:
            d["source"] = f"沿用{old_id}目标 {t.id}"
        targets.append(d)

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

    out = {"meta": meta,
           "parameters": [p.model_dump(exclude_none=True) for p in scenario.parameters],
           "indicators": indicators, "targets": targets, "checks": checks}
    if scenario.correlations:
        out["correlations"] = [c.model_dump() for c in scenario.correlations]
    return _plain(out)


def fmt(x) -> str:
    """A stated value as written: 50, 9.5."""
    return f"{float(x):g}"


def write_rollforward(path, scenario: Scenario, actuals: Actuals, overwrite: bool = False, **kwargs) -> Path:
    """Write the roll-forward of ``scenario`` to ``path`` (validated, atomic).

    Parameters
    ----------
    path : str or os.PathLike
        New scenario file (``.yaml``).
    scenario, actuals, **kwargs
        As for :func:`roll_forward`.
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
    data = roll_forward(scenario, actuals, **kwargs)
    head = (f"# {data['meta']['name']}\n"
            f"# 由 planlib rollforward 自 {scenario.meta.id} 与实绩 {Path(actuals.file).name} 生成；"
            "基期取实绩，目标按规则滚动，请逐项复核。\n")
    text = head + dump_yaml(data)
    parse_scenario(text, file=str(path))  # raises before anything is written
    return write_atomic(path, text, overwrite=overwrite)

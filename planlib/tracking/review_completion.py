"""完成情况 of a final review (终期评估): 超额完成, 完成, 基本完成, 未完成 and the summary.

A final review judges each target from the actual of its target year
(:func:`completion_outcome`): 超额完成, 完成 (equality at the plan's stated precision
is 完成), 基本完成 (short by at most the stated tolerance, or inside the 左右 band on
the weaker side), 未完成, 定性（待评价） for qualitative targets, 数据不足 where the
target year's actual (or, for a 〔〕 sum, any year's) is missing — never filled from
the plan — and 未到期 for targets after the review year (2035 远景目标). Each row
carries the 完成率 (:func:`completion_rate`) and the gap; :func:`outcome_summary`
writes the paragraph "N项指标中完成X项……".
"""

from __future__ import annotations

import math

import numpy as np

from .. import growth
from ..formatting import decimals_for, fmt_number
from ..targets import default_tolerance
from ..units import get_unit

__all__ = [
    "OUTCOMES",
    "OUTCOME_COLORS",
    "OUTCOME_EN",
    "OUTCOME_ZH",
    "completion_outcome",
    "completion_rate",
    "outcome_summary",
]

#: 完成情况 of a final review (终期评估), in the order a 完成情况表 counts them
OUTCOMES = (
    "exceeded",
    "completed",
    "basically",
    "not_completed",
    "qualitative",
    "insufficient_data",
    "not_due",
)
OUTCOME_ZH = {
    "exceeded": "超额完成",
    "completed": "完成",
    "basically": "基本完成",
    "not_completed": "未完成",
    "qualitative": "定性（待评价）",
    "insufficient_data": "数据不足",
    "not_due": "未到期",
}
OUTCOME_EN = {
    "exceeded": "exceeded",
    "completed": "completed",
    "basically": "basically completed",
    "not_completed": "not completed",
    "qualitative": "qualitative (to be assessed)",
    "insufficient_data": "insufficient data",
    "not_due": "not yet due",
}
#: Excel fill colour of each 完成情况
OUTCOME_COLORS = {
    "exceeded": "1a9850",
    "completed": "91cf60",
    "basically": "fee08b",
    "not_completed": "d73027",
    "qualitative": "d9d9d9",
    "insufficient_data": "bdbdbd",
    "not_due": "ffffff",
}


def completion_outcome(
    achieved, value, op: str = ">=", higher: bool = True, basic=0.0, decimals: int = 2
):
    """完成情况 of a final review: 超额完成, 完成, 基本完成 or 未完成.

    The achieved figure is first rounded to ``decimals`` (the precision the plan
    states its figures in), so an actual equal to the stated value at that
    precision is 完成 — never 未完成 by floating-point noise.

    ``>=`` / ``<=`` (以上 / 以下)
        beyond the stated value in the good direction: 超额完成; equal: 完成;
        short by at most ``basic`` (the target's stated tolerance): 基本完成;
        otherwise 未完成.
    ``>`` / ``<`` (高于 / 低于)
        strictly beyond: 完成; equal or short within ``basic``: 基本完成; otherwise 未完成.
    ``~`` (左右, ``basic`` is the band)
        equal, or within the band on the good side (``higher``): 完成; within the band
        on the other side: 基本完成; beyond the band on the good side: 超额完成;
        beyond it on the other side: 未完成.
    ``=``
        within ``basic`` (the tolerance of a stated figure): 完成; otherwise 未完成.

    Parameters
    ----------
    achieved : float or array_like
        What was achieved, in the target's terms (level, % per year, 百分点, sum) [stated unit].
    value : float or array_like
        The stated target [stated unit].
    op : {">=", "<=", ">", "<", "~", "="}
    higher : bool
        Whether more is better (only used by ``~``).
    basic : float or array_like
        Shortfall still counted 基本完成 (``~``: the band; ``=``: the tolerance) [stated unit].
    decimals : int
        Precision of the comparison [decimal places].

    Returns
    -------
    numpy.ndarray of str
        ``exceeded``, ``completed``, ``basically``, ``not_completed`` or ``insufficient_data``
        (NaN).
    """
    x = np.round(np.asarray(achieved, dtype=float), decimals)
    v = np.asarray(value, dtype=float)
    basic = np.asarray(basic, dtype=float)
    x, v, basic = np.broadcast_arrays(x, v, basic)
    eps = 1e-9 * np.maximum(1.0, np.abs(v))
    finite = np.isfinite(x) & np.isfinite(v)
    if op in (">=", ">"):
        excess = x - v
    elif op in ("<=", "<"):
        excess = v - x
    elif op == "~":
        excess = (x - v) if higher else (v - x)
    elif op == "=":
        excess = -np.abs(x - v)
    else:
        raise ValueError(f"op must be one of >=, <=, >, <, ~, =; got {op!r}")
    excess = np.where(finite, excess, 0.0)
    equal = np.abs(excess) <= eps
    within = -excess <= basic + eps
    if op in (">=", "<="):
        conds = [excess > eps, equal, within]
        names = ["exceeded", "completed", "basically"]
    elif op in (">", "<"):
        conds = [excess > eps, within]
        names = ["completed", "basically"]
    elif op == "~":
        inside = np.abs(excess) <= basic + eps
        conds = [equal, inside & (excess > 0), inside, excess > 0]
        names = ["completed", "completed", "basically", "exceeded"]
    else:
        conds = [within]
        names = ["completed"]
    out = np.select([~finite] + conds, ["insufficient_data"] + names, default="not_completed")
    return out[()] if out.ndim == 0 else out


def completion_rate(achieved, value, higher: bool = True):
    """完成率: achieved / stated × 100 [%]; NaN where it means nothing.

    Only defined for a higher-is-better figure with a positive stated value and a
    non-negative achieved one (产值, 累计投资, 年均增长, 〔〕降低); a lower-is-better
    level (失业率 ≤ 5.5 %) or a change that went the wrong way is judged by its gap.
    """
    x = np.asarray(achieved, dtype=float)
    v = np.asarray(value, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(higher & (v > 0) & (x >= 0), x / np.where(v > 0, v, np.nan) * 100.0, np.nan)
    return out[()] if out.ndim == 0 else out


def _written_decimals(x) -> int:
    """Decimals of a stated figure as written: 50 → 0, 9.5 → 1, 0.516 → 3."""
    text = repr(float(x)).rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _qualitative_final(is_final: bool, zh: bool) -> dict:
    """Return the row of a qualitative target in a final review.

    Listed, never dropped, 定性（待评价）.
    """
    nan = float("nan")
    out = {
        "final_value": nan,
        "completion": nan,
        "gap": nan,
        "gap_unit": "",
        "outcome": None,
        "outcome_zh": "",
        "outcome_text": "",
        "missing_years": [],
    }
    if is_final:
        out.update(
            outcome="qualitative",
            outcome_zh=OUTCOME_ZH["qualitative"],
            outcome_text=OUTCOME_ZH["qualitative"] if zh else OUTCOME_EN["qualitative"],
        )
    return out


def outcome_summary(items, as_of: int, zh: bool = True, what: str = "指标") -> str:
    """Write the 完成情况 paragraph.

    N项指标中完成X项（其中超额完成k项），未完成Y项，其中约束性Z项……

    Parameters
    ----------
    items : iterable of (outcome, attribute, name)
        One per counted row (:data:`OUTCOMES`, 约束性/预期性, display name).
    as_of : int
        Review year [year].
    zh : bool
    what : str
        What a row is (指标, 目标).
    """
    items = [i for i in items if i[0]]
    n = len(items)
    by = {k: [i for i in items if i[0] == k] for k in OUTCOMES}
    done = len(by["exceeded"]) + len(by["completed"])
    missed = by["not_completed"]
    binding = [i for i in missed if i[1] in ("约束性", "binding")]
    if zh:
        parts = [
            f"截至{as_of}年，{n}项{what}中完成{done}项"
            + (f"（其中超额完成{len(by['exceeded'])}项）" if by["exceeded"] else "")
        ]
        if by["basically"]:
            parts.append(f"基本完成{len(by['basically'])}项")
        tail = f"未完成{len(missed)}项"
        if missed:
            tail += f"，其中约束性{len(binding)}项" + (
                f"（{'、'.join(i[2] for i in binding)}）" if binding else ""
            )
            others = [i for i in missed if i[1] not in ("约束性", "binding")]
            if others:
                tail += f"，预期性{len(others)}项（{'、'.join(i[2] for i in others)}）"
        parts.append(tail)
        if by["qualitative"]:
            parts.append(f"定性{what}{len(by['qualitative'])}项待评价")
        if by["insufficient_data"]:
            parts.append(
                f"数据不足{len(by['insufficient_data'])}项"
                f"（{'、'.join(i[2] for i in by['insufficient_data'])}）"
            )
        if by["not_due"]:
            parts.append(f"远景目标{len(by['not_due'])}项未到期")
        return "，".join(parts) + "。"
    parts = [
        f"As of {as_of}, {done} of {n} {what} completed"
        + (f" ({len(by['exceeded'])} exceeded)" if by["exceeded"] else "")
    ]
    if by["basically"]:
        parts.append(f"{len(by['basically'])} basically completed")
    parts.append(
        f"{len(missed)} not completed ({len(binding)} binding"
        + (f": {', '.join(i[2] for i in binding)}" if binding else "")
        + ")"
    )
    if by["qualitative"]:
        parts.append(f"{len(by['qualitative'])} qualitative, to be assessed")
    if by["insufficient_data"]:
        parts.append(
            f"{len(by['insufficient_data'])} with insufficient data "
            f"({', '.join(i[2] for i in by['insufficient_data'])})"
        )
    if by["not_due"]:
        parts.append(f"{len(by['not_due'])} not yet due")
    return "; ".join(parts) + "."


def _stated_decimals(t, ind) -> int:
    """Precision a target's achieved figure is compared at [decimal places]."""
    prec = getattr(ind, "decimals", None)
    if prec is None:
        prec = decimals_for(ind.unit) if t.kind in ("level", "cumulative", "increment") else 2
    return max(_written_decimals(t.value), int(prec))


def _final_fields(
    t,
    ind,
    a,
    s: int,
    y0: int,
    as_of: int,
    start_value: float,
    is_final: bool,
    band,
    zh: bool,
    ref=None,
    period_end: int | None = None,
    observed=None,
) -> dict:
    """完成情况 of one target in a final review (see :func:`review`).

    ``observed`` is the growth the review already measured through the target year [% per
    year, or 百分点 for relative growth] — the statistics bureau's comparable-price growth
    when the actuals report it — and is then used as the achieved figure of a growth or
    relative-growth target.
    """
    nan = float("nan")
    kind, T, v = t.kind, int(t.year), float(t.value)
    gap_unit = ind.unit if kind in ("level", "cumulative", "increment") else "百分点"
    d = _stated_decimals(t, ind)
    out = {
        "final_value": nan,
        "completion": nan,
        "gap": nan,
        "gap_unit": gap_unit,
        "final_decimals": d,
        "outcome": None,
        "outcome_zh": "",
        "outcome_text": "",
    }
    if not is_final:
        return out

    def at(arr, y):
        k = y - y0
        return float(arr[k]) if 0 <= k < len(arr) else nan

    missing = []
    if T > as_of and T > (period_end if period_end is not None else as_of):
        outcome = "not_due"  # a 远景目标 after the period
    else:
        end = at(a, T)
        if kind == "cumulative":
            vals = [at(a, y) for y in range(s, T + 1)]
            missing = [
                y for y, x in zip(range(s, T + 1), vals, strict=True) if not math.isfinite(x)
            ]
            x = nan if missing else float(sum(vals))
        else:
            if not math.isfinite(end):
                missing = [T]
            if (
                observed is not None
                and math.isfinite(observed)
                and kind in ("growth", "relative_growth")
            ):
                x, missing = float(observed), []
            elif kind == "level":
                x = end
            elif kind == "growth":
                x = float(growth.cagr(start_value, end, T - s)) * 100.0
            elif kind in ("pp_change", "increment"):
                x = end - start_value
            elif kind == "reduction":
                x = (1 - end / start_value) * 100.0 if start_value else nan
            elif kind == "relative_growth":
                r_end, r_start = at(ref, T), at(ref, s)
                if not math.isfinite(r_end):
                    missing.append(T)
                x = float(
                    (growth.cagr(at(a, s), end, T - s) - growth.cagr(r_start, r_end, T - s)) * 100.0
                )
            else:
                x = nan
            if (
                not math.isfinite(start_value)
                and kind in ("pp_change", "increment", "reduction")
                or (kind == "growth" and not math.isfinite(start_value) and observed is None)
            ):
                x = nan
        higher = (getattr(ind, "direction", None) or "higher") != "lower" or kind == "reduction"
        if t.op == "~":
            basic = band
        elif t.op == "=":
            basic = default_tolerance(t)
        else:
            basic = float(t.tolerance or 0.0)
        outcome = str(completion_outcome(x, v, t.op, higher, basic, d))
        out["final_value"] = x
        if math.isfinite(x):
            out["gap"] = x - v
            out["completion"] = float(
                completion_rate(x, v, t.op in (">=", ">") or (t.op == "~" and higher))
            )
    out["outcome"] = outcome
    out["outcome_zh"] = OUTCOME_ZH[outcome]
    out["outcome_text"] = _outcome_text(outcome, out, T, missing, zh)
    out["missing_years"] = missing
    return out


def _outcome_text(outcome: str, f: dict, T: int, missing: list, zh: bool) -> str:
    """完成情况 as a 完成情况表 cell: 超额完成（完成率105.0%）, 未完成（差2.50亿元）."""
    name = OUTCOME_ZH[outcome] if zh else OUTCOME_EN[outcome]
    unit = f["gap_unit"]
    pct = unit == "百分点" or (unit and get_unit(unit).dimension == "percent")
    unit_txt = ("个百分点" if zh else " pp") if pct else unit
    rate = f["completion"]
    gap = (
        fmt_number(abs(f["gap"]), f["final_decimals"]) + unit_txt if math.isfinite(f["gap"]) else ""
    )
    if outcome == "insufficient_data":
        years = "、".join(str(y) for y in missing)
        return (
            f"{name}（缺{years}年实绩）"
            if zh and years
            else (f"{name} (no actual for {years})" if years else name)
        )
    if outcome == "not_due":
        return f"{name}（{T}年）" if zh else f"{name} ({T})"
    if outcome in ("exceeded", "completed") and math.isfinite(rate) and outcome == "exceeded":
        return (
            f"{name}（完成率{fmt_number(rate, 1)}%）" if zh else f"{name} ({fmt_number(rate, 1)} %)"
        )
    if outcome == "exceeded":
        return f"{name}（优于目标{gap}）" if zh else f"{name} (better by {gap})"
    if (
        outcome == "basically"
        and math.isfinite(f["gap"])
        and round(abs(f["gap"]), f["final_decimals"]) == 0
    ):
        return f"{name}（与目标持平）" if zh else f"{name} (equal to the target)"
    if outcome in ("basically", "not_completed"):
        if math.isfinite(f["gap"]) and abs(f["gap"]) > 0:
            extra = f"，完成率{fmt_number(rate, 1)}%" if (zh and math.isfinite(rate)) else ""
            return f"{name}（差{gap}{extra}）" if zh else f"{name} (short by {gap})"
    return name

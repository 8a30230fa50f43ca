"""Audit a plan's own arithmetic: does each target follow from its stated rules.

For every target the audit reports the value the scenario's rules imply, the
stated target, the gap, the implied and the required pace, and a status:
``ok``, ``warning`` (a 预期性 target missed) or ``error`` (a 约束性 target
missed), with a one-line explanation in Chinese (or English). Cross-checks add
shares that must sum to 100, stated growth versus stated levels, and ratios
implied by two growth rates (tax/output).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from . import growth
from .formatting import (
    fmt_average,
    fmt_number,
    fmt_pp,
    fmt_rate,
    fmt_value,
    indicator_decimals,
    is_whole_count,
    rate_decimals,
    stated_text,
    written_decimals,
)
from .formatting import json_float as _clean
from .model import Model, Trajectories
from .price_basis import comparable_links, compare_growth_and_level
from .scenario import Scenario
from .targets import CompiledTarget, compile_targets, evaluate_targets, level_pace
from .units import factor

__all__ = ["AuditReport", "audit"]

OP_ZH = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<", "~": "约"}
KIND_ZH = {
    "level": "水平",
    "growth": "年均增长",
    "cumulative": "累计",
    "increment": "增量",
    "pp_change": "百分点变化",
    "reduction": "累计降低",
    "relative_growth": "相对增长",
    "qualitative": "定性",
}
STATUS_ZH = {"ok": "达标", "warning": "警告", "error": "未达标", "info": "提示"}


@dataclass
class AuditReport:
    """Result of :func:`audit`.

    Attributes
    ----------
    scenario : str
        Scenario id.
    rows : list of dict
        One per target: id, indicator, name, unit, year, from_year, kind, op,
        target, implied, gap, implied_rate [%], required_rate [%],
        required_increment [unit/year], required_per_year [unit/year],
        attribute, status, met, wording, message.
    checks : list of dict
        Cross-checks: kind, label, status, values, message.
    """

    scenario: str
    name: str
    rows: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    lang: str = "zh"

    @property
    def status(self) -> str:
        """'error' if a 约束性 target fails, else 'warning' if anything warns, else 'ok'."""
        statuses = {r["status"] for r in self.rows} | {c["status"] for c in self.checks}
        if "error" in statuses:
            return "error"
        return "warning" if "warning" in statuses else "ok"

    @property
    def exit_code(self) -> int:
        """CLI exit code: 1 when a 约束性 target fails, else 0."""
        return 1 if any(r["status"] == "error" for r in self.rows) else 0

    def row(self, target_id: str) -> dict:
        """Return the row of one target."""
        for r in self.rows:
            if r["id"] == target_id:
                return r
        raise KeyError(target_id)

    def to_frame(self):
        """Rows as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.rows)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        counts = {s: sum(r["status"] == s for r in self.rows) for s in ("ok", "warning", "error")}
        if any(r["status"] == "info" for r in self.rows):
            counts["info"] = sum(r["status"] == "info" for r in self.rows)
        return {
            "scenario": self.scenario,
            "name": self.name,
            "status": self.status,
            "exit_code": self.exit_code,
            "summary": counts,
            "rate_unit": "%",
            "rows": self.rows,
            "checks": self.checks,
        }

    def to_json(self) -> str:
        """JSON text (UTF-8, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        """Plain-text report, one line per target and check."""
        zh = self.lang == "zh"
        mark = {"ok": "✓", "warning": "!", "error": "✗", "info": "·"}
        tag = STATUS_ZH if zh else {s: s for s in STATUS_ZH}
        lines = [f"规划审计：{self.name}" if zh else f"Plan audit: {self.name} ({self.scenario})"]
        for r in self.rows:
            lines.append(f"  {mark[r['status']]} [{tag[r['status']]}] {r['message']}")
        if self.checks:
            lines.append("  " + ("交叉校验:" if zh else "Cross-checks:"))
            for c in self.checks:
                lines.append(f"  {mark[c['status']]} [{tag[c['status']]}] {c['message']}")
        s = self.to_dict()["summary"]
        lines.append(
            (
                "合计: 达标 {ok}，警告 {warning}，未达标 {error}"
                if zh
                else "Total: ok {ok}, warning {warning}, error {error}"
            ).format(**s)
            + (
                (f"，定性/仅列示 {s['info']}" if zh else f", qualitative/listed {s['info']}")
                if "info" in s
                else ""
            )
        )
        return "\n".join(lines)


def _row_message(ct: CompiledTarget, r: dict, rule_kind: str | None, zh: bool) -> str:
    t, unit = ct.target, r["unit"]
    name = r["name"] if zh else (r["name_en"] or r["name"])
    y0, y1 = r["from_year"], r["year"]
    op = OP_ZH[t.op]
    su = ct.unit  # unit of the stated quantity

    d_ind = r.get("decimals")
    d_rate = rate_decimals(t.value)

    def per_year(x):  # a pace: 27 projects in 5 years is 5.40个 a year, not 5个
        if d_ind in (None, 0) and is_whole_count(unit):
            return fmt_average(x, unit)
        return fmt_value(x, unit, decimals=d_ind)

    def q(x):
        if su == "%" and unit not in ("%", "‰") or t.kind in ("growth", "reduction"):
            return fmt_rate(x, d_rate)
        if su == "百分点":
            return fmt_pp(x, zh, d_rate)
        return fmt_value(x, su, decimals=d_ind)

    if t.op == "~":
        band = ct.tolerance
        stated = (
            f"{q(t.value)}左右（±{fmt_number(band, max(2, written_decimals(round(band, 6))))}）"
            if zh
            else (
                f"about {q(t.value)} (±"
                f"{fmt_number(band, max(2, written_decimals(round(band, 6))))})"
            )
        )
    else:
        stated = f"{op} {q(t.value)}"
    if t.kind == "level":
        head = (
            f"{name} {y1}年 隐含 {q(r['implied'])}，目标 {stated}"
            if zh
            else f"{name} {y1}: implied {q(r['implied'])}, target {stated}"
        )
        cap = t.op in ("<=", "<")  # a ceiling: the pace may not exceed what is shown
        need_zh = "达标需不超过" if cap else "达标需"
        pace_kind = level_pace(rule_kind)  # limits and gaps (formulas, ratios) have no pace
        if pace_kind is None:
            pace = ""
        elif pace_kind == "rate" and r["required_rate"] is not None:
            pace = (
                (
                    f"；{y0}–{y1}年 年均增长 {fmt_rate(r['implied_rate'])}，{need_zh} "
                    f"{fmt_rate(r['required_rate'])}"
                )
                if zh
                else f"; {y0}–{y1} growth {fmt_rate(r['implied_rate'])} a year, "
                f"target {'allows at most' if cap else 'needs'} {fmt_rate(r['required_rate'])}"
            )
        else:
            imp_inc = (
                (r["implied"] - r["start_value"]) / ct.years
                if r["start_value"] is not None
                else None
            )
            pace = (
                f"；每年增加 {per_year(imp_inc)}，{need_zh}每年 {per_year(r['required_increment'])}"
                if zh
                else f"; change {per_year(imp_inc)} a year, target "
                f"{'allows at most' if cap else 'needs'} {per_year(r['required_increment'])}"
            )
            if su in ("%", "‰"):
                pace = pace.replace(f"{unit}", "个百分点" if zh else " pp")
    elif t.kind == "growth":
        head = (
            f"{name} {y0}–{y1}年 年均增长 {q(r['implied'])}，目标 {stated}"
            if zh
            else f"{name} {y0}–{y1}: growth {q(r['implied'])} a year, target {stated}"
        )
        pace = ""
    elif t.kind == "reduction":
        sv, ev = r["start_value"], r["end_value"]
        limit = sv * (1.0 - t.value / 100.0) if sv is not None else None
        head = (
            f"{name} {y0}–{y1}年 累计降低 {q(r['implied'])}（"
            f"{fmt_value(sv, unit, decimals=d_ind)} → "
            f"{fmt_value(ev, unit, decimals=d_ind)}），目标 {stated}"
            if zh
            else f"{name} {y0}–{y1}: down {q(r['implied'])} "
            f"({fmt_value(sv, unit, decimals=d_ind)} → "
            f"{fmt_value(ev, unit, decimals=d_ind)}), target {stated}"
        )
        pace = (
            f"；{y1}年需 ≤ {fmt_value(limit, unit, decimals=max(d_ind or 2, 3))}，"
            f"即年均下降 {fmt_rate(-r['required_rate'])}"
            if zh
            else f"; {y1} needs <= {fmt_value(limit, unit, decimals=max(d_ind or 2, 3))}, "
            f"a fall of {fmt_rate(-r['required_rate'])} a year"
        )
        if t.op != ">=":
            pace = ""
    elif t.kind == "relative_growth":
        ref = r.get("reference_name") or t.reference
        own = r["implied_rate"]
        other = (r["required_rate"] - t.value) if r["required_rate"] is not None else None
        rel = {
            ">": "高于",
            ">=": "不低于",
            "<": "低于",
            "<=": "不高于",
            "=": "等于",
            "~": "基本同步于",
        }[t.op]
        margin_txt = (
            ""
            if not t.value
            else (f"{fmt_pp(t.value, zh)}" if zh else f" by {fmt_pp(t.value, zh)}")
        )
        band = f"（±{fmt_pp(ct.tolerance, zh)}）" if t.op == "~" else ""
        head = (
            f"{name} {y0}–{y1}年 年均增长 {fmt_rate(own)}，{ref} {fmt_rate(other)}，相差 "
            f"{fmt_pp(r['implied'], zh)}；目标 增长{rel}{ref}增长{margin_txt}{band}"
            if zh
            else f"{name} {y0}–{y1}: growth {fmt_rate(own)} a year vs {ref} {fmt_rate(other)}, "
            f"difference {fmt_pp(r['implied'], zh)}; target {t.op} {fmt_pp(t.value, zh)}{band}"
        )
        pace = ""
    elif t.kind == "cumulative":
        head = (
            f"{name} {y0}–{y1}年 累计 {q(r['implied'])}，目标 {stated}"
            if zh
            else f"{name} {y0}–{y1}: cumulative {q(r['implied'])}, target {stated}"
        )
        pace = (
            f"；需年均 {per_year(r['required_per_year'])}"
            if zh
            else f"; needs {per_year(r['required_per_year'])} a year on average"
        )
    else:  # increment, pp_change
        head = (
            f"{name} {y0}–{y1}年 {'提高' if t.kind == 'pp_change' else '增加'} {q(r['implied'])}，"
            f"目标 {stated}"
            if zh
            else f"{name} {y0}–{y1}: change {q(r['implied'])}, target {stated}"
        )
        per = q(r["required_increment"])
        pace = f"；需每年 {per}" if zh else f"; needs {per} a year"
    verdict = {
        "ok": ("达标" if zh else "met"),
        "warning": ("未达标（预期性，警告）" if zh else "missed (indicative target: warning)"),
        "error": ("未达标（约束性）" if zh else "missed (binding target: error)"),
    }[r["status"]]
    gap = ""
    if r["status"] != "ok":
        # a gap between two rates is in percentage points, not percent
        g = (
            fmt_pp(abs(r["gap"]), zh, d_rate)
            if su in ("%", "百分点")
            and unit not in ("%", "‰")
            or t.kind in ("growth", "reduction", "relative_growth", "pp_change")
            else fmt_pp(abs(r["gap"]), zh, d_ind or 2)
            if unit in ("%", "‰") and su != "‰"
            else q(abs(r["gap"]))
        )
        gap = f"，差 {g}" if zh else f", off by {g}"
    return f"{head}{gap}{pace}：{verdict}" if zh else f"{head}{gap}{pace}: {verdict}"


def _checks(scenario: Scenario, traj: Trajectories, rows: list, zh: bool) -> list:
    out = []
    for c in scenario.checks:
        if c.kind == "shares_sum":
            year = c.year if c.year is not None else scenario.meta.period[1]
            vals = [float(traj.at(i, year)[0]) for i in c.indicators]
            total = float(np.nansum(vals))
            ok = all(math.isfinite(v) for v in vals) and abs(total - c.total) <= c.tolerance
            label = c.label_zh or "+".join(c.indicators)
            parts = " + ".join(fmt_number(v) for v in vals)
            msg = (
                f"{label} {year}年: {parts} = {fmt_number(total)}，应为 {fmt_number(c.total)}"
                if zh
                else (
                    f"{label} {year}: {parts} = {fmt_number(total)}, should be "
                    f"{fmt_number(c.total)}"
                )
            )
            out.append(
                {
                    "kind": "shares_sum",
                    "label": label,
                    "status": "ok" if ok else "warning",
                    "year": year,
                    "values": [_clean(v) for v in vals],
                    "total": _clean(total),
                    "message": msg,
                }
            )
        elif c.kind == "ratio":
            num, den = scenario.indicator(c.numerator), scenario.indicator(c.denominator)
            f = factor(num.unit, den.unit) if num.unit != den.unit else 1.0
            years = c.years or [scenario.meta.period[0], scenario.meta.period[1]]
            ratios = {}
            for y in years:
                a, b = float(traj.at(c.numerator, y)[0]), float(traj.at(c.denominator, y)[0])
                ratios[y] = a * f / b * 100.0 if b else float("nan")
            label = c.label_zh or f"{num.name_zh}/{den.name_zh}"
            seq = " → ".join(f"{y}年 {fmt_rate(v)}" for y, v in ratios.items())
            ya, yb = years[0], years[-1]
            gn = (
                growth.cagr(traj.at(c.numerator, ya)[0], traj.at(c.numerator, yb)[0], yb - ya) * 100
            )
            gd = (
                growth.cagr(traj.at(c.denominator, ya)[0], traj.at(c.denominator, yb)[0], yb - ya)
                * 100
            )
            msg = (
                (
                    f"{label}: {seq}（{num.name_zh}年均增长 {fmt_rate(gn)}，{den.name_zh} "
                    f"{fmt_rate(gd)}）"
                )
                if zh
                else f"{label}: {seq} ({num.name_en or num.id} grows {fmt_rate(gn)} a year, "
                f"{den.name_en or den.id} {fmt_rate(gd)})"
            )
            out.append(
                {
                    "kind": "ratio",
                    "label": label,
                    "status": "info",
                    "values": {str(y): _clean(v) for y, v in ratios.items()},
                    "message": msg,
                }
            )
    # stated growth versus stated levels: both targets on one indicator and year
    # a growth target on a comparable-price twin pairs with the level target on its nominal
    # indicator
    links = comparable_links(scenario)
    by_key: dict = {}
    for r in rows:
        by_key.setdefault((links.get(r["indicator"], (r["indicator"],))[0], r["year"]), {})[
            r["kind"]
        ] = r
    for (ind_id, year), kinds in by_key.items():
        if "growth" not in kinds or "level" not in kinds:
            continue
        g, lv = kinds["growth"], kinds["level"]
        if g["from_year"] != lv["from_year"] or lv["start_value"] is None:
            continue
        pb = compare_growth_and_level(
            scenario, traj, g, lv
        )  # like with like: says which price basis
        level_at_rate, need = pb["level_at_rate"], pb["required_rate"]
        g_lo, g_hi, need_lo, need_hi = rounding_intervals(scenario, g, lv, pb["price_rise"])
        if lv["op"] in (">=", ">") and g["op"] in (">=", "=", ">", "~"):
            consistent = g_hi >= need_lo - 1e-9
        elif lv["op"] in ("<=", "<"):
            consistent = g_lo <= need_hi + 1e-9
        else:  # "=" or "~": the two intervals overlap
            consistent = g_lo <= need_hi + 1e-9 and need_lo <= g_hi + 1e-9
        name = lv["name"]
        u = lv["unit"]
        msg = (
            f"{name}: 按所述年均增长 {fmt_rate(g['target'])}，{lv['from_year']}年 "
            f"{fmt_value(lv['start_value'], u)} "
            f"到{year}年为 {fmt_value(level_at_rate, u)}；所述目标 {OP_ZH[lv['op']]} "
            f"{fmt_value(lv['target'], u)} "
            f"需年均增长 {fmt_rate(need)}：{'一致' if consistent else '不一致'}（{pb['basis_zh']}）"
            if zh
            else f"{lv['name_en'] or name}: stated growth {fmt_rate(g['target'])} from "
            f"{fmt_value(lv['start_value'], u)} "
            f"in {lv['from_year']} gives {fmt_value(level_at_rate, u)} in {year}; the stated level "
            f"{OP_ZH[lv['op']]} {fmt_value(lv['target'], u)} needs {fmt_rate(need)}: "
            f"{'consistent' if consistent else 'inconsistent'} ({pb['basis_en']})"
        )
        if pb["basis"] == "mixed":
            msg = (
                msg.replace("：一致（", "：")
                .replace("：不一致（", "：")
                .replace(": consistent (", ": ")
                .replace(": inconsistent (", ": ")
                .rstrip("）)")
            )
            msg += "（不作一致性判断）" if zh else " (no consistency verdict)"
        out.append(
            {
                "kind": "growth_vs_level",
                "label": name,
                "status": "info" if pb["basis"] == "mixed" else ("ok" if consistent else "warning"),
                "implied_deflator": _clean(pb["price_rise"]),
                "indicator": ind_id,
                "year": year,
                "basis": pb["basis"],
                "price_basis_declared": pb["declared"],
                "values": {
                    "stated_rate": g["target"],
                    "level_at_stated_rate": _clean(level_at_rate),
                    "stated_level": lv["target"],
                    "required_rate": _clean(need),
                    "required_rate_range": [_clean(need_lo), _clean(need_hi)],
                    "stated_rate_range": [_clean(g_lo), _clean(g_hi)],
                },
                "message": msg,
            }
        )
    out += _on_the_way(scenario, traj, rows, zh)
    return out


def _half_unit(x) -> float:
    """Half a unit of the last written digit of ``x`` (6.72 → 0.005; 600 → 0.5)."""
    return 0.5 * 10.0 ** (-written_decimals(x))


def rounding_intervals(scenario: Scenario, g: dict, lv: dict, price_rise: float = 0.0):
    """Return the stated rate and the rate the stated levels need, as intervals.

    Each is an interval allowed by rounding.

    A rate written 6.72 stands for [6.715, 6.725]; a level written 78.94 for
    [78.935, 78.945]; a start value stated in the file (base or history) likewise.
    The rate needed to go from start to level is then an interval too
    [need_lo, need_hi] [%/year, on the growth target's price basis].

    Returns
    -------
    tuple of float
        g_lo, g_hi, need_lo, need_hi [%/year].
    """
    n = lv["year"] - lv["from_year"]
    gv = float(g["target"])
    hg = g.get("band") if g["op"] == "~" and g.get("band") is not None else _half_unit(gv)
    L = float(lv["target"])
    hL = lv.get("band") if lv["op"] == "~" and lv.get("band") is not None else _half_unit(L)
    a = float(lv["start_value"])
    stated = scenario.indicator(lv["indicator"]).known.get(lv["from_year"])
    ha = (
        _half_unit(stated)
        if stated is not None and abs(stated - a) < 1e-9 * max(1.0, abs(a))
        else 0.0
    )
    infl = 1.0 + price_rise / 100.0

    def need(s, e):
        if not (s > 0 and e > 0 and n > 0):
            return math.nan
        return ((e / s) ** (1.0 / n) / infl - 1.0) * 100.0

    return gv - hg, gv + hg, need(a + ha, L - hL), need(a - ha, L + hL)


def _on_the_way(scenario: Scenario, traj: Trajectories, rows: list, zh: bool) -> list:
    """Check a target beyond the plan period (2035): is the period's end on the path to it.

    The path runs from the start value to the target at a constant rate (a constant
    yearly change for %-indicators and non-positive values); the model's value at the
    period's end is compared with the path's value there, in the target's direction.
    """
    end = scenario.meta.period[1]
    out = []
    for r in rows:
        if (
            not r.get("after_period")
            or r["mode"] != "numeric"
            or r["kind"] not in ("level", "growth", "reduction")
        ):
            continue
        s, T = r["from_year"], r["year"]
        a = r["start_value"]
        if a is None or not s < end < T:
            continue
        v = r["target"]
        if r["kind"] == "level":
            goal = v
        elif r["kind"] == "growth":
            goal = a * (1.0 + v / 100.0) ** (T - s)
        else:
            goal = a * (1.0 - v / 100.0)
        additive = r["unit"] in ("%", "‰") or not (a > 0 and goal > 0)
        w = (end - s) / (T - s)
        path = a + (goal - a) * w if additive else a * (goal / a) ** w
        now = float(traj.at(r["indicator"], end)[0])
        lower = (
            r["op"] in ("<=", "<")
            or r["kind"] == "reduction"
            or (r["op"] in ("=", "~") and goal < a)
        )
        d = r.get("decimals")
        tol = 1e-9 * max(1.0, abs(path))
        ok = (now <= path + tol) if lower else (now >= path - tol)
        u = r["unit"]
        name = r["name"] if zh else (r["name_en"] or r["name"])
        msg = (
            f"{name}: {T}年目标 {fmt_value(goal, u, decimals=d)}，按"
            f"{'年均增量' if additive else '年均增速'}"
            f"的路径{end}年应{'不高于' if lower else '达到'} "
            f"{fmt_value(path, u, decimals=d)}，规划期末为 "
            f"{fmt_value(now, u, decimals=d)}：{'在路径上' if ok else '落后于路径'}"
            if zh
            else f"{name}: the {T} target {fmt_value(goal, u, decimals=d)} needs "
            f"{fmt_value(path, u, decimals=d)} by {end} on a steady path; the plan gives "
            f"{fmt_value(now, u, decimals=d)}: {'on the way' if ok else 'behind the path'}"
        )
        out.append(
            {
                "kind": "on_the_way",
                "label": name,
                "status": "ok" if ok else "warning",
                "indicator": r["indicator"],
                "target": r["id"],
                "year": end,
                "values": {
                    "path_value": _clean(path),
                    "plan_value": _clean(now),
                    "goal": _clean(goal),
                    "target_year": T,
                },
                "message": msg,
            }
        )
    return out


def audit(
    scenario: Scenario, params: dict | None = None, lang: str = "zh", model: Model | None = None
) -> AuditReport:
    """Audit every target and cross-check of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.
    params : dict, optional
        Parameter values overriding the defaults (a what-if).
    lang : {"zh", "en"}
        Language of the messages.
    model : Model, optional
        A compiled model of ``scenario`` to reuse.

    Returns
    -------
    AuditReport
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    model = model or Model(scenario)
    traj = model.evaluate(params or {})
    compiled = compile_targets(scenario, traj)
    res = evaluate_targets(scenario, traj, compiled)
    zh = lang == "zh"
    y0 = int(traj.years[0])
    rows = []
    for j, ct in enumerate(compiled):
        t = ct.target
        ind = scenario.indicator(t.indicator)
        met = bool(res.met[0, j])
        status = "ok" if met else ("error" if ct.attribute == "约束性" else "warning")
        r = {
            "id": t.id,
            "indicator": t.indicator,
            "name": ind.name_zh,
            "name_en": ind.name_en,
            "unit": ind.unit,
            "target_unit": ct.unit,
            "year": t.year,
            "from_year": ct.start + y0,
            "kind": t.kind,
            "op": t.op,
            "target": None if t.value is None else float(t.value),
            "tolerance": _clean(ct.tolerance),
            "band": _clean(ct.tolerance) if t.op == "~" else None,
            "reference": t.reference,
            "text": t.text,
            "mode": ct.mode,
            "direction": ind.direction,
            "price_basis": t.price_basis,
            "status_stated": t.status,
            "decimals": indicator_decimals(scenario, t.indicator),
            "after_period": t.year > scenario.meta.period[1],
            "implied": _clean(res.implied[0, j]),
            "gap": _clean(res.gap[0, j]),
            "start_value": _clean(res.start_value[0, j]),
            "end_value": _clean(res.end_value[0, j]),
            "implied_rate": _clean(res.implied_rate[0, j]),
            "required_rate": _clean(res.required_rate[0, j]),
            "required_increment": _clean(res.required_increment[0, j]),
            "required_per_year": _clean(res.required_per_year[0, j]),
            "attribute": ct.attribute,
            "status": status,
            "met": met,
            "wording": t.wording,
        }
        if t.reference:
            ref = scenario.indicator(t.reference)
            r["reference_name"] = ref.name_zh if zh else (ref.name_en or ref.name_zh)
        if ct.mode == "qualitative":
            r["status"], r["met"] = "info", None
            words = t.text or t.wording
            r["message"] = (
                f"{ind.name_zh} {t.year}年：{words}（定性目标，不作数值测算）"
                if zh
                else f"{ind.name_en or ind.name_zh} {t.year}: {words} (qualitative: not computed)"
            )
        elif ct.mode == "stated":
            r["status"], r["met"] = "info", None
            r["message"] = (
                f"{ind.name_zh} {t.year}年 目标 {stated_text(r, True)}：无测算依据（仅列示）"
                if zh
                else f"{ind.name_en or ind.name_zh} {t.year}: target {stated_text(r, False)}: "
                "nothing to compute it from (listed only)"
            )
        elif r["implied"] is None:
            r["status"] = "error" if ct.attribute == "约束性" else "warning"
            r["met"] = False
            r["message"] = (
                f"{ind.name_zh} {t.year}年 无法由情景规则推出（缺少数据）"
                if zh
                else (
                    f"{ind.name_en or ind.id} {t.year}: not implied by the scenario's rules "
                    "(missing data)"
                )
            )
        else:
            r["message"] = _row_message(ct, r, ind.rule.kind if ind.rule else None, zh)
        rows.append(r)
    checks = _checks(scenario, traj, rows, zh)
    for comp in scenario.components:  # findings of domain components (planlib.domains)
        hook = getattr(comp, "audit_checks", None)
        if hook is not None:
            checks += hook(scenario, traj, zh, params=params)
    return AuditReport(
        scenario.meta.id,
        scenario.meta.name if zh else (scenario.meta.name_en or scenario.meta.name),
        rows,
        checks,
        lang,
    )

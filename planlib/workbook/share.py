"""分享可推演的情景：一个离线 HTML 文件，滑块在浏览器里重算 (``planlib share``).

A planner sends one file (WeChat, e-mail, an intranet without Python); the reader opens it in a
browser, moves the sliders, and the trajectories, the targets table (status, gap, required pace)
and the charts are recomputed in the browser itself. No server, no kernel, no network request.

How: :class:`planlib.Model` compiles a scenario once (rules in dependency order, formula trees,
components already expanded) and :func:`planlib.targets.compile_targets` fixes where each target
reads. :func:`model_document` writes that compiled form as JSON *data* — rule kinds, per-year
value atoms, formula trees as nested lists, compiled targets — and one generic, hand-written
evaluator (``planlib/data/share/evaluator.js``, the same file for every scenario) steps through it
with the same floating-point operations in the same order as numpy. The page never evaluates
code from the file (no ``eval``, no ``new Function``; a Content-Security-Policy admits only the
page's own script by its hash and forbids every fetch). On load the page recomputes the baseline
and compares it with the baseline Python computed (stored in the document); on any difference the
sliders are disabled and a notice says so, so a hand-edited file never shows wrong numbers.

A scenario the generator cannot express (a rule or target kind it does not know) gets the static
page instead — baseline tables and chart with a visible notice (:class:`Unsupported`).

Every number on the page is written with digits decided in Python and shipped in the data (each
indicator's ``decimals``, each target's ``digits``: :func:`planlib.formatting.indicator_decimals`
and :func:`planlib.formatting.target_decimals`, the rule of the audit and the 主要指标表), and
the page's words come from :data:`PAGE_TEXT` in the page's language (``lang="en"``: English
words, ``name_en`` where the file has one, units as written); the script holds no number rule
and no words of its own.

DOM contract (kept stable for tests and scripts)
------------------------------------------------
- every slider is ``<input type="range" data-param="NAME">`` (min/max/step from ``bounds``/``step``,
  initial value the baseline); beside it ``output[data-readout="NAME"]`` (current value) and
  ``.planlib-baseline`` (``基准 <value> <unit>``);
- ``button.planlib-reset`` (恢复基准) and ``button.planlib-download`` (下载情景: a YAML variant
  ``extends: <file name>`` + ``meta`` + ``overrides`` that ``planlib audit`` accepts);
- ``.planlib-summary``: one-line readout (targets met, binding missed, changed parameters);
- ``table.planlib-targets``: one ``tr[data-target="ID"]`` per target with the cells 指标, 年份,
  目标, 属性, 目标值, 推演值, 状态, 差距, 达标所需（年均） (the same strings as
  :meth:`planlib.workbook.widgets.WhatIf.targets_frame`);
- each chart is an ``<svg>`` inside ``.planlib-chart`` (``path.planlib-current`` moves,
  ``path.planlib-baseline-line`` stays);
- ``table.planlib-trajectory-table`` (inside ``details.planlib-trajectories``): every indicator by
  year under the current values, ``tr[data-indicator="ID"]``;
- ``table.planlib-indicators`` (baseline 主要指标表) and ``.planlib-audit`` (baseline audit);
- ``.planlib-notice``: shown on the static fallback page or when the self-check fails;
- ``window.planlibShare``: ``evaluate(params)``, ``evaluatePoints(points)``, ``set(name, value)``,
  ``reset()``, ``variantYaml()``, ``selfCheck()``.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import html
import json
import math
import os
from importlib.resources import files
from pathlib import Path

import numpy as np

from ..errors import PlanlibError
from ..formatting import indicator_decimals, target_decimals
from ..model import Model
from ..scenario import Scenario, load_scenario, write_atomic
from ..targets import compile_targets, evaluate_targets, level_pace
from .widgets import LISTED, MET, MISSED, QUALITATIVE, TARGET_COLUMNS

__all__ = [
    "FORMAT",
    "MAX_BYTES",
    "Unsupported",
    "model_document",
    "share",
    "share_html",
    "static_html",
    "scenario_of_notebook",
    "LANGS",
    "PAGE_TEXT",
]

FORMAT = "planlib-share/1"
#: the page must stay small enough to send through a chat app [bytes]
MAX_BYTES = 1_500_000
#: rule kinds the browser evaluator steps through
RULE_KINDS = (
    "growth",
    "increment",
    "pp_change",
    "level",
    "hold",
    "path",
    "formula",
    "sum",
    "ratio",
    "share",
    "cumulative",
)
#: target kinds the browser evaluator judges (qualitative ones are shown, never computed)
TARGET_KINDS = (
    "level",
    "growth",
    "cumulative",
    "increment",
    "pp_change",
    "reduction",
    "relative_growth",
    "qualitative",
)
#: operators, including the strict ones and 左右 ("~", judged within its band)
OPS = (">=", "<=", "=", ">", "<", "~")
#: how a compiled target is read: computed, text only, or listed without a basis
MODES = ("numeric", "qualitative", "stated")
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_JS_FILES = ("evaluator.js", "page.js")
#: languages of the page: Chinese first, English with ``lang="en"``
LANGS = ("zh", "en")
#: the words the page's script writes (the targets table, the summary, the notices), per language;
#: shipped in the page's data, so the script itself holds no words
PAGE_TEXT = {
    "zh": {
        "head": list(TARGET_COLUMNS),
        "trajectory_head": ["指标", "单位"],
        "met": MET,
        "missed": MISSED,
        "qualitative": QUALITATIVE,
        "listed": LISTED,
        "per_year": ["每年", ""],
        "op": {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<", "~": "约"},
        "baseline": "基准",
        "no_parameters": "本情景没有可调参数。",
        "no_targets": "本情景没有目标。",
        "summary": {
            "met": "目标达标 ",
            "binding": "，约束性未达标 ",
            "indicative": "，预期性未达标 ",
            "info": "，定性/仅列示 ",
            "then": "；",
            "changed": "已调整：",
            "join": "；",
            "unchanged": "基准情景",
        },
        "variant_comment": [
            "# 由 planlib share 页面生成的推演情景：放在 ",
            " 所在文件夹后可用 planlib audit 审计",
        ],
        "variant_name": "（推演情景）",
        "mismatch": [
            "浏览器重算的基准结果与 Python 的不一致（",
            "），本页已停用滑块；请以下方基准表为准。",
        ],
    },
    "en": {
        "head": [
            "indicator",
            "year",
            "target",
            "attribute",
            "target value",
            "what-if value",
            "status",
            "gap",
            "needed (a year)",
        ],
        "trajectory_head": ["indicator", "unit"],
        "met": "met",
        "missed": "missed",
        "qualitative": "qualitative",
        "listed": "listed (no basis to compute)",
        "per_year": ["", " a year"],
        "op": {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<", "~": "about"},
        "baseline": "baseline",
        "no_parameters": "This scenario has no parameters to move.",
        "no_targets": "This scenario has no targets.",
        "summary": {
            "met": "Targets met ",
            "binding": ", binding missed ",
            "indicative": ", indicative missed ",
            "info": ", qualitative/listed ",
            "then": "; ",
            "changed": "changed: ",
            "join": "; ",
            "unchanged": "baseline",
        },
        "variant_comment": [
            "# what-if scenario saved by a planlib share page: put it in the folder of ",
            " and check it with planlib audit",
        ],
        "variant_name": " (what-if)",
        "mismatch": [
            "The baseline recomputed in this browser differs from Python's (",
            "); the sliders are disabled: rely on the baseline tables below.",
        ],
    },
}
FONT_STACK = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)


class Unsupported(PlanlibError):
    """The scenario uses something the browser evaluator cannot express."""


# ---- the compiled model as data ------------------------------------------------------------
def _num(x) -> float | None:
    """Return a float for JSON; NaN and ±inf become null (read back as NaN)."""
    x = float(x)
    return x if math.isfinite(x) else None


class _Writer:
    """Turns one compiled scenario into plain lists and numbers."""

    def __init__(self, scenario: Scenario, model: Model):
        self.sc = scenario
        self.model = model
        self.y0 = int(model.years[0])
        self.Y = len(model.years)
        self.row = {k: i for i, k in enumerate(model.indicators)}
        self.param = {k: i for i, k in enumerate(model.parameters)}

    def name(self, name: str, where: str) -> list:
        """Resolve a name read by a rule: an indicator row (wins, as in Model) or a parameter."""
        if name in self.row:
            return ["i", self.row[name]]
        if name in self.param:
            return ["p", self.param[name]]
        raise Unsupported(f"{where}: {name!r} is neither an indicator nor a parameter")

    def atoms(self, spec, where: str) -> list:
        """Write a rule value (number, name or per-year mapping) as one atom per model year."""
        if isinstance(spec, bool):
            raise Unsupported(f"{where}: a true/false value is not a number")
        if isinstance(spec, (int, float)):
            return [["c", float(spec)]] * self.Y
        if isinstance(spec, str):
            return [self.name(spec, where)] * self.Y
        if isinstance(spec, dict) and spec:
            keys = sorted(spec)
            idx = np.clip(np.searchsorted(keys, self.model.years, side="right") - 1, 0, None)
            parts = [self.atoms(spec[k], where) for k in keys]
            return [parts[int(idx[t])][t] for t in range(self.Y)]
        raise Unsupported(f"{where}: value {spec!r} is not a number, a name or a per-year mapping")

    def point(self, spec, t: int, where: str) -> list:
        """Write a path point: constant, parameter, or an indicator's value in year ``t``."""
        atom = self.atoms(spec, where)[0] if not isinstance(spec, dict) else None
        if atom is None:
            raise Unsupported(f"{where}: a path point cannot be a per-year mapping")
        if atom[0] == "i":
            if not 0 <= t < self.Y:
                raise Unsupported(f"{where}: path year outside the model years")
            return ["i", atom[1], t]
        return atom

    def tree(self, node, me: str, where: str) -> list:
        """Write a formula (already validated by planlib.formula) as nested lists."""
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return ["c", float(node.value)]
        if isinstance(node, ast.Name):
            return self.name(node.id, where)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return [
                _BINOPS[type(node.op)],
                self.tree(node.left, me, where),
                self.tree(node.right, me, where),
            ]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.tree(node.operand, me, where)
            return ["neg", inner] if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            fn = node.func.id
            if fn == "prev" and len(node.args) == 1 and isinstance(node.args[0], ast.Name):
                lag = node.args[0].id
                return ["lag", ["self"] if lag == me else self.name(lag, where)]
            if fn in ("min", "max") and len(node.args) >= 2:
                return [fn, [self.tree(a, me, where) for a in node.args]]
        raise Unsupported(f"{where}: formula element {type(node).__name__} is not supported")

    def step(self, ind_id: str) -> dict:
        """One indicator's step, mirroring :meth:`planlib.Model._compile`."""
        from ..units import factor, get_unit

        sc, Y, y0 = self.sc, self.Y, self.y0
        ind = sc.indicator(ind_id)
        where = f"indicator {ind_id}"
        known = [None] * Y
        for y, v in ind.known.items():
            known[y - y0] = _num(v)
        anchor = None if ind.anchor_year is None else ind.anchor_year - y0
        out = {"row": self.row[ind_id], "known": known}
        rule = ind.rule
        if rule is None:
            return {**out, "op": "known"}
        k = rule.kind
        if k not in RULE_KINDS:
            raise Unsupported(f"{where}: rule kind {k!r} is not supported in the browser")
        if k in ("growth", "increment", "pp_change", "level", "hold"):
            field = {
                "growth": "rate",
                "increment": "increment",
                "pp_change": "change",
                "level": "value",
                "hold": None,
            }[k]
            spec = 0.0 if field is None else getattr(rule, field)
            first = (sc.meta.period[0] - y0) if anchor is None else anchor + 1
            return {**out, "op": "recur", "k": k, "first": first, "spec": self.atoms(spec, where)}
        if k == "path":
            pts = {
                y: v for y, v in ind.known.items() if anchor is not None and y <= ind.anchor_year
            }
            ys = sorted(set(pts) | set(rule.values))
            xs = [y - y0 for y in ys]
            begin = max(xs[0], 0 if anchor is None else anchor + 1)
            if begin < 0:
                raise Unsupported(f"{where}: a path that starts before the first model year")
            points = [
                self.point(rule.values[y], y - y0, where)
                if y in rule.values
                else ["c", float(pts[y])]
                for y in ys
            ]
            plan = []
            for t in range(begin, Y):
                j = int(np.searchsorted(xs, t, side="right")) - 1
                if j >= len(xs) - 1:
                    plan.append([-1])
                else:
                    plan.append([j, (t - xs[j]) / (xs[j + 1] - xs[j])])
            return {**out, "op": "path", "begin": begin, "points": points, "plan": plan}
        after = 0 if anchor is None else anchor + 1
        if k == "formula":
            from ..formula import parse_formula

            f = parse_formula(rule.expr)
            expr = self.tree(ast.parse(rule.expr.strip(), mode="eval").body, ind_id, where)
            if f.lags:
                return {**out, "op": "lagformula", "begin": max(after, 1), "expr": expr}
            return {**out, "op": "linked", "after": after, "f": ["formula", expr]}
        if k == "sum":
            of = [[self.row[s], factor(sc.indicator(s).unit, ind.unit)] for s in rule.of]
            return {**out, "op": "linked", "after": after, "f": ["sum", of]}
        if k == "ratio":
            num, den = sc.indicator(rule.numerator), sc.indicator(rule.denominator)
            if rule.scale is not None:
                scale = rule.scale
            elif get_unit(ind.unit).dimension == "percent":
                scale = factor(num.unit, den.unit) * 100.0 / get_unit(ind.unit).factor
            else:
                scale = 1.0
            return {
                **out,
                "op": "linked",
                "after": after,
                "f": ["ratio", self.row[rule.numerator], self.row[rule.denominator], float(scale)],
            }
        if k == "share":
            c = factor(sc.indicator(rule.of).unit, ind.unit)
            return {
                **out,
                "op": "linked",
                "after": after,
                "f": ["share", self.row[rule.of], c, self.atoms(rule.share, where)],
            }
        # cumulative
        c = factor(sc.indicator(rule.of).unit, ind.unit)
        s0 = (rule.start if rule.start is not None else sc.meta.period[0]) - y0
        if s0 < 0:
            raise Unsupported(f"{where}: a running sum that starts before the first model year")
        return {
            **out,
            "op": "linked",
            "after": after,
            "f": ["cumulative", self.row[rule.of], c, s0, float(rule.initial)],
        }


def _need_mode(scenario: Scenario, ct) -> str:
    """Which pace the targets table shows (as ``WhatIf.targets_frame`` in workbook.widgets)."""
    t = ct.target
    rule = scenario.indicator(t.indicator).rule
    if t.kind == "level":  # limits and gaps (formulas, ratios) have no pace: "none" shows —
        return {"step": "step", "rate": "rate"}.get(level_pace(rule.kind if rule else None), "none")
    return {
        "level": "rate",
        "growth": "growth",
        "cumulative": "per_year",
        "reduction": "rate",
        "relative_growth": "rate",
    }.get(t.kind, "increment")


def _param_decimals(step) -> int:
    if not step:
        return 2
    text = repr(float(step)).rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise PlanlibError(f"lang {lang!r}: the share page is written in {' or '.join(LANGS)}")
    return lang


def model_document(
    scenario: Scenario, model: Model | None = None, max_panels: int = 12, lang: str = "zh"
) -> dict:
    """Write the compiled scenario as JSON-ready data for the browser evaluator.

    Parameters
    ----------
    scenario : Scenario
    model : Model, optional
        A compiled model of ``scenario`` to reuse.
    max_panels : int
        Most chart panels.
    lang : {"zh", "en"}
        Language of the names, labels and the page's words (``text``).

    Returns
    -------
    dict
        ``format``, ``lang``, ``text`` (:data:`PAGE_TEXT`), ``meta``, ``years``,
        ``indicators`` (each with the ``decimals`` its levels print with), ``parameters``,
        ``steps`` (dependency order), ``targets`` (compiled, each with the ``digits`` of its
        figures, paces and rates), ``panels``, ``marks`` and ``check`` (Python's baseline, for
        the page's self-check). Every number the page prints is written with digits
        decided here, by :mod:`planlib.formatting` (the rule of the audit and the 主要指标表).

    Raises
    ------
    Unsupported
        When a rule, formula element, target kind or operator cannot be expressed.
    """
    from ..table import ATTRIBUTE_EN
    from .charts import _limits, chart_panels, panel_values
    from .widgets import envelope_params, target_label, target_span

    zh = _check_lang(lang) == "zh"
    model = model or Model(scenario)
    w = _Writer(scenario, model)
    steps = [w.step(i) for i in model.order]
    baseline = model.evaluate()
    compiled = compile_targets(scenario, baseline)
    results = evaluate_targets(scenario, baseline, compiled)
    targets = []
    for ct in compiled:
        t = ct.target
        if t.kind not in TARGET_KINDS:
            raise Unsupported(f"target {t.id}: kind {t.kind!r} is not supported in the browser")
        if t.op not in OPS:
            raise Unsupported(f"target {t.id}: operator {t.op!r} is not supported in the browser")
        mode = getattr(ct, "mode", "numeric")
        if mode not in MODES:
            raise Unsupported(f"target {t.id}: mode {mode!r} is not supported in the browser")
        need = _need_mode(scenario, ct)
        step_unit = ("百分点" if ct.unit in ("%", "‰") else ct.unit) if need == "step" else ct.unit
        dec = target_decimals(scenario, t)
        targets.append(
            {
                "id": t.id,
                "label": target_label(t, lang),
                "kind": t.kind,
                "indicator_name": _name(scenario.indicator(t.indicator), zh),
                "span": target_span(ct, baseline.years, lang),
                "op": t.op,
                "value": None if t.value is None else float(t.value),
                "text": getattr(t, "text", None),
                "mode": mode,
                "ref": getattr(ct, "ref_row", -1),
                "row": ct.row,
                "year": ct.year,
                "start": ct.start,
                "years": ct.years,
                "tolerance": float(ct.tolerance),
                "attribute": ct.attribute if zh else ATTRIBUTE_EN[ct.attribute],
                "binding": ct.attribute == "约束性",
                "unit": ct.unit,
                "need": need,
                "step_unit": step_unit,
                "digits": {"figure": dec.figure, "pace": list(dec.pace), "rate": dec.rate},
            }
        )
    params = []
    for p in scenario.parameters:
        params.append(
            {
                "name": p.name,
                "label": p.label_zh if zh else (p.label_en or p.label_zh),
                "unit": p.unit,
                "default": float(p.default),
                "min": float(p.bounds[0]),
                "max": float(p.bounds[1]),
                "step": float(p.step) if p.step else (p.bounds[1] - p.bounds[0]) / 100,
                "decimals": _param_decimals(p.step),
                "description": p.description or "",
            }
        )
    panels = [
        p
        for p in chart_panels(scenario, max_panels)
        if np.isfinite(baseline.series(p.indicator)[0]).any()
    ]
    marks = _marks(compiled, baseline, panels)
    envelope = model.evaluate(envelope_params(scenario)) if scenario.parameters else baseline
    panel_docs = []
    for k, pnl in enumerate(panels):
        base = panel_values(baseline, pnl)[0]
        env = panel_values(envelope, pnl)
        lo, hi = _limits(
            np.vstack([env, base[None, :]]), [m["value"] for m in marks if m["panel"] == k]
        )
        title = pnl.title
        if not zh:
            title = _name(scenario.indicator(pnl.indicator), zh) + (
                " (cumulative)" if pnl.cumulative_from is not None else ""
            )
        panel_docs.append(
            {
                "row": w.row[pnl.indicator],
                "title": title,
                "unit": pnl.unit,
                "from": None if pnl.cumulative_from is None else pnl.cumulative_from - w.y0,
                "lo": lo,
                "hi": hi,
            }
        )
    meta = scenario.meta
    file = Path(scenario.source_path).name if scenario.source_path else f"{meta.id}.yaml"
    return {
        "format": FORMAT,
        "lang": lang,
        "text": PAGE_TEXT[lang],
        "meta": {
            "id": meta.id,
            "name": _title(scenario, zh),
            "region": meta.region,
            "level": meta.level,
            "base_year": meta.base_year,
            "period": list(meta.period),
            "file": file,
        },
        "years": [int(y) for y in model.years],
        "indicators": [
            {
                "id": i,
                "name": _name(scenario.indicator(i), zh),
                "unit": u,
                "decimals": indicator_decimals(scenario, i),
            }
            for i, u in zip(model.indicators, model.units, strict=True)
        ],
        "parameters": params,
        "steps": steps,
        "targets": targets,
        "panels": panel_docs,
        "marks": [{**m, "year": m["year"] - w.y0} for m in marks],
        "check": {
            "values": [[_num(v) for v in row] for row in baseline.values[0]],
            "implied": [_num(v) for v in results.implied[0]],
            "met": [bool(v) for v in results.met[0]],
        },
    }


def _name(ind, zh: bool) -> str:
    """Return an indicator's name: Chinese, or its English name where the file has one."""
    return ind.name_zh if zh else (ind.name_en or ind.name_zh)


def _title(scenario: Scenario, zh: bool) -> str:
    """Return the scenario's name: Chinese, or its English name where the file has one."""
    return scenario.meta.name if zh else (scenario.meta.name_en or scenario.meta.name)


def _marks(compiled, baseline, panels) -> list[dict]:
    """Each target on its panel, in the panel's terms (as ``charts.target_marks``).

    Level and cumulative targets sit at the stated value, growth at the level the stated rate
    gives, increment and pp_change at start + change, reduction at start × (1 − value %);
    relative_growth and qualitative targets have no level to mark.
    """
    index = {(p.indicator, p.cumulative_from): k for k, p in enumerate(panels)}
    y0 = int(baseline.years[0])
    out = []
    for ct in compiled:
        t = ct.target
        if getattr(ct, "mode", "numeric") != "numeric" or t.value is None:
            continue
        k = index.get((t.indicator, y0 + ct.start if t.kind == "cumulative" else None))
        if k is None:
            continue
        start = float(baseline.values[0, ct.row, ct.start])
        value = {
            "level": t.value,
            "cumulative": t.value,
            "growth": start * (1.0 + t.value / 100.0) ** ct.years,
            "increment": start + t.value,
            "pp_change": start + t.value,
            "reduction": start * (1.0 - t.value / 100.0),
        }.get(t.kind)
        if value is None or not math.isfinite(value):
            continue
        out.append(
            {
                "panel": k,
                "year": t.year,
                "value": float(value),
                "attribute": ct.attribute,
                "binding": ct.attribute == "约束性",
                "label": t.wording or f"{t.id} {t.op} {t.value:g}",
            }
        )
    return out


# ---- the page ----------------------------------------------------------------------------
def _script() -> str:
    folder = files("planlib") / "data" / "share"
    try:
        parts = [(folder / name).read_text(encoding="utf-8") for name in _JS_FILES]
    except FileNotFoundError:
        raise PlanlibError("planlib/data/share/*.js is missing from this installation") from None
    return "\n".join(parts)


def _style() -> str:
    return (
        (files("planlib") / "data" / "share" / "share.css")
        .read_text(encoding="utf-8")
        .replace("FONT_STACK", FONT_STACK)
    )


def _json_for_script(doc: dict) -> str:
    """JSON that cannot end its <script> element (every '<', '>' and '&' escaped)."""
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


#: the words of the page around the data (headings, buttons, legend), per language
CHROME = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "{name}（情景推演）",
        "static_title": "{name}（静态版本）",
        "meta": "{region} · {level} · 基期 {base} 年 · 规划期 {start}–{end} 年",
        "offline": "本文件可离线使用：滑块在浏览器内直接重算，不联网、不需要 Python。"
        '<span lang="en"> Works offline: the sliders recompute in this browser.</span>',
        "noscript": "此页面需要启用 JavaScript 才能推演；"
        "下方基准情景的主要指标表和审计结论仍可阅读。",
        "whatif": "情景推演",
        "reset": "恢复基准",
        "file_name": "文件名",
        "variant_name": "情景名称",
        "download": "下载情景",
        "download_hint": "下载的 YAML 文件放在原情景文件旁即可用 planlib audit 审计。",
        "legend": ["当前情景", "基准情景", "约束性目标", "预期性目标"],
        "trajectories": "指标逐年数值（当前情景）",
        "table_title": "{name} 主要指标表（基准情景）",
        "table_heading": "基准情景：主要指标表",
        "audit_heading": "基准情景：审计结论",
        "total": "合计：达标 {ok}，警告 {warning}，未达标 {error}",
        "footer": "由 planlib {version} 生成",
        "footer_file": " · 情景文件 {file}",
        "static_notice": "此情景含有浏览器推演尚不支持的内容，本页为静态版本（只显示基准结果，"
        "不能拖动滑块）。原因：{reason}",
        "no_chart": "（无法绘制推演图表：{error}）",
    },
    "en": {
        "html_lang": "en",
        "title": "{name} (what-if)",
        "static_title": "{name} (static)",
        "meta": "{region} · base year {base} · plan period {start}–{end}",
        "offline": "This file works offline: the sliders recompute in this browser, with no "
        "network and no Python.",
        "noscript": "This page needs JavaScript to recompute; the baseline indicator table and "
        "audit below can still be read.",
        "whatif": "What-if",
        "reset": "Reset to baseline",
        "file_name": "File name",
        "variant_name": "Scenario name",
        "download": "Download scenario",
        "download_hint": "Put the downloaded YAML file beside the original scenario file and "
        "check it with planlib audit.",
        "legend": ["current", "baseline", "binding target", "indicative target"],
        "trajectories": "Indicators by year (current values)",
        "table_title": "{name}: main indicators (baseline)",
        "table_heading": "Baseline: main indicators",
        "audit_heading": "Baseline: audit",
        "total": "Total: ok {ok}, warning {warning}, error {error}",
        "footer": "Made by planlib {version}",
        "footer_file": " · scenario file {file}",
        "static_notice": "This scenario uses something the page cannot yet recompute in the "
        "browser: this is the static version (baseline results only, no sliders). "
        "Reason: {reason}",
        "no_chart": "(the what-if charts could not be drawn: {error})",
    },
}


def _baseline_sections(scenario: Scenario, lang: str = "zh") -> str:
    """Render (and escape) the baseline 主要指标表 and audit summary in Python."""
    from ..auditing import STATUS_ZH, audit
    from ..table import indicator_table, render_table

    zh, c = lang == "zh", CHROME[lang]
    model = Model(scenario)
    report = audit(scenario, model=model, lang=lang)
    title = c["table_title"].format(name=_title(scenario, zh))
    table = render_table(indicator_table(scenario, lang=lang), "html", title=title)
    status_text = STATUS_ZH if zh else {s: s for s in STATUS_ZH}
    items = []
    for r in report.rows + report.checks:
        items.append(
            f'<li class="planlib-audit-{html.escape(r["status"])}">'
            f"<b>{html.escape(status_text.get(r['status'], r['status']))}</b> "
            f"{html.escape(r['message'])}</li>"
        )
    total = c["total"].format(**report.to_dict()["summary"])
    return (
        f'<section class="planlib-baseline-section"><h2>{c["table_heading"]}</h2>'
        f"{table}</section>"
        f'<section class="planlib-audit"><h2>{c["audit_heading"]}</h2>'
        f"<p><b>{html.escape(total)}</b></p><ul>{''.join(items)}</ul></section>"
    )


def _head(title: str, script_hash: str | None, lang: str = "zh") -> str:
    script_src = f"'sha256-{script_hash}'" if script_hash else "'none'"
    csp = (
        f"default-src 'none'; script-src {script_src}; style-src 'unsafe-inline'; "
        "img-src data:; form-action 'none'; base-uri 'none'"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{CHROME[lang]["html_lang"]}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_style()}</style></head>"
    )


def _header(scenario: Scenario, lang: str = "zh") -> str:
    m = scenario.meta
    line = CHROME[lang]["meta"].format(
        region=m.region, level=m.level, base=m.base_year, start=m.period[0], end=m.period[1]
    )
    return (
        f"<header><h1>{html.escape(_title(scenario, lang == 'zh'))}</h1>"
        f'<p class="planlib-meta">{html.escape(line)}</p></header>'
    )


def share_html(scenario: Scenario, lang: str = "zh") -> str:
    """Return the live page for ``scenario``; :class:`Unsupported` when it cannot be live.

    ``lang="en"``: English words, indicator names ``name_en`` where the file has one (else the
    Chinese name), units as written.
    """
    doc = model_document(scenario, lang=lang)
    c = CHROME[lang]
    script = _script()
    if "</script" in script.lower() or "<!--" in script:
        raise PlanlibError("planlib/data/share/*.js must not contain '</script' or '<!--'")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    legend = c["legend"]
    footer = c["footer"].format(version=html.escape(_version())) + c["footer_file"].format(
        file=html.escape(doc["meta"]["file"])
    )
    body = (
        f'<body class="planlib-share">{_header(scenario, lang)}'
        f'<p class="planlib-offline">{c["offline"]}</p>'
        '<div class="planlib-notice" hidden></div>'
        f'<noscript><div class="planlib-notice">{c["noscript"]}</div></noscript>'
        f'<section class="planlib-whatif"><h2>{c["whatif"]}</h2>'
        '<div class="planlib-params"></div>'
        '<div class="planlib-actions">'
        f'<button type="button" class="planlib-reset">{c["reset"]}</button>'
        f'<label>{c["file_name"]} <input type="text" class="planlib-filename"></label>'
        f'<label>{c["variant_name"]} <input type="text" class="planlib-variant-name"></label>'
        f'<button type="button" class="planlib-download">{c["download"]}</button>'
        f'<span class="planlib-download-hint">{c["download_hint"]}</span>'
        "</div>"
        '<p class="planlib-summary"></p>'
        '<table class="planlib-targets"></table>'
        '<div class="planlib-charts"></div>'
        f'<p class="planlib-legend"><span class="lg-current"></span>{legend[0]} '
        f'<span class="lg-baseline"></span>{legend[1]} <span class="lg-binding"></span>'
        f'{legend[2]} <span class="lg-indicative"></span>{legend[3]}</p>'
        f'<details class="planlib-trajectories"><summary>{c["trajectories"]}</summary>'
        '<table class="planlib-trajectory-table"></table></details>'
        "</section>"
        f"{_baseline_sections(scenario, lang)}"
        f"<footer>{footer}</footer>"
        f'<script type="application/json" id="planlib-model">{_json_for_script(doc)}</script>'
        f"<script>{script}</script></body></html>\n"
    )
    return _head(c["title"].format(name=_title(scenario, lang == "zh")), digest, lang) + body


def static_html(scenario: Scenario, reason: str, lang: str = "zh") -> str:
    """Return the static page, with a visible notice saying why the sliders are missing.

    The what-if tables of the static page (:meth:`WhatIf.static_html`) are in Chinese.
    """
    c = CHROME[_check_lang(lang)]
    try:
        from .widgets import WhatIf

        whatif = WhatIf(scenario).static_html()
    except Exception as exc:  # the notice already explains; still show the tables
        whatif = f"<p>{html.escape(c['no_chart'].format(error=exc))}</p>"
    notice = html.escape(c["static_notice"].format(reason=reason))
    body = (
        f'<body class="planlib-share planlib-static">{_header(scenario, lang)}'
        f'<div class="planlib-notice">{notice}</div>'
        f"<section>{whatif}</section>{_baseline_sections(scenario, lang)}"
        f"<footer>{c['footer'].format(version=html.escape(_version()))}</footer></body></html>\n"
    )
    title = c["static_title"].format(name=_title(scenario, lang == "zh"))
    return _head(title, None, lang) + body


def _version() -> str:
    import planlib

    return planlib.__version__


def share(scenario, output, overwrite: bool = False, lang: str = "zh") -> tuple[Path, bool]:
    """Write the live what-if page of ``scenario`` to ``output``.

    Parameters
    ----------
    scenario : Scenario or str or os.PathLike
        A loaded scenario or a scenario file.
    output : str or os.PathLike
        The ``.html`` file to write (atomically).
    overwrite : bool
        Replace an existing file; otherwise an existing file raises FileExistsError.
    lang : {"zh", "en"}
        Language of the page (Chinese by default).

    Returns
    -------
    (pathlib.Path, bool)
        The written file, and whether it is live (False: the static fallback page).
    """
    _check_lang(lang)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    output = Path(output)
    if output.suffix.lower() not in (".html", ".htm"):
        raise PlanlibError(f"output {str(output)!r}: the file name must end in .html")
    if not output.parent.is_dir():
        raise PlanlibError(f"output {str(output)!r}: folder {output.parent} does not exist")
    if output.exists() and not overwrite:
        raise PlanlibError(f"output {str(output)!r} exists; pass --force to replace it")
    live = True
    try:
        text = share_html(scenario, lang)
    except Unsupported as exc:
        live = False
        text = static_html(scenario, str(exc), lang)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise PlanlibError(
            f"{scenario.meta.id}: the page would be {size / 1e6:.2f} MB, "
            f"more than {MAX_BYTES / 1e6:.1f} MB"
        )
    return write_atomic(output, text, overwrite=True), live


def scenario_of_notebook(notebook) -> Path:
    """Find the scenario file named by ``scenario_file`` in a notebook's ``parameters`` cell.

    The path is read from the cell's source as a string literal (never executed) and resolved
    against the notebook's folder.
    """
    import nbformat

    path = Path(notebook)
    if not path.is_file():
        raise PlanlibError(f"{path}: no such notebook")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") != "code" or "parameters" not in tags:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            break
        for node in tree.body:
            names = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            if (
                isinstance(node, ast.Assign)
                and "scenario_file" in names
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                return Path(os.path.normpath(path.parent / node.value.value))
    raise PlanlibError(
        f'{path}: its parameters cell names no scenario_file = "..."; '
        "--live needs a scenario model (use planlib render without --live)"
    )

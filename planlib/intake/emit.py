"""Write a :class:`~planlib.intake.draft.Draft` as scenario YAML (the VOCABULARY of issue 13).

Every target keeps ``source: <file> <cell>`` and its ``wording`` (the cell as
written); every indicator's ``source`` names its row and base cell. Rules are
drafted only where the table itself states two things that must agree, so that
``planlib audit`` checks the table's own arithmetic and invents nothing:

- base level + 年均增长 x → parameter ``<id>_growth`` = x, rule ``growth``
  (the 2025 level, if stated, is then checked against it);
- base % + 〔x〕 百分点 → parameter ``<id>_pp`` = x / years, rule ``pp_change``;
- base level + 〔x〕 (岁, 年 …) → parameter ``<id>_step`` = x / years, rule ``increment``.

Other rows (a level target with no pace, rate-only rows, 降低, 同步, 定性) get
no rule: audit lists them as 无测算依据（仅列示） until the planner adds one.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .draft import Draft, IndicatorDraft, TargetDraft

__all__ = ["scenario_dict", "scenario_yaml", "COUNT_UNITS"]

#: units a table may use that are counts like 个 (declared in the scenario's ``units:``)
COUNT_UNITS = (
    "件",
    "座",
    "处",
    "辆",
    "台",
    "条",
    "部",
    "间",
    "只",
    "头",
    "棵",
    "株",
    "份",
    "批",
    "床",
)
_LEVEL_SUFFIX = (
    ("园区", "园区"),
    ("街道", "街道"),
    ("乡", "乡镇"),
    ("镇", "乡镇"),
    ("县", "县"),
    ("旗", "县"),
    ("区", "区"),
    ("市", "市"),
    ("州", "市"),
    ("盟", "市"),
    ("省", "省"),
    ("自治区", "省"),
)


def _num(value: float, decimals: int | None = None):
    """Return a YAML number as written: int without decimals, else a float rounded to them."""
    if value is None:
        return None
    if decimals is not None:
        value = round(float(value), decimals)
    if float(value).is_integer() and (decimals in (None, 0)):
        return int(value)
    return float(value)


def region_from_title(title: str | None) -> str | None:
    """Return the region named in a table title (``表1 黄羊县“十四五”…`` → ``黄羊县``)."""
    if not title:
        return None
    t = re.sub(r"^(附)?表\s*\d+[\s:：.、]*", "", title)
    m = re.match(r"^(.{2,12}?(?:自治区|自治州|自治县|省|市|州|盟|县|旗|区|街道|乡|镇|园区))", t)
    return m.group(1) if m else None


def level_from_region(region: str | None) -> str | None:
    """Return the scenario ``level`` implied by a region's suffix (县, 市 …), or None."""
    if not region:
        return None
    for suffix, level in _LEVEL_SUFFIX:
        if region.endswith(suffix):
            return level
    return None


@functools.cache
def _builtin_units() -> frozenset:
    """Return the units and aliases planlib ships.

    Read from a fresh copy of planlib.units: scenario files loaded in this process
    may have declared more, which another process would not know.
    """
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("planlib.units")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return frozenset(mod.UNITS) | frozenset(getattr(mod, "ALIASES", {}))


def _known_unit(name: str) -> bool:
    return name in _builtin_units()


def _declare(unit: str, draft: Draft) -> dict:
    """Return a ``units:`` entry for a unit planlib does not list.

    Counts (件, 座 …) are declared as 个; any other unit as a unit of its own kind
    (no conversion), and the report says so.
    """
    if unit in COUNT_UNITS:
        return {"name": unit, "to": "个", "factor": 1}
    draft.warn(
        unit,
        unit,
        f"单位“{unit}”不在 planlib 的单位表中，已在 units: 里声明为"
        "独立单位（不与其他单位换算），请核对",
    )
    return {"name": unit}


def _ascii_id(stem: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.")
    return s if s and s[0].isalnum() else "imported-plan"


def _target_dict(ind: IndicatorDraft, t: TargetDraft, tid: str) -> dict:
    out = {"id": tid, "indicator": ind.id, "year": t.year, "kind": t.kind}
    if t.kind == "qualitative":
        out["text"] = t.text
    else:
        out["op"] = t.op
        out["value"] = _num(t.value, t.decimals)
        if t.band is not None:
            out["band"] = _num(t.band)
        if t.from_year is not None and t.kind != "level":
            out["from_year"] = t.from_year
        if t.reference is not None:
            out["reference"] = t.reference
    out["wording"] = t.wording
    out["source"] = t.source
    return out


def _rule(ind: IndicatorDraft, targets: list, params: list) -> dict | None:
    """Return a rule drafted from the row's own growth/〔〕 statement, with its parameter."""
    if ind.base is None:
        return None
    byear = ind.base["year"]
    for t in targets:
        years = t.year - byear
        if years <= 0 or t.op not in (">=", "~", "=", ">") or t.value is None:
            continue
        if t.kind == "growth":
            name, value, unit, kind, key = f"{ind.id}_growth", float(t.value), "%", "growth", "rate"
            label = f"{ind.name_zh}年均增速"
        elif t.kind == "pp_change" and ind.unit in ("%", "‰"):
            name, value, unit, kind, key = (
                f"{ind.id}_pp",
                t.value / years,
                "百分点",
                "pp_change",
                "change",
            )
            label = f"{ind.name_zh}每年提高"
        elif t.kind == "increment":
            name, value, unit, kind, key = (
                f"{ind.id}_step",
                t.value / years,
                ind.unit,
                "increment",
                "increment",
            )
            label = f"{ind.name_zh}每年增加"
        else:
            continue
        value = round(value, 6)
        span = max(abs(value), 1.0) * 2
        params.append(
            {
                "name": name,
                "label_zh": label,
                "unit": unit,
                "default": _num(value),
                "bounds": [_num(round(value - span, 6)), _num(round(value + span, 6))],
                "step": 0.1 if unit != ind.unit else _num(round(span / 20, 6)) or 0.1,
                "description": f"原文“{t.wording}”（{t.source}），按 {byear}–{t.year} 年平均",
            }
        )
        return {"kind": kind, key: name}
    return None


def scenario_dict(draft: Draft, options: dict | None = None) -> dict:
    """Return the scenario file content (a plain dict in file order) for ``draft``.

    Parameters
    ----------
    draft : Draft
    options : dict, optional
        ``region``, ``level``, ``id``, ``name`` override what the file says.

    Returns
    -------
    dict
        ``meta``, ``parameters``, ``indicators``, ``targets`` (and ``units`` when
        the table uses count units such as 件).
    """
    opts = dict(options or {})
    title = draft.meta.get("title")
    region = (
        opts.get("region") or draft.meta.get("region") or region_from_title(title) or "未命名地区"
    )
    level = opts.get("level") or level_from_region(region) or "县"
    name = (
        opts.get("name")
        or (re.sub(r"^(附)?表\s*\d+[\s:：.、]*", "", title).strip() if title else "")
        or f"{region}主要指标"
    )
    stem = Path(draft.file).stem
    meta = {
        "id": opts.get("id") or _ascii_id(stem),
        "name": name,
        "region": region,
        "level": level,
        "base_year": draft.meta["base_year"],
        "period": list(draft.meta["period"]),
        "sources": [
            {
                "document": Path(draft.file).name,
                "section": title or ("正文" if draft.mode == "text" else "表1"),
            }
        ],
    }
    note = "由 planlib import 导入；每个数字的 source 指明单元格或原句。"
    if draft.notes:
        note += " 表下注：" + " ".join(draft.notes)
    meta["notes"] = note
    params: list = []
    indicators, targets, units = [], [], []
    taken: set = set()
    for ind in draft.indicators:
        entry = {
            "id": ind.id,
            "name_zh": ind.name_zh,
            "unit": ind.unit,
            "category": ind.category,
            "attribute": ind.attribute,
        }
        if ind.direction:
            entry["direction"] = ind.direction
        if ind.decimals is not None:
            entry["decimals"] = ind.decimals
        if ind.base is not None:
            base = {
                "year": ind.base["year"],
                "value": _num(ind.base["value"], ind.base.get("decimals")),
            }
            for key in ("status", "data_year"):
                if key in ind.base:
                    base[key] = ind.base[key]
            entry["base"] = base
        if ind.history:
            entry["history"] = {int(y): _num(v) for y, v in sorted(ind.history.items())}
        rule = _rule(ind, ind.targets, params)
        if rule is not None:
            entry["rule"] = rule
        source = ind.source + ("；" + "；".join(ind.notes) if ind.notes else "")
        entry["source"] = source
        indicators.append(entry)
        if not _known_unit(ind.unit) and ind.unit not in [u["name"] for u in units]:
            units.append(_declare(ind.unit, draft))
        for t in ind.targets:
            tid = f"{ind.id}_{t.kind}_{t.year}"
            k = 2
            while tid in taken:
                tid, k = f"{ind.id}_{t.kind}_{t.year}_{k}", k + 1
            taken.add(tid)
            targets.append(_target_dict(ind, t, tid))
    out = {"meta": meta}
    if units:
        out["units"] = units
    if params:
        out["parameters"] = params
    out["indicators"] = indicators
    out["targets"] = targets
    return out


def scenario_yaml(draft: Draft, options: dict | None = None) -> str:
    """Scenario YAML text for ``draft`` with a header comment naming the file."""
    from ..scenario import dump_yaml  # noqa: PLC0415

    head = (
        f"# 由 planlib import 从 {Path(draft.file).name} 导入"
        f"（{'正文' if draft.mode == 'text' else '主要指标表'}）。\n"
        "# 每个目标的 source 指明单元格或原句；"
        "规则只在表中同时给出基期与年均增长/〔累计〕时起草，请核对。\n"
    )
    return head + dump_yaml(scenario_dict(draft, options))

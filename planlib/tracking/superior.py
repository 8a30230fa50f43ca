"""Check a plan against its superior plan (上级规划衔接).

Handed-down 约束性 indicators must be present and at least as strict.

For every target of the superior plan, :func:`check_superior` finds the plan's indicator
mapped to it (:func:`planlib.tracking.proposals.match_indicator`: by id, by Chinese name,
by a normalised name, or an explicit map) and that indicator's target, and compares them:

* the same kind over the same span compares the stated values directly (a reduction of
  15 % against 17 %, a floor of 40 % against 42 %, growth of 6 % against 7 %);
* otherwise the superior figure is translated to the plan's kind from the plan's base
  (growth → level ``base·(1+r)^n``, reduction → level ``base·(1−x)``, 百分点 → level
  ``base + x``, and back), as the guidance option of ``planlib propose`` does;
* totals (亿元, 万吨, 户 …) are not compared with a superior total: a county's share is
  handed down separately (listed as 总量指标).

A target is at least as strict when it asks for at least as much in its own direction
(``>=``: not lower; ``<=``: not higher; a reduction: not shallower). Statuses:

``符合``            present and at least as strict;
``冲突``            a 约束性 target weaker than the superior's — exit 1;
``缺失``            a 约束性 indicator or target of the superior plan not in the plan — exit 1;
``低于上级``        a 预期性 target below the superior's: needs a written reason (the target's
                    ``proposal.reason`` counts as one and is shown);
``未列``            a 预期性 indicator the plan leaves out (allowed);
``无法比较``        kinds that do not translate without a base value, or a total;
``定性``            qualitative superior targets (listed).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..formatting import fmt_number
from ..model import Model
from ..scenario import Scenario
from ..units import factor
from .proposals import _sense, intensive, match_indicator, value_of

__all__ = ["STATUSES", "SuperiorCheck", "check_superior", "intensive"]

STATUSES = ("冲突", "缺失", "低于上级", "无法比较", "未列", "定性", "符合")
#: statuses that make ``planlib check`` exit 1
BLOCKING = ("冲突", "缺失")
_COMPARABLE = ("growth", "reduction", "pp_change", "increment", "level")


@dataclass(frozen=True)
class SuperiorCheck:
    """Result of :func:`check_superior`.

    Attributes
    ----------
    rows : tuple of dict
        One per superior target: superior indicator, attribute, stated figure, the plan's
        indicator and target, the superior figure in the plan's terms, status, note.
    """

    scenario: str
    superior: str
    rows: tuple

    @property
    def exit_code(self) -> int:
        """1 when a 约束性 indicator conflicts or is missing, else 0."""
        return 1 if any(r["status"] in BLOCKING for r in self.rows) else 0

    def counts(self) -> dict:
        """Rows per status."""
        return {
            s: sum(r["status"] == s for r in self.rows)
            for s in STATUSES
            if any(r["status"] == s for r in self.rows)
        }

    def to_frame(self):
        """Return the table as a planner reads it (Chinese headers)."""
        import pandas as pd

        cols = {
            "superior_name": "上级指标",
            "attribute": "属性",
            "superior_stated": "上级目标",
            "name": "本级指标",
            "stated": "本级目标",
            "equivalent": "上级折算为本级口径",
            "status": "结论",
            "note": "说明",
        }
        return pd.DataFrame([{v: r.get(k) for k, v in cols.items()} for r in self.rows])

    def to_text(self) -> str:
        """Aligned text, conflicts first."""
        lines = [
            f"{self.scenario} 对照上级规划 {self.superior}："
            + "，".join(f"{k}{v}项" for k, v in self.counts().items())
        ]
        for r in self.rows:
            lines.append(
                f"  [{r['status']}] {r['superior_name']}（{r['attribute']}）"
                f"上级：{r['superior_stated']}"
                f"；本级：{r['stated'] or '—'}"
                + (f"；折算：{r['equivalent']}" if r.get("equivalent") else "")
                + (f"。{r['note']}" if r.get("note") else "")
            )
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        """JSON-ready result."""
        return {
            "scenario": self.scenario,
            "superior": self.superior,
            "exit_code": self.exit_code,
            "counts": self.counts(),
            "rows": [dict(r) for r in self.rows],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def write_xlsx(self, path, overwrite: bool = False) -> Path:
        """Excel workbook with one sheet 上级规划衔接 (written atomically)."""
        import pandas as pd

        from .actuals import _write_xlsx_atomic

        detail = pd.DataFrame([dict(r) for r in self.rows])
        return _write_xlsx_atomic(
            Path(path), {"上级规划衔接": self.to_frame(), "明细": detail}, overwrite
        )


def _stated(t, unit: str) -> str:
    if t is None:
        return ""
    if t.wording:
        return t.wording
    if t.kind == "qualitative":
        return t.text or "定性"
    op = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<", "~": "约"}[t.op]
    what = {
        "growth": "年均增长",
        "reduction": "累计降低",
        "pp_change": "提高（百分点）",
        "increment": "增加",
        "cumulative": "累计",
        "level": f"{t.year}年",
    }.get(t.kind, t.kind)
    u = {"growth": "%", "reduction": "%", "pp_change": "个百分点"}.get(t.kind, unit)
    return f"{what}{op}{fmt_number(t.value, 2)}{u}"


def check_superior(
    scenario: Scenario, superior: Scenario, mapping: Mapping | None = None
) -> SuperiorCheck:
    """Compare every target of ``superior`` with the plan's target on the mapped indicator.

    Parameters
    ----------
    scenario : Scenario
        The plan (county, city …).
    superior : Scenario
        The superior plan (province, nation), a scenario file without base values if need be.
    mapping : mapping of str to str, optional
        The plan's indicator id → the superior's, where names differ (also read from the
        scenario's ``superior.map``).

    Returns
    -------
    SuperiorCheck
    """
    own_map = dict(scenario.superior.map) if scenario.superior is not None else {}
    own_map.update(mapping or {})
    mapped = match_indicator(scenario, superior, own_map)
    back: dict[str, list[str]] = {}
    for own, sup in mapped.items():
        back.setdefault(sup, []).append(own)
    plan = Model(scenario).evaluate()
    y0 = int(plan.years[0])

    def at(ind_id, year):
        try:
            v = float(plan.values[0, plan.index(ind_id), year - y0])
        except (KeyError, IndexError):
            return float("nan")
        return v

    rows = []
    for st in superior.targets:
        sind = superior.indicator(st.indicator)
        attr = st.attribute or sind.attribute
        row = {
            "superior_indicator": st.indicator,
            "superior_name": sind.name_zh,
            "attribute": attr,
            "superior_target": st.id,
            "superior_stated": _stated(st, sind.unit),
            "indicator": None,
            "name": None,
            "target": None,
            "stated": None,
            "equivalent": None,
            "status": "",
            "note": "",
        }
        rows.append(row)
        if st.kind in ("qualitative", "relative_growth") or st.value is None:
            row["status"], row["note"] = "定性", "定性或相对指标，列示备查"
            if back.get(st.indicator):
                own = scenario.indicator(back[st.indicator][0])
                row.update(indicator=own.id, name=own.name_zh)
            continue
        owns = back.get(st.indicator, [])
        if not owns:
            row["status"] = "缺失" if attr == "约束性" else "未列"
            row["note"] = (
                "约束性指标须分解落实，本级规划未列该指标"
                if attr == "约束性"
                else "预期性指标，本级可结合实际不列"
            )
            continue
        cands = [
            t
            for t in scenario.targets
            if t.indicator in owns
            and t.kind in _COMPARABLE + ("cumulative",)
            and t.value is not None
        ]
        own = scenario.indicator(owns[0])
        row.update(indicator=own.id, name=own.name_zh)
        if not cands:
            row["status"] = "缺失" if attr == "约束性" else "未列"
            row["note"] = "本级列有该指标但无量化目标"
            continue
        cands.sort(key=lambda t: (t.kind != st.kind, abs(t.year - st.year)))
        t = cands[0]
        ind = scenario.indicator(t.indicator)
        row.update(indicator=ind.id, name=ind.name_zh, target=t.id, stated=_stated(t, ind.unit))
        equiv, why = _translate(st, sind, superior, t, ind, scenario, at)
        if equiv is None:
            row["status"], row["note"] = "无法比较", why
            continue
        sense = _sense(t.kind, t.op, getattr(ind, "direction", "higher") or "higher")
        u = {"growth": "%", "reduction": "%", "pp_change": "个百分点"}.get(t.kind, ind.unit)
        row["equivalent"] = f"{fmt_number(equiv, 2)}{u}"
        row["equivalent_value"] = equiv
        strict = sense * (float(t.value) - equiv) >= -1e-9 * max(1.0, abs(equiv))
        t_attr = t.attribute or ind.attribute
        if strict:
            row["status"] = "符合"
            row["note"] = why
        elif attr == "约束性":
            row["status"] = "冲突"
            row["note"] = (
                f"约束性指标须不低于上级要求：本级{fmt_number(t.value, 2)}{u}，"
                f"上级折算{fmt_number(equiv, 2)}{u}" + (f"（{why}）" if why else "")
            )
        else:
            row["status"] = "低于上级"
            reason = t.proposal.reason if getattr(t, "proposal", None) is not None else None
            row["note"] = (
                f"已说明理由：{reason}" if reason else "预期性目标低于上级，需说明理由"
            ) + (f"；本级属性{t_attr}" if t_attr != attr else "")
    order = {s: n for n, s in enumerate(STATUSES)}
    rows.sort(key=lambda r: order[r["status"]])
    return SuperiorCheck(scenario.meta.id, superior.meta.id, tuple(rows))


def _translate(st, sind, superior: Scenario, t, ind, scenario: Scenario, at):
    """Translate the superior figure to the plan target's terms: (value, note) or (None, why)."""
    sup_from = st.from_year if st.from_year is not None else superior.meta.base_year
    own_from = (
        t.from_year
        if t.from_year is not None
        else (scenario.meta.period[0] if t.kind == "cumulative" else scenario.meta.base_year)
    )
    hs, h = st.year - sup_from, t.year - own_from
    if st.kind == "level" and not (intensive(sind.unit) and intensive(ind.unit)):
        return None, "总量指标，本级任务由上级分解下达，不直接比较"
    if st.kind == t.kind and (st.kind == "growth" or hs == h):
        if st.kind == "level":
            try:
                return float(st.value) * factor(sind.unit, ind.unit), ""
            except Exception:
                return None, f"单位{sind.unit}与{ind.unit}不能换算"
        return float(st.value), ""
    if t.kind == "cumulative":
        return None, "本级为累计量，上级口径不能直接换算"
    base = at(ind.id, own_from)
    if not math.isfinite(base):
        return None, f"本级缺少{own_from}年基数，无法把上级{st.kind}目标换算为本级口径"
    if st.kind == "growth":
        end = base * (1.0 + st.value / 100.0) ** h
    elif st.kind == "reduction":
        end = base * (1.0 - st.value / 100.0) ** (h / max(hs, 1))
    elif st.kind in ("pp_change", "increment"):
        end = base + st.value * h / max(hs, 1)
    elif st.kind == "level":
        try:
            end = float(st.value) * factor(sind.unit, ind.unit)
        except Exception:
            return None, f"单位{sind.unit}与{ind.unit}不能换算"
    else:
        return None, f"上级目标类型{st.kind}不能换算"
    v = float(value_of(t.kind, end, base, h))  # as the guidance option of planlib propose
    return v, f"按本级{own_from}年基数{fmt_number(base, 2)}{ind.unit}换算"

"""Component ``structure``: three sectors with their own growth; shares sum to 100.

Expands into parameters ``primary_growth``, ``secondary_growth``, ``tertiary_growth``
[%/年]; indicators ``primary_va``, ``secondary_va``, ``tertiary_va`` and
``gdp_structure`` [亿元], and ``primary_share_structure``, ``secondary_share_structure``,
``tertiary_share_structure`` [%] (ratios of the total, so they always sum to 100);
a ``shares_sum`` check at the period's end; and, with ``target_pp``, the target
``tertiary_structure_pp`` that ``planlib solve`` answers for ``tertiary_growth``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import model_validator

from ..formatting import fmt_number, fmt_rate
from . import Component, agree
from . import structure as S
from ._common import Knob, check_row, param_value

__all__ = ["Structure"]


class Structure(Component):
    """三次产业结构 of a region.

    Attributes
    ----------
    base : dict
        Value added of ``primary``, ``secondary``, ``tertiary`` in the base year [亿元].
    growth : dict of Knob
        Growth of each sector [%/年].
    target : str, optional
        Id of the plan's ``pp_change`` target on ``compare_with``; ``target_pp`` is read from it.
    target_pp : float, optional
        Stated rise of the tertiary share by the period's end [百分点].
    compare_with : str, optional
        Existing indicator with the plan's own tertiary share path.
    """

    kind: Literal["structure"]
    base: dict[Literal["primary", "secondary", "tertiary"], float]
    growth: dict[Literal["primary", "secondary", "tertiary"], Knob]
    target_pp: float | None = None
    target: str | None = None
    compare_with: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _complete(self):
        for key, what in (("base", self.base), ("growth", self.growth)):
            missing = [s for s in S.SECTORS if s not in what]
            if missing:
                raise ValueError(
                    f"{key} needs primary, secondary and tertiary; missing {', '.join(missing)}"
                )
        neg = {k: v for k, v in self.base.items() if v < 0}
        if neg:
            raise ValueError(f"base value added must be >= 0, got {neg}")
        if sum(self.base.values()) <= 0:
            raise ValueError("base value added sums to 0; give at least one positive sector")
        for s, k in self.growth.items():
            if k.bounds[0] <= -100:
                raise ValueError(f"growth.{s} bounds reach -100 %; use a lower bound > -100")
        return self

    def resolve(self, view):
        """Read ``target_pp`` from ``target``; the base tertiary share must agree with the file."""
        target_pp = self.target_pp
        if self.compare_with is not None:
            try:
                _, base = view.base(self.compare_with)
            except ValueError:
                base = None
            if base is not None:
                agree(
                    round(self.base_shares()["tertiary"], 2),
                    base,
                    "the tertiary share of base (value added)",
                    "the structure component",
                    view.where_indicator(self.compare_with, "base", "value"),
                    tol=0.005 / max(base, 1),
                )
        if self.target is not None:
            if self.compare_with is None:
                raise ValueError("target needs compare_with (the indicator the target is on)")
            t = view.target(self.target)
            where = view.where_target(self.target, "value")
            if t.get("indicator") != self.compare_with or t.get("kind") != "pp_change":
                raise ValueError(
                    f"target {self.target!r} must be a pp_change target on "
                    f"{self.compare_with!r} ({where})"
                )
            if target_pp is None:
                target_pp = float(t["value"])
            else:
                agree(target_pp, float(t["value"]), "target_pp", "the structure component", where)
        return self.model_copy(update={"target_pp": target_pp})

    def base_shares(self) -> dict:
        """Base-year shares [%]."""
        tot = sum(self.base.values())
        return {s: self.base[s] / tot * 100 for s in S.SECTORS}

    def expand(self, meta, view=None):
        """Scenario entries this component stands for (see :meth:`Component.expand`)."""
        y0 = int(meta.get("base_year", 2020))
        y1 = int(meta.get("period", [y0 + 1, y0 + 5])[1])
        note = self.assumption or "基期三次产业增加值为假设，可修改"
        params, inds = [], []
        for s in S.SECTORS:
            zh = S.SECTORS_ZH[s]
            params.append(
                self.growth[s].parameter(
                    f"{s}_growth", f"{zh}增加值年均增速", "%", f"Growth of {s} value added"
                )
            )
            inds.append(
                {
                    "id": f"{s}_va",
                    "name_zh": f"{zh}增加值",
                    "name_en": f"{s.capitalize()} value added",
                    "unit": "亿元",
                    "category": "产业结构",
                    "base": {"year": y0, "value": self.base[s]},
                    "rule": {"kind": "growth", "rate": f"{s}_growth"},
                    "assumption": note,
                }
            )
        inds.append(
            {
                "id": "gdp_structure",
                "name_zh": "地区生产总值（三次产业合计）",
                "name_en": "Value added, total",
                "unit": "亿元",
                "category": "产业结构",
                "rule": {"kind": "sum", "of": [f"{s}_va" for s in S.SECTORS]},
            }
        )
        for s in S.SECTORS:
            zh = S.SECTORS_ZH[s]
            inds.append(
                {
                    "id": f"{s}_share_structure",
                    "name_zh": f"{zh}比重（三次产业结构）",
                    "name_en": f"{s.capitalize()} share (structure model)",
                    "unit": "%",
                    "category": "产业结构",
                    "rule": {
                        "kind": "ratio",
                        "numerator": f"{s}_va",
                        "denominator": "gdp_structure",
                    },
                }
            )
        out = {
            "parameters": params,
            "indicators": inds,
            "checks": [
                {
                    "kind": "shares_sum",
                    "label_zh": f"三次产业比重合计（{y1}年）",
                    "indicators": [f"{s}_share_structure" for s in S.SECTORS],
                    "year": y1,
                    "total": 100,
                }
            ],
        }
        if self.target_pp is not None:
            if self.base_shares()["tertiary"] + self.target_pp >= 100:
                raise ValueError(
                    f"target_pp {self.target_pp:g} from a tertiary share of "
                    f"{fmt_number(self.base_shares()['tertiary'])} % reaches 100 % or more: "
                    "impossible"
                )
            out["targets"] = [
                {
                    "id": "tertiary_structure_pp",
                    "indicator": "tertiary_share_structure",
                    "year": y1,
                    "kind": "pp_change",
                    "op": ">=",
                    "value": self.target_pp,
                    "from_year": y0,
                    "wording": f"第三产业比重提高{self.target_pp:g}个百分点",
                }
            ]
        return out

    def findings(self, scenario, traj, params=None) -> dict:
        """Find the tertiary growth the target requires, and its feasibility.

        The growth of the other two sectors is given.
        """
        y0, y1 = scenario.meta.base_year, scenario.meta.period[1]
        base = np.array([self.base[s] for s in S.SECTORS])
        rates = np.stack(
            [param_value(scenario, params, f"{s}_growth") / 100 for s in S.SECTORS], axis=1
        )
        out = {
            "base_year": y0,
            "end_year": y1,
            "base_shares": self.base_shares(),
            "end_shares": {s: float(traj.at(f"{s}_share_structure", y1)[0]) for s in S.SECTORS},
            "growth": {s: float(rates[0, i] * 100) for i, s in enumerate(S.SECTORS)},
        }
        if self.target_pp is not None:
            target = self.base_shares()["tertiary"] + self.target_pp
            need = S.required_sector_growth(base, rates, target, y1 - y0, sector=2) * 100
            bounds = self.growth["tertiary"].bounds
            out.update(
                {
                    "target_share": target,
                    "required_tertiary_growth": float(need[0]),
                    "tertiary_bounds": list(bounds),
                    "feasibility": str(S.feasibility(need, bounds)[0]),
                }
            )
        if self.compare_with and self.compare_with in traj.indicators:
            out["plan_share_end"] = float(traj.at(self.compare_with, y1)[0])
        return out

    def audit_checks(self, scenario, traj, zh: bool, params=None) -> list:
        """Audit rows: required tertiary growth (info) or an impossible target (warning)."""
        f = self.findings(scenario, traj, params)
        if "target_share" not in f:
            return []
        g, y0, y1 = f["growth"], f["base_year"], f["end_year"]
        need, feas = f["required_tertiary_growth"], f["feasibility"]
        lo, hi = f["tertiary_bounds"]
        ratio = need / g["secondary"] if g["secondary"] else float("nan")
        verdict_zh = {
            "within_bounds": "在参数范围内",
            "beyond_bounds": f"超出参数范围 [{fmt_number(lo)}, {fmt_number(hi)}]%，无法实现",
            "impossible": "无法实现",
        }[feas]
        verdict_en = {
            "within_bounds": "within the parameter's bounds",
            "beyond_bounds": f"beyond the bounds [{fmt_number(lo)}, {fmt_number(hi)}] %: "
            "impossible",
            "impossible": "impossible",
        }[feas]
        bs = f["base_shares"]
        es = f["end_shares"]
        msg_zh = (
            f"三次产业结构 {y0}年 "
            f"{fmt_number(bs['primary'])}:{fmt_number(bs['secondary'])}:"
            f"{fmt_number(bs['tertiary'])}，第三产业比重目标 "
            f"{fmt_rate(f['target_share'])}（提高{self.target_pp:g}个百分点）：在第一产业 "
            f"{fmt_rate(g['primary'])}、第二产业 {fmt_rate(g['secondary'])} 的增速下，"
            f"需第三产业年均增长 {fmt_rate(need)}（为第二产业增速的 {fmt_number(ratio)} 倍），"
            f"{verdict_zh}；当前参数下 {y1}年 "
            f"{fmt_number(es['primary'])}:{fmt_number(es['secondary'])}:"
            f"{fmt_number(es['tertiary'])}"
        )
        msg_en = (
            "Three-sector structure "
            f"{fmt_number(bs['primary'])}:{fmt_number(bs['secondary'])}:"
            f"{fmt_number(bs['tertiary'])} in {y0}; tertiary share target "
            f"{fmt_rate(f['target_share'])}: with primary {fmt_rate(g['primary'])} and secondary "
            f"{fmt_rate(g['secondary'])} growth the tertiary sector must grow {fmt_rate(need)} a "
            f"year ({fmt_number(ratio)}× secondary), {verdict_en}; {y1} with current parameters "
            f"{fmt_number(es['primary'])}:{fmt_number(es['secondary'])}:"
            f"{fmt_number(es['tertiary'])}"
        )
        status = "info" if feas == "within_bounds" else "warning"
        return [
            check_row(
                "structure",
                "三次产业结构" if zh else "Three-sector structure",
                status,
                msg_zh if zh else msg_en,
                **f,
            )
        ]

"""Component ``land``: land accounts, 亩均产值 and the land an output target needs.

Checked on load: acquired = infrastructure + enterprise land; per base,
compliant − used = left (land never negative: an error names the base).
Expands into parameter ``output_per_mu_growth`` [%/年]; indicators ``output_per_mu``
[万元/亩], ``land_needed`` and ``land_left`` [亩] (linked to the output indicator);
and, with ``output_target``, the target ``output_per_mu_needed`` (the 亩均产值 at
which the output target fits on the land left), which ``planlib solve`` answers
for ``output_per_mu_growth``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from .._prebuilt import Prebuilt
from ..formatting import fmt_number, fmt_rate, fmt_value
from ..growth import required_rate
from ..units import UnitError, convert
from . import Component, agree
from . import land as L
from ._common import Knob, check_row, param_value

__all__ = ["Land", "Area", "LandBase"]


class Area(Prebuilt):
    """An area with its unit (亩, 公顷, 平方公里, 平方米)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float = Field(ge=0)
    unit: Literal["亩", "公顷", "平方公里", "平方米"] = "亩"

    @property
    def mu(self) -> float:
        """Area [亩]."""
        return float(L.to_mu(self.value, self.unit))


class LandBase(Prebuilt):
    """A base (片区) with construction land: ``left`` stated, or ``compliant`` − ``used``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    area: Area | None = None
    compliant: float | None = Field(default=None, ge=0)
    used: float = Field(default=0.0, ge=0)
    left: float | None = Field(default=None, ge=0)
    source: str | None = None

    def left_mu(self) -> float:
        """Land left [亩]; checks compliant − used = left when both are stated."""
        if self.compliant is None:
            if self.left is None:
                raise ValueError(f"base {self.name!r} needs left or compliant")
            return self.left
        left = float(L.land_left(self.compliant, self.used, base=self.name))
        if self.left is not None and abs(left - self.left) > 0.005:
            raise ValueError(
                f"base {self.name!r}: compliant {self.compliant:g} − used {self.used:g} = "
                f"{left:.2f} 亩, "
                f"but left is stated as {self.left:g} 亩"
            )
        return left


class Land(Component):
    """用地台账 of a park, linked to its output indicator.

    Attributes
    ----------
    approved, controlled : Area, optional
        核准规划面积, 实际控制面积.
    acquired, infrastructure, enterprise : float
        累计征用, 基础设施用地, 企业用地 [亩]; acquired = infrastructure + enterprise.
    bases : list of LandBase
        Land still available per base [亩].
    output_indicator : str
        Output indicator the land must hold; its stated ``base`` (year, value) is the
        output produced on the enterprise land [converted to 亿元].
    output_base : dict, optional
        ``{year, value}`` [亿元], only where the indicator states no base; a value that
        contradicts the indicator's base is a load error naming both places.
    output_per_mu_growth : Knob
        Growth of 亩均产值 [%/年].
    output_target : str, optional
        Id of the output target (a ``level`` target on ``output_indicator``) to fit on
        enterprise land + land left; its year and value are read from ``targets``.
    """

    kind: Literal["land"]
    approved: Area | None = None
    controlled: Area | None = None
    acquired: float | None = Field(default=None, ge=0)
    infrastructure: float = Field(ge=0)
    enterprise: float = Field(gt=0)
    bases: list[LandBase] = Field(min_length=1)
    output_indicator: str
    output_base: dict[Literal["year", "value"], float] | None = None
    output_per_mu_growth: Knob
    output_target: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _accounts(self):
        if self.acquired is not None:
            try:
                L.check_sum(
                    self.acquired,
                    {"infrastructure": self.infrastructure, "enterprise": self.enterprise},
                    "acquired land",
                )
            except L.LandError as exc:
                raise ValueError(str(exc)) from None
        for b in self.bases:
            try:
                b.left_mu()
            except L.LandError as exc:
                raise ValueError(str(exc)) from None
        if self.output_base is not None and (
            set(self.output_base) != {"year", "value"} or self.output_base["value"] <= 0
        ):
            raise ValueError("output_base needs year and a positive value [亿元]")
        return self

    # ---- figures read from the file (one home each) ------------------------------------------
    def _output_base(self, indicator: dict, where: str) -> tuple[int, float]:
        """(year, output [亿元]) from the indicator's base, checked against ``output_base``."""
        base = indicator.get("base") if isinstance(indicator, dict) else None
        if isinstance(base, dict) and "year" in base and "value" in base:
            if not all(
                isinstance(base[k], (int, float)) and not isinstance(base[k], bool)
                for k in ("year", "value")
            ):
                raise ValueError(f"{where}: the output base needs a numeric year and value")
            year = int(base["year"])
            try:
                value = float(
                    convert(
                        float(base["value"]),
                        base.get("unit") or indicator.get("unit", "亿元"),
                        "亿元",
                    )
                )
            except (UnitError, TypeError, ValueError):
                # a unit the schema rejects is reported there, at the indicator's own line
                value = float(base["value"])
            if self.output_base is not None:
                if int(self.output_base["year"]) == year:
                    agree(
                        float(self.output_base["value"]),
                        value,
                        "output_base.value",
                        "the land component",
                        where,
                    )
            return year, value
        if self.output_base is None:
            raise ValueError(
                f"{where}: the output indicator states no base; give output_base "
                "{year, value} [亿元] in the land component"
            )
        return int(self.output_base["year"]), float(self.output_base["value"])

    def _target(self, target: dict, where: str) -> tuple[int, float]:
        """(year, output [亿元]) of the output target."""
        if (
            target.get("indicator") != self.output_indicator
            or target.get("kind", "level") != "level"
        ):
            raise ValueError(
                f"output_target {self.output_target!r} must be a level target on "
                f"{self.output_indicator!r} ({where})"
            )
        return int(target["year"]), float(target["value"])

    def resolved(self, scenario) -> dict:
        """Output base and target as the validated scenario states them now [亿元]."""
        ind = scenario.indicator(self.output_indicator)
        raw = {
            "unit": ind.unit,
            "base": None if ind.base is None else {"year": ind.base.year, "value": ind.base.value},
        }
        yb, vb = self._output_base(raw, f"indicators.{self.output_indicator}.base")
        out = {"base_year": yb, "base_output": vb, "target_year": None, "target_output": None}
        if self.output_target is not None:
            t = scenario.target(self.output_target)
            out["target_year"], out["target_output"] = int(t.year), float(t.value)
        return out

    def land_left_total(self) -> float:
        """Return construction land left over all bases [亩]."""
        return float(sum(b.left_mu() for b in self.bases))

    def base_output_per_mu(self, base_output: float) -> float:
        """亩均产值 in the output base year [万元/亩] of ``base_output`` [亿元]."""
        return float(L.required_output_per_mu(base_output, self.enterprise))

    def expand(self, meta, view=None):
        """Return the scenario entries this component stands for (see ``Component.expand``)."""
        if view is None:
            raise ValueError("the land component reads its output indicator from the file")
        yb, vb = self._output_base(
            view.indicator(self.output_indicator),
            view.where_indicator(self.output_indicator, "base"),
        )
        left = round(self.land_left_total(), 6)
        out_id = self.output_indicator
        note = self.assumption or "亩均产值年均增速为假设（原文未给出），可修改"
        names = "、".join(b.name for b in self.bases)
        out = {
            "parameters": [
                self.output_per_mu_growth.parameter(
                    "output_per_mu_growth", "亩均产值年均增速", "%", "Growth of output per mu"
                )
            ],
            "indicators": [
                {
                    "id": "output_per_mu",
                    "name_zh": "亩均产值",
                    "name_en": "Output per mu",
                    "unit": "万元/亩",
                    "category": "土地利用",
                    "base": {"year": yb, "value": round(self.base_output_per_mu(vb), 6)},
                    "rule": {"kind": "growth", "rate": "output_per_mu_growth"},
                    "assumption": (
                        f"{yb}年产值 {vb:g} 亿元 ÷ 企业用地 {self.enterprise:g} 亩；{note}"
                    ),
                },
                {
                    "id": "land_needed",
                    "name_zh": "产值所需工业用地",
                    "name_en": "Industrial land needed",
                    "unit": "亩",
                    "category": "土地利用",
                    "rule": {"kind": "formula", "expr": f"{out_id} * 10000 / output_per_mu"},
                },
                {
                    "id": "land_left",
                    "name_zh": "剩余可用建设用地",
                    "name_en": "Construction land left",
                    "unit": "亩",
                    "category": "土地利用",
                    "rule": {
                        "kind": "formula",
                        "expr": f"{left!r} - (land_needed - {self.enterprise!r})",
                    },
                    "source": f"{names}剩余用地合计 {left:g} 亩",
                },
            ],
        }
        if self.output_target is not None:
            ty, tv = self._target(
                view.target(self.output_target), view.where_target(self.output_target)
            )
            need = float(L.required_output_per_mu(tv, self.enterprise + left))
            out["targets"] = [
                {
                    "id": "output_per_mu_needed",
                    "indicator": "output_per_mu",
                    "year": ty,
                    "kind": "level",
                    "op": ">=",
                    "value": round(need, 2),
                    "from_year": yb,
                    "wording": f"产值{tv:g}亿元落在现有及剩余用地上所需亩均产值",
                }
            ]
        return out

    def findings(self, scenario, traj, params=None) -> dict:
        """Accounts in 亩/公顷/km², land needed at constant and at planned 亩均产值, 亩均 needed."""
        y1 = scenario.meta.period[1]
        left = self.land_left_total()
        accounts = {"enterprise": self.enterprise, "infrastructure": self.infrastructure}
        if self.acquired is not None:
            accounts["acquired"] = self.acquired
        for key in ("approved", "controlled"):
            if getattr(self, key) is not None:
                accounts[key] = getattr(self, key).mu
        for b in self.bases:
            accounts[f"left:{b.name}"] = b.left_mu()
        fig = self.resolved(scenario)
        base_opm = self.base_output_per_mu(fig["base_output"])
        out = {
            "accounts": L.area_table(accounts),
            "land_left_total": left,
            "base_year": fig["base_year"],
            "base_output": fig["base_output"],
            "base_output_per_mu": base_opm,
            "output_per_mu_growth": float(param_value(scenario, params, "output_per_mu_growth")[0]),
        }
        year = fig["target_year"] if self.output_target else y1
        output = (
            fig["target_output"]
            if self.output_target
            else float(traj.at(self.output_indicator, y1)[0])
        )
        n = year - fig["base_year"]
        at_const = float(L.land_needed(output, base_opm))
        need_opm = float(L.required_output_per_mu(output, self.enterprise + left))
        out.update(
            {
                "year": year,
                "output": output,
                "land_needed_constant": at_const,
                "extra_land_constant": at_const - self.enterprise,
                "shortfall_constant": max(at_const - self.enterprise - left, 0.0),
                "required_output_per_mu": need_opm,
                "required_output_per_mu_growth": float(required_rate(base_opm, need_opm, n)) * 100,
                "land_needed_model": float(traj.at("land_needed", year)[0]),
                "land_left_model": float(traj.at("land_left", year)[0]),
                "output_per_mu_model": float(traj.at("output_per_mu", year)[0]),
            }
        )
        return out

    def audit_checks(self, scenario, traj, zh: bool, params=None) -> list:
        """Accounts (ok) and the land/亩均 finding (info, or warning when land runs out)."""
        f = self.findings(scenario, traj, params)
        rows = []
        if self.acquired is not None:
            msg = (
                f"累计征用 {fmt_value(self.acquired, '亩')} = 基础设施 "
                f"{fmt_value(self.infrastructure, '亩')} + 企业用地 "
                f"{fmt_value(self.enterprise, '亩')}；剩余 "
                + "、".join(f"{b.name} {fmt_value(b.left_mu(), '亩')}" for b in self.bases)
                + (
                    f"，合计 {fmt_value(f['land_left_total'], '亩')}（"
                    f"{fmt_number(f['land_left_total'] / 15)} 公顷）"
                )
                if zh
                else f"Acquired {fmt_value(self.acquired, '亩')} = infrastructure "
                f"{fmt_value(self.infrastructure, '亩')} + "
                f"enterprise {fmt_value(self.enterprise, '亩')}; land left "
                f"{fmt_value(f['land_left_total'], '亩')}"
            )
            rows.append(
                check_row(
                    "land_accounts",
                    "用地台账" if zh else "Land accounts",
                    "ok",
                    msg,
                    acquired=self.acquired,
                    land_left_total=f["land_left_total"],
                )
            )
        short = f["land_left_model"] < -1e-6
        y = f["year"]
        names = "、".join(b.name for b in self.bases)
        lack = (
            "，缺 " + fmt_value(f["shortfall_constant"], "亩")
            if f["shortfall_constant"] > 0
            else ""
        )
        msg_zh = (
            f"{y}年产值 {fmt_value(f['output'], '亿元')}：按{f['base_year']}年亩均产值 "
            f"{fmt_value(f['base_output_per_mu'], '万元/亩')} 需工业用地 "
            f"{fmt_value(f['land_needed_constant'], '亩')}，"
            f"新增 {fmt_value(f['extra_land_constant'], '亩')}，剩余 "
            f"{fmt_value(f['land_left_total'], '亩')}"
            f"{lack}；"
            f"落在现有及剩余用地上需亩均产值 {fmt_value(f['required_output_per_mu'], '万元/亩')}"
            f"（年均提高 {fmt_rate(f['required_output_per_mu_growth'])}）；按当前亩均增速 "
            f"{fmt_rate(f['output_per_mu_growth'])}，{y}年 亩均 "
            f"{fmt_value(f['output_per_mu_model'], '万元/亩')}，"
            f"剩余用地 {fmt_value(f['land_left_model'], '亩')}"
            f"{'：' + names + '的用地不足' if short else ''}"
        )
        msg_en = (
            f"{y} output {fmt_value(f['output'], '亿元')}: at the base 亩均产值 "
            f"{fmt_value(f['base_output_per_mu'], '万元/亩')} it needs "
            f"{fmt_value(f['land_needed_constant'], '亩')} "
            f"({fmt_value(f['extra_land_constant'], '亩')} more; "
            f"{fmt_value(f['land_left_total'], '亩')} left); "
            f"to fit it needs {fmt_value(f['required_output_per_mu'], '万元/亩')} "
            f"({fmt_rate(f['required_output_per_mu_growth'])} a year); with current growth "
            f"{fmt_rate(f['output_per_mu_growth'])} land left in {y} is "
            f"{fmt_value(f['land_left_model'], '亩')}"
            f"{': not enough land in ' + names if short else ''}"
        )
        rows.append(
            check_row(
                "land",
                "用地与亩均产值" if zh else "Land and output per mu",
                "warning" if short else "info",
                msg_zh if zh else msg_en,
                **{k: v for k, v in f.items() if k != "accounts"},
            )
        )
        return rows

"""Component ``urbanisation``: resident population model, UN URGD path and national reference.

Expands into parameters ``urban_migration`` [万人/年], ``urban_natural_growth`` [%],
``rural_natural_growth`` [%] and ``urgd`` [%/年]; indicators ``urban_population``,
``rural_population``, ``resident_population`` [万人], ``urbanisation_rate_pop`` and
``urbanisation_rate_urgd`` [%], ``national_urbanisation_rate`` [%] (the 国家统计局
reference with its source); and, when ``target_pp`` is given, the target
``urbanisation_pop_pp`` (提高 N 个百分点), which ``planlib solve`` can answer for
``urban_migration`` ("how many migrants a year does +9 百分点 need").
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from ..formatting import fmt_number, fmt_rate
from . import Component, agree
from . import urbanisation as U
from ._common import Knob, check_row, param_value

__all__ = ["Urbanisation"]

E = "2.718281828459045"


# a named function, not a lambda: the prebuilt validator (planlib._prebuilt) pickles it
def _national_rates() -> dict[int, float]:
    """Return the national urbanisation rates [%] by year, a fresh copy for each component."""
    return dict(U.NATIONAL_URBANISATION)


class Urbanisation(Component):
    """常住人口城镇化 model of a region.

    Attributes
    ----------
    population : float
        Resident population in the base year [万人].
    rate : float, optional
        Urbanisation rate in the base year [%]; read from ``compare_with``'s base when
        omitted (stating both with different values is a load error).
    urban_growth, rural_growth : Knob
        Natural growth of urban and rural residents [%/年].
    migration : Knob
        Net rural → urban migrants a year [万人/年].
    urgd : Knob, optional
        Urban–rural growth difference for the UN path [%/年]; default: fitted from ``national``.
    target_pp : float, optional
        Stated rise of the rate by the period's end [百分点]; read from ``target`` when omitted.
    target : str, optional
        Id of the plan's ``pp_change`` target on ``compare_with`` (the rise stated once, there).
    national : dict
        National reference rate by year [%] (国家统计局).
    compare_with : str, optional
        An existing indicator holding the plan's own rate path, compared in the audit.
    flag_ratio : float
        Warn when the required URGD exceeds the national one by more than this factor [-].
    """

    kind: Literal["urbanisation"]
    population: float = Field(gt=0)
    rate: float | None = Field(default=None, gt=0, lt=100)
    urban_growth: Knob = Knob(default=0.3, bounds=(-2, 3), step=0.1)
    rural_growth: Knob = Knob(default=0.3, bounds=(-2, 3), step=0.1)
    migration: Knob
    urgd: Knob | None = None
    target_pp: float | None = None
    target: str | None = None
    national: dict[int, float] = Field(default_factory=_national_rates)
    national_source: str = U.NATIONAL_SOURCE
    compare_with: str | None = None
    flag_ratio: float = Field(default=3.0, gt=1)
    assumption: str | None = None

    @model_validator(mode="after")
    def _sane(self):
        if self.rate is None and self.compare_with is None:
            raise ValueError("give rate, or compare_with: an indicator whose base is the rate")
        if self.target is not None and self.compare_with is None:
            raise ValueError("target needs compare_with (the indicator the target is on)")
        if (
            self.rate is not None
            and self.target_pp is not None
            and self.rate + self.target_pp >= 100
        ):
            raise ValueError(
                f"target_pp {self.target_pp:g} from rate {self.rate:g} % reaches "
                f"{self.rate + self.target_pp:g} %; an urbanisation rate must stay below 100 %"
            )
        bad = {y: v for y, v in self.national.items() if not 0 < v < 100}
        if bad:
            raise ValueError(f"national rates must lie in (0, 100) %, got {bad}")
        if len(self.national) < 2:
            raise ValueError("national needs at least two years to give a reference pace")
        return self

    def resolve(self, view):
        """Fill ``rate`` and ``target_pp`` from ``compare_with`` and ``target`` in the file."""
        rate, target_pp = self.rate, self.target_pp
        if self.compare_with is not None:
            _, base = view.base(self.compare_with)
            where = view.where_indicator(self.compare_with, "base", "value")
            if rate is None:
                rate = base
            else:
                agree(rate, base, "rate", "the urbanisation component", where)
        if self.target is not None:
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
                agree(
                    target_pp, float(t["value"]), "target_pp", "the urbanisation component", where
                )
        if target_pp is not None and rate + target_pp >= 100:
            raise ValueError(
                f"target {target_pp:g} 百分点 from rate {rate:g} % reaches "
                f"{rate + target_pp:g} %; an urbanisation rate must stay below 100 %"
            )
        return self.model_copy(update={"rate": rate, "target_pp": target_pp})

    # ---- helpers ---------------------------------------------------------------------------------
    def national_urgd(self) -> float:
        """URGD fitted to the national reference [1/year]."""
        ys = sorted(self.national)
        slope, _ = U.fit_urgd(ys, np.array([self.national[y] for y in ys]) / 100.0)
        return float(slope)

    def national_pp_per_year(self) -> float:
        """Average national rise, first to last reference year [百分点/年]."""
        ys = sorted(self.national)
        return (self.national[ys[-1]] - self.national[ys[0]]) / (ys[-1] - ys[0])

    def expand(self, meta, view=None):
        """Scenario entries this component stands for (see :meth:`Component.expand`)."""
        y0 = int(meta.get("base_year", 2020))
        urban0 = self.population * self.rate / 100.0
        rural0 = self.population - urban0
        urgd = self.urgd or Knob(
            default=round(self.national_urgd() * 100, 2),
            bounds=(-5, 30),
            step=0.1,
            description="按国家统计局全国城镇化率拟合的城乡人口增长差（URGD）",
        )
        note = self.assumption or "基期常住人口与城镇化率为假设，可修改"
        out = {
            "parameters": [
                self.migration.parameter(
                    "urban_migration",
                    "每年乡村转移进城人口",
                    "万人",
                    "Net rural-to-urban migrants a year",
                ),
                self.urban_growth.parameter(
                    "urban_natural_growth",
                    "城镇人口自然增长率",
                    "%",
                    "Natural growth, urban residents",
                ),
                self.rural_growth.parameter(
                    "rural_natural_growth",
                    "乡村人口自然增长率",
                    "%",
                    "Natural growth, rural residents",
                ),
                urgd.parameter(
                    "urgd", "城乡人口增长差（URGD）", "%", "Urban-rural growth difference"
                ),
            ],
            "indicators": [
                {
                    "id": "urban_population",
                    "name_zh": "城镇常住人口",
                    "name_en": "Urban residents",
                    "unit": "万人",
                    "category": "城乡建设",
                    "base": {"year": y0, "value": round(urban0, 6)},
                    "rule": {
                        "kind": "formula",
                        "expr": "prev(urban_population) * (1 + urban_natural_growth / 100) + "
                        "urban_migration",
                    },
                    "assumption": note,
                },
                {
                    "id": "rural_population",
                    "name_zh": "乡村常住人口",
                    "name_en": "Rural residents",
                    "unit": "万人",
                    "category": "城乡建设",
                    "base": {"year": y0, "value": round(rural0, 6)},
                    "rule": {
                        "kind": "formula",
                        "expr": "max(prev(rural_population) * (1 + rural_natural_growth / 100) - "
                        "urban_migration, 0)",
                    },
                    "assumption": note,
                },
                {
                    "id": "resident_population",
                    "name_zh": "常住人口",
                    "name_en": "Resident population",
                    "unit": "万人",
                    "category": "城乡建设",
                    "rule": {"kind": "sum", "of": ["urban_population", "rural_population"]},
                },
                {
                    "id": "urbanisation_rate_pop",
                    "name_zh": "常住人口城镇化率（人口模型）",
                    "name_en": "Urbanisation rate (population model)",
                    "unit": "%",
                    "category": "城乡建设",
                    "rule": {
                        "kind": "ratio",
                        "numerator": "urban_population",
                        "denominator": "resident_population",
                    },
                },
                {
                    "id": "urbanisation_rate_urgd",
                    "name_zh": "常住人口城镇化率（URGD法）",
                    "name_en": "Urbanisation rate (UN URGD method)",
                    "unit": "%",
                    "category": "城乡建设",
                    "base": {"year": y0, "value": self.rate},
                    "rule": {
                        "kind": "formula",
                        "expr": (
                            f"prev(urbanisation_rate_urgd) * {E} ** (urgd / 100) / "
                            f"(1 - prev(urbanisation_rate_urgd) / 100 + "
                            f"prev(urbanisation_rate_urgd) * {E} ** (urgd / 100) / 100)"
                        ),
                    },
                },
                {
                    "id": "national_urbanisation_rate",
                    "name_zh": "全国常住人口城镇化率",
                    "name_en": "National urbanisation rate",
                    "unit": "%",
                    "category": "城乡建设",
                    "history": dict(self.national),
                    "source": self.national_source,
                },
            ],
        }
        if self.target_pp is not None:
            out["targets"] = [
                {
                    "id": "urbanisation_pop_pp",
                    "indicator": "urbanisation_rate_pop",
                    "year": int(meta.get("period", [y0 + 1, y0 + 5])[1]),
                    "kind": "pp_change",
                    "op": ">=",
                    "value": self.target_pp,
                    "from_year": y0,
                    "wording": f"城镇化率提高{self.target_pp:g}个百分点以上",
                }
            ]
        return out

    # ---- findings --------------------------------------------------------------------------------
    def findings(self, scenario, traj, params=None) -> dict:
        """Figures the audit reports: paces required versus the national pace."""
        y0, y1 = scenario.meta.base_year, scenario.meta.period[1]
        n = y1 - y0
        pu0 = self.rate / 100.0
        rate_end = traj.at("urbanisation_rate_pop", y1)
        target = None if self.target_pp is None else self.rate + self.target_pp
        out = {
            "base_year": y0,
            "end_year": y1,
            "base_rate": self.rate,
            "rate_end_population_model": float(rate_end[0]),
            "rate_end_urgd": float(traj.at("urbanisation_rate_urgd", y1)[0]),
            "national_urgd": self.national_urgd() * 100,
            "national_pp_per_year": self.national_pp_per_year(),
        }
        if target is not None:
            gu = param_value(scenario, params, "urban_natural_growth") / 100
            gr = param_value(scenario, params, "rural_natural_growth") / 100
            urban0 = self.population * pu0
            need_m = U.required_migration(
                urban0, self.population - urban0, gu, gr, target / 100.0, n
            )
            need_urgd = float(U.required_urgd(pu0, target / 100.0, n)) * 100
            out.update(
                {
                    "target_rate": target,
                    "required_pp_per_year": self.target_pp / n,
                    "required_urgd": need_urgd,
                    "required_migration": float(need_m[0]),
                    "urgd_ratio": need_urgd / (out["national_urgd"] or np.nan),
                }
            )
        if self.compare_with and self.compare_with in traj.indicators:
            out["plan_rate_end"] = float(traj.at(self.compare_with, y1)[0])
        return out

    def audit_checks(self, scenario, traj, zh: bool, params=None) -> list:
        """Audit cross-check rows (status ``info`` or ``warning``)."""
        f = self.findings(scenario, traj, params)
        y0, y1 = f["base_year"], f["end_year"]
        if "target_rate" not in f:
            return []
        far = f["urgd_ratio"] > self.flag_ratio
        status = "warning" if far else "info"
        msg_zh = (
            f"城镇化率 {y0}年 {fmt_rate(self.rate)} → {y1}年 目标 {fmt_rate(f['target_rate'])}："
            f"需每年提高 {fmt_number(f['required_pp_per_year'])} 个百分点、URGD "
            f"{fmt_rate(f['required_urgd'])}/年，"
            f"全国（{min(self.national)}–{max(self.national)}年）每年提高 "
            f"{fmt_number(f['national_pp_per_year'])} 个百分点、URGD "
            f"{fmt_rate(f['national_urgd'])}/年，为全国的 {fmt_number(f['urgd_ratio'])} "
            f"倍{'（远超全国步伐）' if far else ''}；按人口模型需每年乡村转移进城 "
            f"{fmt_number(f['required_migration'] * 1e4, 0)} 人，当前参数下 {y1}年 为 "
            f"{fmt_rate(f['rate_end_population_model'])}；按全国URGD同速为 "
            f"{fmt_rate(f['rate_end_urgd'])}"
        )
        msg_en = (
            f"Urbanisation {fmt_rate(self.rate)} in {y0} → target {fmt_rate(f['target_rate'])} in "
            f"{y1}: needs {fmt_number(f['required_pp_per_year'])} pp a year, URGD "
            f"{fmt_rate(f['required_urgd'])} a year; national "
            f"{fmt_number(f['national_pp_per_year'])} pp, URGD {fmt_rate(f['national_urgd'])} "
            f"({fmt_number(f['urgd_ratio'])}× national{', far beyond' if far else ''}); population "
            f"model needs {fmt_number(f['required_migration'] * 1e4, 0)} migrants a year, gives "
            f"{fmt_rate(f['rate_end_population_model'])} in {y1} with current parameters"
        )
        return [
            check_row(
                "urbanisation",
                "城镇化步伐" if zh else "Urbanisation pace",
                status,
                msg_zh if zh else msg_en,
                **{k: v for k, v in f.items()},
            )
        ]

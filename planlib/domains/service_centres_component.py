"""社区服务中心建设: rollout of community service centres (seed 003, 锡山区).

A schedule of coverage (share of communities with a centre, by year) drives the
number of centres; each new centre is either newly built (1500 m²) or converted
(1000 m²). Unit costs are calibrated on a reported point (by end-2007: 50
centres, 6000 万元, 7 万 m²); awards are paid per centre passing inspection;
operating funds are paid per resident; one certified social worker per
community.

All outputs are ordinary indicators (so ``planlib audit/table/run/solve`` work
on them); :meth:`ServiceCentres.report` adds the calibration and the audit of
the reported point against the schedule.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .._prebuilt import Prebuilt
from ._common import Programme, at_least_by_year, check_years, indicator, parameter, series, target

__all__ = ["Calibration", "ServiceCentres", "calibrate"]


class Calibration(Prebuilt):
    """A reported point: centres built, capital and floor area by the end of ``year``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int
    centres: int = Field(gt=0)
    capital: float = Field(gt=0)  # 万元
    area: float = Field(gt=0)  # 万平方米


def calibrate(centres, capital, area, area_new, area_conversion):
    """New-build share and unit cost implied by one reported point.

    Parameters
    ----------
    centres : float
        Centres built [个].
    capital : float
        Total investment [万元].
    area : float
        Total floor area [万平方米].
    area_new, area_conversion : float
        Floor area of a newly built / converted centre [平方米].

    Returns
    -------
    tuple of float
        ``(new_share, cost_per_m2)``: share of new builds [%] and cost [元/平方米].
        From ``centres * (s * area_new + (1 - s) * area_conversion) = area``.
    """
    per_centre = area * 1e4 / centres
    new_share = (per_centre - area_conversion) / (area_new - area_conversion) * 100.0
    cost_per_m2 = capital * 1e4 / (area * 1e4)
    return new_share, cost_per_m2


class ServiceCentres(Programme):
    """Component ``kind: service_centres``.

    Parameters
    ----------
    population : float
        Resident population [万人].
    administrative_villages, community_committees : int
        行政村 and 社居委 [个]; together the communities that need a centre.
    coverage : dict
        Planned share of communities with a centre by the end of each year [%] (cumulative).
    built : dict
        Centres reported as built by the end of a year [个] (actuals; the schedule applies after).
    existing : int
        Centres at the end of the base year [个].
    area_new, area_conversion : float
        Floor area standard of a newly built / converted centre [平方米].
    calibration : Calibration, optional
        A reported point from which the new-build share and the cost per m² are derived.
    new_share : float
        Share of new builds among new centres when no calibration is given [%].
    cost_per_m2 : float
        Capital cost when no calibration is given [元/平方米].
    award_new, award_conversion : float
        One-off award per centre passing inspection [万元/个].
    pass_rate : float
        Share of new centres passing inspection [%].
    operating_per_resident : float
        Yearly operating funds [元/人].
    social_workers_per_community : float
        Certified social workers required per community [名].
    social_worker_year : int, optional
        Year by which every community must have them.
    coverage_attribute : {"预期性", "约束性"}
        Attribute of the coverage targets (the seed does not say; default indicative).
    """

    kind: Literal["service_centres"]
    population: float = Field(ge=0)
    administrative_villages: int = Field(ge=0)
    community_committees: int = Field(ge=0)
    coverage: dict[int, float]
    built: dict[int, float] = {}
    existing: int = Field(default=0, ge=0)
    area_new: float = Field(default=1500, gt=0)
    area_conversion: float = Field(default=1000, gt=0)
    calibration: Calibration | None = None
    new_share: float = Field(default=50, ge=0, le=100)
    cost_per_m2: float = Field(default=1000, gt=0)
    award_new: float = Field(default=10, ge=0)
    award_conversion: float = Field(default=5, ge=0)
    pass_rate: float = Field(default=100, ge=0, le=100)
    operating_per_resident: float = Field(default=10, ge=0)
    social_workers_per_community: float = Field(default=1, ge=0)
    social_worker_year: int | None = None
    coverage_attribute: Literal["预期性", "约束性"] = "预期性"

    @field_validator("coverage")
    @classmethod
    def _coverage(cls, v):
        if not v:
            raise ValueError("coverage needs at least one {year: percent} entry")
        last = -math.inf
        for y in sorted(v):
            c = v[y]
            if not 0 <= c <= 100:
                raise ValueError(
                    f"coverage {c:g} % in {y} is impossible; a share of communities lies in "
                    "[0, 100]"
                )
            if c < last:
                raise ValueError(
                    f"coverage falls from {last:g} % to {c:g} % in {y}; "
                    "coverage is cumulative and must not decrease"
                )
            last = c
        return v

    @field_validator("built")
    @classmethod
    def _built(cls, v):
        return at_least_by_year(v, "built", "centres")

    @model_validator(mode="after")
    def _consistent(self):
        n = self.communities
        for y, c in self.built.items():
            if c > n:
                raise ValueError(
                    f"built {c:g} centres in {y} but there are only {n} communities "
                    f"({self.administrative_villages} + {self.community_committees}); "
                    "coverage above 100 % is impossible"
                )
        if n == 0:
            raise ValueError(
                "administrative_villages + community_committees is 0; a rollout needs communities"
            )
        if self.calibration is not None:
            cal = self.calibration
            lo, hi = sorted((self.area_conversion, self.area_new))
            per = cal.area * 1e4 / cal.centres
            if not lo <= per <= hi:
                raise ValueError(
                    f"calibration: {cal.area:g} 万平方米 over {cal.centres} centres is "
                    f"{per:.0f} m² a centre, outside [{lo:g}, {hi:g}] m² set by area_conversion "
                    "and area_new; no split of new builds and conversions gives it"
                )
        return self

    @property
    def communities(self) -> int:
        """Communities needing a centre [个]."""
        return self.administrative_villages + self.community_committees

    def calibrated(self) -> tuple[float, float]:
        """``(new_share [%], cost_per_m2 [元/平方米])``: from the calibration point if given."""
        if self.calibration is None:
            return self.new_share, self.cost_per_m2
        c = self.calibration
        return calibrate(c.centres, c.capital, c.area, self.area_new, self.area_conversion)

    def expand(self, meta: dict, view=None) -> dict:
        """Return the scenario entries this component stands for (see ``Component.expand``)."""
        n = self.n
        base_year = int(meta.get("base_year", min(self.coverage) - 1))
        check_years("coverage", self.coverage, meta)
        check_years("built", self.built, meta)
        if self.social_worker_year is not None:
            check_years("social_worker_year", [self.social_worker_year], meta)
        new_share, cost = self.calibrated()
        cal_note = None
        if self.calibration is not None:
            c = self.calibration
            cal_note = (
                f"由{c.year}年底{c.centres}个中心、{c.capital:g}万元、{c.area:g}万平方米反推："
                f"新建比例 = ({c.area:g}万m² ÷ {c.centres} − {self.area_conversion:g}) ÷ "
                f"({self.area_new:g} − {self.area_conversion:g})，单位造价 = 投资 ÷ 面积"
            )
        # a year with a reported count (built) is history: a slider there would move nothing,
        # so only the planned years without a report get one
        params = [
            parameter(
                n(f"coverage_{y}"),
                f"{y}年社区服务中心覆盖率",
                "%",
                v,
                [0, 100],
                5,
                f"计划{y}年底{v:g}%的社区建成社区服务中心",
                label_en=f"Coverage by end-{y}",
            )
            for y, v in sorted(self.coverage.items())
            if y not in self.built
        ] + [
            parameter(
                n("new_share"),
                "新建中心占比（其余为改造）",
                "%",
                new_share,
                [0, 100],
                5,
                cal_note,
                label_en="Share of newly built centres",
            ),
            parameter(
                n("area_new"),
                "新建中心面积标准",
                "平方米",
                self.area_new,
                [500, 3000],
                50,
                "新建的面积一般在1500平方米",
                label_en="Floor area, new build",
            ),
            parameter(
                n("area_conversion"),
                "改造中心面积标准",
                "平方米",
                self.area_conversion,
                [300, 2000],
                50,
                "改造的面积一般在1000平方米",
                label_en="Floor area, conversion",
            ),
            parameter(
                n("cost_per_m2"),
                "建设单位造价",
                "元/平方米",
                cost,
                [200, 3000],
                10,
                cal_note,
                label_en="Capital cost per m²",
            ),
            parameter(
                n("award_new"),
                "新建中心达标奖励",
                "万元/个",
                self.award_new,
                [0, 50],
                1,
                "新建通过达标验收的一次性奖励10万元",
                label_en="Award per new centre",
            ),
            parameter(
                n("award_conversion"),
                "改扩建中心达标奖励",
                "万元/个",
                self.award_conversion,
                [0, 50],
                1,
                "改扩建通过达标验收的一次性奖励5万元",
                label_en="Award per converted centre",
            ),
            parameter(
                n("pass_rate"),
                "达标验收通过率",
                "%",
                self.pass_rate,
                [0, 100],
                5,
                "原文未给出通过率，假设新建成中心全部通过验收",
                label_en="Inspection pass rate",
            ),
            parameter(
                n("operating_per_resident"),
                "社区工作经费标准",
                "元/人",
                self.operating_per_resident,
                [0, 50],
                1,
                "暂按常住人口10元/人标准，进行总量控制",
                label_en="Operating funds per resident",
            ),
            parameter(
                n("workers_per_community"),
                "每个社区持证社工",
                "名",
                self.social_workers_per_community,
                [0, 5],
                1,
                "每个社区有1名具备职业资格证书的社工",
                label_en="Certified social workers per community",
            ),
        ]
        first_plan = min(self.coverage)
        history = {
            base_year: float(self.existing),
            **{int(y): float(v) for y, v in self.built.items()},
        }
        inds = [
            indicator(
                n("population"),
                "常住人口",
                "万人",
                {"kind": "hold"},
                base=(base_year, self.population),
                name_en="Resident population",
                category="民生福祉",
            ),
            indicator(
                n("administrative_villages"),
                "行政村",
                "个",
                {"kind": "hold"},
                base=(base_year, self.administrative_villages),
                name_en="Administrative villages",
            ),
            indicator(
                n("community_committees"),
                "社居委",
                "个",
                {"kind": "hold"},
                base=(base_year, self.community_committees),
                name_en="Community committees",
            ),
            indicator(
                n("communities"),
                "城乡社区",
                "个",
                {"kind": "sum", "of": [n("administrative_villages"), n("community_committees")]},
                name_en="Communities (villages + committees)",
            ),
            indicator(
                n("planned_coverage"),
                "计划覆盖率",
                "%",
                {
                    "kind": "path",
                    "values": {
                        int(y): (float(v) if y in self.built else n(f"coverage_{y}"))
                        for y, v in self.coverage.items()
                    },
                },
                base=(base_year, self.existing / self.communities * 100),
                name_en="Planned coverage",
            ),
            indicator(
                n("centres"),
                "社区服务中心",
                "个",
                {"kind": "formula", "expr": f"{n('communities')} * {n('planned_coverage')} / 100"},
                history=history,
                name_en="Community service centres",
                source="已报告的建成数（built）之后按计划覆盖率推算",
            ),
            indicator(
                n("coverage"),
                "社区服务中心覆盖率",
                "%",
                {"kind": "ratio", "numerator": n("centres"), "denominator": n("communities")},
                name_en="Coverage of communities",
            ),
            indicator(
                n("new_centres"),
                "当年新建成中心",
                "个",
                {"kind": "formula", "expr": f"{n('centres')} - prev({n('centres')})"},
                name_en="Centres completed in the year",
            ),
            indicator(
                n("new_builds"),
                "其中：新建",
                "个",
                {"kind": "formula", "expr": f"{n('new_centres')} * {n('new_share')} / 100"},
                name_en="of which newly built",
            ),
            indicator(
                n("conversions"),
                "其中：改造",
                "个",
                {"kind": "formula", "expr": f"{n('new_centres')} - {n('new_builds')}"},
                name_en="of which converted",
            ),
            indicator(
                n("area_added"),
                "当年新增建筑面积",
                "平方米",
                {
                    "kind": "formula",
                    "expr": f"{n('new_builds')} * {n('area_new')} + "
                    f"{n('conversions')} * {n('area_conversion')}",
                },
                name_en="Floor area added",
            ),
            indicator(
                n("floor_area"),
                "累计建筑面积",
                "万平方米",
                {"kind": "cumulative", "of": n("area_added"), "start": first_plan},
                name_en="Floor area, cumulative",
                category="投资建设",
            ),
            indicator(
                n("capital"),
                "当年建设投资",
                "万元",
                {"kind": "formula", "expr": f"{n('area_added')} * {n('cost_per_m2')} / 10000"},
                name_en="Capital investment",
                category="投资建设",
            ),
            indicator(
                n("capital_total"),
                "累计建设投资",
                "万元",
                {"kind": "cumulative", "of": n("capital"), "start": first_plan},
                name_en="Capital investment, cumulative",
                category="投资建设",
            ),
            indicator(
                n("awards"),
                "达标奖励资金",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"({n('new_builds')} * {n('award_new')} + {n('conversions')} * "
                    f"{n('award_conversion')}) * {n('pass_rate')} / 100",
                },
                name_en="Inspection awards",
            ),
            indicator(
                n("operating_funds"),
                "社区工作经费",
                "万元",
                {"kind": "formula", "expr": f"{n('population')} * {n('operating_per_resident')}"},
                name_en="Operating funds (万人 × 元/人 = 万元)",
            ),
            indicator(
                n("district_funds"),
                "区财政资金合计（奖励+经费）",
                "万元",
                {"kind": "sum", "of": [n("awards"), n("operating_funds")]},
                name_en="District funds (awards + operating)",
            ),
            indicator(
                n("social_workers"),
                "所需持证社工",
                "名",
                {"kind": "formula", "expr": f"{n('communities')} * {n('workers_per_community')}"},
                name_en="Certified social workers required",
                category="社会事业",
            ),
        ]
        tgts = [
            target(
                n(f"coverage_{y}"),
                n("coverage"),
                y,
                v,
                ">=",
                wording=f"{y}年{v:g}%社区完成社区服务中心建设",
                attribute=self.coverage_attribute,
            )
            for y, v in sorted(self.coverage.items())
        ]
        if self.social_worker_year is not None:
            req = self.communities * self.social_workers_per_community
            tgts.append(
                target(
                    n("social_workers"),
                    n("social_workers"),
                    self.social_worker_year,
                    req,
                    ">=",
                    wording=f"每个社区有{self.social_workers_per_community:g}名持证社工",
                )
            )
        return {"parameters": params, "indicators": inds, "targets": tgts}

    def report(self, scenario, trajectories) -> dict:
        """Calibration, the schedule in whole centres, and the audit of reported points.

        Returns
        -------
        dict
            ``communities`` [个]; ``calibration`` (new_share [%], cost_per_m2 [元/平方米],
            new_builds, conversions [个]); ``schedule``: per year required centres
            (ceil of coverage × communities) [个]; ``reported``: per reported year the
            centres built against those required, shortfall [个] and coverage [%].
        """
        n = self.n
        new_share, cost = self.calibrated()
        out = {"communities": self.communities}
        if self.calibration is not None:
            c = self.calibration
            nb = c.centres * new_share / 100
            out["calibration"] = {
                "year": c.year,
                "centres": c.centres,
                "capital": c.capital,
                "area": c.area,
                "new_share": new_share,
                "cost_per_m2": cost,
                "new_builds": nb,
                "conversions": c.centres - nb,
            }
        pars = scenario.defaults
        schedule = {}
        for y in sorted(self.coverage):
            share = pars.get(n(f"coverage_{y}"), self.coverage[y])
            schedule[int(y)] = math.ceil(round(self.communities * share / 100, 9))
        out["schedule"] = schedule
        centres = series(trajectories, n("centres"))
        reported = {}
        for y, built in sorted(self.built.items()):
            need = (
                math.ceil(round(self.communities * self.coverage.get(y, 0) / 100, 9))
                if y in self.coverage
                else None
            )
            reported[int(y)] = {
                "built": float(built),
                "required": need,
                "shortfall": None if need is None else max(0.0, need - float(built)),
                "coverage": float(built) / self.communities * 100,
            }
        out["reported"] = reported
        out["centres"] = centres
        out["awards"] = series(trajectories, n("awards"))
        out["capital"] = series(trajectories, n("capital"))
        return out

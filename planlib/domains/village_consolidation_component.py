"""合村并居: village consolidation under 城乡建设用地增减挂钩 (seed 000 篇7, 台儿庄区).

Arithmetic of the seed, reproduced from its inputs::

    current land per household = 4517.22 公顷 ÷ 65158 户 = 1.04 亩/户 (rounded as the seed does)
    new land per household     = 100 m²/人 × 3.5 人/户 = 350 m² = 0.525 亩/户
    saving per household       = 1.04 − 0.525 = 0.515 亩/户
    a village of 1000 户 saves 515 亩 → × 16 万元/亩 = 8240 万元 of quota funds
    resettlement subsidy 1000 × 6 万元 = 6000 万元 → 2240 万元 left for infrastructure

Limits from the province are targets (saving rate ≤ 50 %, plot ratio ≤ 1.0,
≤ 4 floors, ≥ 40 % of the quota to commercial use). The district roll-up applies
the saving to every participating household on a rollout schedule.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from .._prebuilt import Prebuilt
from ._common import Programme, check_years, indicator, parameter, series, target

__all__ = ["Village", "VillageConsolidation", "land_per_household", "MU_PER_M2"]

MU_PER_M2 = 15.0 / 10000.0  # 1 亩 = 10000/15 m²


def land_per_household(land_ha, households, decimals=None):
    """Village land per household [亩/户] from total land [公顷] and households [户].

    ``decimals`` rounds the result as a planner writes it (the seed writes 1.04).
    """
    value = land_ha * 15.0 / households
    return round(value, decimals) if decimals is not None else value


class Village(Prebuilt):
    """One village to consolidate (for the per-village roll-up in the report)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    households: int = Field(ge=0)
    land: float | None = Field(default=None, ge=0)  # 亩; default: households × district average


class VillageConsolidation(Programme):
    """Component ``kind: village_consolidation``.

    Parameters
    ----------
    households : int
        Rural households of the district [户].
    village_land : float
        Land of the villages [公顷].
    round_land_per_household : int, optional
        Decimals to which the current land per household is rounded before use (the seed: 2).
    land_per_person : float
        New-village construction land standard [平方米/人].
    household_size : float
        People per household [人/户].
    compensation_per_mu : float
        Value of one 亩 of released quota [万元/亩].
    subsidy_per_household : float
        Resettlement subsidy [万元/户].
    example_households : int
        Households of the worked example village [户].
    participation : float
        Share of households that agree to move [%] (must lie in [0, 100]).
    rollout : dict
        Cumulative share of participating households moved by year [%].
    floors, floor_area_per_household, commercial_share :
        Design values checked against the limits [层], [平方米/户], [%].
    max_saving_rate, max_plot_ratio, max_floors, min_commercial_share :
        The province's limits [%], [倍], [层], [%].
    villages : list of Village
        Optional villages for a per-village roll-up in the report.
    """

    kind: Literal["village_consolidation"]
    households: int = Field(gt=0)
    village_land: float = Field(gt=0)
    round_land_per_household: int | None = Field(default=None, ge=0, le=6)
    land_per_person: float = Field(default=100, gt=0)
    household_size: float = Field(default=3.5, gt=0)
    compensation_per_mu: float = Field(default=16, ge=0)
    subsidy_per_household: float = Field(default=6, ge=0)
    example_households: int = Field(default=1000, ge=0)
    participation: float = Field(default=100, ge=0, le=100)
    rollout: dict[int, float] = {}
    floors: float = Field(default=2, gt=0)
    floor_area_per_household: float = Field(default=240, gt=0)
    commercial_share: float = Field(default=40, ge=0, le=100)
    max_saving_rate: float = Field(default=50, ge=0, le=100)
    max_plot_ratio: float = Field(default=1.0, gt=0)
    max_floors: float = Field(default=4, gt=0)
    min_commercial_share: float = Field(default=40, ge=0, le=100)
    villages: list[Village] = []

    @field_validator("rollout")
    @classmethod
    def _rollout(cls, v):
        last = 0.0
        for y in sorted(v):
            if not 0 <= v[y] <= 100:
                raise ValueError(
                    f"rollout {v[y]:g} % in {y} is impossible; a cumulative share lies in [0, 100]"
                )
            if v[y] < last:
                raise ValueError(
                    f"rollout falls from {last:g} % to {v[y]:g} % in {y}; it is cumulative"
                )
            last = v[y]
        return v

    def current_land(self) -> float:
        """Return current land per household [亩/户], rounded as configured."""
        return land_per_household(self.village_land, self.households, self.round_land_per_household)

    def expand(self, meta: dict, view=None) -> dict:
        """Scenario entries this component stands for (see :meth:`Component.expand`)."""
        n = self.n
        base_year = int(meta["base_year"])
        check_years("rollout", self.rollout, meta)
        now = self.current_land()
        raw = land_per_household(self.village_land, self.households)
        dec = self.round_land_per_household
        how = f"村落占地{self.village_land:g}公顷 ÷ {self.households}户 = {raw:.4f}亩/户" + (
            f"，按原文取{dec}位小数 = {now:g}亩/户" if dec is not None else ""
        )
        params = [
            parameter(
                n("land_now"),
                "现状户均占地",
                "亩/户",
                now,
                [0.2, 3],
                0.01,
                how,
                label_en="Current land per household",
            ),
            parameter(
                n("land_per_person"),
                "新村人均建设用地",
                "平方米/人",
                self.land_per_person,
                [50, 150],
                5,
                "《山东省村庄建设规划编制技术导则》新村人均建设用地不超过100平方米",
                label_en="New-village land per person",
            ),
            parameter(
                n("household_size"),
                "户均人口",
                "人/户",
                self.household_size,
                [1, 6],
                0.1,
                "按户均人口3.5人计算",
                label_en="Persons per household",
            ),
            parameter(
                n("compensation_per_mu"),
                "每亩补偿标准",
                "万元/亩",
                self.compensation_per_mu,
                [0, 50],
                0.5,
                "现行的每亩16万元的补偿标准",
                label_en="Quota value per mu",
            ),
            parameter(
                n("subsidy_per_household"),
                "户均安置补助",
                "万元/户",
                self.subsidy_per_household,
                [0, 20],
                0.5,
                "户均补助6万元",
                label_en="Resettlement subsidy per household",
            ),
            parameter(
                n("participation"),
                "村民参与率",
                "%",
                self.participation,
                [0, 100],
                1,
                "80%多的村民同意；给予适当补助可达90%",
                label_en="Participation rate",
            ),
            parameter(
                n("floors"),
                "安置住宅层数",
                "层",
                self.floors,
                [1, 8],
                1,
                "二层独家独院为主；原则上不超过4层",
                label_en="Storeys",
            ),
            parameter(
                n("floor_area"),
                "户均住宅建筑面积",
                "平方米/户",
                self.floor_area_per_household,
                [50, 600],
                10,
                "原文未给出，假设二层独院每户建筑面积240平方米（用于容积率检查）",
                label_en="Floor area per household",
            ),
            parameter(
                n("commercial_share"),
                "挂钩指标用于经营性用地比例",
                "%",
                self.commercial_share,
                [0, 100],
                5,
                "掛钩指标用于经营性用地的比例不得低于40%",
                label_en="Quota share to commercial use",
            ),
        ] + [
            parameter(
                n(f"rollout_{y}"),
                f"{y}年底累计搬迁比例",
                "%",
                v,
                [0, 100],
                5,
                "原文未给出推进进度，按年均推进假设",
                label_en=f"Moved by end-{y}",
            )
            for y, v in sorted(self.rollout.items())
        ]
        inds = [
            indicator(
                n("land_now_ind"),
                "现状户均占地",
                "亩/户",
                {"kind": "formula", "expr": n("land_now")},
                name_en="Current land per household",
                category="土地利用",
            ),
            indicator(
                n("land_new"),
                "新村户均占地",
                "亩/户",
                {
                    "kind": "formula",
                    "expr": f"{n('land_per_person')} * {n('household_size')} * 15 / 10000",
                },
                name_en="New-village land per household",
                category="土地利用",
            ),
            indicator(
                n("saving_per_household"),
                "户均节约土地",
                "亩/户",
                {"kind": "formula", "expr": f"{n('land_now')} - {n('land_new')}"},
                name_en="Land saved per household",
                category="土地利用",
            ),
            indicator(
                n("saving_rate"),
                "节地率",
                "%",
                {
                    "kind": "ratio",
                    "numerator": n("saving_per_household"),
                    "denominator": n("land_now_ind"),
                },
                name_en="Land saving rate",
                category="土地利用",
                attribute="约束性",
            ),
            indicator(
                n("plot_ratio"),
                "安置区容积率",
                "倍",
                {
                    "kind": "formula",
                    "expr": f"{n('floor_area')} / ({n('land_per_person')} * {n('household_size')})",
                },
                name_en="Plot ratio of the resettlement area",
                category="城乡建设",
                attribute="约束性",
            ),
            indicator(
                n("storeys"),
                "安置住宅层数",
                "层",
                {"kind": "formula", "expr": n("floors")},
                name_en="Storeys",
                category="城乡建设",
                attribute="约束性",
            ),
            indicator(
                n("commercial"),
                "挂钩指标用于经营性用地比例",
                "%",
                {"kind": "formula", "expr": n("commercial_share")},
                name_en="Quota share to commercial use",
                category="土地利用",
                attribute="约束性",
            ),
            # the seed's worked example: one village of example_households
            indicator(
                n("example_households"),
                "示例村户数",
                "户",
                {"kind": "hold"},
                base=(base_year, self.example_households),
                name_en="Example village households",
            ),
            indicator(
                n("example_land_saved"),
                "示例村节约土地",
                "亩",
                {
                    "kind": "formula",
                    "expr": f"{n('example_households')} * {n('saving_per_household')}",
                },
                name_en="Example village: land saved",
                category="土地利用",
            ),
            indicator(
                n("example_quota_funds"),
                "示例村指标补偿资金",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"{n('example_land_saved')} * {n('compensation_per_mu')}",
                },
                name_en="Example village: quota funds",
                category="投资建设",
            ),
            indicator(
                n("example_subsidies"),
                "示例村安置补助",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"{n('example_households')} * {n('subsidy_per_household')}",
                },
                name_en="Example village: resettlement subsidies",
                category="投资建设",
            ),
            indicator(
                n("example_surplus"),
                "示例村节余资金（用于基础设施）",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"{n('example_quota_funds')} - {n('example_subsidies')}",
                },
                name_en="Example village: surplus for infrastructure",
                category="投资建设",
            ),
            # district roll-up
            indicator(
                n("households"),
                "农村总户数",
                "户",
                {"kind": "hold"},
                base=(base_year, self.households),
                name_en="Rural households",
            ),
        ]
        if self.rollout:
            inds.append(
                indicator(
                    n("progress"),
                    "累计搬迁比例",
                    "%",
                    {"kind": "path", "values": {int(y): n(f"rollout_{y}") for y in self.rollout}},
                    base=(base_year, 0),
                    name_en="Share moved, cumulative",
                )
            )
            moved = f"{n('households')} * {n('participation')} / 100 * {n('progress')} / 100"
        else:
            moved = f"{n('households')} * {n('participation')} / 100"
        inds += [
            indicator(
                n("moved_households"),
                "累计搬迁户数",
                "户",
                {"kind": "formula", "expr": moved},
                name_en="Households moved, cumulative",
            ),
            indicator(
                n("district_land_saved"),
                "全区累计节约土地",
                "亩",
                {
                    "kind": "formula",
                    "expr": f"{n('moved_households')} * {n('saving_per_household')}",
                },
                name_en="District: land saved",
                category="土地利用",
            ),
            indicator(
                n("district_quota_funds"),
                "全区指标补偿资金",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"{n('district_land_saved')} * {n('compensation_per_mu')}",
                },
                name_en="District: quota funds",
                category="投资建设",
            ),
            indicator(
                n("district_subsidies"),
                "全区安置补助",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"{n('moved_households')} * {n('subsidy_per_household')}",
                },
                name_en="District: resettlement subsidies",
                category="投资建设",
            ),
            indicator(
                n("district_surplus"),
                "全区节余资金",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"{n('district_quota_funds')} - {n('district_subsidies')}",
                },
                name_en="District: surplus for infrastructure",
                category="投资建设",
            ),
        ]
        end = int(meta["period"][1])
        first = int(meta["period"][0])
        tgts = [
            target(
                n("saving_rate_limit"),
                n("saving_rate"),
                first,
                self.max_saving_rate,
                "<=",
                wording=f"项目区内节地率原则上不超过{self.max_saving_rate:g}%",
                attribute="约束性",
            ),
            target(
                n("plot_ratio_limit"),
                n("plot_ratio"),
                first,
                self.max_plot_ratio,
                "<=",
                wording=f"安置区容积率原则上不超过{self.max_plot_ratio:g}",
                attribute="约束性",
            ),
            target(
                n("floors_limit"),
                n("storeys"),
                first,
                self.max_floors,
                "<=",
                wording=f"社区住宅原则上不高于{self.max_floors:g}层",
                attribute="约束性",
            ),
            target(
                n("commercial_limit"),
                n("commercial"),
                first,
                self.min_commercial_share,
                ">=",
                wording=f"挂钩指标用于经营性用地的比例不得低于{self.min_commercial_share:g}%",
                attribute="约束性",
            ),
            target(
                n("surplus_nonnegative"),
                n("example_surplus"),
                end,
                0,
                ">=",
                wording="指标补偿资金足以支付安置补助（节余≥0）",
            ),
        ]
        return {"parameters": params, "indicators": inds, "targets": tgts}

    def report(self, scenario, trajectories) -> dict:
        """Return the seed's worked example, the limits, and a per-village roll-up.

        Returns
        -------
        dict
            ``land_per_household_raw`` / ``land_per_household`` [亩/户], ``example``
            (land_new, saving_per_household [亩/户], land_saved [亩], quota_funds,
            subsidies, surplus [万元]) in the first plan year, ``limits`` (value,
            limit, ok) and ``villages`` (households, land saved [亩], surplus [万元]).
        """
        n = self.n
        y = int(scenario.meta.period[0])

        def at(ind):
            return float(trajectories.at(n(ind), y)[0])

        pars = scenario.defaults
        example = {
            k: at(ind)
            for k, ind in [
                ("land_now", "land_now_ind"),
                ("land_new", "land_new"),
                ("saving_per_household", "saving_per_household"),
                ("saving_rate", "saving_rate"),
                ("land_saved", "example_land_saved"),
                ("quota_funds", "example_quota_funds"),
                ("subsidies", "example_subsidies"),
                ("surplus", "example_surplus"),
            ]
        }
        limits = {
            "saving_rate": {
                "value": example["saving_rate"],
                "limit": self.max_saving_rate,
                "op": "<=",
            },
            "plot_ratio": {"value": at("plot_ratio"), "limit": self.max_plot_ratio, "op": "<="},
            "floors": {"value": at("storeys"), "limit": self.max_floors, "op": "<="},
            "commercial_share": {
                "value": at("commercial"),
                "limit": self.min_commercial_share,
                "op": ">=",
            },
        }
        for v in limits.values():
            v["ok"] = (
                bool(v["value"] <= v["limit"] + 1e-9)
                if v["op"] == "<="
                else bool(v["value"] >= v["limit"] - 1e-9)
            )
        villages = []
        comp = pars.get(n("compensation_per_mu"), self.compensation_per_mu)
        sub = pars.get(n("subsidy_per_household"), self.subsidy_per_household)
        for v in self.villages:
            now = (
                v.land / v.households
                if (v.land is not None and v.households)
                else example["land_now"]
            )
            saved = v.households * max(0.0, now - example["land_new"])
            villages.append(
                {
                    "name": v.name,
                    "households": v.households,
                    "land_saved": saved,
                    "quota_funds": saved * comp,
                    "subsidies": v.households * sub,
                    "surplus": saved * comp - v.households * sub,
                }
            )
        return {
            "land_per_household_raw": land_per_household(self.village_land, self.households),
            "land_per_household": self.current_land(),
            "example_households": self.example_households,
            "example": example,
            "limits": limits,
            "villages": villages,
            "district": {
                k: series(trajectories, n(k))
                for k in (
                    "moved_households",
                    "district_land_saved",
                    "district_quota_funds",
                    "district_subsidies",
                    "district_surplus",
                )
            },
        }

"""城乡低保标准动态调整: the minimum-living standard (seed 000 篇3).

The rule of the seed: each year the standard is no less than 30 % of the
previous year's per-capita consumption expenditure, and it never falls::

    urban_standard_t [元/月] = max(urban_standard_{t-1},
                                   30 % × urban_consumption_{t-1} [元/年] / 12)
    rural_standard_t [元/年] = max(rural_standard_{t-1},
                                   30 % × rural_consumption_{t-1} [元/年])

Funding need = recipients × subsidy (the subsidy level is a share of the
standard: 197 of 241 元/月 urban, 1044 of 1350 元/年 rural); the temporary relief
fund (1.2 亿元) is shared 50/50 between the province and localities.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from .._prebuilt import Prebuilt
from ._common import Programme, indicator, parameter, series, target

__all__ = ["Area", "MinimumLiving", "next_standard"]


def next_standard(standard, consumption, share=30.0, months=1):
    """Next year's standard from this year's (vectorised).

    Parameters
    ----------
    standard : array_like
        This year's standard [元 per period].
    consumption : array_like
        This year's per-capita consumption expenditure [元/年].
    share : float or array_like
        Minimum share of consumption [%].
    months : int
        12 for a monthly standard, 1 for a yearly one.

    Returns
    -------
    numpy.ndarray
        ``max(standard, share/100 × consumption / months)`` [元 per period].
    """
    import numpy as np

    return np.maximum(
        np.asarray(standard, dtype=float),
        np.asarray(share, dtype=float) / 100.0 * np.asarray(consumption, dtype=float) / months,
    )


class Area(Prebuilt):
    """Urban or rural 低保 inputs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    standard: float = Field(gt=0)  # 元/月 (urban) or 元/年 (rural), in the base year
    subsidy: float = Field(ge=0)  # average subsidy per recipient, same unit
    consumption: float | None = Field(default=None, gt=0)  # 元/年 in the year before the base year
    consumption_growth: float = Field(default=8, gt=-100, le=100)  # % a year
    recipients: float = Field(ge=0)  # 万人

    @model_validator(mode="after")
    def _subsidy(self):
        if self.subsidy > self.standard:
            raise ValueError(
                f"subsidy {self.subsidy:g} exceeds the standard {self.standard:g}; the subsidy "
                "tops income up to the standard, so it lies in [0, standard]"
            )
        return self


class MinimumLiving(Programme):
    """Component ``kind: minimum_living``.

    Parameters
    ----------
    urban : Area
        Standard and subsidy [元/月], consumption [元/年], recipients [万人].
    rural : Area
        Standard and subsidy [元/年], consumption [元/年], recipients [万人].
    share : float
        Minimum share of last year's consumption [%] (seed: 30).
    relief_fund : float
        Temporary relief fund [亿元] (seed: 1.2).
    province_share : float
        Province's share of the relief fund [%] (seed: 50).
    """

    kind: Literal["minimum_living"]
    urban: Area
    rural: Area
    share: float = Field(default=30, ge=0, le=100)
    relief_fund: float = Field(default=0, ge=0)
    province_share: float = Field(default=50, ge=0, le=100)

    def implied_consumption(self, area: Area, months: int) -> float:
        """Return last year's consumption [元/年].

        Given, or the level at which the standard is exactly ``share``.
        """
        if area.consumption is not None:
            return area.consumption
        return (
            area.standard * months / (self.share / 100.0)
            if self.share > 0
            else area.standard * months
        )

    def expand(self, meta: dict, view=None) -> dict:
        """Scenario entries this component stands for (see :meth:`Component.expand`)."""
        n = self.n
        y0 = int(meta["base_year"])
        start, end = (int(x) for x in meta["period"])
        uc = self.implied_consumption(self.urban, 12)
        rc = self.implied_consumption(self.rural, 1)
        assumed = "原文未给出上年人均消费支出；假设低保标准恰为其30%，即 消费 = 标准 ÷ 30%"
        params = [
            parameter(
                n("share"),
                "低保标准占上年人均消费支出比例（下限）",
                "%",
                self.share,
                [0, 60],
                1,
                "按照不低于上年度城乡居民消费支出30%确定城乡低保标准",
                label_en="Minimum share of consumption",
            ),
            parameter(
                n("urban_growth"),
                "城镇居民人均消费支出增速",
                "%",
                self.urban.consumption_growth,
                [-10, 25],
                0.5,
                "原文未给出，假设值",
                label_en="Urban consumption growth",
            ),
            parameter(
                n("rural_growth"),
                "农村居民人均消费支出增速",
                "%",
                self.rural.consumption_growth,
                [-10, 25],
                0.5,
                "原文未给出，假设值",
                label_en="Rural consumption growth",
            ),
            parameter(
                n("urban_recipients"),
                "城市低保对象",
                "万人",
                self.urban.recipients,
                [0, 500],
                1,
                "原文未给出，假设值",
                label_en="Urban recipients",
            ),
            parameter(
                n("rural_recipients"),
                "农村低保对象",
                "万人",
                self.rural.recipients,
                [0, 500],
                1,
                "原文未给出，假设值",
                label_en="Rural recipients",
            ),
            parameter(
                n("urban_subsidy_ratio"),
                "城市财政补助水平占标准比例",
                "%",
                self.urban.subsidy / self.urban.standard * 100,
                [0, 100],
                1,
                f"财政补助月人均{self.urban.subsidy:g}元 ÷ 标准{self.urban.standard:g}元",
                label_en="Urban subsidy as share of standard",
            ),
            parameter(
                n("rural_subsidy_ratio"),
                "农村财政补助水平占标准比例",
                "%",
                self.rural.subsidy / self.rural.standard * 100,
                [0, 100],
                1,
                f"财政补助年人均{self.rural.subsidy:g}元 ÷ 标准{self.rural.standard:g}元",
                label_en="Rural subsidy as share of standard",
            ),
            parameter(
                n("relief_fund"),
                "临时救助专项资金",
                "亿元",
                self.relief_fund,
                [0, 10],
                0.1,
                "列支了1.2亿元临时救助专项资金",
                label_en="Temporary relief fund",
            ),
            parameter(
                n("province_share"),
                "省级财政分担比例",
                "%",
                self.province_share,
                [0, 100],
                5,
                "省及地方财政各分担50%",
                label_en="Province share",
            ),
        ]
        inds = [
            indicator(
                n("urban_consumption"),
                "城镇居民人均消费支出",
                "元/年",
                {"kind": "growth", "rate": n("urban_growth")},
                base=(y0 - 1, uc),
                name_en="Urban consumption per capita",
                category="民生福祉",
                assumption=None if self.urban.consumption else assumed,
            ),
            indicator(
                n("rural_consumption"),
                "农村居民人均消费支出",
                "元/年",
                {"kind": "growth", "rate": n("rural_growth")},
                base=(y0 - 1, rc),
                name_en="Rural consumption per capita",
                category="民生福祉",
                assumption=None if self.rural.consumption else assumed,
            ),
            indicator(
                n("urban_standard"),
                "城市低保标准",
                "元/月",
                {
                    "kind": "formula",
                    "expr": f"max(prev({n('urban_standard')}), "
                    f"{n('share')} / 100 * prev({n('urban_consumption')}) / 12)",
                },
                base=(y0, self.urban.standard),
                name_en="Urban minimum-living standard",
                category="社会保障",
                attribute="约束性",
                source=f"城乡低保标准分别提高到月人均{self.urban.standard:g}元",
            ),
            indicator(
                n("rural_standard"),
                "农村低保标准",
                "元/年",
                {
                    "kind": "formula",
                    "expr": f"max(prev({n('rural_standard')}), "
                    f"{n('share')} / 100 * prev({n('rural_consumption')}))",
                },
                base=(y0, self.rural.standard),
                name_en="Rural minimum-living standard",
                category="社会保障",
                attribute="约束性",
                source=f"年人均{self.rural.standard:g}元",
            ),
            indicator(
                n("urban_standard_share"),
                "城市低保标准占上年消费支出",
                "%",
                {
                    "kind": "formula",
                    "expr": f"{n('urban_standard')} * 12 / prev({n('urban_consumption')}) * 100",
                },
                name_en="Urban standard / last year's consumption",
                category="社会保障",
            ),
            indicator(
                n("rural_standard_share"),
                "农村低保标准占上年消费支出",
                "%",
                {
                    "kind": "formula",
                    "expr": f"{n('rural_standard')} / prev({n('rural_consumption')}) * 100",
                },
                name_en="Rural standard / last year's consumption",
                category="社会保障",
            ),
            indicator(
                n("urban_subsidy"),
                "城市低保财政补助水平",
                "元/月",
                {
                    "kind": "formula",
                    "expr": f"{n('urban_standard')} * {n('urban_subsidy_ratio')} / 100",
                },
                name_en="Urban subsidy per recipient",
                category="社会保障",
            ),
            indicator(
                n("rural_subsidy"),
                "农村低保财政补助水平",
                "元/年",
                {
                    "kind": "formula",
                    "expr": f"{n('rural_standard')} * {n('rural_subsidy_ratio')} / 100",
                },
                name_en="Rural subsidy per recipient",
                category="社会保障",
            ),
            indicator(
                n("urban_funding"),
                "城市低保资金需求",
                "亿元",
                {
                    "kind": "formula",
                    "expr": f"{n('urban_recipients')} * {n('urban_subsidy')} * 12 / 10000",
                },
                name_en="Urban funding need (万人 × 元/月 × 12 ÷ 10⁴)",
                category="社会保障",
            ),
            indicator(
                n("rural_funding"),
                "农村低保资金需求",
                "亿元",
                {
                    "kind": "formula",
                    "expr": f"{n('rural_recipients')} * {n('rural_subsidy')} / 10000",
                },
                name_en="Rural funding need",
                category="社会保障",
            ),
            indicator(
                n("funding"),
                "低保资金需求合计",
                "亿元",
                {"kind": "sum", "of": [n("urban_funding"), n("rural_funding")]},
                name_en="Funding need, total",
                category="社会保障",
            ),
            indicator(
                n("relief"),
                "临时救助专项资金",
                "亿元",
                {"kind": "formula", "expr": n("relief_fund")},
                name_en="Temporary relief fund",
                category="社会保障",
            ),
            indicator(
                n("relief_province"),
                "其中：省级财政",
                "万元",
                {"kind": "formula", "expr": f"{n('relief')} * {n('province_share')} / 100 * 10000"},
                name_en="of which province",
                category="社会保障",
            ),
            indicator(
                n("relief_local"),
                "其中：地方财政",
                "万元",
                {"kind": "formula", "expr": f"{n('relief')} * 10000 - {n('relief_province')}"},
                name_en="of which localities",
                category="社会保障",
            ),
        ]
        tgts = []
        for y in range(start, end + 1):
            tgts.append(
                target(
                    n(f"urban_rule_{y}"),
                    n("urban_standard_share"),
                    y,
                    self.share,
                    ">=",
                    wording=f"不低于上年度城镇居民消费支出{self.share:g}%",
                    attribute="约束性",
                )
            )
            tgts.append(
                target(
                    n(f"rural_rule_{y}"),
                    n("rural_standard_share"),
                    y,
                    self.share,
                    ">=",
                    wording=f"不低于上年度农村居民消费支出{self.share:g}%",
                    attribute="约束性",
                )
            )
        return {"parameters": params, "indicators": inds, "targets": tgts}

    def report(self, scenario, trajectories) -> dict:
        """Standards, funding and relief by year (run 0), JSON-ready.

        Returns
        -------
        dict
            ``{indicator: {year: value}}`` for the standards [元/月, 元/年], funding [亿元]
            and the relief split [万元].
        """
        keys = (
            "urban_standard",
            "rural_standard",
            "urban_subsidy",
            "rural_subsidy",
            "urban_funding",
            "rural_funding",
            "funding",
            "relief_province",
            "relief_local",
        )
        return {k: series(trajectories, self.n(k)) for k in keys}

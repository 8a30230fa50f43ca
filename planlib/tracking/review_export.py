"""A review as data: a JSON-ready dict, the Excel workbook and long (IAMC) tables.

:func:`review_dict` (NaN as null, no emoji), :func:`write_review_xlsx` (sheets 完成情况,
评估 and 实绩与规划: numbers stored as numbers with each figure's precision as number
format), :func:`review_long` and :func:`review_iamc` (the plan path and the actuals, one
row per indicator, year and series).
"""

from __future__ import annotations

import math

import numpy as np

from ..formatting import clean_float, decimals_for
from ..scenario import Scenario
from .review_completion import OUTCOME_COLORS, _written_decimals
from .review_progress import CLASS_ZH, COLORS
from .review_text import _stated

__all__ = ["review_dict", "review_iamc", "review_long", "write_review_xlsx"]


def review_dict(review) -> dict:
    """Return the review as a JSON-ready dict (the body of :meth:`Review.to_dict`)."""
    rows = [{k: _clean(v) for k, v in r.items() if k != "light"} for r in review.rows]  # no emoji
    return {
        "scenario": review.scenario,
        "name": review.name,
        "as_of": review.as_of,
        "thresholds": {
            "on_track": review.thresholds.on_track,
            "acceleration": review.thresholds.acceleration,
            "limited": review.thresholds.limited,
        },
        "counts": review.counts(),
        "exit_code": review.exit_code,
        "final": review.final,
        "outcome_counts": review.outcome_counts() if review.final else None,
        "summary": review.summary(),
        "rows": rows,
    }


def write_review_xlsx(review, path, overwrite: bool = False):
    """Write the review workbook (the body of :meth:`Review.write_xlsx`)."""
    from ..table import Sheet, excel_number_format, write_workbook

    def fmt(d):
        return excel_number_format(d)

    sheets = []
    if review.final:
        header = [
            "类别",
            "指标",
            "单位",
            "属性",
            "目标",
            "目标年",
            "目标值",
            "实绩",
            "完成率（%）",
            "差距",
            "完成情况",
        ]
        rows, formats, fills = [], [], {}
        for i, r in enumerate(review.final_rows()):
            d = r.get("final_decimals", 2)
            unit = r.get("gap_unit") or r["indicator_unit"]
            rows.append(
                [
                    r.get("category", ""),
                    r["name"],
                    "%" if r["kind"] == "growth" else unit,
                    r["attribute"],
                    r["wording"] or _stated(r, True),
                    r["year"],
                    r["target"] if r["kind"] != "qualitative" else None,
                    r.get("final_value"),
                    r.get("completion"),
                    r.get("gap"),
                    r.get("outcome_text") or "",
                ]
            )
            stated = r["target"] if r["target"] is not None else float("nan")
            formats.append(
                [
                    None,
                    None,
                    None,
                    None,
                    None,
                    "0",
                    fmt(_written_decimals(stated) if np.isfinite(stated) else 0),
                    fmt(d),
                    "0.0",
                    fmt(d),
                    None,
                ]
            )
            if r.get("outcome"):
                fills[(i, 10)] = OUTCOME_COLORS[r["outcome"]]
        sheets.append(
            Sheet(
                "完成情况",
                f"{review.name}主要指标完成情况（实绩截至{review.as_of}年）",
                header,
                rows,
                formats,
                fills,
            )
        )
    header = [
        "评估",
        "指标",
        "单位",
        "属性",
        "目标",
        "目标年",
        "起点年",
        "起点",
        "最新实绩年",
        "最新实绩",
        "累计实绩",
        "年均单位",
        "实际年均",
        "要求年均",
        "进度比",
        "剩余年份需",
        "趋势外推期末",
        "预期完成度（%）",
        "首次达标年",
    ]
    rows, formats, fills = [], [], {}
    for i, r in enumerate(review.rows):
        d = decimals_for(r["indicator_unit"])
        rows.append(
            [
                CLASS_ZH[r["class"]],
                r["name"],
                r["indicator_unit"],
                r["attribute"],
                r["wording"] or _stated(r, True),
                r["year"],
                r["start_year"],
                r["start_value"],
                r["latest_year"],
                r["latest_value"],
                r["so_far"],
                r["pace_unit"],
                r["observed_pace"],
                r["required_pace"],
                r["ratio"],
                r["remaining_pace"],
                r["projected_end"],
                r["anticipated"],
                r["first_met"],
            ]
        )
        pd_ = 2 if r["method"] == "compound" else d
        formats.append(
            [None] * 5
            + [
                "0",
                "0",
                fmt(d),
                "0",
                fmt(d),
                fmt(d),
                None,
                fmt(pd_),
                fmt(pd_),
                "0.00",
                fmt(pd_),
                fmt(d),
                "0",
                "0",
            ]
        )
        fills[(i, 0)] = COLORS[r["class"]]
    sheets.append(
        Sheet(
            "评估",
            f"{review.name}规划评估（进度，实绩截至{review.as_of}年）",
            header,
            rows,
            formats,
            fills,
        )
    )
    long = review.to_long()
    series = {"plan": "规划", "actual": "实绩"}
    rows = [
        [rec.indicator, rec.name, rec.unit, int(rec.year), series[rec.series], float(rec.value)]
        for rec in long.itertuples(index=False)
    ]
    formats = [[None, None, None, "0", None, fmt(decimals_for(r[2]))] for r in rows]
    sheets.append(
        Sheet(
            "实绩与规划",
            f"{review.name}：规划路径与实绩",
            ["指标代码", "指标", "单位", "年份", "序列", "数值"],
            rows,
            formats,
        )
    )
    return write_workbook(path, sheets, overwrite=overwrite, title=review.name)


def review_long(review):
    """Return plan path and actuals as a long table (the body of :meth:`Review.to_long`)."""
    import pandas as pd

    recs = []
    for i, ind in enumerate(review.indicators):
        for j, y in enumerate(review.years):
            for series, arr in (("plan", review.plan), ("actual", review.actual)):
                v = arr[i, j]
                if np.isfinite(v):
                    recs.append(
                        {
                            "indicator": ind,
                            "name": review.names[i],
                            "unit": review.units[i],
                            "year": int(y),
                            "series": series,
                            "value": float(v),
                        }
                    )
    return pd.DataFrame(recs, columns=["indicator", "name", "unit", "year", "series", "value"])


def review_iamc(review, scenario: Scenario, model: str = "planlib", lang: str = "zh"):
    """Return plan path and actuals as an IAMC table (the body of :meth:`Review.to_iamc`)."""
    from ..longformat import IAMC_COLUMNS

    long = review.to_long()
    names = {
        ind.id: {"id": ind.id, "en": f"{ind.category}|{ind.name_en or ind.id}"}.get(
            lang, f"{ind.category}|{ind.name_zh}"
        )
        for ind in scenario.indicators
    }
    long["variable"] = long["indicator"].map(names)
    long["model"] = model
    long["scenario"] = np.where(
        long["series"] == "actual", f"{review.scenario}|actual", review.scenario
    )
    long["region"] = review.region
    return long[IAMC_COLUMNS].reset_index(drop=True)


def _clean(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(float(v)) else clean_float(float(v))
    if isinstance(v, np.integer):
        return int(v)
    return v

"""The 主要指标表 as an Excel workbook: numbers as numbers, the indicator's precision as format."""

from __future__ import annotations

import math
from pathlib import Path

from ..table import Sheet, excel_number_format, write_workbook
from ..tracking.review import OUTCOME_COLORS
from .official import _CUMULATIVE_KINDS, OfficialTable

__all__ = ["write_xlsx", "bracket_format"]


def bracket_format(decimals: int) -> str:
    """Return a number format showing a number inside 〔〕, keeping it a number: '"〔"0.0"〕"'."""
    return f'"〔"{excel_number_format(decimals)}"〕"'


def _rate_format(kind: str, decimals: int) -> str:
    return bracket_format(decimals) if kind in _CUMULATIVE_KINDS else excel_number_format(decimals)


def write_xlsx(table: OfficialTable, path, overwrite: bool = False) -> Path:
    """Write the table as .xlsx (sheet 主要指标 or 主要指标完成情况, plus 年度数据), atomically.

    Base, target, 年均/累计, actual and actual 年均/累计 are numbers (NaN as empty cells)
    with each indicator's precision as number format; 〔〕 is a number format, not text.
    Marks (* △) and qualitative targets go in a 备注 column so the figures stay numbers.

    Returns
    -------
    pathlib.Path
    """
    header = list(table.header) + ["备注"]
    rows, formats, fills = [], [], {}
    for i, r in enumerate(table.rows):
        d, rd = r.decimals, r.rate_decimals
        target = (
            r.target_value
            if math.isfinite(r.target_value)
            else (r.target_text if r.target_text != "—" else None)
        )
        rate = (
            r.rate_value
            if math.isfinite(r.rate_value)
            else (r.rate_text if r.rate_text != "—" else None)
        )
        rec = [r.category, r.label, r.base_value, target, rate, r.attribute]
        fmt = [
            None,
            None,
            excel_number_format(d),
            excel_number_format(d),
            _rate_format(r.rate_kind, rd),
            None,
        ]
        if table.final:
            rec += [r.actual_value, r.actual_rate, r.outcome_text]
            fmt += [
                excel_number_format(d),
                _rate_format(r.rate_kind, 2 if r.rate_kind != "cumulative" else d),
                None,
            ]
            if r.outcome:
                fills[(i, 8)] = OUTCOME_COLORS[r.outcome]
        marks = []
        if "*" in r.base_mark:
            marks.append(f"基期值为{r.base_year}年数据")
        if "△" in r.base_mark:
            marks.append("基期值为预计数、估算数或假设值")
        if r.actual_text.endswith("△"):
            marks.append("实际值为预计数或估算数")
        if r.rate_kind == "relative_growth" or (
            r.rate_text not in ("—", "") and not math.isfinite(r.rate_value)
        ):
            marks.append(r.rate_text)
        rec.append("；".join(marks))
        fmt.append(None)
        rows.append(rec)
        formats.append(fmt)
    sheets = [
        Sheet(
            "主要指标完成情况" if table.final else "主要指标",
            table.title,
            header,
            rows,
            formats,
            fills,
            merge_first_column=True,
            notes=table.footnotes + ([table.summary] if table.final else []),
        )
    ]
    sheets.append(_yearly_sheet(table))
    return write_workbook(path, sheets, overwrite=overwrite, title=table.title)


def _yearly_sheet(table: OfficialTable) -> Sheet:
    """Years across: the plan path (and actuals) of each indicator in the table."""
    from ..formatting import decimals_for
    from ..model import Model

    sc = table.scenario
    traj = Model(sc).evaluate()
    years = [int(y) for y in traj.years]
    rv = table.review
    header = ["指标代码", "指标", "单位", "序列"] + [f"{y}年" for y in years]
    rows, formats = [], []
    for r in table.rows:
        d = max(r.decimals, decimals_for(r.unit)) if decimals_for(r.unit) else r.decimals
        series = [("规划", [float(v) for v in traj.values[0, traj.index(r.indicator)]])]
        if rv is not None:
            i = rv.indicators.index(r.indicator)
            ry = [int(y) for y in rv.years]
            series.append(
                ("实绩", [float(rv.actual[i, ry.index(y)]) if y in ry else math.nan for y in years])
            )
        for name, vals in series:
            rows.append([r.indicator, r.name, r.unit, name] + vals)
            formats.append([None] * 4 + [excel_number_format(d)] * len(vals))
    return Sheet("年度数据", f"{table.name}：年度规划路径与实绩", header, rows, formats)

"""主要指标表: the plan's indicator table, and its exports (Markdown, HTML, CSV, Excel)."""

from __future__ import annotations

import html
import io
import math
import os
import tempfile
from pathlib import Path

from .auditing import STATUS_ZH, audit
from .formatting import decimals_for, fmt_number
from .model import Model
from .scenario import Scenario, write_atomic

__all__ = ["COLUMNS", "indicator_table", "render_table", "write_table"]

COLUMNS = {
    "zh": ["类别", "指标", "单位", "基期年", "基期值", "目标年", "目标值", "年均增长/累计", "属性", "审计"],
    "en": ["category", "indicator", "unit", "base_year", "base_value", "target_year", "target_value",
           "growth_or_cumulative", "attribute", "audit"],
}
_ATTR_EN = {"预期性": "indicative", "约束性": "binding"}
_STATUS_EN = {"ok": "ok", "warning": "warning", "error": "missed"}
_RANK = {"ok": 0, "warning": 1, "error": 2}


def _stated(row: dict, zh: bool) -> str:
    """Text for the 年均增长/累计 column from a non-level target."""
    if row.get("wording") and zh:
        return row["wording"]
    v, unit = row["target"], row["unit"]
    op = {">=": "≥", "<=": "≤", "=": ""}[row["op"]]
    if row["kind"] == "growth":
        return f"{'年均增长' if zh else 'growth '}{op}{fmt_number(v)}%"
    if row["kind"] == "cumulative":
        return f"{'累计' if zh else 'cumulative '}〔{fmt_number(v, decimals_for(unit))}〕{unit}"
    if row["kind"] == "pp_change":
        return f"{'提高' if zh else '+'}{fmt_number(v)}{'个百分点' if zh else ' pp'}"
    return f"{'增加' if zh else '+'}{fmt_number(v, decimals_for(unit))}{unit}"


def indicator_table(scenario: Scenario, lang: str = "zh", params: dict | None = None,
                    include_all: bool = False):
    """Build the 主要指标表 of a scenario.

    Parameters
    ----------
    scenario : Scenario
    lang : {"zh", "en"}
        Header and label language.
    params : dict, optional
        Parameter values for a what-if (audit column follows them).
    include_all : bool
        Also list indicators without a target (by default, like an official
        主要指标表, only indicators with targets appear).

    Returns
    -------
    pandas.DataFrame
        One row per indicator with columns :data:`COLUMNS` [lang]; base and
        target values are numbers in the indicator's unit.
    """
    import pandas as pd

    zh = lang == "zh"
    model = Model(scenario)
    report = audit(scenario, params, lang=lang, model=model)
    traj = model.evaluate(params or {})
    by_ind: dict[str, list] = {}
    for r in report.rows:
        by_ind.setdefault(r["indicator"], []).append(r)
    for model_of in _restated(scenario, by_ind):
        del by_ind[model_of]
    records = []
    for ind in scenario.indicators:
        rows = by_ind.get(ind.id, [])
        if not rows and not include_all:
            continue
        level = next((r for r in rows if r["kind"] == "level"), None)
        other = next((r for r in rows if r["kind"] != "level"), None)
        main = level or other
        if main is not None:
            base_year = main["from_year"] if main["kind"] != "cumulative" else scenario.meta.base_year
        else:
            base_year = ind.anchor_year or scenario.meta.base_year
        base_value = float(traj.at(ind.id, base_year)[0]) if base_year in set(traj.years.tolist()) else math.nan
        target_year, target_value = (None, math.nan)
        if level is not None:
            target_year, target_value = level["year"], level["target"]
        elif other is not None:
            target_year = other["year"]
            if other["kind"] in ("pp_change", "increment") and other["start_value"] is not None:
                target_value = other["start_value"] + other["target"]
            elif other["kind"] == "cumulative":
                target_value = other["target"]
            else:
                target_value = other["end_value"] if other["end_value"] is not None else math.nan
        stated = _stated(other, zh) if other is not None else ""
        status = max((r["status"] for r in rows), key=_RANK.get, default=None)
        # a binding (约束性) target makes its indicator binding in the table
        attribute = "约束性" if any(r["attribute"] == "约束性" for r in rows) else ind.attribute
        records.append([
            ind.category, ind.name_zh if zh else (ind.name_en or ind.name_zh), ind.unit,
            base_year, base_value, target_year, target_value, stated,
            attribute if zh else _ATTR_EN[attribute],
            (STATUS_ZH[status] if zh else _STATUS_EN[status]) if status else "",
        ])
    df = pd.DataFrame(records, columns=COLUMNS[lang])
    df[COLUMNS[lang][5]] = df[COLUMNS[lang][5]].astype("Int64")
    return df


def _restated(scenario: Scenario, by_ind: dict[str, list]) -> list[str]:
    """Indicators that only model a target already listed under another indicator.

    A component's model of a stated indicator is named after it ("常住人口城镇化率（人口模型）"
    models "常住人口城镇化率") and restates its targets (same kind, operator, year, value and
    unit). It is audited, but the 主要指标表 lists each stated target once.
    """
    def keys(rows):
        return {(r["kind"], r["op"], r["year"], r["target"], r["target_unit"]) for r in rows}

    names = {ind.id: ind.name_zh for ind in scenario.indicators}
    out = []
    for b, rows_b in by_ind.items():
        for a, rows_a in by_ind.items():
            if a != b and names[b].startswith(names[a] + "（") and keys(rows_b) <= keys(rows_a):
                out.append(b)
                break
    return out


def _display(df) -> list[list[str]]:
    """Cells as strings, numbers in each row's unit."""
    out = []
    for rec in df.itertuples(index=False):
        cells = list(rec)
        d = decimals_for(cells[2])
        for k in (4, 6):
            cells[k] = fmt_number(cells[k], d) if cells[k] == cells[k] else "—"
        for k in (3, 5):
            cells[k] = "" if cells[k] is None or (isinstance(cells[k], float) and math.isnan(cells[k])) \
                or str(cells[k]) == "<NA>" else str(cells[k])
        out.append([str(c) for c in cells])
    return out


def render_table(df, fmt: str, title: str | None = None) -> str:
    """Render the table as Markdown, HTML or CSV text.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`indicator_table`.
    fmt : {"md", "html", "csv"}
    title : str, optional
        Caption (Markdown heading / HTML caption).
    """
    cols = list(df.columns)
    rows = _display(df)
    if fmt == "md":
        lines = [f"### {title}", ""] if title else []
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "|".join("---:" if i in (3, 4, 5, 6) else "---" for i in range(len(cols))) + "|")
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if fmt == "html":
        cap = f"<caption>{html.escape(title)}</caption>" if title else ""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
        return (f'<table class="planlib-indicators">{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>\n")
    if fmt == "csv":
        buf = io.StringIO()
        df.to_csv(buf, index=False, float_format="%.6g")
        return buf.getvalue()
    raise ValueError(f"format must be one of md, html, csv, xlsx; got {fmt!r}")


def _write_xlsx(df, path: Path, title: str | None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "主要指标表"
    ws.append(list(df.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    for rec in df.itertuples(index=False):
        vals = [None if (isinstance(v, float) and math.isnan(v)) or str(v) == "<NA>" else v for v in rec]
        vals = [int(v) if hasattr(v, "item") and float(v).is_integer() and i in (3, 5) else v
                for i, v in enumerate(vals)]
        ws.append(vals)
        fmt = "0" if decimals_for(rec[2]) == 0 else "0.00"
        for col in (5, 7):
            ws.cell(row=ws.max_row, column=col).number_format = fmt
    widths = [10, 22, 8, 8, 12, 8, 12, 26, 8, 8]
    for i, w in enumerate(widths[: len(df.columns)]):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    ws.freeze_panes = "A2"
    if title:
        wb.properties.title = title
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_table(df, path, fmt: str | None = None, title: str | None = None, overwrite: bool = True) -> Path:
    """Write the table to ``path`` atomically; format from ``fmt`` or the suffix.

    CSV is written with a BOM so Excel opens the Chinese headers correctly.
    """
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists")
    if fmt == "xlsx":
        return _write_xlsx(df, path, title)
    text = render_table(df, fmt, title)
    if fmt == "csv":
        text = "\ufeff" + text
    return write_atomic(path, text, overwrite=True)

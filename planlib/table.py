"""主要指标表: the plan's indicator table, and its exports (Markdown, HTML, CSV, Excel)."""

from __future__ import annotations

import csv
import html
import io
import math
from pathlib import Path

from .auditing import STATUS_ZH, audit
from .formatting import (
    clean_float,
    decimals_for,
    fmt_number,
    indicator_decimals,
    spreadsheet_safe,
    spreadsheet_safe_frame,
    stated_text,
)
from .model import Model
from .scenario import Scenario, write_atomic

__all__ = [
    "ATTRIBUTE_EN",
    "COLUMNS",
    "Sheet",
    "excel_number_format",
    "excel_text",
    "indicator_table",
    "render_table",
    "stated_text",
    "write_table",
    "write_workbook",
]

COLUMNS = {
    "zh": [
        "类别",
        "指标",
        "单位",
        "基期年",
        "基期值",
        "目标年",
        "目标值",
        "年均增长/累计",
        "属性",
        "审计",
    ],
    "en": [
        "category",
        "indicator",
        "unit",
        "base_year",
        "base_value",
        "target_year",
        "target_value",
        "growth_or_cumulative",
        "attribute",
        "audit",
    ],
}
#: 预期性 / 约束性 in English output
ATTRIBUTE_EN = {"预期性": "indicative", "约束性": "binding"}
_ATTR_EN = ATTRIBUTE_EN
_STATUS_EN = {"ok": "ok", "warning": "warning", "error": "missed"}
_RANK = {"info": -1, "ok": 0, "warning": 1, "error": 2}


#: marks of non-statistical values in the table, and their footnotes
STATUS_MARK = {"预计": "（预计）", "估算": "（估算）", "假设": "（假设）"}
STATUS_MARK_EN = {"预计": " (expected)", "估算": " (estimate)", "假设": " (assumption)"}


def _stated(row: dict, zh: bool) -> str:
    """Backwards-compatible name of :func:`stated_text`."""
    return stated_text(row, zh)


def _category_order(scenario: Scenario) -> dict[str, int]:
    """Categories in the order they first appear in the file."""
    order: dict[str, int] = {}
    for ind in scenario.indicators:
        order.setdefault(ind.category, len(order))
    return order


def indicator_table(
    scenario: Scenario, lang: str = "zh", params: dict | None = None, include_all: bool = False
):
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
        One row per indicator with columns :data:`COLUMNS` [lang], grouped by category in
        file order; base and target values are numbers in the indicator's unit. Every
        target of an indicator appears: the first level target in the target columns,
        the others in the 年均/累计 column, joined with "；". ``df.attrs`` holds
        ``decimals`` (per row), ``cells`` (display text of marked cells: 77.3*,
        140（预计）, <5.5, 5左右) and ``footnotes``.
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
    cat_rank = _category_order(scenario)
    inds = sorted(enumerate(scenario.indicators), key=lambda p: (cat_rank[p[1].category], p[0]))
    records, decimals, cells = [], [], {}
    notes = {"bracket": False, "data_year": set(), "status": set(), "about": False}
    for _, ind in inds:
        rows = by_ind.get(ind.id, [])
        if not rows and not include_all:
            continue
        # the target columns hold the first level target in the period; later ones (2035) go in
        # the 年均/累计 column with the other targets
        levels = sorted(
            (r for r in rows if r["kind"] == "level" and r["year"] <= scenario.meta.period[1]),
            key=lambda r: r["year"],
        )
        level = levels[0] if levels else None
        others = [r for r in rows if r is not level]
        other = next((r for r in others if r["kind"] not in ("level", "qualitative")), None)
        main = level or other
        if main is not None and main["kind"] != "qualitative":
            base_year = (
                main["from_year"] if main["kind"] != "cumulative" else scenario.meta.base_year
            )
        else:
            base_year = ind.anchor_year or scenario.meta.base_year
        base_value = (
            float(traj.at(ind.id, base_year)[0])
            if base_year in set(traj.years.tolist())
            else math.nan
        )
        target_year, target_value = (None, math.nan)
        if level is not None:
            target_year, target_value = level["year"], level["target"]
        elif other is not None:
            target_year = other["year"]
            if other["kind"] in ("pp_change", "increment") and other["start_value"] is not None:
                target_value = other["start_value"] + other["target"]
            elif other["kind"] == "reduction" and other["start_value"] is not None:
                target_value = math.nan  # a relative change: the level is not stated
            elif other["kind"] == "cumulative":
                target_value = other["target"]
            elif other["mode"] == "numeric" and other["end_value"] is not None:
                target_value = other["end_value"]
        elif rows:
            target_year = rows[0]["year"]
        d = rows[0]["decimals"] if rows else indicator_decimals(scenario, ind.id)
        target_value = clean_float(target_value) if target_value == target_value else target_value
        base_value = round(base_value, max(d, 6)) if base_value == base_value else base_value
        stated = "；".join(stated_text(r, zh) for r in others)
        notes["bracket"] |= any(
            r["kind"] in ("reduction", "increment", "pp_change", "cumulative")
            and not (zh and r.get("wording"))
            for r in others
        )
        notes["about"] |= any(r["op"] == "~" for r in rows)
        status = max((r["status"] for r in rows), key=_RANK.get, default=None)
        # a binding (约束性) target makes its indicator binding in the table
        attribute = "约束性" if any(r["attribute"] == "约束性" for r in rows) else ind.attribute
        n = len(records)
        prov = ind.provenance.get(base_year)
        if prov is not None and base_value == base_value:
            st, dy = prov
            mark = ""
            if dy is not None and dy != base_year:
                mark += "*"
                notes["data_year"].add((base_year, dy))
            if st in STATUS_MARK:
                mark += STATUS_MARK[st] if zh else STATUS_MARK_EN[st]
                notes["status"].add(st)
            if mark:
                cells[(n, 4)] = fmt_number(base_value, d) + mark
        if level is not None and level["op"] in (">", "<", "~", "<="):
            v = fmt_number(target_value, d)
            cells[(n, 6)] = {
                ">": f">{v}",
                "<": f"<{v}",
                "<=": f"≤{v}",
                "~": f"{v}左右" if zh else f"about {v}",
            }[level["op"]]
        st = level.get("status_stated") if level is not None else None
        if (
            st in STATUS_MARK and target_value == target_value
        ):  # a target figure that is itself 预计/假设
            cells[(n, 6)] = cells.get((n, 6), fmt_number(target_value, d)) + (
                STATUS_MARK[st] if zh else STATUS_MARK_EN[st]
            )
            notes["status"].add(st)
        decimals.append(d)
        records.append(
            [
                ind.category,
                ind.name_zh if zh else (ind.name_en or ind.name_zh),
                ind.unit,
                base_year,
                base_value,
                target_year,
                target_value,
                stated,
                attribute if zh else _ATTR_EN[attribute],
                _status_text(status, rows, zh),
            ]
        )
    df = pd.DataFrame(records, columns=COLUMNS[lang])
    df[COLUMNS[lang][5]] = df[COLUMNS[lang][5]].astype("Int64")
    df.attrs["decimals"] = decimals
    df.attrs["cells"] = cells
    df.attrs["footnotes"] = _footnotes(notes, zh)
    return df


def _restated(scenario: Scenario, by_ind: dict[str, list]) -> list[str]:
    """Return indicators that only model a target already listed under another indicator.

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


def _status_text(status, rows, zh: bool) -> str:
    if status is None:
        return ""
    if status == "info":
        qual = any(r["kind"] == "qualitative" for r in rows)
        return ("定性" if qual else "仅列示") if zh else ("qualitative" if qual else "listed")
    return STATUS_ZH[status] if zh else _STATUS_EN[status]


def _footnotes(notes: dict, zh: bool) -> list[str]:
    out = []
    if notes["bracket"]:
        out.append(
            "〔〕内为五年累计数。" if zh else "Figures in 〔〕 are cumulative over the plan period."
        )
    for year, dy in sorted(notes["data_year"]):
        out.append(f"带*的{year}年数据为{dy}年数。" if zh else f"* the {year} figure is for {dy}.")
    for st in sorted(notes["status"], key=list(STATUS_MARK).index):
        out.append(
            f"{STATUS_MARK[st]}为{st}数，非统计数。"
            if zh
            else f"{STATUS_MARK_EN[st].strip()}: {st} figure, not official statistics."
        )
    if notes["about"]:
        out.append(
            "“左右”按所注容差判断（增速、比率 ±0.5 个百分点，水平值 ±2%）。"
            if zh
            else "'about' is judged within its band (rates ±0.5 pp, levels ±2 %)."
        )
    return out


def _display(df) -> list[list[str]]:
    """Cells as strings, numbers at each row's precision, marked cells as the plan prints them."""
    out = []
    decs = df.attrs.get("decimals")
    marked = df.attrs.get("cells", {})
    for n, rec in enumerate(df.itertuples(index=False)):
        cells = list(rec)
        d = decs[n] if decs and n < len(decs) else decimals_for(cells[2])
        for k in (4, 6):
            cells[k] = fmt_number(cells[k], d) if cells[k] == cells[k] else "—"
            if (n, k) in marked:
                cells[k] = marked[(n, k)]
        for k in (3, 5):
            cells[k] = (
                ""
                if cells[k] is None
                or (isinstance(cells[k], float) and math.isnan(cells[k]))
                or str(cells[k]) == "<NA>"
                else str(cells[k])
            )
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
        lines.append(
            "|" + "|".join("---:" if i in (3, 4, 5, 6) else "---" for i in range(len(cols))) + "|"
        )
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        if df.attrs.get("footnotes"):
            lines += ["", ("注：" if _zh(df) else "Notes: ") + " ".join(df.attrs["footnotes"])]
        return "\n".join(lines) + "\n"
    if fmt == "html":
        cap = f"<caption>{html.escape(title)}</caption>" if title else ""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
        )
        foot = ""
        if df.attrs.get("footnotes"):
            note = ("注：" if _zh(df) else "Notes: ") + " ".join(df.attrs["footnotes"])
            foot = f'<tfoot><tr><td colspan="{len(cols)}">{html.escape(note)}</td></tr></tfoot>'
        return (
            f'<table class="planlib-indicators">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody>{foot}</table>\n"
        )
    if fmt == "csv":
        buf = io.StringIO()
        out = df.copy()
        marked = df.attrs.get("cells", {})
        if marked:  # a marked value is written as the plan prints it (77.3*, 140（预计）)
            for k in (4, 6):
                out[out.columns[k]] = out[out.columns[k]].astype(object)
            for (n, k), text in marked.items():
                out.iat[n, k] = text
        out.to_csv(buf, index=False, float_format="%.10g")
        for note in df.attrs.get("footnotes", []):
            csv.writer(buf, lineterminator="\n").writerow(
                [("注：" if _zh(df) else "Note: ") + note]
            )
        return buf.getvalue()
    raise ValueError(f"format must be one of md, html, csv, xlsx; got {fmt!r}")


def _zh(df) -> bool:
    return str(df.columns[0]) == COLUMNS["zh"][0]


def _excel_format(d: int, mark: str = "") -> str:
    fmt = "0" if d == 0 else "0." + "0" * d
    return fmt + (f'"{mark}"' if mark else "")


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
    decs = df.attrs.get("decimals")
    marked = df.attrs.get("cells", {})
    for n, rec in enumerate(df.itertuples(index=False)):
        vals = [
            None if (isinstance(v, float) and math.isnan(v)) or str(v) == "<NA>" else v for v in rec
        ]
        vals = [
            int(v) if hasattr(v, "item") and float(v).is_integer() and i in (3, 5) else v
            for i, v in enumerate(vals)
        ]
        vals = [clean_float(v) if isinstance(v, float) else v for v in vals]  # no 55.00000000000001
        ws.append([spreadsheet_safe(v) for v in vals])
        d = decs[n] if decs and n < len(decs) else decimals_for(rec[2])
        for k in (4, 6):
            cell = ws.cell(row=ws.max_row, column=k + 1)
            text = marked.get((n, k))
            if text and cell.value is not None:
                shown = fmt_number(cell.value, d)
                pre, _, post = text.partition(shown)
                # the mark is part of the number format: the cell stays a number
                cell.number_format = (f'"{pre}"' if pre else "") + _excel_format(d, post)
            else:
                cell.number_format = _excel_format(d)
    for note in df.attrs.get("footnotes", []):
        ws.append([("注：" if _zh(df) else "Note: ") + note])
    widths = [10, 22, 8, 8, 12, 8, 12, 26, 8, 8]
    for i, w in enumerate(widths[: len(df.columns)]):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    ws.freeze_panes = "A2"
    if title:
        wb.properties.title = title
    return write_atomic(path, wb.save, overwrite=True)


def write_table(
    df, path, fmt: str | None = None, title: str | None = None, overwrite: bool = True
) -> Path:
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
    if fmt == "csv":
        df = spreadsheet_safe_frame(df)
    text = render_table(df, fmt, title)
    if fmt == "csv":
        text = "\ufeff" + text
    return write_atomic(path, text, overwrite=True)


# ---- styled workbooks (used by the review and the report documents) ------------------------------
def excel_number_format(decimals: int) -> str:
    """Excel number format showing ``decimals`` places: 0 → '0', 2 → '0.00'."""
    decimals = max(0, int(decimals))
    return "0" if decimals == 0 else "0." + "0" * decimals


def excel_text(value: str) -> str:
    """Return a text cell that Excel never reads as a formula.

    Text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
    leading single quote, as OWASP recommends against CSV/Excel formula injection.
    The one place these workbooks neutralise cells: it defers to issue 11's shared
    ``planlib.formatting.spreadsheet_safe`` once that exists.
    """
    try:
        from .formatting import spreadsheet_safe
    except ImportError:
        spreadsheet_safe = None
    if spreadsheet_safe is not None:
        return spreadsheet_safe(value)
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Sheet:
    """One worksheet of :func:`write_workbook`.

    Parameters
    ----------
    name : str
        Sheet name (Chinese).
    title : str
        Title row above the header (merged across the columns).
    header : list of str
        Column headers (Chinese).
    rows : list of list
        Cell values: numbers stay numbers, None is an empty cell, text is guarded by
        :func:`excel_text`.
    formats : list of list of (str or None), optional
        Number format of each cell (same shape as ``rows``).
    fills : dict, optional
        ``{(row index, column index): "RRGGBB"}`` background colours.
    merge_first_column : bool
        Merge runs of equal values in the first column (类别).
    notes : list of str, optional
        Footnotes written below the table (注：…).
    """

    def __init__(
        self,
        name,
        title,
        header,
        rows,
        formats=None,
        fills=None,
        merge_first_column=False,
        notes=None,
    ):
        self.name, self.title, self.header, self.rows = (
            name,
            title,
            list(header),
            [list(r) for r in rows],
        )
        self.formats = formats or [[None] * len(r) for r in self.rows]
        self.fills = fills or {}
        self.merge_first_column = merge_first_column
        self.notes = list(notes or [])


def write_workbook(
    path, sheets: list[Sheet], overwrite: bool = False, title: str | None = None
) -> Path:
    """Write styled sheets to one .xlsx atomically.

    Each sheet: a bold title row (row 1, merged), a bold shaded header (row 2), the
    header frozen below it, fitted column widths (East Asian characters count
    double), numbers as numbers with their number format, thin borders.

    Parameters
    ----------
    path : str or os.PathLike
    sheets : list of Sheet
    overwrite : bool
        Replace an existing file.
    title : str, optional
        Workbook title (document properties).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for sh in sheets:
        ws = wb.create_sheet(sh.name[:31])
        ncol = len(sh.header)
        ws.cell(row=1, column=1, value=excel_text(sh.title)).font = Font(bold=True, size=13)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
        if ncol > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
        ws.row_dimensions[1].height = 24
        for j, h in enumerate(sh.header, start=1):
            c = ws.cell(row=2, column=j, value=excel_text(str(h)))
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="DDEBF7")
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c.border = border
        widths = [_display_width(str(h)) for h in sh.header]
        for i, rec in enumerate(sh.rows):
            for j, v in enumerate(rec):
                if isinstance(v, float) and not math.isfinite(v):
                    v = None
                if hasattr(v, "item") and not isinstance(v, str):
                    v = v.item()  # numpy scalar → Python number
                if isinstance(v, str):
                    v = excel_text(v)
                c = ws.cell(row=i + 3, column=j + 1, value=v)
                c.border = border
                fmt = sh.formats[i][j] if i < len(sh.formats) and j < len(sh.formats[i]) else None
                if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                    c.number_format = fmt
                    shown = f"{v:.{len(fmt.split('.')[1]) if '.' in fmt else 0}f}"
                else:
                    shown = "" if v is None else str(v)
                c.alignment = Alignment(
                    vertical="center",
                    wrap_text=isinstance(v, str) and len(v) > 30,
                    horizontal="right" if isinstance(v, (int, float)) else "left",
                )
                widths[j] = max(widths[j], min(_display_width(shown), 40))
                color = sh.fills.get((i, j))
                if color:
                    c.fill = PatternFill("solid", fgColor=color)
        if sh.merge_first_column and sh.rows:
            start = 0
            for i in range(1, len(sh.rows) + 1):
                if i == len(sh.rows) or sh.rows[i][0] != sh.rows[start][0]:
                    if i - start > 1:
                        ws.merge_cells(
                            start_row=start + 3, start_column=1, end_row=i + 2, end_column=1
                        )
                    ws.cell(row=start + 3, column=1).alignment = Alignment(
                        horizontal="center", vertical="center"
                    )
                    start = i
        for k, note in enumerate(sh.notes):
            ws.cell(row=len(sh.rows) + 4 + k, column=1, value=excel_text(note))
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = max(6, w + 2)
        ws.freeze_panes = "A3"
    if title:
        wb.properties.title = title
    return write_atomic(path, wb.save, overwrite=overwrite)

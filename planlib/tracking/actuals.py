"""Actuals (实绩): observed indicator values read from CSV or Excel, validated against a scenario.

An actuals file is a long table, one figure per row::

    indicator,year,value,unit,source
    industrial_output,2021,35,亿元,园区统计快报
    tax,2021,10000,万元,税务局

Headers may be English (``indicator, year, value, unit, source``) or Chinese
(``指标, 年份, 数值, 单位, 来源``); ``indicator`` is an indicator id, its Chinese
name, or an IAMC variable (``类别|指标``). IAMC tables (``model, scenario, region,
variable, unit`` plus ``year, value`` or one column per year) — what ``pyam``
writes — are read as well. Lines starting with ``#`` in a CSV are comments.

Every value is converted to its indicator's unit through :func:`planlib.units.convert`.
Rejections name the file, the row (the line of the CSV, the spreadsheet row of an
Excel sheet), the field, the bad value and what is allowed; gaps (missing years
between the first and the last observation) are warnings, not errors.
"""

from __future__ import annotations

import csv
import io
import math
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import PlanlibError, Problem, summarise_problems
from ..formatting import clean_float
from ..scenario import Scenario, write_atomic
from ..units import UNITS, UnitError, convert, get_unit, is_unit, suggest_units

__all__ = [
    "ACTUALS_COLUMNS",
    "Actuals",
    "ActualsError",
    "actuals_from_frame",
    "actuals_to_iamc",
    "read_actuals",
    "write_actuals",
]

#: columns of an actuals table, in file order
ACTUALS_COLUMNS = ["indicator", "year", "value", "unit", "source"]
_ALIASES = {
    "indicator": "indicator",
    "指标": "indicator",
    "指标名称": "indicator",
    "variable": "indicator",
    "year": "year",
    "年份": "year",
    "年度": "year",
    "年": "year",
    "value": "value",
    "数值": "value",
    "值": "value",
    "实绩": "value",
    "实际值": "value",
    "unit": "unit",
    "单位": "unit",
    "source": "source",
    "来源": "source",
    "数据来源": "source",
    "note": "note",
    "备注": "note",
    "status": "status",
    "数据状态": "status",
    "口径": "status",
    "状态": "status",
    "real_growth": "real_growth",
    "可比价增速": "real_growth",
    "实际增长": "real_growth",
    "可比价增长": "real_growth",
    "增速（可比价）": "real_growth",
    "model": "model",
    "scenario": "scenario",
    "region": "region",
}
_REQUIRED = ("indicator", "year", "value", "unit")
#: optional columns: provenance of the figure (统计 / 预计 / 估算) and the reported growth
#: at comparable prices for the year [%] (统计公报的可比价增速), used by review of growth targets
OPTIONAL_COLUMNS = ["status", "real_growth"]
ACTUAL_STATUSES = ("统计", "预计", "估算")


#: most data rows read from one actuals table (a plan has a few hundred figures)
MAX_ACTUALS_ROWS = 50_000
#: largest actuals file read [bytes]
MAX_ACTUALS_BYTES = 50_000_000
#: problems kept with their text; the rest of a huge file's problems are only counted
KEEP_PROBLEMS = 200


class ActualsError(PlanlibError):
    """An actuals file that cannot be used; holds one or more :class:`~planlib.errors.Problem`."""

    def __init__(self, problems: list[Problem], omitted: dict[str, int] | None = None):
        self.problems = list(problems)
        #: problems counted but not kept, by field (a huge file keeps only the first ones)
        self.omitted = dict(omitted or {})
        super().__init__(summarise_problems(self.problems, self.omitted))


@dataclass(frozen=True)
class Actuals:
    """Validated actuals of one scenario.

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``indicator, year, value, unit, source, value_given, unit_given, row``;
        ``value`` is in the indicator's unit (``unit``), ``value_given``/``unit_given``
        as written in the file, ``row`` the file row.
    file : str
        Where the actuals came from.
    scenario : str
        Id of the scenario they were validated against.
    warnings : tuple of Problem
        Gaps: years missing between an indicator's first and last observation.
    """

    table: object
    file: str
    scenario: str
    warnings: tuple = field(default=())

    @property
    def indicators(self) -> list[str]:
        """Indicator ids that have at least one observation, in file order."""
        return list(dict.fromkeys(self.table["indicator"]))

    def series(self, indicator: str) -> dict[int, float]:
        """Observed values of one indicator by year [indicator's unit]."""
        sub = self.table[self.table["indicator"] == indicator]
        return {int(y): float(v) for y, v in zip(sub["year"], sub["value"], strict=True)}

    def matrix(self, indicators, years) -> np.ndarray:
        """Observed values shaped ``(indicators, years)``; NaN where there is none.

        Parameters
        ----------
        indicators : sequence of str
            Indicator ids (rows), e.g. ``Trajectories.indicators``.
        years : sequence of int
            Years (columns).
        """
        years = np.asarray(years, dtype=int)
        out = np.full((len(indicators), len(years)), np.nan)
        pos = {k: i for i, k in enumerate(indicators)}
        y0 = int(years[0]) if len(years) else 0
        for ind, y, v in zip(
            self.table["indicator"], self.table["year"], self.table["value"], strict=True
        ):
            t = int(y) - y0
            if ind in pos and 0 <= t < len(years):
                out[pos[ind], t] = v
        return out

    def to_frame(self):
        """Return the actuals as a file would hold them.

        Columns: indicator, year, value, unit, source
        (and status, real_growth when the file gives them).
        """
        extra = [
            c
            for c in OPTIONAL_COLUMNS
            if c in self.table.columns
            and self.table[c].map(lambda v: v is not None and v == v and v != "").any()
        ]
        return self.table[ACTUALS_COLUMNS + extra].copy()

    def real_growth(self, indicator: str) -> dict[int, float]:
        """Return reported comparable-price growth of one indicator by year [%].

        Only years that give it are included.
        """
        if "real_growth" not in self.table.columns:
            return {}
        sub = self.table[self.table["indicator"] == indicator]
        return {
            int(y): float(g)
            for y, g in zip(sub["year"], sub["real_growth"], strict=True)
            if g is not None and g == g
        }

    def status(self, indicator: str) -> dict[int, str]:
        """Provenance of each figure of one indicator by year.

        统计 unless the file says otherwise.
        """
        if "status" not in self.table.columns:
            return {}
        sub = self.table[self.table["indicator"] == indicator]
        return {int(y): str(st) for y, st in zip(sub["year"], sub["status"], strict=True) if st}


# ---- reading -----------------------------------------------------------------------------------
def _rows_from_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV, skipping blank lines and # comments."""
    header, rows = None, []
    reader = csv.reader(io.StringIO(text))
    for cells in reader:
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = cells
        else:
            rows.append((line, cells))
            if len(rows) > MAX_ACTUALS_ROWS:
                raise ActualsError([Problem("", None, "", _too_many_rows())])
    return header or [], rows


def _too_many_rows() -> str:
    return (
        f"has more than {MAX_ACTUALS_ROWS:,} data rows; an actuals table holds one row per "
        "indicator and year (split it, or leave out other plans' rows)"
    )


def _rows_from_excel(path: Path, sheet) -> tuple[list[str], list[tuple[int, list]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet not in wb.sheetnames:
            raise ActualsError(
                [
                    Problem(
                        str(path),
                        None,
                        "sheet",
                        f"no sheet {sheet!r}; the workbook has {', '.join(wb.sheetnames)}",
                    )
                ]
            )
        else:
            ws = wb[sheet]
        header, rows = None, []
        for n, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = ["" if c is None else c for c in cells]
            if (
                not cells
                or all(str(c).strip() == "" for c in cells)
                or str(cells[0]).lstrip().startswith("#")
            ):
                continue
            if header is None:
                header = [str(c) for c in cells]
            else:
                rows.append((n, cells))
                if len(rows) > MAX_ACTUALS_ROWS:
                    raise ActualsError([Problem(str(path), None, "", _too_many_rows())])
        return header or [], rows
    finally:
        wb.close()


def _blank(cell) -> bool:
    """Tell whether a cell is empty: None, '' or NaN."""
    return cell is None or (isinstance(cell, float) and math.isnan(cell)) or str(cell).strip() == ""


def _is_year(name) -> bool:
    s = str(name).strip()
    if s.endswith(".0"):
        s = s[:-2]
    return s.isdigit() and len(s) == 4


def _records(header, rows, file) -> list[tuple[int, dict]]:
    """Normalise a long or IAMC-wide table into (row, {indicator, year, value, unit, source})."""
    names = [
        _ALIASES.get(str(h).strip().lower(), _ALIASES.get(str(h).strip(), str(h).strip()))
        for h in header
    ]
    year_cols = [i for i, h in enumerate(header) if _is_year(h)]
    wide = "year" not in names and bool(year_cols)
    need = [c for c in _REQUIRED if c not in names and not (wide and c in ("year", "value"))]
    if need:
        raise ActualsError(
            [
                Problem(
                    file,
                    1,
                    "header",
                    f"missing column(s) {', '.join(need)}; an actuals "
                    f"table needs {', '.join(ACTUALS_COLUMNS)} (source optional), or IAMC "
                    "columns model, scenario, region, variable, unit and one column per year",
                )
            ]
        )
    out = []
    for line, cells in rows:
        cells = list(cells) + [""] * (len(header) - len(cells))
        rec = {
            n: cells[i]
            for i, n in enumerate(names)
            if n in ACTUALS_COLUMNS + OPTIONAL_COLUMNS + ["model", "scenario"]
        }
        if wide:
            for i in year_cols:
                cell = cells[i]
                if _blank(cell):
                    continue
                out.append(
                    (
                        line,
                        {
                            **rec,
                            "year": str(header[i]).strip().removesuffix(".0"),
                            "value": cell,
                            "source": rec.get("source")
                            or (f"IAMC {rec.get('model', '')}/{rec.get('scenario', '')}".strip()),
                        },
                    )
                )
        else:
            out.append((line, rec))
    return out


def _lookup(scenario: Scenario) -> dict[str, str]:
    """Ways a row may name an indicator → its id."""
    out = {}
    for ind in scenario.indicators:
        for key in (
            ind.id,
            ind.name_zh,
            f"{ind.category}|{ind.name_zh}",
            ind.name_en,
            f"{ind.category}|{ind.name_en}" if ind.name_en else None,
        ):
            if key:
                out.setdefault(str(key).strip(), ind.id)
    return out


def _number(cell):
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    s = str(cell).strip().replace(",", "").replace("，", "")
    return float(s)


def actuals_from_frame(records, scenario: Scenario, file: str = "<table>") -> Actuals:
    """Validate ``(row, mapping)`` records against ``scenario``.

    Parameters
    ----------
    records : iterable of (int, dict)
        Row number and a mapping with keys indicator, year, value, unit and
        optionally source; or a pandas DataFrame with those columns (rows are
        numbered from 2, as under a header line).
    scenario : Scenario
        The plan the actuals belong to.
    file : str
        Name used in messages.

    Returns
    -------
    Actuals

    Raises
    ------
    ActualsError
        Listing every bad row: unknown indicator (with the known ones), bad year,
        non-numeric value, unknown unit or one that does not convert to the
        indicator's unit, and duplicate (indicator, year) pairs.
    """
    import pandas as pd

    if isinstance(records, pd.DataFrame):
        cols = [_ALIASES.get(str(c).strip(), str(c).strip()) for c in records.columns]
        frame = records.set_axis(cols, axis=1)
        if "year" not in cols and any(_is_year(c) for c in cols):
            header = list(frame.columns)
            rows = [(n + 2, list(r)) for n, r in enumerate(frame.itertuples(index=False))]
            records = _records(header, rows, file)
        else:
            records = [(n + 2, dict(r)) for n, r in enumerate(frame.to_dict("records"))]
    lookup = _lookup(scenario)
    ids = [i.id for i in scenario.indicators]
    problems: list[Problem] = []
    omitted: dict[str, int] = {}
    good, seen = [], {}
    for row, rec in records:

        def bad(fld, msg, row=row):
            if len(problems) < KEEP_PROBLEMS:
                problems.append(Problem(file, row, fld, msg))
            else:
                omitted[fld] = omitted.get(fld, 0) + 1

        name = "" if _blank(rec.get("indicator")) else str(rec.get("indicator")).strip()
        ind_id = lookup.get(name)
        if not name:
            bad("indicator", "is empty; name an indicator id or its Chinese name")
        elif ind_id is None:
            bad(
                "indicator",
                f"{name!r} is not an indicator of {scenario.meta.id}; use one of {', '.join(ids)}",
            )
        year_cell = rec.get("year", "")
        try:
            year = int(_number(year_cell))
            if year != _number(year_cell) or not 1949 <= year <= 2100:
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            bad("year", f"{year_cell!r} is not a year; write a whole year between 1949 and 2100")
            year = None
        value_cell = rec.get("value", "")
        try:
            value = _number(value_cell)
            if not math.isfinite(value):
                raise ValueError
        except (TypeError, ValueError):
            if _blank(value_cell):
                bad("value", "is empty; leave out a row that has no figure")
            else:
                bad(
                    "value",
                    f"{value_cell!r} is not a number; write digits only (e.g. 47.5), the unit "
                    "goes in the unit column",
                )
            value = None
        unit = "" if _blank(rec.get("unit")) else str(rec.get("unit")).strip()
        converted = None
        if ind_id is not None:
            want = scenario.indicator(ind_id).unit
            if not unit:
                bad("unit", f"is empty; {ind_id!r} is in {want!r}")
            elif not is_unit(unit):
                same = [u.name for u in UNITS.values() if u.dimension == get_unit(want).dimension]
                near = suggest_units(unit)
                bad(
                    "unit",
                    (
                        f"{unit!r} is not a unit; {ind_id!r} is in {want!r}, use one of "
                        f"{', '.join(same)}"
                    )
                    + (f" (nearest: {', '.join(near)})" if near else ""),
                )
            else:
                try:
                    if value is not None:
                        converted = float(convert(value, unit, want))
                except UnitError:
                    same = [
                        u.name for u in UNITS.values() if u.dimension == get_unit(want).dimension
                    ]
                    bad(
                        "unit",
                        f"{unit!r} does not convert to {want!r} (the unit of {ind_id!r}); "
                        f"use one of {', '.join(same)}",
                    )
        if ind_id is not None and year is not None:
            key = (ind_id, year)
            if key in seen:
                bad(
                    "year",
                    f"duplicate: {ind_id} {year} is already given on row {seen[key]}; "
                    "give each indicator and year once",
                )
            else:
                seen[key] = row
        status = "" if _blank(rec.get("status")) else str(rec.get("status")).strip()
        if status and status not in ACTUAL_STATUSES:
            bad(
                "status",
                (
                    f"{status!r} is not allowed; use one of {', '.join(ACTUAL_STATUSES)} or "
                    "leave it empty"
                ),
            )
        rg_cell = rec.get("real_growth")
        real_growth = math.nan
        if not _blank(rg_cell):
            try:
                real_growth = _number(str(rg_cell).strip().removesuffix("%"))
                if not math.isfinite(real_growth) or real_growth <= -100:
                    raise ValueError
            except (TypeError, ValueError):
                bad(
                    "real_growth",
                    f"{rg_cell!r} is not a growth rate; write percent a year (e.g. 6.1), > -100",
                )
        if ind_id is not None and year is not None and converted is not None:
            src = rec.get("source", "")
            good.append(
                {
                    "indicator": ind_id,
                    "year": year,
                    "value": converted,
                    "unit": scenario.indicator(ind_id).unit,
                    "source": ""
                    if src is None or (isinstance(src, float) and math.isnan(src))
                    else str(src),
                    "value_given": value,
                    "unit_given": unit,
                    "row": row,
                    "status": status,
                    "real_growth": real_growth,
                }
            )
    if problems:
        raise ActualsError(problems, omitted)
    if not good:
        raise ActualsError(
            [Problem(file, None, "", "has no data rows; write one row per indicator and year")]
        )
    table = (
        pd.DataFrame(good).sort_values(["indicator", "year"], kind="stable").reset_index(drop=True)
    )
    order = {k: i for i, k in enumerate(ids)}
    table = table.iloc[
        np.argsort([order[i] for i in table["indicator"]], kind="stable")
    ].reset_index(drop=True)
    warnings = []
    for ind_id, sub in table.groupby("indicator", sort=False):
        years = set(sub["year"])
        missing = [y for y in range(min(years), max(years) + 1) if y not in years]
        if missing:
            warnings.append(
                Problem(file, None, ind_id, "gap: no figure for " + ", ".join(map(str, missing)))
            )
    return Actuals(table, file, scenario.meta.id, tuple(warnings))


def read_actuals(path, scenario: Scenario, sheet: str | None = None) -> Actuals:
    """Read and validate an actuals file (CSV, or Excel ``.xlsx``).

    Parameters
    ----------
    path : str or os.PathLike
        ``*.csv`` (UTF-8, with or without BOM) or ``*.xlsx``.
    scenario : Scenario
        The plan the actuals belong to; indicators and units are checked against it.
    sheet : str, optional
        Excel sheet name (default: the first sheet).

    Returns
    -------
    Actuals

    Raises
    ------
    ActualsError
        When the file is missing, unreadable, or has bad rows; each problem names
        file, row, field, the bad value and what is allowed.
    """
    p = Path(path)
    file = str(path)
    if not p.exists():
        raise ActualsError([Problem(file, None, "", "file not found")])
    try:
        st = p.stat()
    except OSError as exc:
        raise ActualsError(
            [Problem(file, None, "", f"cannot read the file ({exc.strerror})")]
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise ActualsError(
            [
                Problem(
                    file,
                    None,
                    "",
                    "is not a regular file (a folder, device or pipe); name a .csv or .xlsx file",
                )
            ]
        )
    if st.st_size > MAX_ACTUALS_BYTES:
        raise ActualsError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"has {st.st_size:,} bytes; an actuals file has at "
                    f"most {MAX_ACTUALS_BYTES:,} (one row per indicator and year)",
                )
            ]
        )
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            header, rows = _rows_from_excel(p, sheet)
        except ActualsError:
            raise
        except Exception as exc:  # zipfile/openpyxl errors on a broken file
            raise ActualsError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        f"cannot read as an Excel workbook "
                        f"({exc.__class__.__name__}); save it as .xlsx",
                    )
                ]
            ) from None
    elif suffix in (".csv", ".txt"):
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise ActualsError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        "is not UTF-8 text; save the CSV as UTF-8 (Excel: 'CSV UTF-8')",
                    )
                ]
            ) from None
        try:
            header, rows = _rows_from_csv(text)
        except ActualsError:
            raise ActualsError([Problem(file, None, "", _too_many_rows())]) from None
    else:
        raise ActualsError(
            [Problem(file, None, "", f"unknown file type {p.suffix!r}; use .csv or .xlsx")]
        )
    if not header:
        raise ActualsError(
            [
                Problem(
                    file,
                    None,
                    "",
                    "is empty; write a header line "
                    f"{','.join(ACTUALS_COLUMNS)} and one row per figure",
                )
            ]
        )
    return actuals_from_frame(_records(header, rows, file), scenario, file)


# ---- writing -----------------------------------------------------------------------------------
def write_actuals(actuals: Actuals, path, overwrite: bool = False) -> Path:
    """Write actuals to ``.csv`` or ``.xlsx`` atomically (in the indicators' units).

    Parameters
    ----------
    actuals : Actuals
    path : str or os.PathLike
        Destination; the suffix chooses the format.
    overwrite : bool
        Replace an existing file.
    """
    path = Path(path)
    df = actuals.to_frame()
    if path.suffix.lower() == ".xlsx":
        return _write_xlsx_atomic(path, {"actuals": df}, overwrite)
    if path.suffix.lower() != ".csv":
        raise ValueError(f"{path}: unknown file type {path.suffix!r}; use .csv or .xlsx")
    from ..formatting import spreadsheet_safe_frame

    text = spreadsheet_safe_frame(df).to_csv(index=False, float_format="%.10g")
    return write_atomic(path, text, overwrite=overwrite)


def _write_xlsx_atomic(path: Path, sheets: dict, overwrite: bool, style=None) -> Path:
    """Write DataFrames to one workbook via a temp file and rename."""
    import pandas as pd

    from ..formatting import spreadsheet_safe_frame

    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")

    def save(tmp):
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in sheets.items():
                df = df.copy()
                for col in df.columns:  # no 55.00000000000001 in a cell
                    if df[col].dtype.kind == "f":
                        df[col] = df[col].map(clean_float)
                spreadsheet_safe_frame(df).to_excel(xw, sheet_name=name, index=False)
            if style is not None:
                style(xw.book)

    return write_atomic(path, save, overwrite=overwrite)


def actuals_to_iamc(actuals: Actuals, scenario: Scenario, model: str = "actuals", lang: str = "zh"):
    """Actuals as an IAMC long table (what ``pyam.IamDataFrame`` reads).

    Parameters
    ----------
    actuals : Actuals
    scenario : Scenario
        Gives region and the ``variable`` names.
    model : str
        Value of the ``model`` column.
    lang : {"zh", "en", "id"}
        ``variable`` as ``类别|指标`` (zh), ``类别|name_en`` (en) or the indicator id.

    Returns
    -------
    pandas.DataFrame
        Columns model, scenario, region, variable, unit, year, value.
    """
    from ..longformat import IAMC_COLUMNS

    df = actuals.to_frame()
    names = {}
    for ind in scenario.indicators:
        names[ind.id] = {"id": ind.id, "en": f"{ind.category}|{ind.name_en or ind.id}"}.get(
            lang, f"{ind.category}|{ind.name_zh}"
        )
    df["variable"] = df["indicator"].map(names)
    df["model"] = model
    df["scenario"] = scenario.meta.id
    df["region"] = scenario.meta.region
    return df[IAMC_COLUMNS].reset_index(drop=True)

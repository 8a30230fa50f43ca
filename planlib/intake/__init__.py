"""Plan in: import a 主要指标表 (xlsx, docx, pdf, csv, md, txt) or a plan's prose into a scenario.

>>> from planlib.intake import import_file
>>> result = import_file("plan.xlsx", region="某县")        # doctest: +SKIP
>>> print(result.report.to_text()); result.yaml               # doctest: +SKIP

Rooms: :mod:`.tables` (find the table), :mod:`.pdf` (tables and text of a PDF),
:mod:`.cells` (what a cell says),
:mod:`.draft` (rows → indicators and targets), :mod:`.prose` (target sentences),
:mod:`.emit` (scenario YAML), :mod:`.report` (the import report).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .draft import Draft
from .report import ImportReport
from .tables import IntakeError

__all__ = ["ImportResult", "IntakeError", "import_file", "import_text"]


@dataclass
class ImportResult:
    """A file read into a scenario: the draft, the scenario dict, its YAML and the report."""

    draft: Draft
    scenario: dict
    yaml: str
    report: ImportReport


def _finish(draft: Draft, options: dict) -> ImportResult:
    from .emit import scenario_dict, scenario_yaml  # noqa: PLC0415

    sc = scenario_dict(draft, options)
    return ImportResult(draft, sc, scenario_yaml(draft, options), ImportReport(draft, sc))


def import_file(
    path,
    table: int | None = None,
    text: bool = False,
    region: str | None = None,
    level: str | None = None,
    period: tuple[int, int] | None = None,
    base_year: int | None = None,
    encoding: str | None = None,
    name: str | None = None,
) -> ImportResult:
    """Read a plan's 主要指标表 (or, with ``text=True``, its prose) into a scenario.

    Parameters
    ----------
    path : str or os.PathLike
        ``.xlsx``, ``.docx``, ``.pdf`` (a text-layer PDF: its ruled tables; prose when
        it holds no 主要指标表), ``.csv``, ``.md``, ``.txt``; with ``text`` the prose of
        a ``.docx``, ``.txt`` or ``.pdf``.
    table : int, optional
        1-based table to read when the file holds several.
    text : bool
        Read prose sentences (达到, 年均增长, 提高…个百分点 …) instead of a table.
    region, level, period, base_year : optional
        What the file does not say (``period`` = (first, last) plan year [year]).
    encoding : str, optional
        Text encoding of a CSV/TXT that is not UTF-8 (e.g. ``gbk``).
    name : str, optional
        Scenario name (default: the table title).

    Returns
    -------
    ImportResult

    Raises
    ------
    IntakeError
        Bad input; the message names the file (and cell) and what to do.
    """
    path = Path(path)
    options = {
        "region": region,
        "level": level,
        "period": period,
        "base_year": base_year,
        "name": name,
    }
    if text:
        from .prose import draft_from_file  # noqa: PLC0415

        return _finish(draft_from_file(path, options, encoding=encoding), options)
    from .draft import draft_from_table  # noqa: PLC0415
    from .tables import find_tables, read_grids  # noqa: PLC0415

    grids = read_grids(path, encoding=encoding)
    tables = find_tables(grids)
    if not tables and table is None and path.suffix.lower() == ".pdf":
        return _finish(_pdf_prose(path, len(grids), options), options)
    if not tables:
        raise IntakeError(
            f"{path}: no 主要指标表 found — no header row with an 指标 column and a year "
            "(2025年), 目标, 年均增长 or 属性 column; check the file, or import prose with --text"
        )
    listing = [(t.number, t.label, len(t.rows)) for t in tables]
    if table is None and len(tables) > 1:
        names = "; ".join(f"{n}. {label} ({rows} rows)" for n, label, rows in listing)
        raise IntakeError(
            f"{path}: {len(tables)} tables found — {names}; choose one with --table N"
        )
    k = table or 1
    if not 1 <= k <= len(tables):
        raise IntakeError(
            f"{path}: --table {k} does not exist; the file has {len(tables)} table(s)"
        )
    draft = draft_from_table(tables[k - 1], path.name, options)
    draft.tables = listing
    return _finish(draft, options)


def _pdf_prose(path: Path, n_grids: int, options: dict) -> Draft:
    """Draft from the prose of a PDF with text but no 主要指标表, saying so in the report."""
    from .draft import ReportLine  # noqa: PLC0415
    from .prose import draft_from_file  # noqa: PLC0415

    found = (
        f"PDF 中的 {n_grids} 张表格都不是主要指标表（没有“指标”列和年份、目标或属性列）"
        if n_grids
        else "PDF 中没有带框线的表格"
    )
    try:
        draft = draft_from_file(path, options)
    except IntakeError as exc:
        tables = (
            f"none of its {n_grids} ruled table(s) has an 指标 column and a year, 目标 or "
            "属性 column"
            if n_grids
            else "it has no ruled table (a table drawn without lines is not read: copy it "
            "into a .txt or .xlsx file)"
        )
        reason = str(exc).split(": ", 1)[-1]
        raise IntakeError(
            f"{path}: no 主要指标表 found in the PDF — {tables}; and its text: {reason}"
        ) from None
    draft.lines.insert(0, ReportLine(path.name, "", "", "note", f"{found}，改为从正文起草目标"))
    return draft


def import_text(
    text: str,
    file: str = "<text>",
    region: str | None = None,
    level: str | None = None,
    period: tuple[int, int] | None = None,
    base_year: int | None = None,
) -> ImportResult:
    """Draft targets from prose given as a string (see :func:`import_file` with ``text=True``)."""
    from .prose import draft_from_text  # noqa: PLC0415

    options = {"region": region, "level": level, "period": period, "base_year": base_year}
    return _finish(draft_from_text(text, file, options), options)

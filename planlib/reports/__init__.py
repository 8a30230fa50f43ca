"""Documents out (Word and Excel for 发改局): the 主要指标表 and its 完成情况 in official layout.

:func:`official_table` builds the table once (title, rows, footnotes, summary);
:func:`write_docx` and :func:`write_xlsx` render it. ``planlib report SCENARIO
[--actuals A] -o F.docx|F.xlsx`` is the command line.
"""

from .excel import write_xlsx
from .official import OfficialRow, OfficialTable, official_table, period_label
from .word import write_docx

__all__ = [
    "OfficialRow",
    "OfficialTable",
    "official_table",
    "period_label",
    "write_docx",
    "write_xlsx",
    "write_report",
]


def write_report(
    path,
    scenario,
    actuals=None,
    overwrite: bool = False,
    lang: str = "zh",
    final: bool | None = None,
    charts: bool = True,
):
    """Write the report to ``path``; the format follows the suffix (.docx or .xlsx).

    Parameters
    ----------
    path : str or os.PathLike
    scenario : planlib.scenario.Scenario
    actuals : planlib.actuals.Actuals, optional
        With actuals the table is the 完成情况 table of a review.
    overwrite : bool
        Replace an existing file.
    lang : {"zh", "en"}
    final : bool, optional
        Force a final review (default: when the actuals reach the period's end).
    charts : bool
        Embed the per-target charts (Word only).
    """
    from pathlib import Path

    from ..errors import PlanlibError

    path = Path(path)
    table = official_table(scenario, actuals, lang=lang, final=final)
    if path.suffix.lower() == ".docx":
        return write_docx(table, path, overwrite=overwrite, charts=charts)
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(table, path, overwrite=overwrite)
    raise PlanlibError(f"{path}: unknown report type {path.suffix!r}; use .docx or .xlsx")

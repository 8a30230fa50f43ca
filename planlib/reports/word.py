"""The 主要指标表 as a Word document (python-docx): A4, 宋体/仿宋, a real table, charts, summary."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from .official import OfficialTable

__all__ = ["write_docx", "PAGE_WIDTH_CM", "MARGIN_CM", "column_widths"]

PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 21.0, 29.7  # A4
MARGIN_CM = 2.2  # left and right; 16.6 cm of text width
TITLE_FONT, BODY_FONT, TABLE_FONT, LATIN_FONT = "宋体", "仿宋", "宋体", "Times New Roman"
_WIDTHS = {6: [2.0, 5.4, 2.2, 2.2, 2.8, 2.0], 9: [1.1, 3.2, 1.4, 1.4, 1.8, 1.35, 1.4, 2.05, 2.9]}


def column_widths(n_columns: int) -> list[float]:
    """Column widths of the table [cm]; they sum to the text width (21 − 2 × 2.2 cm)."""
    return list(_WIDTHS[n_columns])


def _east_asian(run_or_style, name: str, latin: str = LATIN_FONT) -> None:
    """Set a run's (or style's) font, eastAsia included — Word ignores ``font.name`` for Chinese."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run_or_style.font.name = latin
    rpr = run_or_style._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _para(
    doc_or_cell,
    text: str,
    font: str,
    size: float,
    bold: bool = False,
    align=None,
    indent_chars: float = 0,
):
    from docx.shared import Pt

    p = doc_or_cell.add_paragraph()
    run = p.add_run(text)
    _east_asian(run, font)
    run.font.size = Pt(size)
    run.bold = bold
    if align is not None:
        p.alignment = align
    if indent_chars:
        p.paragraph_format.first_line_indent = Pt(size * indent_chars)
    return p


def _cell_text(cell, text: str, size: float, bold: bool = False, align=None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.shared import Pt

    p = cell.paragraphs[0]
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    run = p.add_run(text)
    _east_asian(run, TABLE_FONT)
    run.font.size = Pt(size)
    run.bold = bold
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _fixed_layout(table, widths_cm) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for row in table.rows:
        for w, cell in zip(widths_cm, row.cells, strict=True):
            cell.width = Cm(w)
    for w, col in zip(widths_cm, table.columns, strict=True):
        col.width = Cm(w)


def _chart_pngs(table: OfficialTable, lang: str) -> list[tuple[str, bytes]]:
    """PNG of each quantitative target's chart (plan path, actuals, required path)."""
    import matplotlib.pyplot as plt

    from ..tracking.review import _stated
    from ..workbook.review_charts import plot_target

    rv = table.review
    out = []
    for r in rv.rows:
        if r["kind"] in ("qualitative", "relative_growth") or r["latest_year"] is None:
            continue
        fig = plot_target(rv, r["id"], lang=lang, width=7.0, height=3.2)
        stated = r["wording"] or _stated(r, lang == "zh")
        judged = r.get("outcome_text") or ""
        name = r["name"] if lang == "zh" else (r["name_en"] or r["indicator"])
        if judged:  # a final review titles each chart with the target and its 完成情况
            fig.axes[0].set_title(
                f"{name}（{stated}）：{judged}" if lang == "zh" else f"{name} ({stated}): {judged}",
                fontsize=10,
            )
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
        out.append((r["id"], buf.getvalue()))
        plt.close(fig)
    return out


def write_docx(
    table: OfficialTable, path, overwrite: bool = False, charts: bool = True, lang: str = "zh"
) -> Path:
    """Write the table (and, with a review, its summary and charts) as .docx, atomically.

    Parameters
    ----------
    table : OfficialTable
        From :func:`planlib.reports.official_table`.
    path : str or os.PathLike
    overwrite : bool
        Replace an existing file.
    charts : bool
        Embed one chart per quantitative target (needs a review).
    lang : {"zh", "en"}
        Language of the chart labels.

    Returns
    -------
    pathlib.Path
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    doc = Document()
    normal = doc.styles["Normal"]
    _east_asian(normal, BODY_FONT)
    normal.font.size = Pt(12)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    sec.left_margin = sec.right_margin = Cm(MARGIN_CM)
    sec.top_margin = sec.bottom_margin = Cm(2.5)
    doc.core_properties.title = table.title
    doc.core_properties.author = "planlib"

    _para(doc, table.title, TITLE_FONT, 16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if table.final:
        _para(doc, table.summary, BODY_FONT, 12, indent_chars=2)

    cells = table.cells()
    ncol = len(table.header)
    small = 9 if ncol > 6 else 10.5
    t = doc.add_table(rows=1 + len(cells), cols=ncol)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, h in enumerate(table.header):
        _cell_text(t.rows[0].cells[j], h, small, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(t.rows[0])
    for i, rec in enumerate(cells, start=1):
        for j, text in enumerate(rec):
            align = WD_ALIGN_PARAGRAPH.LEFT if j == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(t.rows[i].cells[j], text, small, align=align)
    _fixed_layout(t, column_widths(ncol))
    # category in a merged first column
    start = 1
    for i in range(2, len(cells) + 2):
        if i == len(cells) + 1 or cells[i - 1][0] != cells[start - 1][0]:
            if i - 1 > start:
                merged = t.cell(start, 0).merge(t.cell(i - 1, 0))
                for extra in merged.paragraphs[1:]:  # a merge keeps every cell's paragraph
                    extra._element.getparent().remove(extra._element)
                _cell_text(merged, cells[start - 1][0], small, align=WD_ALIGN_PARAGRAPH.CENTER)
            start = i
    for note in table.footnotes:
        p = _para(doc, note, BODY_FONT, 9)
        p.paragraph_format.space_after = Pt(0)

    if charts and table.review is not None:
        pngs = _chart_pngs(table, lang)
        if pngs:
            head = _para(
                doc,
                "附图：各目标的规划路径、实绩与要求路径"
                if lang == "zh"
                else "Charts: plan path, actuals and required path of each target",
                TITLE_FONT,
                12,
                bold=True,
            )
            head.paragraph_format.page_break_before = (
                True  # the charts start on a page of their own
            )
            for _tid, png in pngs:
                doc.add_picture(io.BytesIO(png), width=Cm(15))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        doc.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

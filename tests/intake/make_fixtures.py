"""Write the sample 主要指标表 (synthetic numbers, national rows) as xlsx, docx, csv, txt, pdf.

Run from the repository root: ``python tests/intake/make_fixtures.py [OUTDIR]`` (default
tests/intake/data). The files hold the same 20 rows; the xlsx has a merged title row
above the header and merged 类别 cells; the csv/txt leave 类别 blank below its first row as
planners paste it. Also writes the bad-input files used by test_cli_import.py.

The PDFs are Word tables converted by LibreOffice (``soffice --headless --convert-to pdf``,
Debian ``libreoffice-writer-nogui`` and ``fonts-wqy-microhei``); they are committed, so the
tests read them without LibreOffice. ``sample.pdf`` holds the table on one page;
``sample-2pages.pdf`` spans two pages in a large font with the header repeated on page 2
(and permissions restricted by an owner password, as many published plans are: it opens
without a password);
``sample-narrow.pdf`` has narrow columns (names broken over lines inside their cells), runs
over a page break without a repeated header, and has a second table (表2) after the notes;
``protected.pdf`` needs a password to open; ``corrupt.pdf`` is a truncated ``sample.pdf``;
``prose.pdf`` holds target sentences and a ruled project list but no 主要指标表.
"""

from __future__ import annotations

import sys
from pathlib import Path

TITLE = "表1 黄羊县“十四五”经济社会发展主要指标"
HEADER = ["类别", "指标", "2020年", "2025年", "年均增长〔累计〕", "属性"]
ROWS = [
    ["经济发展", "地区生产总值（亿元）", "300", "420", "7左右", "预期性"],
    ["经济发展", "全员劳动生产率增长（%）", "—", "—", "高于地区生产总值增长", "预期性"],
    ["经济发展", "居民消费价格涨幅（%）", "2.5", "—", "保持在合理区间", "预期性"],
    ["经济发展", "常住人口城镇化率（%）", "55.2", "60", "〔4.8〕", "预期性"],
    ["经济发展", "社会消费品零售总额（亿元）", "120", "160", "6", "预期性"],
    ["创新驱动", "研究与试验发展经费投入增长（%）", "—", "—", ">8", "预期性"],
    ["创新驱动", "每万人口高价值发明专利拥有量（件）", "1.2", "2.5", "—", "预期性"],
    ["创新驱动", "数字经济核心产业增加值（亿元）", "50", "—", "翻一番", "预期性"],
    ["民生福祉", "居民人均可支配收入增长（%）", "6.5", "—", "与经济增长同步", "预期性"],
    ["民生福祉", "城镇调查失业率（%）", "5.0", "5.5以内", "—", "预期性"],
    ["民生福祉", "劳动年龄人口平均受教育年限（年）", "10.2", "10.8", "〔0.6〕", "约束性"],
    ["民生福祉", "每千人口拥有执业（助理）医师数（人）", "2.6", "3.2", "—", "预期性"],
    ["民生福祉", "人均预期寿命（岁）", "78.1*", "—", "〔1〕", "预期性"],
    ["民生福祉", "每千人口拥有3岁以下婴幼儿托位数（个）", "1.5", "≥4.5", "—", "预期性"],
    ["绿色生态", "单位地区生产总值能源消耗降低（%）", "—", "—", "〔14〕", "约束性"],
    ["绿色生态", "单位地区生产总值二氧化碳排放降低（%）", "—", "—", "〔18〕", "约束性"],
    ["绿色生态", "地表水达到或好于Ⅲ类水体比例（%）", "85", "不低于87", "—", "约束性"],
    ["绿色生态", "森林覆盖率（%）", "40.2", "41", "—", "约束性"],
    ["安全保障", "粮食综合生产能力（万吨）", "58", ">60", "—", "约束性"],
    ["安全保障", "能源综合生产能力（万吨标准煤）", "预计１２０", "150左右", "—", "约束性"],
]
NOTES = ["注：①〔〕内为五年累计数。②带*的为2019年数据。"]


def _excel_value(text: str):
    """Numbers as Excel numbers (with their decimals as number format), the rest as text."""
    try:
        value = float(text)
    except ValueError:
        return text, None
    decimals = len(text.split(".")[1]) if "." in text else 0
    return (int(value) if decimals == 0 else value), ("0." + "0" * decimals if decimals else "0")


def write_xlsx(path: Path, rows=ROWS, title=TITLE) -> None:
    """Title row merged over the header; 类别 cells merged down each group."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append([title] + [None] * (len(HEADER) - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    start = 3
    for i, row in enumerate(rows):
        r = start + i
        for c, text in enumerate(row, start=1):
            if c == 1 and i > 0 and rows[i - 1][0] == text:
                continue
            value, fmt = _excel_value(text) if c > 2 else (text, None)
            cell = ws.cell(row=r, column=c, value=value)
            if fmt:
                cell.number_format = fmt
    # merge 类别 groups
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1][0] == rows[i][0]:
            j += 1
        if j > i:
            ws.merge_cells(start_row=start + i, start_column=1, end_row=start + j, end_column=1)
        i = j + 1
    for k, note in enumerate(NOTES):
        ws.cell(row=start + len(rows) + k, column=1, value=note)
    wb.save(path)


def write_docx(path: Path, rows=ROWS, title=TITLE) -> None:
    """Title paragraph, the table with vertically merged 类别 cells, the note paragraph."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("第一章 发展基础")
    doc.add_paragraph(title)
    table = doc.add_table(rows=1 + len(rows), cols=len(HEADER))
    for c, h in enumerate(HEADER):
        table.cell(0, c).text = h
    for i, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if c == 0 and i > 1 and rows[i - 2][0] == text:
                continue
            table.cell(i, c).text = text
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1][0] == rows[i][0]:
            j += 1
        if j > i:
            table.cell(1 + i, 0).merge(table.cell(1 + j, 0))
            table.cell(1 + i, 0).text = rows[i][0]
        i = j + 1
    for note in NOTES:
        doc.add_paragraph(note)
    doc.add_paragraph("第二章 指导思想")
    doc.save(path)


def _blank_repeats(rows):
    out = []
    for i, row in enumerate(rows):
        r = list(row)
        if i > 0 and rows[i - 1][0] == row[0]:
            r[0] = ""
        out.append(r)
    return out


def write_csv(path: Path, rows=ROWS, title=TITLE, encoding="utf-8") -> None:
    """Title line, header, rows (类别 only on a group's first row), notes."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([title] + [""] * (len(HEADER) - 1))
    w.writerow(HEADER)
    w.writerows(_blank_repeats(rows))
    for note in NOTES:
        w.writerow([note] + [""] * (len(HEADER) - 1))
    path.write_bytes(buf.getvalue().encode(encoding))


def write_txt(path: Path, rows=ROWS, title=TITLE, encoding="utf-8") -> None:
    """Return the table as pasted from Word: tab-separated, title and notes on their own lines."""
    lines = [title, "\t".join(HEADER)] + ["\t".join(r) for r in _blank_repeats(rows)] + NOTES
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))


def write_bad(out: Path) -> None:
    """Corrupt, password-protected, headerless, empty, GBK and scanned-PDF files."""
    import io

    (out / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook" * 4)
    (out / "corrupt.docx").write_bytes(b"PK\x03\x04 truncated" * 4)
    (out / "empty.csv").write_bytes(b"")
    (out / "noheader.csv").write_text("甲,乙,丙\n1,2,3\n4,5,6\n", encoding="utf-8")
    write_csv(out / "gbk.csv", encoding="gbk")
    write_txt(out / "gbk.txt", encoding="gbk")
    from msoffcrypto.format.ooxml import OOXMLFile

    for name, writer in (("protected.xlsx", write_xlsx), ("protected.docx", write_docx)):
        plain = out / f".plain-{name}"
        writer(plain)
        enc = io.BytesIO()
        with open(plain, "rb") as fh:
            OOXMLFile(fh).encrypt("secret", enc)
        (out / name).write_bytes(enc.getvalue())
        plain.unlink()
    # a "scanned" PDF: one page with an image and no text layer
    from PIL import Image

    img = Image.new("L", (200, 100), 255)
    img.save(out / "scanned.pdf", "PDF", resolution=72.0)


# ---- PDF (LibreOffice renders a Word table) -----------------------------------------------
#: column widths [cm] of the one-page table (A4, 2.5 cm margins: 16 cm to fill)
PDF_WIDTHS = (2.0, 6.6, 1.6, 1.9, 2.4, 1.5)
#: narrow columns [cm]: names and wordings break over two to four lines inside their cells
NARROW_WIDTHS = (2.2, 2.4, 1.8, 2.0, 2.4, 1.6)
SECOND_TITLE = "表2 黄羊县“十四五”重点领域补充指标"
SECOND_ROWS = [
    ["开放合作", "实际使用外资（亿美元）", "1.2", "2", "〔8〕", "预期性"],
    ["城乡融合", "户籍人口城镇化率（%）", "40.5", "46", "〔5.5〕", "预期性"],
]


def _pdf_docx(path: Path, rows, title, widths, font_pt, repeat_header, second=False) -> None:
    """A4 Word file for LibreOffice: bordered table, CJK font, page-number footer."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(font_pt)
    normal.font.name = "WenQuanYi Micro Hei"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Micro Hei")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")

    def add_table(table_rows, table_title):
        doc.add_paragraph(table_title)
        table = doc.add_table(rows=1 + len(table_rows), cols=len(HEADER))
        table.style = "Table Grid"
        table.autofit = False
        for c, h in enumerate(HEADER):
            table.cell(0, c).text = h
        for i, row in enumerate(table_rows, start=1):
            for c, value in enumerate(row):
                if c == 0 and i > 1 and table_rows[i - 2][0] == value:
                    continue
                table.cell(i, c).text = value
        i = 0
        while i < len(table_rows):  # merge 类别 down each group
            j = i
            while j + 1 < len(table_rows) and table_rows[j + 1][0] == table_rows[i][0]:
                j += 1
            if j > i:
                table.cell(1 + i, 0).merge(table.cell(1 + j, 0))
                table.cell(1 + i, 0).text = table_rows[i][0]
            i = j + 1
        for c, width in enumerate(widths):
            table.columns[c].width = Cm(width)
            for cell in table.columns[c].cells:
                cell.width = Cm(width)
        if repeat_header:
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr_pr.append(header)

    doc.add_paragraph("第一章 发展基础")
    add_table(rows, title)
    for note in NOTES:
        doc.add_paragraph(note)
    if second:
        add_table(SECOND_ROWS, SECOND_TITLE)
    doc.add_paragraph("第二章 指导思想")
    doc.save(path)


PROSE = [
    "第三章 主要目标",
    "到2025年，全县地区生产总值达到420亿元，年均增长7%左右；常住人口城镇化率提高到60%；"
    "森林覆盖率达到41%以上。",
    "“十四五”期间，单位地区生产总值能源消耗累计降低14%，社会消费品零售总额年均增长6%。",
    "表3 “十四五”重点项目",
]
PROSE_TABLE = [["项目", "总投资（亿元）"], ["县城污水处理厂扩建", "3.5"], ["工业园区标准厂房", "6"]]


def _prose_docx(path: Path) -> None:
    """Target sentences and one ruled table that is no 主要指标表 (a project list)."""
    import docx

    doc = docx.Document()
    for text in PROSE:
        doc.add_paragraph(text)
    table = doc.add_table(rows=len(PROSE_TABLE), cols=2)
    table.style = "Table Grid"
    for r, row in enumerate(PROSE_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("第四章 保障措施")
    doc.save(path)


def soffice_pdf(
    docx_path: Path, out: Path, password: str | None = None, owner: str | None = None
) -> None:
    """Convert ``docx_path`` to ``out`` with LibreOffice headless (own profile).

    ``password`` is needed to open the PDF; ``owner`` only restricts printing and
    copying (the PDF opens without a password, as many published plans do).
    """
    import json
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install libreoffice-writer-nogui")
    target = "pdf"
    opts = {}
    if password:
        opts["EncryptFile"] = {"type": "boolean", "value": "true"}
        opts["DocumentOpenPassword"] = {"type": "string", "value": password}
    if owner:
        opts["RestrictPermissions"] = {"type": "boolean", "value": "true"}
        opts["PermissionPassword"] = {"type": "string", "value": owner}
        opts["Changes"] = {"type": "long", "value": "0"}
        opts["EnableCopyingOfContent"] = {"type": "boolean", "value": "false"}
    if opts:
        target = "pdf:writer_pdf_Export:" + json.dumps(opts)
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                tmp,
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.move(Path(tmp, docx_path.stem + ".pdf"), out)


def write_pdfs(out: Path) -> None:
    """sample.pdf (one page), sample-2pages.pdf, sample-narrow.pdf, protected, corrupt, prose."""
    import tempfile

    specs = [  # name, column widths, font size [pt], repeat header, second table, passwords
        ("sample.pdf", PDF_WIDTHS, 9, False, False, None, None),
        ("sample-2pages.pdf", PDF_WIDTHS, 14, True, False, None, "owner"),
        ("sample-narrow.pdf", NARROW_WIDTHS, 10.5, False, True, None, None),
        ("protected.pdf", PDF_WIDTHS, 9, False, False, "secret", None),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, widths, size, repeat, second, password, owner in specs:
            source = Path(tmp, Path(name).stem + ".docx")
            _pdf_docx(source, ROWS, TITLE, widths, size, repeat, second)
            soffice_pdf(source, out / name, password, owner)
        source = Path(tmp, "prose.docx")
        _prose_docx(source)
        soffice_pdf(source, out / "prose.pdf")
    data = (out / "sample.pdf").read_bytes()
    (out / "corrupt.pdf").write_bytes(data[: len(data) // 3])


def main(out: Path) -> None:
    """Write every fixture into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    write_xlsx(out / "sample.xlsx")
    write_docx(out / "sample.docx")
    write_csv(out / "sample.csv")
    write_txt(out / "sample.txt")
    write_bad(out)
    write_pdfs(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "data")

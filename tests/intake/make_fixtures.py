"""Write the sample 主要指标表 (synthetic numbers, national-style rows) as xlsx, docx, csv, txt.

Run from the repository root: ``python tests/intake/make_fixtures.py [OUTDIR]`` (default
tests/intake/data). The four files hold the same 20 rows; the xlsx has a merged title row
above the header and merged 类别 cells; the csv/txt leave 类别 blank below its first row as
planners paste it. Also writes the bad-input files used by test_cli_import.py.
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


def main(out: Path) -> None:
    """Write every fixture into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    write_xlsx(out / "sample.xlsx")
    write_docx(out / "sample.docx")
    write_csv(out / "sample.csv")
    write_txt(out / "sample.txt")
    write_bad(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "data")

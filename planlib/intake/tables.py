"""Find the 主要指标表 in a file: read a grid of cells, find header rows, cut tables.

Readers turn ``.xlsx`` (openpyxl; merged cells filled from their top-left
cell), ``.docx`` (python-docx; every table, with the paragraph above it as its
title and the paragraphs below as notes), ``.pdf`` (pdfplumber, see
:mod:`planlib.intake.pdf`; a table continued over pages is one grid whose cells
name their page), ``.csv``, ``.md`` (pipe tables) and ``.txt`` (a table pasted
as text: tab- or space-separated) into :class:`Grid` objects.
:func:`find_tables` finds header rows anywhere (not assumed at row 1): a row
with an 指标 cell and a year, 目标, 年均 or 属性 cell. Each table keeps its cells'
addresses (``表1!C7``, ``表1!第2页C5`` in a PDF) so every imported value can
name its cell.

Bad input raises :class:`IntakeError` naming the file: corrupt or
password-protected Office files and PDFs, scanned PDFs, old binary ``.xls``/``.doc``, empty files,
GBK-encoded text (unless ``encoding="gbk"`` is given), files with no table.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PlanlibError
from .cells import normalise, parse_cell

__all__ = [
    "Column",
    "Grid",
    "IntakeError",
    "Table",
    "column_letter",
    "find_tables",
    "read_grids",
    "read_text_file",
]

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".docx", ".pdf", ".csv", ".md", ".txt", ".tsv")
_YEAR = re.compile(r"((?:19|20)\d{2})")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class IntakeError(PlanlibError, ValueError):
    """A file that cannot be imported: the message names the file (and cell) and what to do."""


def column_letter(c: int) -> str:
    """Spreadsheet column letters of the 1-based column ``c`` (1 → A, 27 → AA)."""
    out = ""
    while c > 0:
        c, r = divmod(c - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class Grid:
    """A rectangle of cell texts from one sheet, one Word table or one text file.

    Attributes
    ----------
    label : str
        The sheet or table name used in addresses (``表1``).
    rows : list of list
        Cell values (str, int, float or None), row-major.
    title : str or None
        Text above the table when it is not in the grid (Word paragraphs).
    after : list of str
        Text below the table when it is not in the grid (Word and PDF notes).
    origins : list of tuple or None
        PDF only: (page, row on that page) of each grid row, both 1-based, so that
        an address names the printed page (``表1!第2页C5``).
    remarks : list of tuple
        (0-based row, message) pairs the reader wants in the import report (a PDF
        row broken over a page break and joined again).
    """

    label: str
    rows: list
    title: str | None = None
    after: list = field(default_factory=list)
    origins: list | None = None
    remarks: list = field(default_factory=list)

    def text(self, r: int, c: int) -> str:
        """Normalised text of the 0-based cell (r, c); empty outside the grid."""
        if r >= len(self.rows) or c >= len(self.rows[r]):
            return ""
        v = self.rows[r][c]
        return "" if v is None else normalise(v)

    def value(self, r: int, c: int):
        """Return the raw value of the 0-based cell (r, c), or None."""
        if r >= len(self.rows) or c >= len(self.rows[r]):
            return None
        return self.rows[r][c]

    def address(self, r: int, c: int) -> str:
        """``表1!C7`` for the 0-based cell (r, c); ``表1!第2页C5`` in a PDF (row 5 on page 2)."""
        if self.origins is not None and r < len(self.origins):
            page, row = self.origins[r]
            return f"{self.label}!第{page}页{column_letter(c + 1)}{row}"
        return f"{self.label}!{column_letter(c + 1)}{r + 1}"

    def row_address(self, r: int) -> str:
        """``表1!7`` for the 0-based row ``r``; ``表1!第2页第5行`` in a PDF."""
        if self.origins is not None and r < len(self.origins):
            page, row = self.origins[r]
            return f"{self.label}!第{page}页第{row}行"
        return f"{self.label}!{r + 1}"


@dataclass
class Column:
    """The role of one table column, read from its header."""

    index: int
    header: str
    role: str  # category | name | unit | attribute | seq | base | target | rate | other
    year: int | None = None
    estimated: bool = False


@dataclass
class Table:
    """One 主要指标表 found in a grid.

    Attributes
    ----------
    grid : Grid
    number : int
        1-based position among the tables found in the file.
    header_row : int
        0-based row of the header.
    rows : list of int
        0-based grid rows holding indicators.
    columns : list of Column
    title : str or None
        The title line above the header (``表1 …主要指标``), when found.
    notes : list of str
        Lines under the table (``注：①〔〕内为五年累计数…``).
    """

    grid: Grid
    number: int
    header_row: int
    rows: list
    columns: list
    title: str | None = None
    notes: list = field(default_factory=list)

    def column(self, role: str) -> Column | None:
        """Return the first column with ``role``."""
        return next((c for c in self.columns if c.role == role), None)

    def columns_of(self, role: str) -> list[Column]:
        """Every column with ``role``, left to right."""
        return [c for c in self.columns if c.role == role]

    @property
    def label(self) -> str:
        """Name for listings: title or sheet/table label."""
        return self.title or self.grid.label


# ---- reading files ------------------------------------------------------------------------
def _check_binary(path: Path, data: bytes, kind: str) -> None:
    if not data:
        raise IntakeError(f"{path}: the file is empty; nothing to import")
    if data.startswith(_CFB_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise IntakeError(
                f"{path}: the {kind} file is password-protected (encrypted); "
                "open it in Office, remove the password (文件→信息→保护→删除密码) and save again"
            )
        old = {"Excel": ".xls", "Word": ".doc"}[kind]
        raise IntakeError(
            f"{path}: this is an old binary {old} file, not {kind} 2007+; "
            f"save it as {'.xlsx' if kind == 'Excel' else '.docx'} and import that"
        )
    if not data.startswith(b"PK"):
        raise IntakeError(
            f"{path}: not a valid {kind} file (corrupt or another format); "
            f"re-save it from {kind}, or export the table as CSV"
        )


def _cell_text(value, number_format: str | None):
    """Return an Excel value as the text a planner sees (decimals from the number format)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        m = re.match(r"^0\.(0+)$", (number_format or "").split(";")[0].strip())
        if m:
            return f"{value:.{len(m.group(1))}f}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return f"{value:.10g}"
    if value is None:
        return None
    return str(value)


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_BUILTIN_DECIMALS = {1: 0, 2: 2, 3: 0, 4: 2, 9: 0, 10: 2}


def _cell_ref(ref: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 reference."""
    m = re.match(r"([A-Z]+)(\d+)$", ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _read_xlsx_xml(data: bytes) -> list[Grid]:
    """Sheets of a workbook read straight from its XML (fast path; openpyxl is the fallback)."""
    import zipfile  # noqa: PLC0415
    from xml.etree import ElementTree as ET  # noqa: PLC0415

    m, r, rel_ns = "{" + _NS["m"] + "}", "{" + _NS["r"] + "}", "{" + _NS["p"] + "}"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(m + "si"):
                shared.append("".join(t.text or "" for t in si.iter(m + "t")))
        decimals: list[int | None] = []
        if "xl/styles.xml" in names:
            styles = ET.fromstring(z.read("xl/styles.xml"))
            fmts = {
                int(f.get("numFmtId")): f.get("formatCode", "") for f in styles.iter(m + "numFmt")
            }
            xfs = styles.find(m + "cellXfs")
            for xf in xfs if xfs is not None else []:
                fid = int(xf.get("numFmtId", "0"))
                code = fmts.get(fid)
                if code is not None:
                    dm = re.match(r"^0\.(0+)$", code.split(";")[0].strip())
                    whole = 0 if code.strip() == "0" else None
                    decimals.append(len(dm.group(1)) if dm else whole)
                else:
                    decimals.append(_BUILTIN_DECIMALS.get(fid))
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rel_root = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        rels = {rel.get("Id"): rel.get("Target") for rel in rel_root.iter(rel_ns + "Relationship")}
        grids = []
        for sheet in wb.iter(m + "sheet"):
            target = rels[sheet.get(r + "id")].lstrip("/")
            target = target if target.startswith("xl/") else "xl/" + target
            root = ET.fromstring(z.read(target))
            cells: dict = {}
            for c in root.iter(m + "c"):
                row, col = _cell_ref(c.get("r"))
                kind, v = c.get("t"), c.find(m + "v")
                if kind == "s":
                    value = shared[int(v.text)] if v is not None else None
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in c.iter(m + "t"))
                elif kind in ("str", "e"):
                    value = v.text if v is not None else None
                elif kind == "b":
                    value = None if v is None else ("TRUE" if v.text == "1" else "FALSE")
                elif v is None:
                    value = None
                else:
                    num = float(v.text)
                    style = int(c.get("s", "0"))
                    dec = decimals[style] if style < len(decimals) else None
                    fmt = f"0.{'0' * dec}" if dec else ("0" if dec == 0 else None)
                    whole = num.is_integer() and dec in (None, 0)
                    value = _cell_text(int(num) if whole else num, fmt)
                cells[row, col] = value
            n_rows = max((k[0] for k in cells), default=-1) + 1
            n_cols = max((k[1] for k in cells), default=-1) + 1
            rows = [[cells.get((i, j)) for j in range(n_cols)] for i in range(n_rows)]
            for mc in root.iter(m + "mergeCell"):
                a, b = mc.get("ref").split(":")
                (r0, c0), (r1, c1) = _cell_ref(a), _cell_ref(b)
                top = cells.get((r0, c0))
                for i in range(r0, min(r1 + 1, n_rows)):
                    for j in range(c0, min(c1 + 1, n_cols)):
                        rows[i][j] = top
            grids.append(Grid(sheet.get("name"), rows))
    return grids


def read_xlsx(path: Path) -> list[Grid]:
    """Every sheet of a workbook as a grid, merged ranges filled from their top-left cell."""
    import zipfile

    data = path.read_bytes()
    _check_binary(path, data, "Excel")
    try:
        return _read_xlsx_xml(data)
    except Exception:  # noqa: BLE001 - anything odd: let openpyxl read it (and explain errors)
        pass
    import openpyxl  # noqa: PLC0415
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        TypeError,
    ) as exc:
        raise IntakeError(
            f"{path}: cannot read the Excel file ({exc.__class__.__name__}: {exc}); "
            "it may be corrupt — re-save it from Excel, or export the table as CSV"
        ) from None
    grids = []
    for ws in wb.worksheets:
        rows = [[_cell_text(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        for rng in ws.merged_cells.ranges:
            top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else None
            for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(rows[r]))):
                    rows[r][c] = top
        grids.append(Grid(ws.title, rows))
    return grids


def read_docx(path: Path) -> list[Grid]:
    """Every table of a Word document; the paragraph above is its title, those below its notes."""
    import zipfile

    data = path.read_bytes()
    _check_binary(path, data, "Word")
    import docx  # noqa: PLC0415
    from docx.opc.exceptions import PackageNotFoundError  # noqa: PLC0415
    from docx.table import Table as DocxTable  # noqa: PLC0415
    from docx.text.paragraph import Paragraph  # noqa: PLC0415

    try:
        doc = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, OSError, ValueError) as exc:
        raise IntakeError(
            f"{path}: cannot read the Word file ({exc.__class__.__name__}: {exc}); "
            "it may be corrupt — re-save it from Word, or copy the table into a .txt file"
        ) from None
    blocks = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(("p", Paragraph(child, doc).text.strip()))
        elif tag == "tbl":
            blocks.append(("t", DocxTable(child, doc)))
    grids, n = [], 0
    for i, (kind, block) in enumerate(blocks):
        if kind != "t":
            continue
        n += 1
        rows = [[cell.text.strip() for cell in row.cells] for row in block.rows]
        before = [b for k, b in blocks[:i] if k == "p" and b]
        after = []
        for k, b in blocks[i + 1 :]:
            if k == "t":
                break
            if b:
                after.append(b)
        grids.append(Grid(f"表{n}", rows, title=before[-1] if before else None, after=after[:8]))
    return grids


def read_text_file(path: Path, encoding: str | None = None) -> str:
    """Return the text of a UTF-8 (or UTF-16 with BOM) file.

    GBK/GB18030 text is refused with a message saying so unless ``encoding``
    is given (``gbk``, ``gb18030``): a silent guess could garble names.
    """
    data = path.read_bytes()
    if not data.strip():
        raise IntakeError(f"{path}: the file is empty; nothing to import")
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise IntakeError(f"{path}: cannot decode as {encoding} ({exc})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if b"\x00" in data[:4096]:
        raise IntakeError(
            f"{path}: a binary file, not text; import .xlsx, .docx, .csv, .md or .txt"
        )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if re.search(r"[\u4e00-\u9fff]", text):
        line = data[:bad].count(b"\n") + 1
        raise IntakeError(
            f"{path}:{line}: the file is GBK/GB18030-encoded, not UTF-8; save it as UTF-8 "
            "(Excel: 另存为 CSV UTF-8) or pass --encoding gbk"
        )
    line = data[:bad].count(b"\n") + 1
    raise IntakeError(f"{path}:{line}: not UTF-8 text; save it as UTF-8 or pass --encoding")


def _split_text_line(line: str, sep: str | None) -> list[str]:
    if sep == "|":
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        return cells
    if sep == "\t":
        return [c.strip() for c in line.rstrip("\r\n").split("\t")]
    if sep == "  ":
        return [c for c in re.split(r"\s{2,}|\u3000+", line.strip()) if c != ""]
    return line.split()


def grid_from_text(text: str, label: str = "表1", kind: str = "txt") -> Grid:
    """Return a grid from a pasted table: Markdown pipes, CSV, tabs, or runs of spaces."""
    lines = text.splitlines()
    if kind == "csv":
        sample = "\n".join(lines[:20])
        try:
            delim = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
        except csv.Error:
            delim = ","
        return Grid(label, [list(r) for r in csv.reader(io.StringIO(text), delimiter=delim)])
    pipes = sum(1 for ln in lines if ln.count("|") >= 2)
    tabs = sum(1 for ln in lines if "\t" in ln)
    doubles = sum(1 for ln in lines if re.search(r"\S(\s{2,}|\u3000)\S", ln))
    sep = "|" if pipes >= 2 else "\t" if tabs >= 2 else "  " if doubles >= 2 else " "
    rows = []
    for ln in lines:
        if sep == "|" and re.fullmatch(r"\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*", ln):
            rows.append([])  # the Markdown separator line keeps its line number
            continue
        if sep == "|" and ln.count("|") < 2:
            rows.append([ln.strip()] if ln.strip() else [])
            continue
        rows.append(_split_text_line(ln, sep) if ln.strip() else [])
    return Grid(label, rows)


def read_grids(path, encoding: str | None = None) -> list[Grid]:
    """All grids in ``path`` (one per sheet, Word or PDF table; one for a text file).

    Raises
    ------
    IntakeError
        Unsupported suffix, unreadable, corrupt, password-protected, empty or
        GBK file (message names the file).
    """
    path = Path(path)
    if not path.exists():
        raise IntakeError(f"{path}: file not found")
    if path.is_dir():
        raise IntakeError(f"{path}: a folder, not a file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        from .pdf import read_pdf  # noqa: PLC0415

        return read_pdf(path)
    if suffix in (".xls", ".doc"):
        raise IntakeError(
            f"{path}: old binary {suffix} files are not read; save it as {suffix}x and import that"
        )
    if suffix in (".csv", ".tsv"):
        return [grid_from_text(read_text_file(path, encoding), kind="csv")]
    if suffix in (".md", ".txt", ".text", ""):
        return [grid_from_text(read_text_file(path, encoding))]
    raise IntakeError(
        f"{path}: cannot import {suffix or 'a file without suffix'}; use .xlsx, .docx, .pdf, "
        ".csv, .md or .txt (or --text with .docx, .txt, .pdf for prose)"
    )


# ---- finding tables -----------------------------------------------------------------------
_NAME_HEADERS = ("指标名称", "主要指标", "指标", "指标名", "名称", "项目")
_CATEGORY_HEADERS = ("类别", "领域", "分类", "类型", "门类", "维度")
_RATE_WORDS = ("年均", "累计", "增速", "增长", "五年", "〔")


def _role(text: str) -> tuple[str, int | None, bool]:
    """Role of a header cell: (role, year, estimated)."""
    t = text.replace(" ", "")
    if not t:
        return "other", None, False
    if t in _CATEGORY_HEADERS or (len(t) <= 4 and any(t.startswith(h) for h in _CATEGORY_HEADERS)):
        return "category", None, False
    if t in ("序号", "编号", "序"):
        return "seq", None, False
    if "属性" in t or t in ("指标性质", "性质", "类型属性"):
        return "attribute", None, False
    if t in ("单位", "计量单位", "单位名称"):
        return "unit", None, False
    if t in _NAME_HEADERS or (len(t) <= 6 and t.endswith("指标") and not _YEAR.search(t)):
        return "name", None, False
    years = _YEAR.findall(t)
    if any(w in t for w in _RATE_WORDS) and (len(years) != 1 or "年均" in t or "累计" in t):
        return "rate", None, False
    if years:
        return "year", int(years[-1]), "预计" in t or "预估" in t
    if "目标" in t:
        return "year", None, False
    if t in ("基期", "基期值", "现状", "现状值"):
        return "year", None, False
    return "other", None, False


def _sub_header(grid: Grid, r: int) -> list[str] | None:
    """Texts of row ``r + 1`` when it completes a two-row header (2025年 | 年均增长 under 目标)."""
    if r + 1 >= len(grid.rows):
        return None
    below = [grid.text(r + 1, c) for c in range(len(grid.rows[r + 1]))]
    roles = [_role(t)[0] for t in below]
    if not any(x in ("year", "rate") for x in roles):
        return None
    if any(
        t and role == "other" and parse_cell(t).is_number
        for t, role in zip(below, roles, strict=True)
    ):
        return None  # a data row
    names = [c for c in range(len(grid.rows[r])) if _role(grid.text(r, c))[0] == "name"]
    first = names[0] if names else None
    if first is not None and first < len(below) and below[first] not in ("", grid.text(r, first)):
        return None  # the row names an indicator: data, not header
    return below


def _header_columns(grid: Grid, r: int) -> list[Column] | None:
    """Column roles if row ``r`` is a header row (with the row below, if it completes it)."""
    texts = [grid.text(r, c) for c in range(len(grid.rows[r]))]
    if not any(_role(t)[0] == "name" for t in texts):
        return None
    below = _sub_header(grid, r)
    if below is not None:
        width = max(len(texts), len(below))
        top, sub = texts + [""] * (width - len(texts)), below + [""] * (width - len(below))
        texts = [(t + b if b and b != t else t) for t, b in zip(top, sub, strict=True)]
    roles = [_role(t) for t in texts]
    if not any(role == "name" for role, _, _ in roles):
        return None
    if not any(role in ("year", "rate", "attribute") for role, _, _ in roles):
        return None
    # a merged title row repeats one text everywhere: not a header
    if len({t for t in texts if t}) <= 2:
        return None
    cols, seen = [], set()
    for c, (text, (role, year, est)) in enumerate(zip(texts, roles, strict=True)):
        if role in ("name", "category", "unit", "attribute") and role in seen:
            role = "other"  # a merged header cell repeated across columns
        seen.add(role)
        cols.append(Column(c, text, role, year, est))
    years = sorted({c.year for c in cols if c.role == "year" and c.year is not None})
    for col in cols:
        if col.role != "year":
            continue
        if col.year is None:
            col.role = "target" if "目标" in col.header else "base"
        elif len(years) == 1:
            col.role = "target"  # one year column: the plan's target (2025年目标)
        else:
            # base columns come first (2019年, 2020年); later ones are targets (2025年, 2035年)
            col.role = "base" if col.year <= years[0] + 2 and col.year != years[-1] else "target"
    return cols


def _note_continues(text: str) -> bool:
    """Return a line that continues notes under a table: ②…, 2. …, （2）…."""
    return bool(re.match(r"^([②③④⑤⑥⑦⑧⑨⑩]|\d+[.、)]|[(（]\d+[)）])", text.strip()))


def _is_note(text: str) -> bool:
    return bool(re.match(r"^(注|说明|备注|资料来源|数据来源)[:：\s①1]", text)) or text in (
        "注",
        "说明",
    )


def find_tables(grids: list[Grid]) -> list[Table]:
    """Every 主要指标表 in ``grids``, in document order.

    A table starts at a header row and runs until a note line (``注：``), a
    blank line followed by non-table text, another header or the end; lines
    just under it (notes) and the nearest line above the header (title) are
    kept.
    """
    tables: list[Table] = []
    for grid in grids:
        r = 0
        n_rows = len(grid.rows)
        while r < n_rows:
            cols = _header_columns(grid, r)
            if cols is None:
                r += 1
                continue
            header = r
            name_col = next(c.index for c in cols if c.role == "name")
            rows, notes = [], []
            two_rows = _sub_header(grid, r) is not None
            r += 2 if two_rows else 1
            blank_run = 0
            while r < n_rows:
                texts = [grid.text(r, c) for c in range(len(grid.rows[r]))]
                joined = "".join(texts)
                if not joined:
                    blank_run += 1
                    if blank_run >= 2:
                        break
                    r += 1
                    continue
                first = next((t for t in texts if t), "")
                if _is_note(first):
                    break
                if _header_columns(grid, r) is not None:
                    break
                if blank_run and not grid.text(r, name_col):
                    break
                blank_run = 0
                rows.append(r)
                r += 1
            # notes: consecutive non-empty lines after the table
            while r < n_rows:
                texts = [grid.text(r, c) for c in range(len(grid.rows[r]))]
                raw = [
                    str(grid.value(r, c)).strip()
                    for c in range(len(grid.rows[r]))
                    if grid.text(r, c)
                ]
                joined = "".join(dict.fromkeys(raw))
                if not joined:
                    if notes:
                        break
                    r += 1
                    continue
                if _header_columns(grid, r) is not None:
                    break
                if _is_note(normalise(joined)) or (notes and _note_continues(joined)):
                    notes.append(joined)
                    r += 1
                    continue
                break
            for t in grid.after:  # Word: paragraphs under the table, from the first 注
                if _is_note(normalise(t)) or (notes and _note_continues(t)):
                    notes.append(t)
                else:
                    break
            title = grid.title
            for up in range(header - 1, max(-1, header - 4), -1):
                joined = next(
                    (
                        str(grid.value(up, c)).strip()
                        for c in range(len(grid.rows[up]))
                        if grid.text(up, c)
                    ),
                    "",
                )
                if joined:
                    title = joined
                    break
            if rows:
                tables.append(Table(grid, len(tables) + 1, header, rows, cols, title, notes))
    return tables

r"""Read a text PDF: its ruled tables as grids (pdfplumber), or its text for the prose path.

Most published 规划纲要 are PDFs printed from Word, and their 主要指标表 is a
ruled table in the text layer. :func:`read_pdf` finds the tables on each page
(``page.find_tables()``, the lines strategy) and turns them into
:class:`~planlib.intake.tables.Grid` objects, so that the same header
recognition (:func:`~planlib.intake.tables.find_tables`) reads them as it reads
Excel and Word:

- a table continued on the next page (same columns, nothing but a page footer
  between, no new 表N title above it) is one grid; a header repeated on the
  new page is dropped, and a row that the page break cut in two (its name or
  its 属性 split, the rest of its cells empty) is joined again and reported;
- a merged cell comes back as ``None`` (a 类别 merged down a group): the draft
  carries the category down as it does for CSV;
- line breaks inside a cell (``地区生产总值\n（亿元）``) are removed, and so
  are spaces between Chinese characters (``类  别``);
- each row remembers its page and its row on that page, so an address names the
  printed page: ``表1!第2页C5``;
- the text line just above a table is its title, the lines below it its notes.

:func:`pdf_text` returns the text of every page for the prose path. A corrupt,
password-protected or scanned PDF (no text layer) raises
:class:`~planlib.intake.tables.IntakeError` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .cells import normalise
from .tables import Grid, IntakeError, _header_columns, _is_note, _sub_header

__all__ = ["pdf_text", "read_pdf"]

#: a table title line (表1 …, 附表2 …); 续表 / （续） marks a continuation, not a new table
_TITLE = re.compile(r"^(附)?表\s*[0-9一二三四五六七八九十]+")
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
#: column edges of two pieces of one table agree within this [pt]
_EDGE_TOLERANCE = 3.0


def _check_file(path: Path) -> None:
    if not path.exists():
        raise IntakeError(f"{path}: file not found")
    if path.is_dir():
        raise IntakeError(f"{path}: a folder, not a file")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head:
        raise IntakeError(f"{path}: the file is empty; nothing to import")
    if b"%PDF" not in head:
        raise IntakeError(f"{path}: not a PDF file (corrupt or another format)")


def _password_error(path: Path) -> IntakeError:
    return IntakeError(
        f"{path}: the PDF is password-protected (it needs a password to open); "
        "open it with the password, save or print it as a new PDF, and import that"
    )


def _corrupt_error(path: Path, what: str) -> IntakeError:
    return IntakeError(
        f"{path}: cannot read the PDF ({what}); it may be corrupt — "
        "download it again, or import the plan's Word or text version"
    )


def _survey(path: Path) -> list[tuple[int, int, int]]:
    """(page, characters, drawn paths) of every page, read quickly with PDFium.

    pdfplumber parses every character of a page (≈ 0.1 s for a page of prose);
    PDFium counts them in well under a millisecond, so only the pages that have
    text and draw lines or boxes (a ruled table) are handed to pdfplumber.
    """
    import pypdfium2 as pdfium  # noqa: PLC0415
    import pypdfium2.raw as pdfium_c  # noqa: PLC0415

    _check_file(path)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if (
            getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD
            or "password" in str(exc).lower()
        ):
            raise _password_error(path) from None
        raise _corrupt_error(path, str(exc)) from None
    try:
        survey = []
        for i in range(len(doc)):
            page = doc[i]
            n_chars = page.get_textpage().count_chars()
            paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3)
            survey.append((i + 1, n_chars, next(paths, None) is not None))
        return survey
    except pdfium.PdfiumError as exc:
        raise _corrupt_error(path, str(exc)) from None
    finally:
        doc.close()


def _read(path: Path, reader, pages: list | None = None):
    """Open ``path`` with pdfplumber and return ``reader(pdf)``; PDF errors become IntakeError.

    ``pages`` (1-based) limits the pages pdfplumber reads.
    """
    import pdfplumber  # noqa: PLC0415
    from pdfminer.pdfdocument import PDFEncryptionError  # noqa: PLC0415
    from pdfminer.pdfparser import PDFSyntaxError  # noqa: PLC0415
    from pdfminer.psexceptions import PSException  # noqa: PLC0415

    _check_file(path)
    try:
        with pdfplumber.open(path, pages=pages) as pdf:
            return reader(pdf)
    except IntakeError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfplumber wraps pdfminer errors in its own type
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, PDFEncryptionError):
            raise _password_error(path) from None
        known = (PSException, PDFSyntaxError, ValueError, KeyError, TypeError, AssertionError)
        if isinstance(inner, known) or exc.__class__.__name__ == "PdfminerException":
            raise _corrupt_error(path, inner.__class__.__name__) from None
        raise


def _no_text_layer(path: Path, n_pages: int) -> IntakeError:
    return IntakeError(
        f"{path}: the PDF has no text layer (a scanned document, {n_pages} page(s)); "
        "run OCR on it first, or import the plan's Word or text version"
    )


def pdf_text(path) -> str:
    """Return the text of every page of a text PDF, pages joined by line breaks.

    Raises
    ------
    IntakeError
        Corrupt, password-protected, or scanned (no text layer); the message names the file.
    """
    path = Path(path)
    pages = _read(path, lambda pdf: [p.extract_text() or "" for p in pdf.pages])
    text = "\n".join(pages)
    if not text.strip():
        raise _no_text_layer(path, len(pages))
    return text


def clean_cell(value):
    """Return a PDF cell's text as written: line breaks inside the cell and CJK spacing removed.

    ``None`` (a cell covered by a merged cell) stays ``None``.
    """
    if value is None:
        return None
    text = str(value).strip()
    text = re.sub(r"(?<=[A-Za-z0-9.,;:)])[ \t]*\n\s*(?=[A-Za-z])", " ", text)
    text = re.sub(r"\s*\n\s*", "", text)
    return re.sub(rf"(?<={_CJK})\s+(?={_CJK})", "", text)


def _lines(page, top: float, bottom: float) -> list[str]:
    """Non-empty text lines of ``page`` between ``top`` and ``bottom`` [pt]."""
    top, bottom = max(0.0, top), min(float(page.height), bottom)
    if bottom - top < 1:
        return []
    region = page.filter(  # by each glyph's middle: its box may poke out of the table
        lambda obj: (
            obj.get("object_type") == "char" and top <= (obj["top"] + obj["bottom"]) / 2 < bottom
        )
    )
    text = region.extract_text() or ""
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


@dataclass
class _Piece:
    """One table as found on one page."""

    page: int  # 1-based
    rows: list
    edges: list  # left x of each column, then the right x of the last [pt]
    above: list = field(default_factory=list)  # text lines above it on its page
    below: list = field(default_factory=list)  # text lines below it on its page
    first_on_page: bool = True
    last_on_page: bool = True


def _edges(table) -> list[float]:
    """Column edges of a pdfplumber table from its cells' x positions [pt]."""
    n = max(len(row.cells) for row in table.rows)
    lefts = []
    for j in range(n):
        xs = [row.cells[j][0] for row in table.rows if j < len(row.cells) and row.cells[j]]
        lefts.append(min(xs) if xs else float("nan"))
    return lefts + [float(table.bbox[2])]


def _pieces(pdf) -> list[_Piece]:
    """Every ruled table on the pages read, with the text around it."""
    pieces = []
    for page in pdf.pages:
        if not page.chars or not page.edges:
            continue  # no text, or nothing drawn: no ruled table here
        tables = sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0]))
        for k, table in enumerate(tables):
            rows = [[clean_cell(v) for v in row] for row in table.extract()]
            if not rows or not any(v for row in rows for v in row):
                continue
            top = tables[k - 1].bbox[3] if k else 0.0
            bottom = tables[k + 1].bbox[1] if k + 1 < len(tables) else float(page.height)
            pieces.append(
                _Piece(
                    page.page_number,
                    rows,
                    _edges(table),
                    _lines(page, top, table.bbox[1]),
                    _lines(page, table.bbox[3], bottom),
                    first_on_page=k == 0,
                    last_on_page=k + 1 == len(tables),
                )
            )
    return pieces


def _norm_row(row) -> tuple:
    return tuple(normalise(v) for v in row)


def _header_at(rows) -> tuple[int, list] | None:
    """(0-based header row, columns) of a piece's rows, with tables.py's header recognition."""
    grid = Grid("表", rows)
    for r in range(min(len(rows), 4)):
        cols = _header_columns(grid, r)
        if cols is not None:
            return r, cols
    return None


def _is_title(line: str) -> bool:
    return bool(_TITLE.match(normalise(line))) and "续" not in line


def _continues(prev: _Piece, piece: _Piece, header: tuple | None) -> bool:
    """Return whether ``piece`` continues ``prev`` over a page break."""
    if piece.page != prev.page + 1 or not (prev.last_on_page and piece.first_on_page):
        return False
    if len(piece.edges) != len(prev.edges):
        return False
    if any(abs(a - b) > _EDGE_TOLERANCE for a, b in zip(piece.edges, prev.edges, strict=True)):
        return False
    if any(_is_title(ln) or _is_note(normalise(ln)) for ln in prev.below):
        return False  # the table ended with its notes, or another table's title follows
    if any(_is_title(ln) for ln in piece.above):
        return False
    own = _header_at(piece.rows)
    if own is not None and own[0] == 0:  # the same header repeated, or a new table
        return header is not None and _norm_row(piece.rows[0]) == header[0]
    return True


def _is_fragment(row: list, last: list, cols: list | None) -> bool:
    """Return whether ``row`` (first on a new page) is the rest of ``last`` cut by the break."""
    if cols is None or not last:
        return False
    name = next((c.index for c in cols if c.role == "name"), None)
    if name is None or name >= len(row):
        return False
    texts = [normalise(v) for v in row]
    category = next((c.index for c in cols if c.role == "category"), None)
    if not any(t for c, t in enumerate(texts) if c != category):
        return False  # empty, or a 类别 alone: a new group starts
    if row[name] == "":
        return True  # the name is on the page before: this is the rest of that row
    if row[name] is None:
        return False  # merged over the name column: a heading row
    from .cells import split_name_unit  # noqa: PLC0415
    from .draft import looks_like_category  # noqa: PLC0415

    others = [c.index for c in cols if c.role in ("base", "target", "rate", "attribute", "unit")]
    if not others or any(c < len(row) and (row[c] is None or texts[c]) for c in others):
        return False  # it states values (or its cells are merged: a category row)
    if any(texts[c] for c in range(len(row)) if c != name):
        return False
    return not looks_like_category(*split_name_unit(row[name]))


def _grid(label: str, group: list[_Piece]) -> Grid:
    """One grid from the pieces of one table, each row remembering (page, row on page)."""
    first = group[0]
    found = _header_at(first.rows)
    header = None
    if found is not None:
        h, cols = found
        two = _sub_header(Grid("表", first.rows), h) is not None
        header = [_norm_row(first.rows[i]) for i in range(h, h + 1 + two)]
    else:
        cols = None
    rows, origins, remarks = [], [], []
    for k, piece in enumerate(group):
        numbered = list(enumerate(piece.rows, start=1))
        if k:
            repeated = header if header is not None else [_norm_row(first.rows[0])]
            for want in repeated:  # a header repeated on the new page
                if numbered and _norm_row(numbered[0][1]) == want:
                    numbered.pop(0)
            if numbered and rows and _is_fragment(numbered[0][1], rows[-1], cols):
                i, frag = numbered.pop(0)
                last = rows[-1]
                for c, v in enumerate(frag):
                    if c < len(last) and v:
                        last[c] = (last[c] or "") + v
                remarks.append(
                    (
                        len(rows) - 1,
                        f"第{piece.page}页第{i}行是上一页末行的后半（表格跨页时这一行被分开），"
                        "已并入这一行",
                    )
                )
        for i, row in numbered:
            rows.append(list(row))
            origins.append((piece.page, i))
    near = first.above[-3:]
    title = next((ln for ln in reversed(near) if _is_title(ln)), None)
    title = title or next((ln for ln in reversed(near) if "主要指标" in ln), None)
    title = title or (near[-1] if near else None)
    return Grid(
        label, rows, title=title, after=group[-1].below[:8], origins=origins, remarks=remarks
    )


def read_pdf(path) -> list[Grid]:
    """Every ruled table of a text PDF as a grid, tables continued over pages joined.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    list of Grid
        Labelled 表1, 表2 … in page order; empty when the PDF has text but no ruled table.

    Raises
    ------
    IntakeError
        Not a PDF, corrupt, password-protected, or scanned (no text layer).
    """
    path = Path(path)
    survey = _survey(path)
    if not any(n_chars for _, n_chars, _ in survey):
        raise _no_text_layer(path, len(survey))
    candidates = [page for page, n_chars, drawn in survey if n_chars and drawn]
    return assemble(_read(path, _pieces, pages=candidates) if candidates else [])


def assemble(pieces: list[_Piece]) -> list[Grid]:
    """Grids from the tables found page by page: a piece that continues the last one joins it."""
    groups: list[list[_Piece]] = []
    headers: list = []
    for piece in pieces:
        if groups and _continues(groups[-1][-1], piece, headers[-1]):
            groups[-1].append(piece)
            continue
        groups.append([piece])
        found = _header_at(piece.rows)
        headers.append(None if found is None else [_norm_row(piece.rows[found[0]])])
    return [_grid(f"表{n}", group) for n, group in enumerate(groups, start=1)]

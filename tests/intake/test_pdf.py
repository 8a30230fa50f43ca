"""PDF tables: pages joined, repeated headers dropped, cut rows joined, cells cleaned, fallback.

The fixtures are Word tables printed to PDF by LibreOffice (tests/intake/make_fixtures.py);
the identical-scenario and cell-address tests over every format are in test_tables.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlib.intake import IntakeError, import_file
from planlib.intake.pdf import _Piece, assemble, clean_cell, pdf_text, read_pdf
from planlib.intake.tables import find_tables

from .make_fixtures import HEADER, ROWS, SECOND_ROWS, SECOND_TITLE, TITLE

DATA = Path(__file__).parent / "data"
EDGES = [65.5, 120.0, 300.0, 350.0, 400.0, 470.0, 519.0]


def _piece(page, rows, above=(), below=(), edges=EDGES):
    return _Piece(page, [list(r) for r in rows], list(edges), list(above), list(below))


# ---- cells ---------------------------------------------------------------------------------
@given(
    st.lists(st.sampled_from(list("地区生产总值（亿元）〔〕预计左右")), min_size=1, max_size=20),
    st.lists(st.sampled_from(["\n", " \n", "\n ", "  ", "\u3000"]), min_size=0, max_size=19),
    st.data(),
)
def test_line_breaks_and_spacing_inside_a_cell_are_removed(chars, breaks, data):
    """Property: a Chinese cell broken over lines (or spread out) reads as written."""
    text = "".join(chars)
    cuts = sorted(data.draw(st.lists(st.integers(1, max(1, len(chars) - 1)), max_size=len(breaks))))
    pieces, last = [], 0
    for cut, br in zip(cuts, breaks, strict=False):
        pieces += [text[last:cut], br]
        last = cut
    broken = "".join(pieces) + text[last:]
    assert clean_cell(broken) == text


def test_clean_cell_keeps_merged_cells_and_english_words():
    """None (a merged cell) stays None; an English word break keeps one space; numbers join."""
    assert clean_cell(None) is None
    assert clean_cell("") == ""
    assert clean_cell("PM2.5\nconcentration") == "PM2.5 concentration"
    assert clean_cell("预计１\n２０") == "预计１２０"
    assert clean_cell("78.1\n*") == "78.1*"
    assert clean_cell("类  别") == "类别"


# ---- the fixtures --------------------------------------------------------------------------
def test_one_page_table_reads_as_printed():
    """sample.pdf: header, 20 rows (类别 merged: None below each group), notes under it."""
    (grid,) = read_pdf(DATA / "sample.pdf")
    assert grid.title == TITLE
    assert grid.after[0].startswith("注：①〔〕内为五年累计数")
    assert grid.rows[0] == HEADER
    assert [r[1:] for r in grid.rows[1:]] == [r[1:] for r in ROWS]
    categories = [r[0] for r in grid.rows[1:]]
    merged = [None if i and ROWS[i - 1][0] == r[0] else r[0] for i, r in enumerate(ROWS)]
    assert categories == merged
    assert grid.origins == [(1, k) for k in range(1, 22)]
    assert grid.address(3, 4) == "表1!第1页E4"
    assert grid.row_address(3) == "表1!第1页第4行"


def test_two_pages_repeated_header_dropped_and_cut_row_joined():
    """sample-2pages.pdf: page 2 repeats the header and carries the end of 森林覆盖率's row."""
    (grid,) = read_pdf(DATA / "sample-2pages.pdf")
    assert len(grid.rows) == 21  # one header, 20 rows: the repeated header is gone
    assert [r[1] for r in grid.rows[1:]] == [r[1] for r in ROWS]
    forest = grid.rows[18]
    assert forest[1:] == ROWS[17][1:]  # 约束 | 性 on two pages → 约束性
    assert grid.origins[18] == (1, 19)
    assert grid.origins[19] == (2, 3)  # page 2: header, the cut row's rest, then 粮食…
    assert grid.remarks == [(18, grid.remarks[0][1])]
    assert "第2页第2行是上一页末行的后半" in grid.remarks[0][1]
    res = import_file(DATA / "sample-2pages.pdf")
    assert "表1!第1页第19行   [说明] 第2页第2行是上一页末行的后半" in res.report.to_text()
    grain = next(t for t in res.scenario["targets"] if t["indicator"] == "grain_capacity")
    assert grain["source"] == "sample-2pages.pdf 表1!第2页D3"


def test_narrow_columns_continue_without_header_and_a_second_table_follows():
    """sample-narrow.pdf: the 主要指标表 over two pages, then 表2 on page 2."""
    grids = read_pdf(DATA / "sample-narrow.pdf")
    assert [g.title for g in grids] == [TITLE, SECOND_TITLE]
    first, second = grids
    assert [r[1] for r in first.rows[1:]] == [r[1] for r in ROWS]  # names rejoined
    assert first.after[0].startswith("注：") and first.after[1] == SECOND_TITLE
    assert second.rows[1:] == SECOND_ROWS
    with pytest.raises(IntakeError, match=r"2 tables found — 1\. 表1 黄羊县.*\(20 rows\); 2\. 表2"):
        import_file(DATA / "sample-narrow.pdf")
    res = import_file(DATA / "sample-narrow.pdf", table=2)
    assert res.report.counts["rows"] == 2
    fdi = res.scenario["targets"][0]
    assert (fdi["source"], fdi["value"]) == ("sample-narrow.pdf 表2!第2页D2", 2)
    tables = find_tables(grids)
    assert [len(t.rows) for t in tables] == [20, 2]
    assert tables[0].notes == ["注：①〔〕内为五年累计数。②带*的为2019年数据。"]


# ---- joining pieces ------------------------------------------------------------------------
HEAD = HEADER
A = ["经济发展", "地区生产总值（亿元）", "300", "420", "7左右", "预期性"]
B = [None, "森林覆盖率（%）", "40.2", "41", "—", "约束性"]


def test_new_title_or_notes_or_other_columns_start_a_new_table():
    """A 表N title above, a 注 below, or other column edges: two tables, not one."""
    cases = [
        dict(above=["表2 另一张表"]),
        dict(below=["注：①〔〕内为五年累计数。"]),
        dict(edges=[65.5, 100.0, 300.0, 350.0, 400.0, 470.0, 519.0]),
    ]
    for case in cases:
        below = case.pop("below", [])
        one = _piece(1, [HEAD, A], below=below)
        two = _piece(2, [B], **case)
        assert len(assemble([one, two])) == 2, case


def test_continued_table_is_one_grid():
    """续表 above, a page number below: one table; its rows know their pages."""
    one = _piece(1, [HEAD, A], below=["— 1 —"])
    two = _piece(2, [HEAD, B], above=["续表1"])
    (grid,) = assemble([one, two])
    assert grid.rows == [HEAD, A, B]
    assert grid.origins == [(1, 1), (1, 2), (2, 2)]
    assert grid.remarks == []


def test_a_different_header_on_the_next_page_is_a_new_table():
    """A header that is not the first table's starts another table."""
    other = ["类别", "指标", "2025年", "2030年", "年均增长", "属性"]
    grids = assemble([_piece(1, [HEAD, A]), _piece(2, [other, B])])
    assert len(grids) == 2


@pytest.mark.parametrize(
    ("first_row", "joined"),
    [
        (["", "化碳排放降低（%）", "", "", "", ""], True),  # the name's end
        (["", "", "", "", "", "性"], True),  # the 属性's end
        ([None, "", "预计", "", "", ""], True),  # no name: the rest of a cell
        (["", "安全保障", "", "", "", ""], False),  # a 类别 written as its own row
        (["安全保障", None, None, None, None, None], False),  # a merged category row
        (["安全保障", "", "", "", "", ""], False),  # a category row in the 类别 column
        ([None, "粮食综合生产能力（万吨）", "58", ">60", "—", "约束性"], False),  # a full row
        ([None, "营商环境", "", "", "", "预期性"], False),  # a row of its own (属性 given)
    ],
)
def test_row_cut_by_the_page_break(first_row, joined):
    """Only a page-2 first row that cannot stand alone is joined to page 1's last row."""
    last = [None, "单位地区生产总值二氧", "—", "—", "〔18〕", "约束"]
    (grid,) = assemble([_piece(1, [HEAD, last]), _piece(2, [first_row])])
    if joined:
        assert len(grid.rows) == 2
        assert grid.rows[1] == [
            (a or "") + b if b else a for a, b in zip(last, first_row, strict=True)
        ]
        assert len(grid.remarks) == 1
    else:
        assert grid.rows[1:] == [last, first_row]
        assert grid.remarks == []


# ---- no table, bad files -------------------------------------------------------------------
def test_pdf_without_a_table_falls_back_to_prose_with_a_note():
    """prose.pdf: a project list (no 主要指标表) and target sentences → prose, said in one line."""
    assert len(read_pdf(DATA / "prose.pdf")) == 1
    res = import_file(DATA / "prose.pdf")
    assert res.draft.mode == "text"
    first = res.report.to_text().splitlines()[1]
    assert first.startswith("prose.pdf")
    assert "1 张表格都不是主要指标表" in first and "改为从正文起草目标" in first
    by = {(t["indicator"], t["kind"]): t for t in res.scenario["targets"]}
    assert by[("gdp", "level")]["value"] == 420
    assert by[("forest_cover", "level")]["value"] == 41
    with pytest.raises(IntakeError, match="no 主要指标表 found"):
        import_file(DATA / "prose.pdf", table=1)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("corrupt.pdf", "cannot read the PDF"),
        ("protected.pdf", "password-protected"),
        ("scanned.pdf", "no text layer (a scanned document, 1 page(s))"),
    ],
)
def test_bad_pdfs_name_the_file(name, message):
    """Corrupt, password-protected and scanned PDFs: IntakeError naming the file, both paths."""
    for read in (read_pdf, pdf_text, import_file):
        with pytest.raises(IntakeError) as exc:
            read(DATA / name)
        assert str(DATA / name) in str(exc.value) and message in str(exc.value)


def test_not_a_pdf_and_empty(tmp_path):
    """A .pdf that is no PDF, or empty, is refused before pdfplumber sees it."""
    fake = tmp_path / "fake.pdf"
    fake.write_text("指标,2020年\n", encoding="utf-8")
    with pytest.raises(IntakeError, match="fake.pdf: not a PDF file"):
        import_file(fake)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(IntakeError, match="empty.pdf: the file is empty"):
        import_file(empty)


def test_two_row_header_repeated_on_the_next_page_is_dropped():
    """A merged 目标 over 2025年 | 年均增长 (None beside it), repeated on page 2: one table."""
    from planlib.intake.draft import draft_from_table

    top = ["序号", "指标", "单位", "2020年", "“十四五”目标", None, "属性"]
    sub = [None, None, None, None, "2025年", "年均增长", None]
    gdp = ["1", "地区生产总值", "亿元", "300", "420", "7", "预期性"]
    forest = ["2", "森林覆盖率", "%", "40.2", "41", "—", "约束性"]
    edges = [60.0, 90.0, 250.0, 290.0, 340.0, 400.0, 460.0, 510.0]
    title = ["表1 某县主要指标", None, None, None, None, None, None]  # merged across the table
    one = _piece(1, [title, top, sub, gdp], edges=edges)
    two = _piece(2, [top, sub, forest], edges=edges)
    (grid,) = assemble([one, two])
    assert grid.rows == [one.rows[0], top, sub, gdp, forest]
    assert grid.origins[-1] == (2, 3)
    (table,) = find_tables([grid])
    assert table.title == "表1 某县主要指标" and table.rows == [3, 4]
    d = draft_from_table(table, "x.pdf")
    targets = {(i.id, t.kind): t for i, t in d.targets}
    assert targets[("gdp", "growth")].source == "x.pdf 表1!第1页F4"
    assert targets[("forest_cover", "level")].source == "x.pdf 表1!第2页E3"
    assert targets[("forest_cover", "level")].value == 41

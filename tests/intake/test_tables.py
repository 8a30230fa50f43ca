"""Table import: one 20-row 主要指标表 as xlsx, docx, pdf, csv and pasted txt → one scenario."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.auditing import audit
from planlib.intake import IntakeError, import_file
from planlib.intake.cells import normalise, parse_cell, split_name_unit
from planlib.intake.tables import column_letter, find_tables, grid_from_text, read_grids
from planlib.scenario import parse_scenario
from planlib.table import indicator_table, render_table

from .make_fixtures import HEADER, ROWS

DATA = Path(__file__).parent / "data"
#: the same table on one PDF page, over two pages (header repeated, a row cut by the break,
#: owner-restricted), and in narrow columns over two pages without a repeated header
PDFS = ["sample.pdf", "sample-2pages.pdf", "sample-narrow.pdf"]
FORMATS = ["sample.xlsx", "sample.docx", "sample.csv", "sample.txt", *PDFS]
#: sample-narrow.pdf holds a second table (表2) after the first
OPTIONS = {"sample-narrow.pdf": {"table": 1}}
_ADDRESS = re.compile(r"(表\d+)!(?:第(\d+)页)?([A-Z]+)(\d+)$")


def _locate(grids: dict, where: str):
    """(grid, row, column) of ``表1!C7`` or, in a PDF, ``表1!第2页C5`` (row 5 of page 2)."""
    m = _ADDRESS.match(where)
    assert m, where
    label, page, col, row = m.groups()
    grid = grids[label]
    c = sum((ord(ch) - 64) * 26**k for k, ch in enumerate(reversed(col))) - 1
    assert column_letter(c + 1) == col
    if page is None:
        assert grid.origins is None
        return grid, int(row) - 1, c
    return grid, grid.origins.index((int(page), int(row))), c


def _printed_cells(pdf_path: Path, page: int) -> list:
    """Every cell text of every ruled table printed on ``page``, read straight with pdfplumber."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        tables = pdf.pages[page - 1].extract_tables()
    return [
        [[None if v is None else re.sub(r"\s+", "", v) for v in row] for row in table]
        for table in tables
    ]


def _without_provenance(obj):
    """Return the scenario without file names and cell addresses (they differ by format)."""
    if isinstance(obj, dict):
        return {
            k: _without_provenance(v)
            for k, v in obj.items()
            if k not in ("source", "sources", "description", "id", "notes")
        }
    if isinstance(obj, list):
        return [_without_provenance(x) for x in obj]
    return obj


@pytest.fixture(scope="module")
def results():
    """Results."""
    return {f: import_file(DATA / f, **OPTIONS.get(f, {})) for f in FORMATS}


def test_every_format_imports_to_identical_scenarios(results):
    """xlsx, docx, csv, txt and the three PDFs import to identical scenarios."""
    first = _without_provenance(results[FORMATS[0]].scenario)
    for f in FORMATS[1:]:
        assert _without_provenance(results[f].scenario) == first, f


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_twenty_rows_kept(results, fmt):
    """All twenty rows kept."""
    res = results[fmt]
    assert res.report.counts["rows"] == 20
    assert [i["name_zh"] for i in res.scenario["indicators"]] == [
        re.sub(
            r"(增长|涨幅|降低)$",
            lambda m: "涨幅" if m.group() == "涨幅" else "",
            split_name_unit(r[1])[0],
        )
        for r in ROWS
    ]
    assert res.report.counts["skipped"] == 0
    # every target-like cell of the table became a target
    stated = sum(1 for r in ROWS for cell in (r[3], r[4]) if cell != "—")
    assert len(res.scenario["targets"]) == stated


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_value_names_its_cell(results, fmt):
    """Each target's source is file + cell, and that cell holds its wording; bases likewise."""
    res = results[fmt]
    grids = {g.label: g for g in read_grids(DATA / fmt)}
    for t in res.scenario["targets"]:
        file, where = t["source"].split(" ")
        assert file == fmt
        grid, r, c = _locate(grids, where)
        assert str(grid.value(r, c)).strip() == t["wording"]
        if fmt.endswith(".pdf"):  # the page, row and column name the printed cell
            page, row = map(int, re.search(r"第(\d+)页[A-Z]+(\d+)", where).groups())
            printed = _printed_cells(DATA / fmt, page)
            assert any(row <= len(tb) and tb[row - 1][c] == t["wording"] for tb in printed)
        cell = parse_cell(grid.value(r, c))
        if (
            t["kind"] not in ("qualitative", "relative_growth")
            and cell.value is not None
            and cell.factor is None
        ):
            assert cell.value == pytest.approx(t["value"])
    for ind in res.scenario["indicators"]:
        assert ind["source"].startswith(fmt + " ")
        if "base" in ind:
            where = re.search(r"\d{4}年 (表\d+!\S+?)(；|$)", ind["source"]).group(1)
            grid, r, c = _locate(grids, where)
            assert parse_cell(grid.value(r, c)).value == pytest.approx(ind["base"]["value"])


def test_what_the_cells_say(results):
    """What the cells say."""
    sc = results["sample.xlsx"].scenario
    inds = {i["id"]: i for i in sc["indicators"]}
    by = {(t["indicator"], t["kind"]): t for t in sc["targets"]}
    assert by[("gdp", "growth")]["op"] == "~"
    assert by[("urbanisation_rate", "pp_change")]["value"] == 4.8
    assert by[("life_expectancy", "increment")]["value"] == 1
    assert inds["life_expectancy"]["base"] == {"year": 2020, "value": 78.1, "data_year": 2019}
    assert inds["energy_capacity"]["base"]["status"] == "预计"
    assert by[("energy_intensity", "reduction")]["value"] == 14
    assert inds["energy_intensity"]["direction"] == "lower"
    assert by[("disposable_income", "relative_growth")]["reference"] == "gdp"
    assert by[("disposable_income", "relative_growth")]["op"] == "~"
    assert by[("labour_productivity", "relative_growth")]["op"] == ">"
    assert by[("cpi", "qualitative")]["text"] == "保持在合理区间"
    assert by[("digital_economy", "level")]["value"] == 100  # 翻一番 of 50
    assert by[("unemployment_rate", "level")]["op"] == "<="
    assert by[("grain_capacity", "level")]["op"] == ">"
    assert inds["schooling_years"]["attribute"] == "约束性"
    assert inds["forest_cover"]["category"] == "绿色生态"
    # the drafted rule restates the row's own pace: 0.96 百分点 a year = 4.8 / 5
    params = {p["name"]: p for p in sc["parameters"]}
    assert params["urbanisation_rate_pp"]["default"] == pytest.approx(4.8 / 5)
    assert params["gdp_growth"]["default"] == 7


def test_scenario_loads_audits_and_tables(results):
    """Scenario loads audits and tables."""
    res = results["sample.xlsx"]
    sc = parse_scenario(res.yaml, "sample.yaml")
    report = audit(sc)
    assert report.exit_code == 0
    rows = {r["id"]: r for r in report.rows}
    # the one real check the table allows: 300 × 1.07^5 against 420 (hand calculation)
    assert rows["gdp_level_2025"]["implied"] == pytest.approx(300 * 1.07**5)
    assert rows["retail_sales_level_2025"]["implied"] == pytest.approx(120 * 1.06**5)
    assert rows["urbanisation_rate_level_2025"]["implied"] == pytest.approx(55.2 + 4.8)
    df = indicator_table(sc)
    text = render_table(df, "md", title=sc.meta.name)
    table_lines = [ln for ln in text.splitlines() if ln.startswith("| ")][1:]
    assert len(table_lines) == 20
    for line, row in zip(table_lines, ROWS, strict=True):
        cells = [c.strip() for c in line.strip("|").split("|")]
        name = split_name_unit(row[1])[0]
        assert cells[1] in name  # 地区生产总值增长 → the indicator 地区生产总值
        assert cells[0] == row[0]
        assert cells[8] == row[5]
        if row[2] != "—" and "增长" not in row[1]:  # base values print as written
            assert cells[4].startswith(normalise(row[2]).replace("预计", "").rstrip("*"))
        if row[4] == "翻一番":  # read as the level 2 × base
            assert f"| {2 * float(row[2]):g} |" in line
        elif row[4] != "—":
            assert row[4] in line
        if row[3] not in ("—",):
            target = parse_cell(row[3]).value
            assert f"{target:.1f}" in line or f"{target:.2f}" in line or str(int(target)) in line


def test_markdown_table_and_header_not_on_row_one(tmp_path):
    """Markdown table and header not on row one."""
    lines = [
        "# 某区规划",
        "",
        "表2 主要指标",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ] + ["| " + " | ".join(r) + " |" for r in ROWS[:3]]
    p = tmp_path / "plan.md"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = import_file(p)
    assert res.report.counts["rows"] == 3
    assert res.scenario["targets"][0]["source"] == "plan.md 表1!D7"
    assert res.scenario["meta"]["name"] == "主要指标"


def test_space_separated_paste():
    """Space separated paste."""
    text = (
        "指标 2020年 2025年 属性\n地区生产总值（亿元） 300 420 预期性\n"
        "森林覆盖率（%） 40.2 41 约束性\n"
    )
    tables = find_tables([grid_from_text(text)])
    assert len(tables) == 1 and len(tables[0].rows) == 2


def test_several_tables_are_listed_and_chosen(tmp_path):
    """Several tables are listed and chosen."""
    block = "\t".join(HEADER) + "\n" + "\t".join(ROWS[0]) + "\n"
    p = tmp_path / "two.txt"
    p.write_text(
        "表1 甲\n" + block + "\n\n表2 乙\n" + block + "\t".join(ROWS[3]) + "\n", encoding="utf-8"
    )
    with pytest.raises(
        IntakeError, match=r"2 tables found — 1\. 表1 甲 \(1 rows\); 2\. 表2 乙 \(2 rows\)"
    ):
        import_file(p)
    assert import_file(p, table=2).report.counts["rows"] == 2
    with pytest.raises(IntakeError, match="--table 3 does not exist"):
        import_file(p, table=3)


def test_unreadable_row_is_kept_as_qualitative(tmp_path):
    """Unreadable row is kept as qualitative."""
    p = tmp_path / "q.csv"
    p.write_text(
        "指标,2020年,2025年,属性\n营商环境（%）,,明显改善,预期性\n某指标（个）,—,—,预期性\n",
        encoding="utf-8",
    )
    res = import_file(p)
    kinds = [(t["indicator"], t["kind"], t.get("text")) for t in res.scenario["targets"]]
    assert kinds[0][1:] == ("qualitative", "明显改善")
    assert kinds[1][1] == "qualitative" and "某指标" in kinds[1][2]
    text = res.report.to_text()
    assert "表1!C2 “明显改善” → 定性 2025年：明显改善" in text
    assert "需要核对" in text


def test_options_fill_what_the_table_does_not_say(tmp_path):
    """Options fill what the table does not say."""
    p = tmp_path / "x.csv"
    p.write_text("指标,目标,属性\n森林覆盖率（%）,41,约束性\n", encoding="utf-8")
    res = import_file(p, region="某镇", period=(2026, 2030))
    meta = res.scenario["meta"]
    assert (meta["region"], meta["level"], meta["period"], meta["base_year"]) == (
        "某镇",
        "乡镇",
        [2026, 2030],
        2025,
    )
    assert res.scenario["targets"][0]["year"] == 2030
    yaml.safe_load(res.yaml)


def test_output_does_not_depend_on_units_declared_earlier_in_the_process():
    """Loading a scenario registers its units: a second import must still declare them."""
    first = import_file(DATA / "sample.csv")
    parse_scenario(first.yaml, "a.yaml")  # declares 件 and 万吨 in this process
    again = import_file(DATA / "sample.csv")
    assert again.yaml == first.yaml
    assert all(u["name"] not in ("亿元", "%") for u in again.scenario["units"])
    assert "万吨" in again.report.to_text()  # the guess is reported


def test_two_row_header_unit_column_and_two_base_years(tmp_path):
    """Merged 目标 over 2025年 | 年均增长; a 单位 column; 2019 and 2020（预计） base columns."""
    p = tmp_path / "two.csv"
    p.write_text(
        "序号,指标,单位,2019年,2020年（预计）,“十四五”目标,,属性\n"
        ",,,,,2025年,年均增长,\n"
        "1,地区生产总值,亿元,280,300,420,7,预期性\n"
        "2,森林覆盖率,%,40.0,40.2,41,—,约束性\n",
        encoding="utf-8",
    )
    res = import_file(p)
    inds = {i["id"]: i for i in res.scenario["indicators"]}
    assert inds["gdp"]["unit"] == "亿元"
    assert inds["gdp"]["base"] == {"year": 2020, "value": 300, "status": "预计"}
    assert inds["gdp"]["history"] == {2019: 280}
    by = {(t["indicator"], t["kind"]): t for t in res.scenario["targets"]}
    assert by[("gdp", "level")]["source"] == "two.csv 表1!F3"
    assert by[("gdp", "growth")]["value"] == 7
    assert by[("forest_cover", "level")]["value"] == 41
    parse_scenario(res.yaml, "two.yaml")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=1, max_value=9999, places=1),
            st.decimals(min_value=1, max_value=9999, places=1),
            st.sampled_from(["", "以上", "以内", "左右", ">", "<", "≥", "≤"]),
            st.sampled_from(["预期性", "约束性"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_table_round_trips_its_numbers(tmp_path_factory, rows):
    """Property: every base and target number written in a table comes back with its op and cell."""
    lines = ["指标,2020年,2025年,属性"]
    for k, (base, target, marker, attr) in enumerate(rows):
        cell = (marker + str(target)) if marker in (">", "<", "≥", "≤") else f"{target}{marker}"
        lines.append(f"指标{k}（亿元）,{base},{cell},{attr}")
    p = tmp_path_factory.mktemp("prop") / "t.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = import_file(p)
    sc = res.scenario
    assert len(sc["indicators"]) == len(rows)
    ops = {
        "": ">=",
        "以上": ">=",
        "以内": "<=",
        "左右": "~",
        ">": ">",
        "<": "<",
        "≥": ">=",
        "≤": "<=",
    }
    for k, ((base, target, marker, attr), ind, t) in enumerate(
        zip(rows, sc["indicators"], sc["targets"], strict=True)
    ):
        assert ind["base"]["value"] == pytest.approx(float(base))
        assert ind["attribute"] == attr
        assert (t["value"], t["op"]) == (pytest.approx(float(target)), ops[marker])
        assert t["source"] == f"t.csv 表1!C{k + 2}"
    parse_scenario(res.yaml, "t.yaml")


def _openpyxl_rows(path):
    import openpyxl

    from planlib.intake.tables import _cell_text

    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    rows = [[_cell_text(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row - 1, rng.max_row):
            for c in range(rng.min_col - 1, rng.max_col):
                rows[r][c] = rows[rng.min_row - 1][rng.min_col - 1]
    return rows


def test_fast_xlsx_reader_agrees_with_openpyxl(tmp_path):
    """The XML reader (fast path) gives openpyxl's grid, for openpyxl and xlsxwriter files."""
    import xlsxwriter

    from planlib.intake.tables import _read_xlsx_xml

    p = tmp_path / "w.xlsx"
    wb = xlsxwriter.Workbook(p)
    ws = wb.add_worksheet("指标")
    one = wb.add_format({"num_format": "0.0"})
    ws.merge_range("A1:D1", "表1 某市主要指标")
    ws.write_row(1, 0, ["类别", "指标", "2020年", "2025年"])
    ws.merge_range("A3:A4", "经济发展")
    ws.write_row(2, 1, ["地区生产总值（亿元）", 300])
    ws.write_number(2, 3, 420.0, one)
    ws.write_row(3, 1, ["森林覆盖率（%）", 40.2, "≥41"])
    wb.close()
    for path in (p, DATA / "sample.xlsx"):
        assert _read_xlsx_xml(path.read_bytes())[0].rows == _openpyxl_rows(path)
    row = _read_xlsx_xml(p.read_bytes())[0].rows[2]
    assert row == ["经济发展", "地区生产总值（亿元）", "300", "420.0"]


def test_other_columns_are_kept_not_dropped(tmp_path):
    """A 备注 column is no base and no target: its text goes to the indicator's source."""
    p = tmp_path / "r.csv"
    p.write_text(
        "指标,2020年,2025年,属性,备注\n森林覆盖率（%）,40.2,41,约束性,省下达\n", encoding="utf-8"
    )
    res = import_file(p)
    assert res.scenario["indicators"][0]["source"].endswith("备注：省下达（表1!E2）")
    assert "表1!E2 “省下达” → 备注 记入指标说明" in res.report.to_text()


def test_long_range_column_is_a_target_after_the_period(tmp_path):
    """2020年 | 2025年 | 2035年: base, period target, 远景 target after the period."""
    p = tmp_path / "y.csv"
    p.write_text(
        "指标,2020年,2025年,2035年,属性\n地区生产总值（亿元）,300,420,800,预期性\n",
        encoding="utf-8",
    )
    res = import_file(p)
    assert res.scenario["meta"]["period"] == [2021, 2025]
    assert [(t["year"], t["value"]) for t in res.scenario["targets"]] == [(2025, 420), (2035, 800)]
    parse_scenario(res.yaml, "y.yaml")


def test_no_target_year_and_no_period_names_the_header_cell(tmp_path):
    """No target year and no period names the header cell."""
    p = tmp_path / "n.csv"
    p.write_text("说明\n指标,目标,属性\n森林覆盖率（%）,41,约束性\n", encoding="utf-8")
    with pytest.raises(IntakeError, match=r"n.csv 表1!A2: the header names no target year"):
        import_file(p)

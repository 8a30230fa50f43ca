"""Official documents: the 主要指标表 / 完成情况 in Word and Excel, read back cell by cell."""

from pathlib import Path

import pytest

from planlib.cli import main
from planlib.reports import official_table, write_docx, write_xlsx
from planlib.scenario import load_scenario
from planlib.tracking.actuals import read_actuals

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
COUNTY = DATA / "county-14fyp.yaml"
COUNTY_ACTUALS = DATA / "county-14fyp.actuals.csv"
PARK_ACTUALS = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"

#: the 完成情况 table of the county, by hand
#: (see tests/tracking/test_final_review.py for the figures)
EXPECTED = [
    [
        "经济发展",
        "地区生产总值（亿元）",
        "100",
        "140",
        "7左右",
        "预期性",
        "120",
        "3.71",
        "未完成（差3.29个百分点，完成率53.1%）",
    ],  # 7 % 左右 vs cagr(100, 120, 5) = 3.71 %
    [
        "经济发展",
        "社会消费品零售总额（亿元）",
        "40",
        "50",
        "—",
        "预期性",
        "55",
        "—",
        "超额完成（完成率110.0%）",
    ],
    [
        "经济发展",
        "固定资产投资（亿元）",
        "—",
        "—",
        "〔100〕",
        "预期性",
        "20",
        "〔100〕",
        "完成",
    ],  # 18+20+22+20+20
    [
        "创新驱动",
        "研发经费投入强度（%）",
        "1.5",
        "2.0",
        "〔0.5〕",
        "预期性",
        "1.9",
        "〔0.40〕",
        "未完成（差0.10个百分点，完成率80.0%）",
    ],
    [
        "创新驱动",
        "每万人口高价值发明专利拥有量（件）",
        "1.2",
        "2.2",
        "〔1〕",
        "预期性",
        "2.2",
        "〔1.00〕",
        "完成",
    ],
    ["民生福祉", "常住人口城镇化率（%）", "50", "55", "〔5〕", "预期性", "55", "〔5.00〕", "完成"],
    [
        "民生福祉",
        "建成区面积（平方公里）",
        "15",
        "20",
        "—",
        "预期性",
        "—",
        "—",
        "数据不足（缺2025年实绩）",
    ],
    [
        "民生福祉",
        "城镇居民人均可支配收入（元）",
        "30000",
        "—",
        "7",
        "预期性",
        "40000",
        "5.92",
        "未完成（差1.08个百分点，完成率84.6%）",
    ],
    [
        "民生福祉",
        "城镇调查失业率（%）",
        "5.2",
        "≤5.5",
        "—",
        "预期性",
        "5.0",
        "—",
        "超额完成（优于目标0.50个百分点）",
    ],
    [
        "民生福祉",
        "人均预期寿命（岁）",
        "77.3*",
        "78.3",
        "〔1〕",
        "预期性",
        "78.1",
        "〔0.80〕",
        "未完成（差0.20岁，完成率80.0%）",
    ],
    [
        "绿色生态",
        "单位地区生产总值能源消耗（吨标准煤/万元）",
        "0.50",
        "—",
        "〔13.5〕",
        "约束性",
        "0.45",
        "〔10.00〕",
        "未完成（差3.50个百分点，完成率74.1%）",
    ],
    [
        "绿色生态",
        "森林覆盖率（%）",
        "30.0△",
        "31",
        "—",
        "约束性",
        "31.2",
        "—",
        "超额完成（完成率100.6%）",
    ],
    [
        "绿色生态",
        "地表水达到或好于Ⅲ类水体比例（%）",
        "80.0",
        "85",
        "—",
        "约束性",
        "84.8",
        "—",
        "未完成（差0.20个百分点，完成率99.8%）",
    ],
    ["安全保障", "耕地保有量（公顷）", "30000", "30000", "—", "约束性", "30000", "—", "完成"],
    [
        "安全保障",
        "政府债务风险（%）",
        "—",
        "保持在合理区间",
        "—",
        "预期性",
        "—",
        "—",
        "定性（待评价）",
    ],
]
HEADER = [
    "类别",
    "指标",
    "2020年",
    "2025年",
    "年均增长〔累计〕",
    "属性",
    "2025年实际",
    "实际年均〔累计〕",
    "完成情况",
]


@pytest.fixture(scope="module")
def county():
    return load_scenario(COUNTY)


@pytest.fixture(scope="module")
def table(county):
    return official_table(county, read_actuals(COUNTY_ACTUALS, county))


def test_official_table_by_hand(table):
    assert table.title == "表1 示范县“十四五”时期经济社会发展主要指标完成情况"
    assert table.header == HEADER
    assert table.cells() == EXPECTED
    assert table.footnotes[0] == "注：1. 〔〕内为五年累计数。"
    assert "人均预期寿命为2019年" in table.footnotes[1] and "森林覆盖率" in table.footnotes[2]
    assert table.summary.startswith(
        "截至2025年，15项指标中完成7项（其中超额完成3项），未完成6项，其中约束性2项"
        "（单位地区生产总值能源消耗、地表水达到或好于Ⅲ类水体比例）"
    )


def test_plan_table_without_actuals(county):
    t = official_table(county)
    assert t.title == "表1 示范县“十四五”时期经济社会发展主要指标" and len(t.header) == 6
    cols = [
        0,
        1,
        3,
        4,
        5,
    ]  # the base column keeps the plan's own precision (0.5, not 0.50 as beside 0.45)
    assert [[row[j] for j in cols] for row in t.cells()] == [
        [row[j] for j in cols] for row in EXPECTED
    ]
    assert [row[2] for row in t.cells()][10:13] == ["0.5", "30△", "80"]
    assert t.summary == "示范县“十四五”规划主要指标15项，其中约束性4项、预期性11项。"


def test_docx_read_back_cell_by_cell(table, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm

    path = write_docx(table, tmp_path / "完成情况.docx")
    doc = Document(path)
    sec = doc.sections[0]
    assert abs(sec.page_width - Cm(21)) < Cm(0.01) and abs(sec.page_height - Cm(29.7)) < Cm(0.01)
    assert doc.paragraphs[0].text == table.title and doc.paragraphs[1].text == table.summary
    t = doc.tables[0]
    assert [c.text for c in t.rows[0].cells] == HEADER
    assert [[c.text for c in row.cells] for row in t.rows[1:]] == EXPECTED
    # the category is one merged cell per group
    assert t.cell(1, 0)._tc is t.cell(3, 0)._tc and t.cell(3, 0)._tc is not t.cell(4, 0)._tc
    # header row repeats across pages; Chinese fonts set for East Asian text
    assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    run = t.rows[1].cells[1].paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋"
    notes = [p.text for p in doc.paragraphs if p.text.startswith(("注：", "2.", "3.", "4.", "5."))]
    assert notes == table.footnotes
    # one chart per quantitative target with actuals (not the qualitative or relative one)
    charted = [
        r
        for r in table.review.rows
        if r["kind"] not in ("qualitative", "relative_growth") and r["latest_year"] is not None
    ]
    assert len(doc.inline_shapes) == len(charted) == 18  # 20 − qualitative − relative_growth


def test_xlsx_read_back_cell_by_cell(table, tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(table, tmp_path / "完成情况.xlsx")
    wb = load_workbook(path)
    ws = wb["主要指标完成情况"]
    assert ws["A1"].value == table.title and ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]] == HEADER + ["备注"]
    assert "A3:A5" in {str(r) for r in ws.merged_cells.ranges}  # 经济发展: three rows
    by_name = {ws.cell(row=i, column=2).value: i for i in range(3, 3 + len(EXPECTED))}
    gdp = by_name["地区生产总值（亿元）"]
    assert [ws.cell(row=gdp, column=j).value for j in range(3, 9)] == [
        100,
        140,
        7,
        "预期性",
        120,
        pytest.approx(3.7137, abs=1e-4),
    ]
    assert ws.cell(row=gdp, column=3).number_format == "0"
    energy = by_name["单位地区生产总值能源消耗（吨标准煤/万元）"]
    assert (
        ws.cell(row=energy, column=3).value == 0.5
        and ws.cell(row=energy, column=3).number_format == "0.00"
    )
    assert ws.cell(row=energy, column=5).value == 13.5
    assert (
        ws.cell(row=energy, column=5).number_format == '"〔"0.0"〕"'
    )  # 〔〕 is a format, the cell a number
    assert ws.cell(row=energy, column=8).value == pytest.approx(10.0)
    assert ws.cell(row=energy, column=9).value == "未完成（差3.50个百分点，完成率74.1%）"
    assert ws.cell(row=energy, column=9).fill.fgColor.rgb[-6:] == "d73027"
    life = by_name["人均预期寿命（岁）"]
    assert (
        ws.cell(row=life, column=3).value == 77.3 and "2019年" in ws.cell(row=life, column=10).value
    )
    debt = by_name["政府债务风险（%）"]
    assert (
        ws.cell(row=debt, column=4).value == "保持在合理区间"
        and ws.cell(row=debt, column=3).value is None
    )
    assert ws.cell(row=3 + len(EXPECTED) + 1, column=1).value == table.footnotes[0]
    assert ws.column_dimensions["B"].width >= 2 * len(
        "单位地区生产总值能源消耗"
    )  # fitted to the longest name
    years = wb["年度数据"]
    assert [c.value for c in years[2]][:5] == ["指标代码", "指标", "单位", "序列", "2020年"]
    rows = {
        (years.cell(row=i, column=1).value, years.cell(row=i, column=4).value): i
        for i in range(3, years.max_row + 1)
    }
    heads = [c.value for c in years[2]]
    assert years.cell(row=rows[("gdp", "实绩")], column=heads.index("2025年") + 1).value == 120
    assert years.cell(row=rows[("gdp", "规划")], column=heads.index("2020年") + 1).value == 100
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not (
                    isinstance(c.value, str)
                    and any(0x1F000 <= ord(ch) <= 0x1FAFF or ch in "✅⚪" for ch in c.value)
                )


def test_cli_report(tmp_path, capsys, park_path):
    out = tmp_path / "r.docx"
    assert (
        main(["report", str(COUNTY), "--actuals", str(COUNTY_ACTUALS), "-o", str(out)]) == 1
    )  # 约束性 未完成
    assert out.exists() and "其中约束性2项" in capsys.readouterr().out
    assert (
        main(["report", str(COUNTY), "--actuals", str(COUNTY_ACTUALS), "-o", str(out)]) == 2
    )  # exists
    assert "--overwrite" in capsys.readouterr().err
    assert main(["report", str(COUNTY), "-o", str(tmp_path / "r.pdf")]) == 2
    assert main(["report", str(COUNTY), "--final", "-o", str(tmp_path / "x.xlsx")]) == 2
    plan = tmp_path / "plan.xlsx"
    assert main(["report", str(park_path), "-o", str(plan)]) == 0
    from openpyxl import load_workbook

    ws = load_workbook(plan)["主要指标"]
    assert (
        ws["A1"].value == "表1 黄羊工业园区“十四五”时期经济社会发展主要指标" and ws.max_column == 7
    )
    park_docx = tmp_path / "park.docx"
    assert (
        main(
            [
                "report",
                str(park_path),
                "--actuals",
                str(PARK_ACTUALS),
                "-o",
                str(park_docx),
                "--no-charts",
            ]
        )
        == 0
    )
    from docx import Document

    t = Document(park_docx).tables[0]
    row = next(r for r in t.rows if r.cells[1].text == "规上企业（户）")
    assert [c.text for c in row.cells][2:] == ["15", "25", "—", "预期性", "25", "—", "完成"]


@pytest.mark.parametrize("n", [6, 9])
def test_column_widths_fill_the_text_width(n):
    from planlib.reports.word import MARGIN_CM, PAGE_WIDTH_CM, column_widths

    assert sum(column_widths(n)) == pytest.approx(PAGE_WIDTH_CM - 2 * MARGIN_CM)


def test_i13_county_example_in_the_official_layout(tmp_path):
    """The shared 20-row synthetic county (scenarios/county-example-14fyp.*), figures by hand."""
    from openpyxl import load_workbook

    sc = load_scenario(ROOT / "scenarios" / "county-example-14fyp.yaml")
    act = read_actuals(ROOT / "scenarios" / "county-example-14fyp.actuals.csv", sc)
    t = official_table(sc, act)
    rows = {r[1]: r for r in t.cells()}
    # reported comparable-price growth 5.5, 5.0, 6.0, 5.6, 5.9 % chained: 5.60 % a year,
    # inside 6 左右 ± 0.5
    chained = (1.055 * 1.05 * 1.06 * 1.056 * 1.059) ** 0.2 * 100 - 100
    gdp = rows["地区生产总值（亿元）"]
    assert gdp[2:8] == ["400", "—", "6左右", "预期性", "556△", f"{chained:.2f}"]
    assert gdp[8] == f"基本完成（差{6 - chained:.2f}个百分点，完成率{chained / 6 * 100:.1f}%）"
    # 〔13.5〕 降低: 0.600 → 0.500 is a 16.67 % fall
    energy = rows["单位地区生产总值能源消耗（吨标煤/万元）"]
    assert energy[4] == "〔13.5〕" and energy[7] == "〔16.67〕"
    assert energy[8] == f"超额完成（完成率{(1 - 0.5 / 0.6) * 100 / 13.5 * 100:.1f}%）"
    assert any("地区生产总值2025年实际值" in n for n in t.footnotes)  # 预计 figures marked △
    path = write_xlsx(t, tmp_path / "示例县.xlsx")
    ws = load_workbook(path)["主要指标完成情况"]
    i = next(
        r
        for r in range(3, ws.max_row + 1)
        if ws.cell(row=r, column=2).value == "地区生产总值（亿元）"
    )
    assert ws.cell(row=i, column=7).value == 556 and ws.cell(
        row=i, column=8
    ).value == pytest.approx(chained)
    assert "实际值为预计数或估算数" in ws.cell(row=i, column=10).value


def test_text_cells_never_become_formulas(tmp_path):
    from openpyxl import load_workbook

    from planlib.table import Sheet, write_workbook

    path = write_workbook(
        tmp_path / "x.xlsx",
        [Sheet("表", "=1+1", ["指标", "值"], [['=HYPERLINK("http://x")', 1.5], ["@SUM(A1)", -2]])],
    )
    ws = load_workbook(path)["表"]
    for cell in (ws["A1"], ws["A3"], ws["A4"]):
        assert cell.data_type == "s" and not str(cell.value).startswith(("=", "@"))
    assert ws["B3"].value == 1.5 and ws["B4"].value == -2  # numbers stay numbers


def test_chart_titles_carry_the_outcome(table):
    import matplotlib.pyplot as plt

    from planlib.reports import word

    titles = []
    real = plt.close

    def keep(fig):
        titles.append(fig.axes[0].get_title())
        real(fig)

    plt.close = keep
    try:
        pngs = word._chart_pngs(table, "zh")
    finally:
        plt.close = real
    assert len(pngs) == 18 and all(png[:8] == b"\x89PNG\r\n\x1a\n" for _, png in pngs)
    assert titles[0] == "地区生产总值（年均增长7%左右）：未完成（差3.29个百分点，完成率53.1%）"
    assert titles[1].startswith("地区生产总值（2025年≥140") and titles[1].endswith("完成率85.7%）")


def test_english_table_counts_binding_misses(county):
    t = official_table(county, read_actuals(COUNTY_ACTUALS, county), lang="en")
    assert t.header[:2] == ["category", "indicator"] and t.rows[0].attribute == "indicative"
    assert "6 not completed (2 binding: energy, water)" in t.summary


def test_a_2035_goal_is_never_shown_as_the_period_target():
    text = COUNTY.read_text(encoding="utf-8").replace(
        "  - {id: built_2025, indicator: built, year: 2025, value: 20}\n",
        "  - {id: built_2035, indicator: built, year: 2035, value: 30}\n",
    )
    from planlib.scenario import parse_scenario

    t = official_table(parse_scenario(text, "c.yaml"))
    row = next(r for r in t.cells() if r[1] == "建成区面积（平方公里）")
    assert row[3] == "30（2035年）"

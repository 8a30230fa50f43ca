import csv
import io

import pytest
from conftest import SCENARIOS

from planlib.table import COLUMNS, indicator_table, render_table, write_table


def test_columns_and_seed_rows(park):
    df = indicator_table(park)
    assert list(df.columns) == COLUMNS["zh"]
    out = df[df["指标"] == "规上工业产值"].iloc[0]
    assert (out["单位"], out["基期年"], out["基期值"], out["目标年"], out["目标值"]) == (
        "亿元",
        2021,
        35,
        2025,
        50,
    )
    assert (
        out["年均增长/累计"] == "年均增长10%" and out["属性"] == "预期性" and out["审计"] == "达标"
    )
    urb = df[df["指标"] == "常住人口城镇化率"].iloc[0]
    assert urb["目标值"] == pytest.approx(64.0) and "百分点" in urb["年均增长/累计"]
    # only indicators with targets, as in an official table; all on request
    # ... each stated target once: the urbanisation and structure components' models
    # (常住人口城镇化率（人口模型）, 第三产业比重（三次产业结构）) restate listed targets
    assert len(df) == len({t.indicator for t in park.targets}) - 2
    assert list(df["指标"]).count("常住人口城镇化率") == 1
    assert not df["指标"].str.contains("（人口模型）|（三次产业结构）").any()
    assert len(indicator_table(park, include_all=True)) == len(park.indicators)


def test_what_if_changes_the_audit_column(park):
    df = indicator_table(park, params={"output_growth": 8})
    assert df[df["指标"] == "规上工业产值"].iloc[0]["审计"] == "警告"


def test_english_headers(park):
    df = indicator_table(park, lang="en")
    assert list(df.columns) == COLUMNS["en"]
    assert "Above-scale industrial output" in set(df["indicator"])


def test_markdown_html_csv(park):
    df = indicator_table(park)
    md = render_table(df, "md", title="主要指标表")
    assert (
        "| 类别 | 指标 | 单位 |" in md
        and "| 规上工业产值 | 亿元 | 2021 | 35.00 | 2025 | 50.00 |" in md
    )
    assert "| 规上企业 | 户 | 2020 | 15 | 2025 | 25 |" in md  # counts without decimals
    html = render_table(df, "html")
    assert "<th>年均增长/累计</th>" in html and "<td>规上工业产值</td>" in html
    rows = list(csv.reader(io.StringIO(render_table(df, "csv"))))
    assert rows[0] == COLUMNS["zh"]
    with pytest.raises(ValueError, match="format must be one of"):
        render_table(df, "pdf")


def test_xlsx_has_chinese_headers_and_number_formats(park, tmp_path):
    from openpyxl import load_workbook

    path = write_table(indicator_table(park), tmp_path / "t.xlsx")
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == COLUMNS["zh"]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    out = rows["规上工业产值"]
    assert out[4].value == 35 and out[4].number_format == "0.00" and out[6].value == 50
    assert rows["规上企业"][6].number_format == "0"
    csv_path = write_table(indicator_table(park), tmp_path / "t.csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM so Excel reads the Chinese


def test_binding_target_makes_its_row_binding():
    """Issue 12: the 低保 30 % rule is 约束性 in the targets, so the table row is 约束性."""
    from planlib.scenario import load_scenario

    sc = load_scenario(SCENARIOS / "minimum-living-standard.yaml")
    df = indicator_table(sc)
    assert set(df["属性"]) == {"约束性"} and len(df) == 2

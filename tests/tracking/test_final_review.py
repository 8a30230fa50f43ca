"""Final review (终期评估): 完成 / 超额完成 / 基本完成 / 未完成 / 定性 / 数据不足,
checked by hand."""

import json
import math
from pathlib import Path

import pytest

from planlib import growth
from planlib.cli import main
from planlib.scenario import load_scenario
from planlib.tracking.actuals import read_actuals
from planlib.tracking.review import OUTCOMES, review

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
COUNTY = DATA / "county-14fyp.yaml"
COUNTY_ACTUALS = DATA / "county-14fyp.actuals.csv"
PARK_ACTUALS = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"


@pytest.fixture(scope="module")
def county():
    return load_scenario(COUNTY)


@pytest.fixture(scope="module")
def final(county):
    return review(county, read_actuals(COUNTY_ACTUALS, county))


# ---- the 20-row county table ---------------------------------------------------------------------
def test_county_outcomes_by_hand(final):
    got = {r["id"]: r["outcome"] for r in final.rows}
    assert final.final and len(final.rows) == 20
    assert got == {
        "gdp_growth": "not_completed",
        "gdp_2025": "not_completed",
        "retail_2025": "exceeded",
        "fai_cum": "completed",
        "rd_pp": "not_completed",
        "patents_inc": "completed",
        "urban_2025": "completed",
        "urban_pp": "completed",
        "built_2025": "insufficient_data",
        "income_growth": "not_completed",
        "income_sync": "exceeded",
        "income_2035": "not_due",
        "unemployment_2025": "exceeded",
        "life_inc": "not_completed",
        "energy_red": "not_completed",
        "forest_2025": "exceeded",
        "water_2025": "not_completed",
        "grain_2025": "completed",
        "debt_q": "qualitative",
        "rd_growth": "basically",
    }
    assert set(got.values()) <= set(OUTCOMES)


def test_county_figures_by_hand(final):
    r = final.row("energy_red")  # 〔13.5〕 降低: 0.5 → 0.45 is a 10 % fall
    assert r["final_value"] == pytest.approx(10.0) and r["gap"] == pytest.approx(-3.5)
    assert r["completion"] == pytest.approx(10 / 13.5 * 100)
    assert r["outcome_text"] == "未完成（差3.50个百分点，完成率74.1%）"
    g = final.row("gdp_growth")  # 7 % 左右 (band 0.5) against 100 → 120 in five years
    assert g["final_value"] == pytest.approx(growth.cagr(100, 120, 5) * 100)
    assert final.row("gdp_2025")["completion"] == pytest.approx(120 / 140 * 100)
    assert final.row("retail_2025")["outcome_text"] == "超额完成（完成率110.0%）"
    assert final.row("fai_cum")["final_value"] == pytest.approx(18 + 20 + 22 + 20 + 20)
    assert final.row("patents_inc")["final_value"] == pytest.approx(
        2.2 - 1.2
    )  # 〔1〕 exactly: 完成
    assert final.row("built_2025")["outcome_text"] == "数据不足（缺2025年实绩）"  # 2024 is not 2025
    sync = final.row("income_sync")
    assert sync["final_value"] == pytest.approx(
        (growth.cagr(30000, 40000, 5) - growth.cagr(100, 120, 5)) * 100
    )
    u = final.row("unemployment_2025")
    assert u["gap"] == pytest.approx(-0.5) and math.isnan(u["completion"])
    assert u["outcome_text"] == "超额完成（优于目标0.50个百分点）"
    assert final.row("forest_2025")["completion"] == pytest.approx(31.2 / 31 * 100)
    assert final.row("water_2025")["outcome_text"] == "未完成（差0.20个百分点，完成率99.8%）"
    assert final.row("rd_growth")["outcome_text"] == "基本完成（与目标持平）"  # > 0.4, got 0.4
    assert final.row("debt_q")["outcome_text"] == "定性（待评价）"
    assert final.row("income_2035")["outcome_text"] == "未到期（2035年）"


def test_binding_missed_first_and_exit_code(final):
    assert [r["id"] for r in final.binding_missed()] == ["energy_red", "water_2025"]
    assert [r["id"] for r in final.final_rows()[:2]] == ["energy_red", "water_2025"]
    assert all(r["outcome"] == "not_completed" for r in final.final_rows()[2:7])
    assert final.exit_code == 1
    text = final.to_text()
    assert (
        text.splitlines()[1]
        == "约束性指标未完成：单位地区生产总值能源消耗、地表水达到或好于Ⅲ类水体比例"
    )
    assert final.summary() == (
        "截至2025年，20项目标中完成9项（其中超额完成4项），基本完成1项，未完成7项，其中约束性2项"
        "（单位地区生产总值能源消耗、地表水达到或好于Ⅲ类水体比例），预期性5项（地区生产总值、地区生产总值、"
        "研发经费投入强度、城镇居民人均可支配收入、人均预期寿命），定性目标1项待评价，数据不足1项（建成区面积），"
        "远景目标1项未到期。"
    )


def test_midterm_keeps_progress_classes(county):
    mid = review(county, read_actuals(COUNTY_ACTUALS, county), as_of=2023)
    assert not mid.final and all(
        r["outcome"] is None for r in mid.rows if r["kind"] != "qualitative"
    )
    assert "进度比" in mid.to_text() and "未完成" not in mid.to_text()
    forced = review(county, read_actuals(COUNTY_ACTUALS, county), as_of=2023, final=True)
    assert (
        forced.final and forced.row("urban_2025")["outcome"] == "insufficient_data"
    )  # no 2025 yet


def test_park_final_review(park):
    rv = review(park, read_actuals(PARK_ACTUALS, park))
    assert rv.row("above_scale_2025")["outcome"] == "completed"  # 25 户 = 25 户
    assert rv.row("tax_2025")["completion"] == pytest.approx(2.05 / 2 * 100)
    assert rv.row("output_2025")["outcome_text"] == "未完成（差2.50亿元，完成率95.0%）"
    assert rv.row("attracted_cumulative")["final_value"] == pytest.approx(
        3.2 + 2.8 + 3.5 + 3.1 + 3.4
    )
    assert rv.exit_code == 0  # nothing 约束性


def test_cli_final_review(capsys, tmp_path):
    code = main(["review", str(COUNTY), "--actuals", str(COUNTY_ACTUALS), "--format", "json"])
    assert code == 1  # a 约束性 target 未完成
    data = json.loads(capsys.readouterr().out)
    assert data["final"] and data["outcome_counts"]["not_completed"] == 7
    assert main(["review", str(COUNTY), "--actuals", str(COUNTY_ACTUALS), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "binding targets not completed" in out and "7 not completed (2 binding" in out


def _has_emoji(text: str) -> bool:
    """Pictographs (U+1F000–1FAFF), misc symbols and dingbats (U+2600–27BF: ✅ ⚪), U+2B00–2BFF."""
    return any(
        0x1F000 <= ord(ch) <= 0x1FAFF or 0x2600 <= ord(ch) <= 0x27BF or 0x2B00 <= ord(ch) <= 0x2BFF
        for ch in text
    )


def test_review_xlsx_numbers_chinese_headers_no_emoji(final, tmp_path):
    from openpyxl import load_workbook

    path = final.write_xlsx(tmp_path / "评估.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["完成情况", "评估", "实绩与规划"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3" and ws["A1"].value
        heads = [c.value for c in ws[2]]
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in heads), heads
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert not _has_emoji(c.value), c.value
    ws = wb["完成情况"]
    heads = [c.value for c in ws[2]]
    rows = {
        ws.cell(row=i, column=2).value + "|" + str(ws.cell(row=i, column=5).value): i
        for i in range(3, ws.max_row + 1)
    }
    i = rows["社会消费品零售总额|2025年≥50.00亿元"]
    assert ws.cell(row=i, column=heads.index("实绩") + 1).value == 55
    assert ws.cell(row=i, column=heads.index("完成率（%）") + 1).value == pytest.approx(110.0)
    assert ws.cell(row=i, column=heads.index("完成率（%）") + 1).number_format == "0.0"
    assert ws.cell(row=i, column=heads.index("差距") + 1).number_format == "0.00"
    assert ws.cell(row=3, column=2).value == "单位地区生产总值能源消耗"  # 约束性 未完成 first
    assert ws.cell(row=3, column=heads.index("实绩") + 1).value == pytest.approx(10.0)


# ---- the park plan with a binding target, a qualitative one and no 2025 tax figure --------------
def test_park_final_review_binding_qualitative_missing(edited, tmp_path):
    from planlib.tracking.actuals import actuals_from_frame
    from planlib.tracking.rollforward import plan_rollforward

    path = edited(
        ("    wording: 期末实现50亿元\n", "    wording: 期末实现50亿元\n    attribute: 约束性\n"),
        (
            "\nchecks:\n",
            "\n  - {id: business_q, indicator: tax, year: 2025, kind: qualitative,"
            " text: 营商环境持续优化}\n\nchecks:\n",
        ),
    )
    sc = load_scenario(path)
    df = read_actuals(PARK_ACTUALS, sc).to_frame()
    df = df[~((df["indicator"] == "tax") & (df["year"] == 2025))]
    act = actuals_from_frame(df, sc, "park-no-2025-tax.csv")
    rv = review(sc, act)
    assert rv.final and rv.exit_code == 1
    assert [r["id"] for r in rv.binding_missed()] == ["output_2025"]
    assert rv.final_rows()[0]["id"] == "output_2025"
    assert rv.row("tax_2025")["outcome_text"] == "数据不足（缺2025年实绩）"
    assert rv.row("tax_growth")["outcome"] == "insufficient_data"
    assert rv.row("business_q")["outcome"] == "qualitative"
    assert rv.row("above_scale_2025")["outcome"] == "completed"  # 25 = 25
    assert rv.row("urbanisation_pp")["final_value"] == pytest.approx(64.2 - 55)
    assert "约束性1项（规上工业产值）" in rv.summary() and "数据不足" in rv.summary()
    rf = plan_rollforward(sc, act)
    tax = next(i for i in rf.data["indicators"] if i["id"] == "tax")
    assert tax["base"] == {"year": 2024, "value": 1.7}  # 17000 万元, never the plan's 2025 figure
    assert (
        rf.decision("tax_2025")["rule"] == "carry" and "数据不足" in rf.decision("tax_2025")["why"]
    )
    assert "税收（tax）：缺2025年实绩，基期取2024年实绩" in rf.gaps


def test_text_json_and_csv_exports_hold_no_emoji(capsys, tmp_path):
    for fmt in ("text", "json", "csv"):
        main(["review", str(COUNTY), "--actuals", str(COUNTY_ACTUALS), "--format", fmt])
        out = capsys.readouterr().out
        assert not _has_emoji(out), fmt
    out = tmp_path / "r.csv"
    main(
        ["review", str(COUNTY), "--actuals", str(COUNTY_ACTUALS), "--format", "csv", "-o", str(out)]
    )
    head = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert head == "类别,指标,属性,目标,目标年,实绩,完成率,差距,完成情况"


def test_completion_frame_prints_actuals_at_the_indicators_precision():
    """3.3 doctors per 1,000 is not '3人'; a 〔13.5〕 reduction achieved is a percent.

    (Not 百分点: the reduction is relative to the base.)
    """
    sc = load_scenario(ROOT / "scenarios" / "county-example-14fyp.yaml")
    frame = review(
        sc, read_actuals(ROOT / "scenarios" / "county-example-14fyp.actuals.csv", sc)
    ).completion_frame()
    text = frame.to_string()
    doctors = frame[frame.iloc[:, 1] == "每千人口拥有执业（助理）医师数"].iloc[0].tolist()
    assert "3.3人" in doctors and "3人" not in doctors
    energy = frame[frame.iloc[:, 1] == "单位地区生产总值能源消耗"]
    # 0.6 → 0.5 吨标煤/万元: (1 − 0.5 / 0.6) × 100 = 16.67 % reduction, against 〔13.5〕
    assert "16.67%" in energy.iloc[0].tolist()
    assert "16.67个百分点" not in text

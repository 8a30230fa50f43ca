"""The 20-row synthetic county 主要指标表 (scenarios/county-example-14fyp.yaml): every row kind of a
real plan, with golden audit, table, review and Monte Carlo results checked by hand arithmetic."""

from __future__ import annotations

import math
from pathlib import Path
from statistics import NormalDist

import pytest

from planlib.auditing import audit
from planlib.scenario import load_scenario
from planlib.table import indicator_table, render_table
from planlib.tracking.actuals import read_actuals
from planlib.tracking.review import review

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "scenarios").is_dir())
SCENARIOS = ROOT / "scenarios"
FILE = SCENARIOS / "county-example-14fyp.yaml"
ACTUALS = SCENARIOS / "county-example-14fyp.actuals.csv"


@pytest.fixture(scope="module")
def county():
    return load_scenario(FILE)


@pytest.fixture(scope="module")
def report(county):
    return audit(county)


def cagr(a, b, n):
    return ((b / a) ** (1.0 / n) - 1.0) * 100.0


def test_file_is_synthetic_and_has_twenty_rows(county):
    assert "SYNTHETIC" in FILE.read_text(encoding="utf-8")
    assert "synthetic" in county.meta.notes.lower()
    assert len(county.indicators) == 20
    # the national five categories, in file order
    assert list(dict.fromkeys(i.category for i in county.indicators)) == [
        "经济发展",
        "创新驱动",
        "民生福祉",
        "绿色生态",
        "安全保障",
    ]
    # the model runs to the 2035 goal
    assert county.years[0] == 2020 and county.years[-1] == 2035


def test_base_value_in_another_unit_is_converted(county):
    # 652000 吨 with 1 吨 = 0.0001 万吨 (declared in the file)
    assert county.indicator("grain").known[2020] == pytest.approx(65.2, abs=1e-12)
    # 吨标煤/万元 is an alias of 吨标准煤/万元
    from planlib.units import factor

    assert factor("吨标煤/万元", "吨标准煤/万元") == 1.0


GOLDEN = {  # target id: (status, implied by hand)
    "gdp_growth_2025": ("ok", 6.0),
    "gdp_level_2035": ("ok", 400 * 1.06**15),
    "productivity_relative_growth_2025": ("ok", 7.0 - 6.0),
    "urbanisation_pp_change_2025": ("ok", 0.8 * 5),
    "industry_va_level_2025": ("ok", 57.02 * 1.0672**5),
    "industry_va_growth_2025": ("ok", 6.72),
    "rd_intensity_level_2025": ("ok", 2.1 + 0.24 * 5),
    "patents_level_2025": ("ok", 2.5 + 0.5 * 5),
    "digital_share_level_2025": ("warning", 7.8 + 0.4 * 5),
    "income_relative_growth_2025": ("ok", 0.0),
    "unemployment_level_2025": ("ok", 5.2),
    "life_expectancy_increment_2025": ("ok", 0.2 * 5),
    "schooling_level_2025": ("ok", 10.8 + 0.06 * 5),
    "doctors_level_2025": ("ok", 2.9 + 0.06 * 5),
    "elderly_beds_level_2025": ("ok", 35),
    "energy_intensity_reduction_2025": ("ok", (1 - 0.97**5) * 100),
    "energy_intensity_level_2025": ("ok", 0.6 * 0.97**5),
    "forest_cover_pp_change_2025": ("ok", 0.3 * 5),
    "water_quality_level_2025": ("ok", 83.4 + 0.4 * 5),
    "pm25_reduction_2025": ("ok", (1 - 0.975**5) * 100),
    "grain_level_2025": ("ok", 65.2),
}


def test_golden_audit_of_every_row_kind(report):
    for tid, (status, implied) in GOLDEN.items():
        r = report.row(tid)
        assert r["status"] == status, (tid, r["message"])
        assert r["implied"] == pytest.approx(implied, rel=1e-9, abs=1e-9), tid
    # the 约束性 〔13.5〕 reduction: end <= base × (1 − 0.135) = 0.519
    r = report.row("energy_intensity_reduction_2025")
    assert r["end_value"] <= 0.6 * (1 - 0.135) and "累计降低 14.13%" in r["message"]
    assert "2025年需 ≤ 0.519吨标煤/万元" in r["message"]
    # the digital economy share misses by 0.2 百分点 (a difference of rates)
    assert "差 0.20个百分点" in report.row("digital_share_level_2025")["message"]
    # qualitative and stated-only rows are kept, never dropped, and not judged by arithmetic
    q = report.row("gdp_growth_rate_qualitative_2025")
    assert (
        q["status"] == "info"
        and q["met"] is None
        and "保持在合理区间" in q["message"]
        and "定性" in q["message"]
    )
    s = report.row("rd_spending_growth_2025")
    assert s["status"] == "info" and "无测算依据（仅列示）" in s["message"] and ">7" in s["message"]
    # precision: the 0.516 limit prints as 0.516, the implied 0.6 × 0.97⁵ = 0.51524 as 0.515
    lv = report.row("energy_intensity_level_2025")["message"]
    assert "≤ 0.516吨标煤/万元" in lv and "隐含 0.515吨标煤/万元" in lv
    assert "3.2人" in report.row("doctors_level_2025")["message"]
    assert report.exit_code == 0
    assert report.to_dict()["summary"] == {"ok": 20, "warning": 1, "error": 0, "info": 2}


def test_golden_checks(report):
    checks = {c["kind"]: c for c in report.checks}
    gl = checks["growth_vs_level"]
    assert gl["status"] == "ok" and gl["indicator"] == "industry_va"
    # 57.02 → 78.93 needs (78.93/57.02)^(1/5) − 1 = 6.7194 %, stated 6.72 %
    assert gl["values"]["required_rate"] == pytest.approx(cagr(57.02, 78.93, 5), rel=1e-9)
    way = checks["on_the_way"]
    assert way["status"] == "ok" and way["year"] == 2025
    assert way["values"]["path_value"] == pytest.approx(400 * (600 / 400) ** (5 / 15), rel=1e-12)
    assert way["values"]["plan_value"] == pytest.approx(400 * 1.06**5, rel=1e-12)


def test_table_prints_all_twenty_rows_as_written(county):
    df = indicator_table(county)
    assert len(df) == 20
    col = dict(zip(df["指标"], df["年均增长/累计"], strict=True))
    assert col["地区生产总值"] == "6左右；2035年突破600亿元"
    assert col["地区生产总值增长"] == "保持在合理区间、各年度视情提出"
    assert col["全员劳动生产率"] == "高于地区生产总值增长"
    assert col["居民人均可支配收入"] == "与地区生产总值增长基本同步"
    assert col["常住人口城镇化率"] == "〔4〕" and col["人均预期寿命"] == "〔1〕"
    assert (
        col["单位地区生产总值能源消耗"] == "〔13.5〕"
        and col["细颗粒物（PM2.5）年均浓度"] == "〔10〕"
    )
    assert col["全社会研发经费投入"] == ">7" and col["规上工业增加值"] == "6.72"
    audit_col = dict(zip(df["指标"], df["审计"], strict=True))
    assert audit_col["地区生产总值增长"] == "定性" and audit_col["全社会研发经费投入"] == "仅列示"
    md = render_table(df, "md")
    assert "| 人均预期寿命 | 岁 | 2020 | 77.30* | 2025 | 78.30 | 〔1〕 |" in md
    assert "| 30（预计） | 2025 | 35 |" in md
    assert "| 0.600 | 2025 | ≤0.516 | 〔13.5〕 |" in md
    assert "| 5.20 | 2025 | <5.50 |" in md and "| 65.20 | 2025 | >65.00 |" in md
    assert "| 2.10 | 2025 | 3.40左右 |" in md
    assert (
        "〔〕内为五年累计数" in md
        and "带*的2020年数据为2019年数" in md
        and "（预计）为预计数" in md
    )
    # categories grouped in file order
    assert list(dict.fromkeys(df["类别"])) == [
        "经济发展",
        "创新驱动",
        "民生福祉",
        "绿色生态",
        "安全保障",
    ]


def test_exports_mark_values_and_keep_precision(county, tmp_path):
    from openpyxl import load_workbook

    from planlib.table import write_table

    df = indicator_table(county)
    csv_text = render_table(df, "csv")
    assert "77.30*" in csv_text and "30（预计）" in csv_text and "0.516" in csv_text
    assert "00000000" not in csv_text
    ws = load_workbook(write_table(df, tmp_path / "t.xlsx")).active
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2) if r[1].value}
    life = rows["人均预期寿命"]
    assert life[4].value == 77.3 and life[4].number_format == '0.00"*"'
    energy = rows["单位地区生产总值能源消耗"]
    assert energy[6].value == 0.516 and energy[6].number_format == '"≤"0.000'
    for r in ws.iter_rows(min_row=2):
        for c in r:
            if isinstance(c.value, float):
                assert c.value == float(f"{c.value:.12g}")


@pytest.fixture(scope="module")
def rv(county):
    return review(county, read_actuals(ACTUALS, county))


def test_golden_review(rv):
    cls = {r["id"]: r["class"] for r in rv.rows}
    # a missed 约束性 target: 84.6 < 85 in 2025 (the review exits 1)
    w = rv.row("water_quality_level_2025")
    assert (
        cls["water_quality_level_2025"] == "needs_acceleration"
        and w["overdue"]
        and w["attribute"] == "约束性"
    )
    assert "差0.40个百分点" in w["message"]
    assert rv.exit_code == 1
    # an exceeded one: 680000 吨 = 68 万吨 > 65
    g = rv.row("grain_level_2025")
    assert g["achieved"] and g["latest_value"] == pytest.approx(68.0)
    # an equality case: 5.0 件 meets ≥ 5
    assert rv.row("patents_level_2025")["achieved"]
    # the 〔13.5〕 reduction: 0.6 → 0.5 is a fall of 16.7 %; the ceiling is 0.6 × 0.865 = 0.519
    e = rv.row("energy_intensity_reduction_2025")
    assert e["achieved"] and e["target_level"] == pytest.approx(0.6 * 0.865)
    assert e["projected"] == pytest.approx((1 - 0.5 / 0.6) * 100)
    assert "目标0.519吨标煤/万元" in e["message"]
    # a qualitative row: 定性, with the latest actual shown
    q = rv.row("gdp_growth_rate_qualitative_2025")
    assert (
        q["class"] == "qualitative" and "保持在合理区间" in q["message"] and "5.4" in q["message"]
    )
    # a missing 2025 value: the review reads 2024 and the pace the last year needs
    d = rv.row("digital_share_level_2025")
    assert d["latest_year"] == 2024 and d["remaining_pace"] == pytest.approx(10 - 9.5)
    assert d["ratio"] == pytest.approx(((9.5 - 7.8) / 4) / ((10 - 7.8) / 5))
    assert cls["digital_share_level_2025"] == "on_track"
    # relative growth from the actuals: productivity 12 → 16.9 against GDP 400 → 556 (plan start)
    p = rv.row("productivity_relative_growth_2025")
    assert p["observed_pace"] == pytest.approx(cagr(12, 16.9, 5) - cagr(400, 556, 5))
    assert p["class"] == "achieved"
    inc = rv.row("income_relative_growth_2025")
    assert abs(inc["observed_pace"]) <= 0.5 and inc["class"] == "achieved"
    # the rate-only row is reviewed from its actual levels: 10 → 14.5 亿元 is 7.71 % > 7
    rd = rv.row("rd_spending_growth_2025")
    assert rd["achieved"] and rd["observed_pace"] == pytest.approx(cagr(10, 14.5, 5))


def test_review_uses_reported_real_growth_and_reports_the_deflator(rv):
    r = rv.row("gdp_growth_2025")
    chained = 1.055 * 1.05 * 1.06 * 1.056 * 1.059
    real = (chained**0.2 - 1) * 100
    assert r["observed_pace"] == pytest.approx(real)
    nominal = (556 / 400) ** 0.2
    assert r["implied_deflator"] == pytest.approx((nominal / chained**0.2 - 1) * 100)
    assert r["achieved"]  # 5.60 % is within 6 ± 0.5
    assert "可比价增速" in r["message"] and "隐含价格指数" in r["message"]
    assert r["status"] == "预计"  # the 2025 GDP figure is marked 预计 in the actuals


def test_monte_carlo_covers_the_new_kinds(county):
    from planlib.simulation.engine import simulate

    res = simulate(county, runs=20_000, seed=7)
    ids = [t["id"] for t in res.targets]
    assert "gdp_growth_rate_qualitative_2025" not in ids  # nothing to draw
    nd = NormalDist()
    # 7 − g > 0 with g ~ N(6, 1): Φ(1)
    assert res.probability("productivity_relative_growth_2025") == pytest.approx(
        nd.cdf(1.0), abs=0.015
    )
    # |i − g| <= 0.5 with i ~ N(6, 0.8), g ~ N(6, 1)
    sd = math.sqrt(0.8**2 + 1.0)
    assert res.probability("income_relative_growth_2025") == pytest.approx(
        2 * nd.cdf(0.5 / sd) - 1, abs=0.015
    )
    # 1 − (1 + f)^5 >= 0.135 with f ~ N(−3 %, 0.5 %)
    f_star = (0.865**0.2 - 1) * 100
    assert res.probability("energy_intensity_reduction_2025") == pytest.approx(
        nd.cdf((f_star + 3) / 0.5), abs=0.02
    )
    # 6 ± 0.5 with g ~ N(6, 1)
    assert res.probability("gdp_growth_2025") == pytest.approx(2 * nd.cdf(0.5) - 1, abs=0.015)


def test_review_table_marks_an_expected_actual(rv):
    df = rv.to_frame()
    gdp = df[df["指标"] == "地区生产总值"].iloc[0]
    assert gdp["最新实绩"] == "556.00亿元（2025）（预计）"
    assert df[df["指标"] == "森林覆盖率"].iloc[0]["最新实绩"] == "41.80%（2025）"

"""Plan review: Open SDG progress classes, required and remaining pace, trend, first year met."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planlib import growth
from planlib.cli import main
from planlib.scenario import parse_scenario
from planlib.tracking.actuals import actuals_from_frame, read_actuals
from planlib.tracking.review import (
    CLASSES,
    Thresholds,
    review,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"

EDGE = """\
meta: {id: edge, name: 边界情形, region: 某镇, level: 乡镇, base_year: 2020, period: [2021, 2025]}
indicators:
  - {id: energy, name_zh: 单位产值能耗, unit: 吨标准煤/万元, category: 资源环境, attribute: 约束性,
     base: {year: 2020, value: 0.5}, rule: {kind: growth, rate: -4.5}}
  - {id: profit, name_zh: 利润, unit: 亿元, category: 经济发展, base: {year: 2020, value: 0},
     rule: {kind: increment, increment: 1}}
  - {id: loss, name_zh: 亏损, unit: 亿元, category: 经济发展, base: {year: 2020, value: -2},
     rule: {kind: increment, increment: 0.5}}
  - {id: forest, name_zh: 森林覆盖率, unit: "%", category: 资源环境, base: {year: 2020, value: 30},
     rule: {kind: pp_change, change: 0.4}}
  - {id: output, name_zh: 产值, unit: 亿元, category: 经济发展, base: {year: 2020, value: 10},
     rule: {kind: growth, rate: 5}}
  - {id: spend, name_zh: 投资, unit: 亿元, category: 投资建设, rule: {kind: level, value: 2}}
targets:
  - {id: energy_2025, indicator: energy, year: 2025, op: "<=", value: 0.4}
  - {id: profit_2025, indicator: profit, year: 2025, value: 5}
  - {id: loss_2025, indicator: loss, year: 2025, value: 0}
  - {id: forest_pp, indicator: forest, year: 2025, kind: pp_change, value: 2}
  - {id: output_2025, indicator: output, year: 2025, value: 12}
  - {id: spend_cum, indicator: spend, year: 2025, kind: cumulative, value: 10}
"""


@pytest.fixture(scope="module")
def edge():
    return parse_scenario(EDGE, "edge.yaml")


def acts(sc, rows):
    df = pd.DataFrame(
        [(i, y, v, sc.indicator(i).unit, "test") for i, y, v in rows],
        columns=["indicator", "year", "value", "unit", "source"],
    )
    return actuals_from_frame(df, sc, "test.csv")


@pytest.fixture(scope="module")
def final(park):
    return review(park, read_actuals(SAMPLE, park))


@pytest.fixture(scope="module")
def midterm(park):
    return review(park, read_actuals(SAMPLE, park), as_of=2023)


# ---- the example: 35, 37.5, 41, 44, 47.5 亿 against 50 亿 --------------------------------
def test_output_target_missed_needs_acceleration(final):
    r = final.row("output_2025")
    assert not r["achieved"] and r["overdue"] and r["class"] == "needs_acceleration"
    obs, req = growth.cagr(35, 47.5, 4), growth.cagr(35, 50, 4)
    assert r["observed_pace"] == pytest.approx(obs * 100)
    assert r["required_pace"] == pytest.approx(req * 100) and round(r["required_pace"], 2) == 9.33
    assert r["ratio"] == pytest.approx(obs / req)
    assert 0.6 <= r["ratio"] < 0.95
    assert r["first_met"] is None and np.isnan(r["remaining_pace"])  # no year left


def test_midterm_remaining_pace_and_trend(midterm):
    r = midterm.row("output_2025")
    assert r["latest_year"] == 2023 and r["latest_value"] == 41
    assert r["remaining_pace"] == pytest.approx((growth.required_rate(41, 50, 2)) * 100)
    obs = growth.cagr(35, 41, 2)
    assert r["projected_end"] == pytest.approx(41 * (1 + obs) ** 2)
    assert r["anticipated"] == pytest.approx((r["projected_end"] - 35) / (50 - 35) * 100)
    assert not r["projected_met"]
    # growth target: the level it implies is 35 × 1.1⁴
    g = midterm.row("output_growth")
    assert g["target_level"] == pytest.approx(35 * 1.1**4)
    assert g["ratio"] == pytest.approx(obs / 0.10)


def test_final_classes_of_the_sample(final):
    got = {r["id"]: r["class"] for r in final.rows}
    assert got["tertiary_share_pp"] == "moving_away"
    assert got["tax_2025"] == got["urbanisation_pp"] == got["attracted_cumulative"] == "achieved"
    assert got["infrastructure_cumulative"] == "limited_progress"
    assert got["tax_growth"] == "needs_acceleration"  # ratio 0.98, but the year has passed unmet
    assert final.row("tax_growth")["ratio"] >= 0.95
    assert sum(final.counts().values()) == len(final.rows) and set(final.counts()) == set(CLASSES)
    assert final.exit_code == 0  # no 约束性 target


def test_pp_target_is_additive(final):
    r = final.row("urbanisation_pp")
    assert r["method"] == "linear" and r["pace_unit"] == "百分点/年"
    assert r["observed_pace"] == pytest.approx((64.2 - 55) / 5)
    assert r["required_pace"] == pytest.approx(9 / 5)
    assert r["target_level"] == pytest.approx(64) and r["first_met"] == 2025


def test_counts_linear_and_cumulative_as_sums(final, midterm):
    r = final.row("above_scale_2025")
    assert r["method"] == "linear" and r["observed_pace"] == pytest.approx(2)
    c = midterm.row("fai_cumulative")
    assert c["method"] == "sum" and c["so_far"] == pytest.approx(2.0 + 1.8 + 1.5)
    assert c["observed_pace"] == pytest.approx(5.3 / 3) and c["required_pace"] == pytest.approx(
        12 / 5
    )
    assert c["remaining_pace"] == pytest.approx((12 - 5.3) / 2)
    assert c["projected_end"] == pytest.approx(5.3 + 5.3 / 3 * 2)
    a = final.row("attracted_cumulative")
    assert a["achieved"] and a["first_met"] == 2025  # 3.2+2.8+3.5+3.1 = 12.6 < 15 until 2025


# ---- edge cases ---------------------------------------------------------------------------------
def test_lower_is_better(edge):
    rv = review(
        edge,
        acts(
            edge,
            [
                ("energy", 2020, 0.5),
                ("energy", 2021, 0.49),
                ("energy", 2022, 0.475),
                ("energy", 2023, 0.455),
            ],
        ),
    )
    r = rv.row("energy_2025")
    obs, req = growth.cagr(0.5, 0.455, 3), growth.cagr(0.5, 0.4, 5)
    assert r["direction"] == "lower" and obs < 0 and req < 0
    assert r["ratio"] == pytest.approx(obs / req) and r["class"] == "needs_acceleration"
    worse = review(edge, acts(edge, [("energy", 2020, 0.5), ("energy", 2023, 0.52)]))
    assert worse.row("energy_2025")["class"] == "moving_away"
    assert worse.exit_code == 1  # a 约束性 target moving away
    early = review(
        edge, acts(edge, [("energy", 2020, 0.5), ("energy", 2022, 0.39), ("energy", 2023, 0.41)])
    )
    e = early.row("energy_2025")
    assert e["first_met"] == 2022 and not e["achieved"]  # met in 2022, lost again in 2023


def test_zero_and_negative_base_use_yearly_change(edge):
    rv = review(
        edge,
        acts(
            edge,
            [("profit", 2020, 0), ("profit", 2023, 3), ("loss", 2020, -2), ("loss", 2023, -0.5)],
        ),
    )
    p, n = rv.row("profit_2025"), rv.row("loss_2025")
    assert p["method"] == "linear" and "非正" in p["note"]
    assert p["ratio"] == pytest.approx(1.0) and p["class"] == "on_track"
    assert n["method"] == "linear" and n["ratio"] == pytest.approx((1.5 / 3) / (2 / 5))
    assert n["class"] == "on_track"


def test_target_already_met_and_then_lost(edge, tmp_path):
    sc = parse_scenario(EDGE.replace("year: 2025, value: 12}", "year: 2025, value: 9}"), "e.yaml")
    ok = review(sc, acts(sc, [("output", 2020, 10), ("output", 2022, 11)]))
    assert (
        ok.row("output_2025")["class"] == "achieved" and ok.row("output_2025")["first_met"] == 2022
    )
    lost = review(sc, acts(sc, [("output", 2020, 10), ("output", 2022, 8.5)]))
    assert lost.row("output_2025")["class"] == "moving_away"


def test_missing_years_and_start_from_plan(edge):
    rv = review(edge, acts(edge, [("output", 2021, 10.5), ("output", 2023, 11.0)]))
    r = rv.row("output_2025")
    assert r["start_from"] == "plan" and r["start_value"] == 10 and "起点用规划值" in r["note"]
    assert r["latest_year"] == 2023
    assert r["observed_pace"] == pytest.approx(growth.cagr(10, 11, 3) * 100)
    gap = review(edge, acts(edge, [("spend", 2021, 2), ("spend", 2023, 2.5)]))
    s = gap.row("spend_cum")
    assert "2022" in s["note"] and s["observed_pace"] == pytest.approx(2.25)
    # an indicator without any actuals
    assert rv.row("forest_pp")["class"] == "insufficient_data"


def test_pp_target_in_edge_scenario(edge):
    rv = review(edge, acts(edge, [("forest", 2020, 30), ("forest", 2023, 31.5)]))
    r = rv.row("forest_pp")
    assert r["target_level"] == 32 and r["ratio"] == pytest.approx(0.5 / 0.4)
    assert r["remaining_pace"] == pytest.approx(0.25)


def test_thresholds_are_configurable(park, midterm):
    act = read_actuals(SAMPLE, park)
    assert midterm.row("output_2025")["class"] == "needs_acceleration"
    loose = review(park, act, as_of=2023, thresholds=Thresholds(on_track=0.8, acceleration=0.5))
    assert loose.row("output_2025")["class"] == "on_track"
    with pytest.raises(ValueError, match="on_track > acceleration"):
        Thresholds(on_track=0.5, acceleration=0.6)
    with pytest.raises(ValueError, match="thresholds.limited"):
        Thresholds(limited=float("nan"))


# ---- outputs ------------------------------------------------------------------------------------
def test_table_chinese_first_and_formatted(final):
    df = final.to_frame()
    assert list(df.columns[:4]) == ["信号", "评估", "指标", "目标"]
    row = df[df["目标"] == "期末实现50亿元"].iloc[0]
    assert (row["评估"], row["实际年均"], row["要求年均"], row["进度比"]) == (
        "需加快",
        "7.93%",
        "9.33%",
        "0.85",
    )
    assert "np.float64" not in final.to_text()
    en = final.to_frame("en")
    assert "needs acceleration" in set(en["class"])


def test_json_and_xlsx(final, tmp_path):
    data = json.loads(final.to_json())
    r = next(x for x in data["rows"] if x["id"] == "output_2025")
    assert r["class"] == "needs_acceleration" and r["remaining_pace"] is None
    path = final.write_xlsx(tmp_path / "r.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    assert wb.sheetnames == ["完成情况", "评估", "实绩与规划"]  # a final review leads with 完成情况
    assert wb["评估"]["A2"].value == "评估" and "规划评估" in wb["评估"]["A1"].value
    colours = {
        wb["评估"].cell(row=i + 3, column=1).fill.fgColor.rgb[-6:] for i in range(len(final.rows))
    }
    assert "d73027" in colours  # the moving-away row is red
    long = pd.read_excel(path, sheet_name="实绩与规划", engine="openpyxl", header=1)
    assert set(long["序列"]) == {"规划", "实绩"}
    assert (
        long[
            (long["指标代码"] == "industrial_output")
            & (long["年份"] == 2025)
            & (long["序列"] == "实绩")
        ]["数值"].iloc[0]
        == 47.5
    )


def test_review_to_iamc(final, park):
    df = final.to_iamc(park)
    assert set(df["scenario"]) == {"huangyang-park-14fyp", "huangyang-park-14fyp|actual"}
    v = df[
        (df.scenario.str.endswith("|actual"))
        & (df.variable == "经济发展|规上工业产值")
        & (df.year == 2025)
    ]
    assert v.value.iloc[0] == 47.5


def test_charts_hold_the_lines(midterm):
    from planlib.workbook.review_charts import LABELS, plot_ratios, plot_target

    fig = plot_target(midterm, "output_2025")
    lines = {ln.get_label(): ln for ln in fig.axes[0].lines}
    L = LABELS["zh"]
    assert {L["plan"], L["actual"], L["required"], L["remaining"], L["target"]} <= set(lines)
    assert list(lines[L["actual"]].get_ydata()) == [35, 37.5, 41]
    assert lines[L["required"]].get_ydata()[-1] == pytest.approx(50)
    assert lines[L["remaining"]].get_xdata()[0] == 2023
    assert "需加快" in fig.axes[0].get_title()
    cum = plot_target(midterm, "fai_cumulative")
    ys = {ln.get_label(): ln.get_ydata() for ln in cum.axes[0].lines}[L["actual"]]
    assert np.allclose(ys, [2.0, 3.8, 5.3])  # running totals
    bars = plot_ratios(midterm)
    assert len(bars.axes[0].patches) == len(midterm.rows)


# ---- command line -------------------------------------------------------------------------------
def test_cli_review_prints_classified_table(park_path, capsys):
    assert main(["review", str(park_path), "--actuals", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    # as of the period's end: the 完成情况 classes, not the mid-term progress classes
    assert "终期评估" in out and "超额完成" in out and "未完成（差2.50亿元" in out
    assert main(["review", str(park_path), "--actuals", str(SAMPLE), "--as-of", "2023"]) == 0
    out = capsys.readouterr().out
    assert "规划评估" in out and "需加快" in out and "逆向变化" in out and "9.33%" in out
    assert "未完成" not in out
    assert (
        main(["review", str(park_path), "--actuals", str(SAMPLE), "--as-of", "2023", "--final"])
        == 0
    )
    assert "终期评估" in capsys.readouterr().out


def test_cli_review_formats(park_path, tmp_path, capsys):
    assert (
        main(
            [
                "review",
                str(park_path),
                "--actuals",
                str(SAMPLE),
                "--format",
                "json",
                "--as-of",
                "2023",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == 2023
    out = tmp_path / "r.xlsx"
    assert (
        main(
            ["review", str(park_path), "--actuals", str(SAMPLE), "--format", "xlsx", "-o", str(out)]
        )
        == 0
    )
    assert out.exists()
    assert main(["review", str(park_path), "--actuals", str(SAMPLE), "--format", "xlsx"]) == 2
    assert "needs -o" in capsys.readouterr().err


def test_cli_review_bad_actuals_exit_2(park_path, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,year,value,unit\nindustrial_output,2021,35,亿\n", encoding="utf-8")
    assert main(["review", str(park_path), "--actuals", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2 unit:" in err and "Traceback" not in err
    assert main(["review", str(park_path), "--actuals", str(SAMPLE), "--on-track", "0.1"]) == 2


def test_dashboard_sliders_change_table_summary_and_chart(park):
    from planlib.workbook.review_widgets import ReviewDashboard

    dash = ReviewDashboard(park, read_actuals(SAMPLE, park), target="output_2025")
    before = (dash.table_html.value, dash.summary(), dash.image.value)
    assert dash.as_of.value == 2025 and "实绩截至2025年" in before[1]
    dash.as_of.value = 2023
    after = (dash.table_html.value, dash.summary(), dash.image.value)
    assert all(a != b for a, b in zip(before, after, strict=True))
    assert dash.review.as_of == 2023 and "剩余2年需年均10.43%" in dash.message.value
    dash.on_track.value = 0.8
    assert dash.review.row("output_2025")["class"] == "on_track"
    dash.acceleration.value = 0.9  # kept below on-track, never an invalid Thresholds
    assert dash.thresholds().acceleration < dash.thresholds().on_track

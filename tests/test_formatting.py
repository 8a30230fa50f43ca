"""Numbers as written: per-indicator precision, no float noise, rates' differences in 百分点."""

from __future__ import annotations

import json

import pytest

from planlib.auditing import audit
from planlib.formatting import (
    clean_float,
    fmt_pp,
    fmt_value,
    indicator_decimals,
    json_float,
    written_decimals,
)
from planlib.scenario import parse_scenario


@pytest.mark.parametrize(
    "x, d", [(0.516, 3), (50.0, 0), (9.33, 2), (77.3, 1), (1e-5, 5), (652000, 0)]
)
def test_written_decimals(x, d):
    assert written_decimals(x) == d


def test_clean_float_removes_binary_noise():
    assert clean_float(55.00000000000001) == 55.0
    assert clean_float(0.1 + 0.2) == 0.3
    assert json_float(55.00000000000001) == 55.0 and json_float(float("nan")) is None
    assert fmt_pp(1.2) == "1.20个百分点" and fmt_pp(1.2, zh=False) == "1.20 pp"
    assert fmt_value(0.516, "吨标准煤/万元", decimals=3) == "0.516吨标准煤/万元"


LIMIT = """\
meta: {id: p, name: 精度, region: 某县, level: 县, base_year: 2020, period: [2021, 2025]}
indicators:
  - {id: e, name_zh: 单位GDP能耗, unit: 吨标准煤/万元, direction: lower,
     base: {year: 2020, value: 0.6},
     rule: {kind: path, values: {2025: 0.516}}}
  - {id: s, name_zh: 比重, unit: "%", base: {year: 2020, value: 50},
     rule: {kind: pp_change, change: 1}}
  - {id: n, name_zh: 企业, unit: 家, decimals: 1, base: {year: 2020, value: 10},
     rule: {kind: increment, increment: 1}}
targets:
  - {id: lim, indicator: e, year: 2025, value: 0.516}
  - {id: share, indicator: s, year: 2025, value: 55}
  - {id: cnt, indicator: n, year: 2025, value: 15}
"""


def test_a_limit_of_0_516_prints_as_written_and_is_met():
    sc = parse_scenario(LIMIT, "p.yaml")
    assert indicator_decimals(sc, "e") == 3 and indicator_decimals(sc, "s") == 2
    assert indicator_decimals(sc, "n") == 1  # stated decimals win over the count default
    rep = audit(sc)
    r = rep.row("lim")
    assert (
        r["status"] == "ok" and "隐含 0.516吨标准煤/万元，目标 ≤ 0.516吨标准煤/万元" in r["message"]
    )
    assert "0.52" not in r["message"].replace("0.516", "")
    # 50 + 5 × 1 百分点 in floating point is 55.00000000000001 or so: never printed, never exported
    text = rep.to_json()
    assert "0000000000" not in text
    assert json.loads(text)["rows"][1]["implied"] == 55.0
    assert "15.0家" in rep.row("cnt")["message"]


# ---- issue 12: counts print whole numbers ----------------------------------------------------
from planlib.formatting import decimals_for, is_whole_count  # noqa: E402


@pytest.mark.parametrize(
    ("x", "unit", "text"),
    [
        (92.8, "个", "93个"),  # issue 12: 92.80 个 service centres
        (52126.4, "户", "52,126户"),
        (7493.0, "人", "7,493人"),
        (115.6, "名", "116名"),
        (5.2126, "万户", "5.21万户"),
        (4.9, "万人", "4.90万人"),
        (51.2435, "亿元", "51.24亿元"),
        (-0.4, "个", "0个"),
    ],
)
def test_counts_print_whole(x, unit, text):
    assert fmt_value(x, unit) == text


def test_whole_count_units():
    assert all(is_whole_count(u) for u in ("个", "户", "人", "名", "家", "项"))
    assert not any(is_whole_count(u) for u in ("万户", "万人", "亿元", "%", "人/户", None, "??"))
    assert decimals_for("户") == 0 and decimals_for("万户") == 2


def test_averages_of_counts_keep_their_decimals():
    """27 projects in 5 years is 5.40 a year (beside a progress ratio of 0.90), not '5个'."""
    from planlib.formatting import fmt_average

    assert fmt_average(27 / 5, "个") == "5.40个"
    assert fmt_average(6.0, "个") == "6个"
    assert fmt_average(3.0, "亿元") == "3.00亿元"
    assert fmt_average(2.5, "户", with_unit=False) == "2.50"


# ---- a target's figures: the audit's precision, one home (formatting.target_decimals) -------
def test_target_decimals_follow_the_indicator_and_the_stated_rate():
    """Hand-read from the files: 0.516 has 3 decimals, 2.5件 and 2.9人 one, 个/户/张 none."""
    from pathlib import Path

    from planlib.formatting import TargetDecimals, rate_decimals, target_decimals
    from planlib.scenario import load_scenario

    root = Path(__file__).resolve().parents[1] / "scenarios"
    county = load_scenario(root / "county-example-14fyp.yaml")
    park = load_scenario(root / "huangyang-park-14fyp.yaml")

    def of(sc, target_id):
        return target_decimals(sc, next(t for t in sc.targets if t.id == target_id))

    assert of(county, "energy_intensity_level_2025") == TargetDecimals(3, (3, 3), 2)  # ≤ 0.516
    assert of(county, "patents_level_2025") == TargetDecimals(1, (1, 1), 2)  # base 2.5件
    assert of(county, "doctors_level_2025") == TargetDecimals(1, (1, 1), 2)  # base 2.9人
    assert of(county, "elderly_beds_level_2025") == TargetDecimals(0, (0, 2), 2)  # 张: whole
    assert of(county, "energy_intensity_reduction_2025").figure == 2  # 〔13.5〕%: a rate
    assert of(park, "projects_cumulative") == TargetDecimals(0, (0, 2), 2)  # 个
    assert of(park, "output_growth").figure == 2  # 10 %
    assert of(park, "urbanisation_pp").figure == 2  # 9 百分点
    assert [rate_decimals(v) for v in (13.5, 6.725, 10, None, 0.0625)] == [2, 3, 2, 2, 4]


@pytest.mark.parametrize(
    ("x", "pace", "unit", "text"),
    [
        (6.0, (0, 2), "个", "6个"),  # a whole pace of a count stays whole
        (5.4, (0, 2), "个", "5.40个"),  # 27 projects in 5 years
        (0.06, (1, 1), "人", "0.1人"),  # doctors: the indicator's one decimal
        (0.0001, (3, 3), "吨标煤/万元", "0.000吨标煤/万元"),
        (float("nan"), (0, 2), "个", "—"),
        (1 + 1e-12, (0, 2), "户", "1户"),  # within 1e-9 of whole
    ],
)
def test_fmt_pace(x, pace, unit, text):
    from planlib.formatting import fmt_pace

    assert fmt_pace(x, unit, pace) == text

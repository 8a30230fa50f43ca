"""Roll-forward a planner would sign: bases from actuals only, same-year totals and parts,
additive shares and areas, no failed pace re-imposed, 2035 paths, every value's rule,
explained warnings."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlib import growth
from planlib.auditing import audit
from planlib.cli import main
from planlib.model import Model
from planlib.scenario import dump_yaml, load_scenario, parse_scenario
from planlib.tracking.actuals import actuals_from_frame, read_actuals
from planlib.tracking.review import review
from planlib.tracking.rollforward import ROLL_RULES, RULE_ZH, plan_rollforward, write_rollforward

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
COUNTY = DATA / "county-14fyp.yaml"
COUNTY_ACTUALS = DATA / "county-14fyp.actuals.csv"
PARK_ACTUALS = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"


@pytest.fixture(scope="module")
def county():
    return load_scenario(COUNTY)


@pytest.fixture(scope="module")
def act(county):
    return read_actuals(COUNTY_ACTUALS, county)


@pytest.fixture(scope="module")
def rf(county, act):
    return plan_rollforward(county, act)


def with_rows(sc, act, extra=(), drop=()):
    """The county actuals with rows added (indicator, year, value) or (indicator, year) removed."""
    df = act.to_frame()
    df = df[[(i, y) not in drop for i, y in zip(df["indicator"], df["year"], strict=True)]]
    add = pd.DataFrame(
        [(i, y, v, sc.indicator(i).unit, "test") for i, y, v in extra],
        columns=["indicator", "year", "value", "unit", "source"],
    )
    return actuals_from_frame(pd.concat([df, add], ignore_index=True), sc, "test.csv")


def new(rf):
    return parse_scenario(dump_yaml(rf.data), "next.yaml")


def target(rf, tid):
    return next(t for t in rf.data["targets"] if t["id"] == tid)


def base(rf, ind):
    return next(i for i in rf.data["indicators"] if i["id"] == ind).get("base")


# ---- bases ---------------------------------------------------------------------------------------
def test_sum_linked_total_and_parts_from_the_same_year(rf, county):
    # va3 has no 2025 actual: it takes GDP 120 − (22 + 50) = 48,
    # not its plan value 40 × 1.08⁵ = 58.77
    assert base(rf, "va3") == {"year": 2025, "value": 48.0, "status": "估算"}
    assert base(rf, "va1")["value"] == 22 and base(rf, "va2")["value"] == 50
    assert rf.bases[[b["indicator"] for b in rf.bases].index("va3")]["rule"] == "sum_share"
    traj = Model(new(rf)).evaluate()
    assert float(traj.at("gdp", 2025)[0]) == pytest.approx(120)  # the model's total is the actual
    assert float(traj.at("gdp", 2026)[0]) == pytest.approx(22 * 1.03 + 50 * 1.07 + 48 * 1.08)
    assert not any(w.startswith("gdp:") for w in rf.warnings)  # no jump between 2025 and 2026
    old_plan = float(Model(county).evaluate().at("va3", 2025)[0])
    assert old_plan == pytest.approx(40 * 1.08**5) and base(rf, "va3")["value"] != pytest.approx(
        old_plan
    )


def test_parts_disagreeing_with_the_total_are_a_warning(county, act):
    a = with_rows(county, act, extra=[("va3", 2025, 40)])  # 22 + 50 + 40 = 112, not 120
    rf = plan_rollforward(county, a)
    assert any("gdp: 2025年分项实绩合计112与总量实绩120不一致" in w for w in rf.warnings)
    assert base(rf, "va3") == {"year": 2025, "value": 40.0}


def test_a_jump_at_the_seam_is_a_warning_with_its_cause(park):
    rf = plan_rollforward(park, read_actuals(PARK_ACTUALS, park))
    fai = next(w for w in rf.warnings if w.startswith("fixed_asset_investment:"))
    # 2025 actual 1.0 亿元, the carried parameter plans 2.4 亿元 for 2026
    assert "从2025年实绩1到2026年规划值2.4" in fai and "跳变" in fai
    assert "原因：level规则的参数fai_per_year=2.4沿用原规划默认值" in fai
    quiet = plan_rollforward(park, read_actuals(PARK_ACTUALS, park), jump_threshold=10)
    assert not any("跳变" in w for w in quiet.warnings)


def test_missing_final_year_actual_is_named_never_a_plan_value(rf):
    assert base(rf, "built") == {"year": 2024, "value": 19.0}  # the last actual, not the plan's 20
    assert "建成区面积（built）：缺2025年实绩，基期取2024年实绩" in rf.gaps
    d = rf.decision("built_2025")
    assert d["rule"] == "carry" and "数据不足" in d["why"]
    assert "政府债务风险（debt）：无实绩" in rf.gaps
    debt = next(i for i in rf.data["indicators"] if i["id"] == "debt")
    assert "rule" not in debt and "base" not in debt


# ---- targets -------------------------------------------------------------------------------------
def test_shares_rates_and_areas_roll_additively(county, act):
    a = with_rows(county, act, extra=[("built", 2025, 20)])
    rf = plan_rollforward(county, a, rules={"level": "rescale"})
    assert (
        target(rf, "built_2030")["value"] == 25
    )  # 20 km² from 15 → 25 from 20, not 20 × 20/15 = 26.67
    assert target(rf, "urban_2030")["value"] == 60  # 55 % from 50 → 60, not 55 × 55/50 = 60.5
    assert target(rf, "retail_2030")["value"] == pytest.approx(
        round(50 * 55 / 40, 2)
    )  # money: a ratio
    reset = plan_rollforward(county, a)
    assert target(reset, "urban_2030")["value"] == 60  # 1 百分点 a year × 5 from 55
    assert target(reset, "forest_2030")["value"] == pytest.approx(31.2 + 0.2 * 5)
    assert target(reset, "built_2030")["value"] == 25  # 1 km² a year × 5 from 20
    assert target(reset, "retail_2030")["value"] == pytest.approx(
        round(55 * (50 / 40), 2)
    )  # by growth
    assert target(reset, "urban_pp")["value"] == 5 and "百分点" not in target(
        reset, "urban_pp"
    ).get("wording", "")


def test_wide_miss_is_not_reimposed_at_the_failed_pace(rf, county, act):
    d = rf.decision("gdp_2025")
    assert d["rule"] == "trend_floor" and d["target"] == "gdp_2030"
    # observed 100 → 120 in five years; continued five more years: 120 × 1.2 = 144,
    # not 120 × 1.4 = 168
    assert d["value"] == pytest.approx(round(120 * (1 + growth.cagr(100, 120, 5)) ** 5, 2)) == 144
    assert "进度比0.53<0.6" in d["why"] and "6.96%/年" in d["why"]
    assert rf.decision("gdp_growth")["value"] == pytest.approx(
        round(growth.cagr(100, 120, 5) * 100, 2)
    )
    forced = plan_rollforward(county, act, target_rules={"gdp_2025": "reset"})
    assert target(forced, "gdp_2030")["value"] == pytest.approx(168)
    # an achieved target is never "widely missed", whatever its ratio
    # (失业率 fell, the ceiling was 5.5)
    assert rf.decision("unemployment_2025")["rule"] != "trend_floor"


def test_wide_miss_never_plans_a_decline(park):
    rf = plan_rollforward(park, read_actuals(PARK_ACTUALS, park))
    d = rf.decision("tertiary_share_pp")  # 15 → 13.5: moving away; the floor is "no change"
    assert d["rule"] == "trend_floor" and d["value"] == 0 and "不低于基期" in d["why"]
    inf = rf.decision("infrastructure_cumulative")  # 2.0 of 4: ratio 0.5 → observed 0.4 a year × 5
    assert inf["value"] == pytest.approx(2.0)


def test_2035_target_sets_the_2030_default(rf, county, act):
    # 40 000 元 in 2025, 80 000 by 2035: 7.18 % a year, more than the 5.92 % trend delivers
    d = rf.decision("income_growth")
    assert d["rule"] == "toward"
    assert d["value"] == pytest.approx(round(((80000 / 40000) ** (1 / 10) - 1) * 100, 2))
    far = target(rf, "income_2035")
    assert far["year"] == 2035 and far["value"] == 80000  # kept as it is, not moved to 2040
    # a 2035 goal the trend already reaches (60 000 < 40 000 × 1.0592¹⁰) does not lower 2030
    text = COUNTY.read_text(encoding="utf-8").replace(
        "value: 80000, wording: 2035年达到8万元", "value: 60000, wording: 2035年比2020年翻一番"
    )
    easy = parse_scenario(text, "easy.yaml")
    d = plan_rollforward(easy, read_actuals(COUNTY_ACTUALS, easy)).decision("income_growth")
    assert d["rule"] == "carry" and d["value"] == 7 and "按期内趋势可实现，不据此下调" in d["why"]


def test_floors_and_ceilings_are_held(rf):
    # 耕地保有量 ≥ 30000 公顷 asked for no rise; 失业率 ≤ 5.5 % allowed one: both carried
    assert (
        rf.decision("grain_2025")["rule"] == "carry" and rf.decision("grain_2025")["value"] == 30000
    )
    u = rf.decision("unemployment_2025")
    assert u["rule"] == "carry" and u["value"] == 5.5 and "上限" in u["why"]


def test_every_rolled_value_says_which_rule_made_it(rf):
    rules = set(ROLL_RULES) | {"trend_floor", "value"}
    for t, d in zip(rf.data["targets"], rf.decisions, strict=True):
        assert d["rule"] in rules and d["why"], d
        assert d["rule"] in t["source"] or t["source"].startswith("沿用"), t
        if d["rule"] in RULE_ZH and t.get("value") != d["old_value"]:
            assert RULE_ZH[d["rule"]] in t["source"]
    for b in rf.bases:
        assert b["rule"] and b["why"]


def test_round_trip_review_rollforward_audit_explains_every_warning(county, act, tmp_path, capsys):
    rv = review(county, act)
    assert rv.final
    out = tmp_path / "next.yaml"
    code = main(["rollforward", str(COUNTY), "--actuals", str(COUNTY_ACTUALS), "-o", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "数据不足: 建成区面积（built）" in printed
    sc = load_scenario(out)
    assert sc.meta.base_year == 2025 and sc.meta.period == (2026, 2030)
    rf = plan_rollforward(county, act, reviewed=rv)
    report = audit(sc)
    flagged = [r for r in report.rows if r["status"] in ("warning", "error")]
    assert flagged  # the carried parameters do not reach every rolled target: said, not hidden
    for r in flagged:
        w = next((w for w in rf.warnings if w.startswith(f"{r['id']}:")), None)
        assert w is not None, f"audit {r['status']} of {r['id']} unexplained"
        reason = w.split("原因：", 1)[1]
        assert reason and reason != "见目标来源"
    for w in rf.warnings:
        assert "原因：" in w or "不一致" in w
    text = out.read_text(encoding="utf-8")
    assert text.count("# 提示：") == len(rf.warnings) and "# 数据不足：" in text


def test_write_rollforward_still_atomic(county, act, tmp_path):
    path = write_rollforward(tmp_path / "n.yaml", county, act)
    assert load_scenario(path).meta.id == "demo-county-15fyp"
    with pytest.raises(FileExistsError):
        write_rollforward(path, county, act)


@pytest.mark.parametrize(
    "scenario, actuals",
    [
        (COUNTY, COUNTY_ACTUALS),
        (
            ROOT / "scenarios" / "county-example-14fyp.yaml",
            ROOT / "scenarios" / "county-example-14fyp.actuals.csv",
        ),
        (ROOT / "scenarios" / "huangyang-park-14fyp.yaml", PARK_ACTUALS),
    ],
)
def test_every_audit_warning_of_the_rolled_plan_is_explained(scenario, actuals):
    sc = load_scenario(scenario)
    act = read_actuals(actuals, sc)
    rf = plan_rollforward(sc, act)
    report = audit(new(rf))
    for r in report.rows:
        if r["status"] in ("warning", "error"):
            w = next((w for w in rf.warnings if w.startswith(f"{r['id']}:")), None)
            assert w is not None and w.split("原因：", 1)[1], (r["id"], r["message"])
    for d in rf.decisions:  # and no rolled figure came from nowhere
        assert d["rule"] and d["why"]


@given(
    st.floats(1, 1000), st.floats(-0.5, 2.0), st.integers(1, 10), st.integers(1, 10), st.booleans()
)
def test_pace_round_trip(start, change, n_old, n_new, add):
    """The pace a target required, applied over its own years, gives the target back; applied over
    n_new years it is linear in n_new when additive and compound otherwise."""
    from planlib.tracking.rollforward import _apply_pace, _required

    target_level = start * (1 + change)
    row = {
        "kind": "level",
        "start_year": 2020,
        "year": 2020 + n_old,
        "start_value": start,
        "target_level": target_level,
        "target": target_level,
    }
    pace = _required(row, add)
    assert _apply_pace("level", pace, start, n_old, n_old, add) == pytest.approx(
        target_level, rel=1e-9
    )
    later = _apply_pace("level", pace, start, n_new, n_new, add)
    if add:
        assert later - start == pytest.approx((target_level - start) * n_new / n_old, abs=1e-9)
    else:
        assert later / start == pytest.approx((target_level / start) ** (n_new / n_old), rel=1e-9)

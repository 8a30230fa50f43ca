import json

import numpy as np
import pytest

from planlib.auditing import audit
from planlib.model import Model
from planlib.scenario import load_scenario
from planlib.targets import default_tolerance, evaluate_targets


def test_seed_arithmetic_golden(park):
    rep = audit(park)
    out = rep.row("output_2025")
    assert out["implied"] == pytest.approx(51.24, abs=0.005)
    assert out["required_rate"] == pytest.approx(9.33, abs=0.005)
    assert out["implied_rate"] == pytest.approx(10.0)
    assert out["gap"] == pytest.approx(1.2435, abs=1e-4)
    assert out["status"] == "ok" and out["from_year"] == 2021
    tax = rep.row("tax_2025")
    assert tax["implied"] == pytest.approx(2.07, abs=0.005)
    assert tax["required_rate"] == pytest.approx(18.92, abs=0.005)
    ent = rep.row("above_scale_2025")
    assert ent["implied"] == 25 and ent["required_increment"] == 2 and ent["from_year"] == 2020
    proj = rep.row("projects_cumulative")
    assert proj["implied"] == 32 and proj["status"] == "ok"  # 12 + 5×4 ≥ 30
    assert rep.row("urbanisation_pp")["implied"] == pytest.approx(9.0)
    assert rep.status == "ok" and rep.exit_code == 0


def test_cross_checks(park):
    checks = {c["kind"]: c for c in audit(park).checks}
    assert (
        checks["shares_sum"]["total"] == pytest.approx(100.0)
        and checks["shares_sum"]["status"] == "ok"
    )
    ratio = checks["ratio"]["values"]
    assert ratio["2021"] == pytest.approx(2.86, abs=0.005)
    assert ratio["2025"] == pytest.approx(4.05, abs=0.005)
    gv = [c for c in audit(park).checks if c["kind"] == "growth_vs_level"]
    assert {c["indicator"] for c in gv} == {"industrial_output", "tax"}
    assert all(c["status"] == "ok" for c in gv)


def test_growth_of_8_percent_misses_50(edited):
    sc = load_scenario(
        edited(("    default: 10\n    bounds: [0, 20]", "    default: 8\n    bounds: [0, 20]"))
    )
    rep = audit(sc)
    row = rep.row("output_2025")
    assert row["status"] == "warning" and row["met"] is False
    assert row["implied"] == pytest.approx(35 * 1.08**4)
    assert row["required_rate"] == pytest.approx(9.33, abs=0.005)
    assert "9.33%" in row["message"] and "未达标" in row["message"]
    assert rep.exit_code == 0  # 预期性 misses warn, they do not fail


def test_binding_target_missed_is_an_error(edited):
    sc = load_scenario(
        edited(
            (
                "    value: 50\n    wording: 期末实现50亿元",
                "    value: 50\n    attribute: 约束性\n    wording: 期末实现50亿元",
            ),
            ("    default: 10\n    bounds: [0, 20]", "    default: 8\n    bounds: [0, 20]"),
        )
    )
    rep = audit(sc)
    assert rep.row("output_2025")["status"] == "error"
    assert rep.status == "error" and rep.exit_code == 1


def test_inconsistent_stated_growth_and_level_is_flagged(edited):
    sc = load_scenario(
        edited(
            (
                "    value: 50\n    wording: 期末实现50亿元",
                "    value: 60\n    wording: 期末实现60亿元",
            )
        )
    )
    gv = next(
        c
        for c in audit(sc).checks
        if c["kind"] == "growth_vs_level" and c["indicator"] == "industrial_output"
    )
    assert gv["status"] == "warning" and "不一致" in gv["message"]


def test_shares_not_summing_to_100_warn(edited):
    sc = load_scenario(edited(("history: {2020: 17.43}", "history: {2020: 27.43}")))
    chk = next(c for c in audit(sc).checks if c["kind"] == "shares_sum")
    assert chk["status"] == "warning" and chk["total"] == pytest.approx(110.0)


def test_english_messages(park):
    rep = audit(park, lang="en")
    assert "target needs 9.33%" in rep.row("output_2025")["message"]
    with pytest.raises(ValueError, match="lang"):
        audit(park, lang="fr")


def test_json_rows_carry_the_interface_fields(park):
    data = json.loads(audit(park).to_json())
    need = {
        "indicator",
        "year",
        "kind",
        "target",
        "implied",
        "gap",
        "implied_rate",
        "required_rate",
        "attribute",
        "status",
        "message",
    }
    assert data["rows"] and all(need <= set(r) for r in data["rows"])


def test_equal_targets_accept_rounding():
    from planlib.scenario import Target

    assert default_tolerance(Target(indicator="x", year=2025, op="=", value=50)) == 0.5
    assert default_tolerance(Target(indicator="x", year=2025, op="=", value=9.33)) == pytest.approx(
        0.005
    )


def test_probability_of_meeting_is_vectorised(park):
    m = Model(park)
    traj = m.evaluate({"output_growth": np.array([8.0, 9.0, 9.4, 12.0])})
    res = evaluate_targets(park, traj)
    j = res.column("output_2025")
    assert res.met[:, j].tolist() == [False, False, True, True]

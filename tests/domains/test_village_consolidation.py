"""合村并居 (seed 000 篇7): the seed's figures come out of run/table/audit on the scenario file."""

import pytest
from _programmes import SCENARIOS, audit_rows, cli, edited, line_of, programme, run_values

from planlib.domains.village_consolidation_component import land_per_household
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import load_scenario

TAI = SCENARIOS / "taierzhuang-village-consolidation.yaml"


def test_seed_figures_from_run(capsys):
    v = run_values(capsys, TAI)
    y = 2012
    assert v[("land_now_ind", y)] == pytest.approx(1.04, abs=1e-12)
    assert v[("land_new", y)] == pytest.approx(0.525, abs=1e-12)
    assert v[("saving_per_household", y)] == pytest.approx(0.515, abs=1e-12)
    assert v[("example_land_saved", y)] == pytest.approx(515, abs=1e-9)
    assert v[("example_quota_funds", y)] == pytest.approx(8240, abs=1e-9)
    assert v[("example_subsidies", y)] == pytest.approx(6000, abs=1e-9)
    assert v[("example_surplus", y)] == pytest.approx(2240, abs=1e-9)


def test_land_per_household_is_derived_from_the_inputs():
    raw = land_per_household(4517.22, 65158)
    assert raw == pytest.approx(4517.22 * 15 / 65158)
    assert 1.0395 < raw < 1.04  # the seed rounds 1.0399 to 1.04 before subtracting
    assert land_per_household(4517.22, 65158, 2) == 1.04


def test_without_rounding_the_saving_is_slightly_smaller(tmp_path, capsys):
    path = edited(
        tmp_path, TAI, ("    round_land_per_household: 2", "    round_land_per_household: 4")
    )
    v = run_values(capsys, path)
    assert v[("saving_per_household", 2012)] == pytest.approx(1.0399 - 0.525)
    assert v[("example_land_saved", 2012)] == pytest.approx(514.9, abs=1e-6)


def test_limits_are_audited(capsys):
    code, rows = audit_rows(capsys, TAI)
    assert code == 0
    assert rows["saving_rate_limit"]["status"] == "ok"
    assert rows["saving_rate_limit"]["implied"] == pytest.approx(0.515 / 1.04 * 100)
    assert rows["plot_ratio_limit"]["implied"] == pytest.approx(240 / 350)
    assert rows["floors_limit"]["implied"] == 2


def test_a_six_storey_design_fails_the_binding_limit(tmp_path, capsys):
    path = edited(tmp_path, TAI, ("    floors: 2 ", "    floors: 6 "))
    code, rows = audit_rows(capsys, path)
    assert code == 1
    assert rows["floors_limit"]["status"] == "error"


def test_saving_rate_over_half_fails_when_villages_are_sparse(tmp_path, capsys):
    # twice the village land: 2.08 亩/户, saving 1.555 = 74.8 % > 50 %
    path = edited(tmp_path, TAI, ("    village_land: 4517.22", "    village_land: 9034.44"))
    code, rows = audit_rows(capsys, path)
    assert code == 1 and rows["saving_rate_limit"]["status"] == "error"
    assert rows["saving_rate_limit"]["implied"] == pytest.approx((2.08 - 0.525) / 2.08 * 100)


def test_district_roll_up_follows_participation():
    sc = load_scenario(TAI)
    m = Model(sc)
    base = m.evaluate()
    assert base.at("moved_households", 2015)[0] == pytest.approx(65158 * 0.8)
    assert base.at("district_land_saved", 2015)[0] == pytest.approx(65158 * 0.8 * 0.515)
    # vectorised over runs: participation 80 % and 90 % (with a subsidy) at once
    t = m.evaluate({"participation": [80.0, 90.0]})
    assert t.at("district_quota_funds", 2015) == pytest.approx(
        [65158 * p * 0.515 * 16 for p in (0.8, 0.9)]
    )
    assert t.at("district_surplus", 2013) == pytest.approx(
        [65158 * p * 0.5 * (0.515 * 16 - 6) for p in (0.8, 0.9)]
    )


def test_programme_report(capsys):
    r = programme(capsys, TAI)
    assert r["land_per_household"] == 1.04
    assert r["example"]["surplus"] == pytest.approx(2240)
    assert all(v["ok"] for v in r["limits"].values())
    assert r["villages"][0]["land_saved"] == pytest.approx(515)


def test_table_lists_the_limits(capsys):
    code, out, err = cli(capsys, "table", TAI)
    assert code == 0, err
    assert "节地率" in out and "约束性" in out and "2,240.00" in out


@pytest.mark.parametrize(
    "old,new,field",
    [
        ("    participation: 80 ", "    participation: 120 ", "participation"),
        ("    households: 65158", "    households: -5", "households"),
        ("    household_size: 3.5", "    household_size: 0", "household_size"),
        ("    rollout: {2012: 25, 2013: 50", "    rollout: {2012: 55, 2013: 50", "rollout"),
    ],
)
def test_impossible_inputs_name_file_line_and_field(tmp_path, old, new, field):
    path = edited(tmp_path, TAI, (old, new))
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    text = str(exc.value)
    assert f"{path}:{line_of(path, new.strip().split(':')[0] + ':')}" in text
    assert f"components[0].{field}" in text


def test_cli_exit_2_on_bad_input(tmp_path, capsys):
    path = edited(tmp_path, TAI, ("    participation: 80 ", "    participation: 120 "))
    code, out, err = cli(capsys, "audit", path)
    assert code == 2 and "participation" in err and "120" in err and "Traceback" not in err

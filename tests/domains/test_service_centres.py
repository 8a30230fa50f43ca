"""社区服务中心建设 (seed 003, 锡山区): schedule, calibration, costs and the audit of end-2007."""

import pytest
from _programmes import SCENARIOS, audit_rows, cli, edited, line_of, programme, run_values

from planlib.domains.service_centres_component import calibrate
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import load_scenario

XS = SCENARIOS / "xishan-service-centres.yaml"


def test_calibration_recovers_the_split_and_the_unit_cost():
    share, cost = calibrate(50, 6000, 7, 1500, 1000)
    assert share == pytest.approx(80.0)  # 40 new (1500 m²) + 10 converted (1000 m²) = 7 万 m²
    assert cost == pytest.approx(6000e4 / 7e4)
    # inverse: the calibrated values give back the reported area and capital
    area = 50 * (share / 100 * 1500 + (1 - share / 100) * 1000)
    assert area == pytest.approx(7e4) and area * cost / 1e4 == pytest.approx(6000)


def test_seed_figures_from_run(capsys):
    v = run_values(capsys, XS)
    assert v[("communities", 2007)] == 116  # 77 行政村 + 39 社居委
    assert v[("centres", 2007)] == 50
    assert v[("floor_area", 2007)] == pytest.approx(7.0)  # 万平方米
    assert v[("capital", 2007)] == pytest.approx(6000.0)  # 万元
    assert v[("new_builds", 2007)] == pytest.approx(40) and v[
        ("conversions", 2007)
    ] == pytest.approx(10)
    assert v[("awards", 2007)] == pytest.approx(
        40 * 10 + 10 * 5
    )  # 450 万元, "400多万元" of special funds
    assert v[("operating_funds", 2008)] == pytest.approx(397.0)  # 39.7 万人 × 10 元
    assert v[("centres", 2010)] == pytest.approx(116)
    assert v[("coverage", 2009)] == pytest.approx(90)
    assert v[("social_workers", 2008)] == pytest.approx(116)
    # capital follows the schedule: 2008 adds 92.8 − 50 centres at 1400 m² and 857.14 元/m²
    assert v[("capital", 2008)] == pytest.approx((116 * 0.8 - 50) * 1400 * 6000 / 7e4)


def test_audit_flags_end_2007_against_half_of_the_communities(capsys):
    code, rows = audit_rows(capsys, XS)
    assert code == 0  # indicative targets: a warning
    r = rows["coverage_2007"]
    assert r["status"] == "warning"
    assert r["implied"] == pytest.approx(50 / 116 * 100)
    assert r["target"] == 50
    assert rows["coverage_2008"]["status"] == "ok" and rows["coverage_2010"]["status"] == "ok"


def test_binding_schedule_makes_audit_fail(tmp_path, capsys):
    path = edited(
        tmp_path,
        XS,
        (
            "    social_worker_year: 2008",
            "    social_worker_year: 2008\n    coverage_attribute: 约束性",
        ),
    )
    code, rows = audit_rows(capsys, path)
    assert code == 1 and rows["coverage_2007"]["status"] == "error"


def test_programme_report_schedule_in_whole_centres(capsys):
    r = programme(capsys, XS)
    assert r["communities"] == 116
    assert r["schedule"] == {"2007": 58, "2008": 93, "2009": 105, "2010": 116}
    assert r["reported"]["2007"]["shortfall"] == 8
    assert r["calibration"]["new_share"] == pytest.approx(80)


def test_pace_and_cost_sliders_are_vectorised():
    m = Model(load_scenario(XS))
    t = m.evaluate({"coverage_2008": [70.0, 80.0], "cost_per_m2": [1000.0, 857.0]})
    assert t.at("centres", 2008) == pytest.approx([116 * 0.7, 116 * 0.8])
    assert t.at("capital", 2008) == pytest.approx(
        [(116 * 0.7 - 50) * 1400 * 1000 / 1e4, (116 * 0.8 - 50) * 1400 * 857 / 1e4]
    )


def test_solve_the_2008_coverage(capsys):
    code, out, err = cli(
        capsys, "solve", XS, "--target", "coverage_2008", "--param", "coverage_2008"
    )
    assert code == 0, err
    assert "80.00%" in out


@pytest.mark.parametrize(
    "old,new,field,needle",
    [
        ("2010: 100}", "2010: 120}", "coverage", "coverage: {2007"),
        ("2009: 90,", "2009: 60,", "coverage", "coverage: {2007"),
        ("    built: {2007: 50}", "    built: {2007: 150}", "built", "    built:"),
        (
            "    administrative_villages: 77",
            "    administrative_villages: -77",
            "administrative_villages",
            "administrative_villages",
        ),
        ("    pass_rate: 100", "    pass_rate: 101", "pass_rate", "pass_rate"),
    ],
)
def test_impossible_inputs_name_file_line_and_field(tmp_path, old, new, field, needle):
    path = edited(tmp_path, XS, (old, new))
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    text = str(exc.value)
    assert f"{path}:{line_of(path, needle)}" in text
    assert "components[0]" + (f".{field}" if field else "") in text


def test_coverage_above_100_message(tmp_path):
    path = edited(tmp_path, XS, ("2010: 100}", "2010: 120}"))
    with pytest.raises(ScenarioError, match=r"coverage 120 % in 2010 is impossible; .*\[0, 100\]"):
        load_scenario(path)


def test_more_centres_than_communities_is_impossible(tmp_path):
    path = edited(tmp_path, XS, ("    built: {2007: 50}", "    built: {2007: 150}"))
    with pytest.raises(
        ScenarioError, match=r"built 150 centres in 2007 but there are only 116 communities"
    ):
        load_scenario(path)


def test_inconsistent_calibration(tmp_path):
    path = edited(tmp_path, XS, ("capital: 6000, area: 7}", "capital: 6000, area: 9}"))
    with pytest.raises(ScenarioError, match=r"calibration: 9 万平方米 over 50 centres is 1800 m²"):
        load_scenario(path)


def test_year_table_formats_numbers_by_unit():
    from planlib.domains.programmes import year_table

    sc = load_scenario(XS)
    t = Model(sc).evaluate()
    df = year_table(sc, t, ["centres", "capital"], years=[2006, 2007, 2008])
    assert df.loc["社区服务中心（个）"].tolist() == [
        "0",
        "50",
        "93",
    ]  # 116 × 80 % = 92.8: counts print whole
    assert df.loc["当年建设投资（万元）"].tolist() == ["—", "6,000.00", "5,136.00"]
    assert year_table(sc, t, ["centres"], years=[2008], decimals=0).iloc[0, 0] == "93"


def test_programme_text_and_no_components(capsys, tmp_path):
    code, out, err = cli(capsys, "programme", XS)
    assert code == 0 and "cost_per_m2: 857.1429" in out and "year: 2007" in out
    plain = tmp_path / "plain.yaml"
    plain.write_text(
        "meta: {id: p, name: 无组件, region: 某镇, level: 乡镇, base_year: 2020, "
        "period: [2021, 2022]}\n"
        "indicators:\n  - {id: x, name_zh: 指标, unit: 个, base: {year: 2020, value: 1}, rule: "
        "{kind: hold}}\n",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "programme", plain)
    assert code == 2 and "has no components" in err


def test_installed_cli_entry_point():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "planlib.cli", "programme", str(XS), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert '"new_share": 80' in out.stdout.replace("80.0", "80")

"""社区达标 (seeds 002, 001): compliance with norms, cost of the gaps, funding against them."""

import pandas as pd
import pytest
from _programmes import SCENARIOS, audit_rows, cli, edited, line_of, programme, run_values

from planlib.domains.community_norms_component import (
    CommunityError,
    Norms,
    compliance_table,
    read_communities,
)
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import load_scenario, parse_scenario

CITY = SCENARIOS / "community-norms-city.yaml"
COUNTY = SCENARIOS / "community-norms-county.yaml"


def test_city_seed_figures_from_run(capsys):
    v = run_values(capsys, CITY)
    assert v[("communities", 2010)] == 9
    assert v[("avg_households", 2010)] == pytest.approx(2349)  # “平均规模为2349户，7493人”
    assert v[("avg_population", 2010)] == pytest.approx(7493)
    assert v[("staff_gap", 2010)] == 0 and v[("police_gap", 2010)] == 0  # 5 + 1 + 3 everywhere
    assert v[("funding_total", 2012)] == pytest.approx(90)  # 30 万元 × 3 years
    # office gap: five offices below 300 m² (areas assumed 100, 150, 150, 200, 250)
    assert v[("office_gap", 2010)] == pytest.approx(650)
    assert v[("office_gap_cost", 2010)] == pytest.approx(650 * 1500 / 1e4)
    assert v[("office_gap_remaining", 2012)] == pytest.approx(97.5 - 90)


def test_county_seed_figures_from_run(capsys):
    v = run_values(capsys, COUNTY)
    assert v[("staff_required", 2004)] == 30
    assert v[("pay_bill", 2004)] == pytest.approx(30 * 500 * 12 / 1e4)  # 18 万元 a year
    assert v[("pay_county", 2004)] == pytest.approx(14.4)  # 80 %
    assert v[("pay_town", 2004)] == pytest.approx(3.6)  # 20 %
    assert v[("pay_rise_cost", 2004)] == pytest.approx(30 * (500 - 220) * 12 / 1e4)
    assert v[("funding_total", 2005)] == pytest.approx(13.6)  # “两年来共投入13.6万元”
    assert ("households", 2004) not in v  # not given by the seed: no indicator


def test_audit_and_report(capsys):
    code, rows = audit_rows(capsys, CITY)
    assert code == 0 and rows["offices_funded"]["status"] == "warning"
    r = programme(capsys, CITY)
    assert r["total"] == 9 and r["office_compliant"] == 4  # “还有五个社区……尚未达到300平方米”
    # cheapest gaps first: 7.5 (250 m²), 15, 22.5, 22.5, 30 万元, running 7.5, 22.5, 45, 67.5, 97.5:
    # 30 万元 closes 2, 60 closes 3, 90 closes 4; the fifth needs 97.5
    assert r["offices_meeting_norm"] == {"2010": 6, "2011": 7, "2012": 8}


def test_solve_affordable_cost(capsys):
    code, out, err = cli(
        capsys, "solve", CITY, "--target", "offices_funded", "--param", "office_cost_per_m2"
    )
    assert code == 0, err
    assert "1,384.62" in out  # 90 万元 ÷ 650 m²


def test_office_norm_slider_moves_the_gap():
    m = Model(load_scenario(CITY))
    t = m.evaluate({"norm_office_area": [200.0, 300.0, 400.0]})
    expected = [
        sum(max(0, n - a) for a in [300] * 4 + [100, 150, 150, 200, 250]) for n in (200, 300, 400)
    ]
    assert t.at("office_gap", 2010) == pytest.approx(expected)


def test_compliance_table_is_vectorised():
    df = compliance_table(
        [
            {"name": "a", "office_area": 120, "full_time": 3, "part_time": 1, "police": 3},
            {"name": "b", "office_area": 320, "full_time": 5, "part_time": 0, "police": 1},
        ],
        Norms(),
        office_cost_per_m2=2000,
        monthly_pay=500,
    )
    assert df["office_gap"].tolist() == [180, 0]
    assert df["office_cost"].tolist() == pytest.approx([36.0, 0.0])
    assert df["staff_gap"].tolist() == [2, 1] and df["police_gap"].tolist() == [0, 2]
    assert df["staff_cost"].tolist() == pytest.approx([1.2, 0.6])
    assert not df["compliant"].any()


def test_read_communities_csv_and_excel(tmp_path):
    rows = [
        {
            "name": "城东",
            "households": 2349,
            "population": 7493,
            "office_area": 300,
            "full_time": 5,
            "part_time": 1,
            "police": 3,
        },
        {
            "name": "社区5",
            "households": 2349,
            "population": 7493,
            "office_area": 120,
            "full_time": 4,
            "part_time": 1,
            "police": 3,
        },
    ]
    csv = tmp_path / "c.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    assert read_communities(csv)[1]["office_area"] == 120
    xlsx = tmp_path / "c.xlsx"
    pd.DataFrame(rows).to_excel(xlsx, index=False)
    assert read_communities(xlsx)[1]["full_time"] == 4


def test_communities_file_in_a_scenario(tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text("name,office_area,full_time\n甲,100,5\n乙,300,4\n", encoding="utf-8")
    text = CITY.read_text(encoding="utf-8")
    start = text.index("    communities:\n")
    end = text.index("    norms:")
    text = text[:start] + f"    communities_file: {csv}\n" + text[end:]
    sc = parse_scenario(text, str(tmp_path / "s.yaml"))
    t = Model(sc).evaluate()
    assert (
        t.at("office_gap", 2010)[0] == 200 and t.at("staff_gap", 2010)[0] == 1 + 2
    )  # part time 0 → 1 missing each


@pytest.mark.parametrize(
    "content,match",
    [
        (
            "name,office_area\n甲,-5\n",
            r"c\.csv:2 office_area: -5 is impossible; give a number >= 0",
        ),
        ("name,office_area\n甲,abc\n", r"c\.csv:2 office_area: 'abc' is not a number"),
        ("name,households\n甲,5\n", r"missing column\(s\) office_area"),
        ("name,office_area,colour\n甲,5,red\n", r"unknown column\(s\) colour"),
    ],
)
def test_bad_tables_name_file_row_column_value(tmp_path, content, match):
    p = tmp_path / "c.csv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(CommunityError, match=match):
        read_communities(p)


@pytest.mark.parametrize(
    "old,new,field,needle",
    [
        (
            "{name: 社区5, households: 2349,",
            "{name: 社区5, households: -2349,",
            "communities[4].households",
            "households: -2349",
        ),
        ("    county_share: 80 ", "    county_share: 180 ", "county_share", "county_share: 180"),
        ("funding: {2010: 30,", "funding: {2010: -30,", "funding", "funding: {2010: -30"),
    ],
)
def test_impossible_inputs_name_file_line_and_field(tmp_path, old, new, field, needle):
    path = edited(tmp_path, CITY, (old, new))
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert f"{path}:{line_of(path, needle)} components[0].{field}" in str(exc.value)


def test_missing_file_in_scenario_is_an_error(tmp_path):
    text = CITY.read_text(encoding="utf-8")
    start, end = text.index("    communities:\n"), text.index("    norms:")
    text = text[:start] + "    communities_file: nowhere.csv\n" + text[end:]
    with pytest.raises(
        ScenarioError, match=r"components\[0\]: communities_file: nowhere\.csv: file not found"
    ):
        parse_scenario(text, "s.yaml")


def test_compliance_frame_in_chinese(capsys):
    from planlib.domains.programmes import compliance_frame

    df = compliance_frame(programme(capsys, CITY))
    assert df["达标"].tolist().count("是") == 4
    assert df.loc[df["社区"] == "社区5", "达标所需（万元）"].item() == "30.00"


def test_relative_communities_file_is_read_next_to_the_scenario(tmp_path, monkeypatch):
    """A relative ``communities_file`` means: beside the scenario file,
    whatever the working directory."""
    sub = tmp_path / "plan"
    sub.mkdir()
    (sub / "c.csv").write_text("name,office_area,full_time\n甲,100,5\n乙,300,4\n", encoding="utf-8")
    text = CITY.read_text(encoding="utf-8")
    start = text.index("    communities:\n")
    end = text.index("    norms:")
    (sub / "s.yaml").write_text(
        text[:start] + "    communities_file: c.csv\n" + text[end:], encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)  # not the scenario's folder
    sc = load_scenario(sub / "s.yaml")
    assert [c.name for c in sc.components[0].community_list()] == ["甲", "乙"]

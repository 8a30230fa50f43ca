"""Urbanisation: UN URGD logistic, population model, national reference, audit and solve."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.auditing import audit
from planlib.domains import urbanisation as U
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import parse_scenario
from planlib.solver import solve


def test_urgd_formula_matches_the_un_expression():
    pu, urgd, n = 0.55, 0.03, 5
    g = np.exp(n * urgd)
    assert U.urgd_project(pu, urgd, n) == pytest.approx(pu * g / (1 - pu + pu * g))
    assert U.urgd_project(pu, 0.0, 7) == pytest.approx(pu)


@settings(max_examples=60, deadline=None)
@given(pu=st.floats(0.05, 0.95), urgd=st.floats(-0.1, 0.2), n=st.integers(2, 30))
def test_urgd_of_a_projected_path_recovers_the_input(pu, urgd, n):
    path = U.urgd_path(pu, urgd, n)[0]
    slope, start = U.fit_urgd(np.arange(2020, 2021 + n), path)
    assert slope == pytest.approx(urgd, abs=1e-9)
    assert start == pytest.approx(pu, rel=1e-9)
    assert U.required_urgd(pu, path[-1], n) == pytest.approx(urgd, abs=1e-9)


def test_fit_is_vectorised_over_runs_and_refuses_one_year():
    paths = U.urgd_path(np.array([0.3, 0.6]), np.array([0.02, 0.05]), 4)
    slope, _ = U.fit_urgd(np.arange(5), paths)
    np.testing.assert_allclose(slope, [0.02, 0.05])
    with pytest.raises(ValueError, match="two observed years"):
        U.fit_urgd([2020], [0.5])
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        U.logit(1.2)


def test_national_reference_pace():
    ys = sorted(U.NATIONAL_URBANISATION)
    assert U.NATIONAL_URBANISATION == {2020: 63.89, 2023: 66.16, 2024: 67.00}
    slope, _ = U.fit_urgd(ys, np.array([U.NATIONAL_URBANISATION[y] for y in ys]) / 100)
    assert 0.03 < slope < 0.04  # about 3.4 % a year of urban-rural growth difference


@settings(max_examples=40, deadline=None)
@given(
    u=st.floats(0.5, 50),
    r=st.floats(0.5, 50),
    gu=st.floats(-0.01, 0.02),
    gr=st.floats(-0.01, 0.02),
    rise=st.floats(0.001, 0.1),
    n=st.integers(1, 10),
)
def test_required_migration_is_the_inverse_of_the_population_path(u, r, gu, gr, rise, n):
    p0 = u / (u + r)
    target = min(p0 + rise, 0.95)
    m = U.required_migration(u, r, gu, gr, target, n)
    urban, rural, rate = U.population_path(u, r, gu, gr, m, n)
    if rural.min() > 0:  # the closed form holds while rural residents remain
        assert rate[0, -1] == pytest.approx(target, abs=1e-9)


def test_population_path_never_goes_negative():
    urban, rural, rate = U.population_path(1.0, 1.0, 0.0, 0.0, 0.6, 3)
    assert rural.min() >= 0 and rate[0, -1] == pytest.approx(1.0)


def test_park_component(park):
    traj = Model(park).evaluate()
    assert traj.at("urbanisation_rate_pop", 2020)[0] == pytest.approx(55.0)
    assert traj.at("resident_population", 2020)[0] == pytest.approx(5.0)
    assert traj.at("national_urbanisation_rate", 2024)[0] == pytest.approx(67.0)
    assert "国家统计局" in park.indicator("national_urbanisation_rate").source
    urgd = traj.series("urbanisation_rate_urgd")[0] / 100
    slope, _ = U.fit_urgd(traj.years, urgd)
    assert slope * 100 == pytest.approx(park.parameter("urgd").default)


def test_park_audit_reports_the_required_pace(park):
    rep = audit(park)
    chk = next(c for c in rep.checks if c["kind"] == "urbanisation")
    v = chk["values"]
    assert v["required_pp_per_year"] == pytest.approx(1.8)
    assert v["required_urgd"] == pytest.approx((U.logit(0.64) - U.logit(0.55)) / 5 * 100)
    assert v["national_pp_per_year"] == pytest.approx((67.0 - 63.89) / 4)
    assert v["urgd_ratio"] == pytest.approx(v["required_urgd"] / v["national_urgd"])
    assert chk["status"] == "info" and "全国" in chk["message"] and "URGD" in chk["message"]
    assert rep.row("urbanisation_pop_pp")["status"] == "ok"


def test_solve_migration(park):
    res = solve(park, "urbanisation_pop_pp", "urban_migration")
    assert res.status == "solved"
    need = U.required_migration(2.75, 2.25, 0.003, 0.003, 0.64, 5)
    assert res.value == pytest.approx(float(need), abs=1e-6)


TEXT = """\
meta: {id: u, name: 城镇化, region: 某镇, level: 乡镇, base_year: 2020, period: [2021, 2025]}
indicators:
  - {id: other, name_zh: 其他, unit: 个, base: {year: 2020, value: 1}, rule: {kind: hold}}
components:
  - kind: urbanisation
    population: 5
    rate: 55
    migration: {default: 0.3, bounds: [0, 0.5]}
    target_pp: 9
"""


def test_far_beyond_national_pace_is_flagged():
    sc = parse_scenario(TEXT.replace("target_pp: 9", "target_pp: 30"), "u.yaml")
    chk = next(c for c in audit(sc).checks if c["kind"] == "urbanisation")
    assert chk["status"] == "warning" and "远超全国" in chk["message"]


def test_bad_input_names_the_field():
    with pytest.raises(
        ScenarioError, match=r"u\.yaml:9 components\[0\]\.target_pp: .*reaches 104 %.*below 100 %"
    ):
        parse_scenario(TEXT.replace("target_pp: 9", "target_pp: 49"), "u.yaml")
    with pytest.raises(ScenarioError, match=r"components\[0\]\.migration.*outside bounds"):
        parse_scenario(TEXT.replace("default: 0.3", "default: 0.9"), "u.yaml")


def test_bad_distribution_names_the_component_field():
    bad = TEXT.replace(
        "migration: {default: 0.3, bounds: [0, 0.5]}",
        "migration: {default: 0.3, bounds: [0, 0.5], distribution: {kind: normal, mean: 0.3}}",
    )
    with pytest.raises(
        ScenarioError, match=r"u\.yaml:8 components\[0\]\.migration\.distribution: .*missing sd"
    ):
        parse_scenario(bad, "u.yaml")

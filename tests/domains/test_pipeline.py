"""Investment pipeline: seed totals by status, schedules, coverage, realisation draws."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.auditing import audit
from planlib.domains import pipeline as P
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import load_scenario


def _pipe(sc):
    return next(c for c in sc.components if c.kind == "pipeline")


def test_seed_totals_by_status(park):
    pipe = _pipe(park)
    a = pipe.arrays()
    totals = P.status_totals(a["amount"], a["status"])
    assert totals["签约"] == pytest.approx(4.5855)  # 3 亿 + 2575 + 5280 + 5000 + 3000 万
    assert totals["在建"] == pytest.approx(2.38)  # 1.58 亿 + 6000 + 2000 万
    assert totals["储备"] == pytest.approx(8.0)  # 5 亿 + 3 亿
    assert len(pipe.projects) == 10


@settings(max_examples=60, deadline=None)
@given(amount=st.lists(st.floats(0.01, 100), min_size=1, max_size=8), data=st.data())
def test_schedules_conserve_amounts(amount, data):
    k = len(amount)
    start = data.draw(st.lists(st.integers(2021, 2024), min_size=k, max_size=k))
    dur = data.draw(st.lists(st.integers(1, 5), min_size=k, max_size=k))
    years = np.arange(2015, 2035)
    sched = P.investment_schedule(amount, start, dur, years)
    np.testing.assert_allclose(sched.sum(axis=1), amount)
    out = P.output_schedule(amount, start, dur, 1.0, years)
    first = np.argmax(out > 0, axis=1)
    np.testing.assert_array_equal(years[first], np.array(start) + np.array(dur))


def test_model_investment_is_expected_value(park):
    traj = Model(park).evaluate()
    pipe = _pipe(park)
    a = pipe.arrays()
    p = np.array([{"储备": 0.3, "签约": 0.7, "在建": 0.95}[s] for s in a["status"]])
    sched = P.investment_schedule(a["amount"], a["start"], a["duration"], traj.years)
    np.testing.assert_allclose(traj.series("pipeline_investment")[0], p @ sched)
    assert traj.at("pipeline_investment_total", 2025)[0] == pytest.approx(
        0.3 * 8 + 0.7 * 4.5855 + 0.95 * 2.38
    )
    # all projects realised: the whole list lands in 2021–2025
    full = Model(park).evaluate(
        {"pipeline_p_reserve": 100, "pipeline_p_signed": 100, "pipeline_p_construction": 100}
    )
    assert full.at("pipeline_investment_total", 2025)[0] == pytest.approx(14.9655)


def test_audit_reports_coverage_by_status(park):
    rows = [c for c in audit(park).checks if c["kind"] == "pipeline"]
    fai = next(r for r in rows if r["values"].get("target") == "fai_cumulative")["values"]
    assert fai["full_by_status"] == pytest.approx({"储备": 8.0, "签约": 4.5855, "在建": 2.38})
    assert fai["expected_share"] == pytest.approx((0.3 * 8 + 0.7 * 4.5855 + 0.95 * 2.38) / 12 * 100)
    infra = next(r for r in rows if r["values"].get("target") == "infrastructure_cumulative")[
        "values"
    ]
    assert infra["full"] == pytest.approx(0.2575) and infra["category"] == "基础设施"
    assert any("新增产值" in r["message"] for r in rows)


def test_realisation_parameters_carry_distributions(park):
    for key in ("reserve", "signed", "construction"):
        assert park.parameter(f"pipeline_p_{key}").distribution is not None
    m = Model(park)
    rng = np.random.default_rng(1)
    draws = rng.uniform(0, 100, size=5)
    traj = m.evaluate({"pipeline_p_reserve": draws})
    assert traj.runs == 5
    np.testing.assert_allclose(
        np.diff(traj.at("pipeline_investment_total", 2025)), np.diff(draws) / 100 * 8
    )


def test_bernoulli_draws_match_probabilities():
    rng = np.random.default_rng(7)
    got = P.draw_realisation([0.0, 0.3, 1.0], 20000, rng)
    assert got.shape == (20000, 3)
    assert got[:, 0].sum() == 0 and got[:, 2].all()
    assert got[:, 1].mean() == pytest.approx(0.3, abs=0.015)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        P.draw_realisation([1.2], 3, rng)


def test_bad_project_is_named(edited):
    path = edited(("status: 签约, amount: 5280", "status: 已签, amount: 5280"))
    with pytest.raises(ScenarioError, match=r"components\[2\]\.projects\[4\]\.status"):
        load_scenario(path)
    path = edited(
        (
            "{name: 天然气工程, status: 签约, amount: 2575",
            "{name: 凉州黄羊物流园项目, status: 签约, amount: 2575",
        ),
        name="dup.yaml",
    )
    with pytest.raises(ScenarioError, match="listed twice"):
        load_scenario(path)


def test_pipeline_chart_stacks_expected_investment(park):
    from planlib.workbook.structure_charts import pipeline_figure

    traj = Model(park).evaluate()
    ax = pipeline_figure(traj, _pipe(park)).axes[0]
    tops = {}
    for patch in ax.patches:
        x = round(patch.get_x() + patch.get_width() / 2)
        tops[x] = max(tops.get(x, 0), patch.get_y() + patch.get_height())
    assert tops[2021] == pytest.approx(traj.at("pipeline_investment", 2021)[0])
    assert ax.get_title() == "项目库投资（按实现概率）"

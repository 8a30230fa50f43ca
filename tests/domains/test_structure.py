"""Three-sector structure: shares sum to 100, required tertiary growth, impossible targets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.auditing import audit
from planlib.domains import structure as S
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import parse_scenario
from planlib.solver import solve


@settings(max_examples=80, deadline=None)
@given(
    base=st.lists(st.floats(0.01, 1e4), min_size=3, max_size=3),
    rates=st.lists(st.floats(-0.5, 1.0), min_size=3, max_size=3),
    n=st.integers(0, 20),
)
def test_shares_always_sum_to_100(base, rates, n):
    levels = S.sector_levels(base, rates, n)
    sh = S.shares(levels)
    np.testing.assert_allclose(sh.sum(axis=1), 100.0, rtol=1e-9)
    assert np.all(sh >= 0)


@settings(max_examples=60, deadline=None)
@given(
    base=st.lists(st.floats(0.1, 100), min_size=3, max_size=3),
    rates=st.lists(st.floats(0.0, 0.3), min_size=3, max_size=3),
    share=st.floats(1, 99),
    n=st.integers(1, 10),
)
def test_required_growth_gives_the_target_share(base, rates, share, n):
    need = S.required_sector_growth(base, rates, share, n, sector=2)
    r = list(rates)
    r[2] = float(need[0])
    end = S.shares(S.sector_levels(base, r, n))[0, :, -1]
    assert end[2] == pytest.approx(share, abs=1e-6)


def test_impossible_shares_and_bounds():
    base, rates = [5, 60, 15], [0.05, 0.1, 0.1]
    assert np.isnan(S.required_sector_growth(base, rates, 100, 5)[0])
    assert np.isnan(S.required_sector_growth(base, rates, 120, 5)[0])
    assert S.feasibility([np.nan, 0.7, 0.2], (0, 0.6)).tolist() == [
        "impossible",
        "beyond_bounds",
        "within_bounds",
    ]


def test_park_structure(park):
    traj = Model(park).evaluate()
    shares = np.stack([traj.series(f"{s}_share_structure")[0] for s in S.SECTORS])
    np.testing.assert_allclose(shares.sum(axis=0), 100.0)
    assert traj.at("tertiary_share_structure", 2020)[0] == pytest.approx(15.0)
    rep = audit(park)
    chk = next(c for c in rep.checks if c["kind"] == "structure")
    need = S.required_sector_growth([3.0, 7.2, 1.8], [0.05, 0.10, 0.0], 45, 5)[0] * 100
    assert chk["values"]["required_tertiary_growth"] == pytest.approx(need)
    assert chk["values"]["feasibility"] == "within_bounds" and chk["status"] == "info"
    assert "需第三产业年均增长" in chk["message"]
    assert (
        next(c for c in rep.checks if c["label"].startswith("三次产业比重合计"))["status"] == "ok"
    )


def test_seed_output_shares_sum_to_100(park):
    assert sum(
        park.indicator(i).known[2020] for i in ("food_share", "pharma_share", "other_share")
    ) == pytest.approx(100.0)
    assert 68.73 + 13.84 + 17.43 == pytest.approx(100.0)


def test_solve_tertiary_growth(park):
    res = solve(park, "tertiary_structure_pp", "tertiary_growth")
    assert res.status == "solved"
    assert res.value == pytest.approx(
        S.required_sector_growth([3.0, 7.2, 1.8], [0.05, 0.1, 0], 45, 5)[0] * 100, abs=1e-6
    )


TEXT = """\
meta: {id: s, name: 结构, region: 某镇, level: 乡镇, base_year: 2020, period: [2021, 2025]}
indicators:
  - {id: other, name_zh: 其他, unit: 个, base: {year: 2020, value: 1}, rule: {kind: hold}}
components:
  - kind: structure
    base: {primary: 10, secondary: 60, tertiary: 30}
    growth:
      primary: {default: 3, bounds: [0, 10]}
      secondary: {default: 8, bounds: [0, 20]}
      tertiary: {default: 10, bounds: [0, 20]}
    target_pp: 10
"""


def test_required_rate_beyond_bounds_is_reported_impossible():
    sc = parse_scenario(TEXT.replace("target_pp: 10", "target_pp: 40"), "s.yaml")
    chk = next(c for c in audit(sc).checks if c["kind"] == "structure")
    assert chk["status"] == "warning" and chk["values"]["feasibility"] == "beyond_bounds"
    assert "无法实现" in chk["message"]
    assert solve(sc, "tertiary_structure_pp", "tertiary_growth").status == "unreachable"


def test_share_of_100_or_more_is_an_error_naming_the_component():
    with pytest.raises(
        ScenarioError, match=r"s\.yaml:\d+ components\[0\]: target_pp 70 .*impossible"
    ):
        parse_scenario(TEXT.replace("target_pp: 10", "target_pp: 70"), "s.yaml")
    with pytest.raises(ScenarioError, match=r"missing tertiary"):
        parse_scenario(TEXT.replace(", tertiary: 30", ""), "s.yaml")


def test_charts_read_the_trajectories(park):
    from planlib.workbook.structure_charts import structure_figure, urbanisation_figure

    traj = Model(park).evaluate()
    fig = structure_figure(traj, target_share=45)
    ax = fig.axes[0]
    assert ax.get_title() == "三次产业结构"
    # issue 12: the 45 % target line is drawn at 45 (it was at 100 − 45), on the top edge of
    # the tertiary band, which is stacked at the bottom
    assert ax.lines[0].get_ydata()[0] == pytest.approx(45)
    tertiary = ax.collections[0]
    assert tertiary.get_label() == "第三产业"
    top = max(v[1] for v in tertiary.get_paths()[0].vertices if v[0] == traj.years[-1])
    assert top == pytest.approx(traj.series("tertiary_share_structure")[0, -1])
    fig = urbanisation_figure(traj, target=64)
    lines = {ln.get_label(): ln for ln in fig.axes[0].lines}
    np.testing.assert_allclose(
        lines["人口模型"].get_ydata(), traj.series("urbanisation_rate_pop")[0]
    )
    assert list(lines["全国（国家统计局）"].get_ydata()) == [63.89, 66.16, 67.0]


def test_structural_view_and_tables(park):
    from planlib.auditing import audit as run_audit
    from planlib.workbook.structure_charts import (
        accounts_frame,
        findings_frame,
        projects_frame,
        structural_scenario,
    )

    sc = structural_scenario(park)
    assert [t.id for t in sc.targets][:3] == [
        "urbanisation_pop_pp",
        "tertiary_structure_pp",
        "output_per_mu_needed",
    ]
    assert sorted(t.id for t in sc.targets) == sorted(t.id for t in park.targets)
    df = findings_frame(run_audit(park))
    assert {"城镇化步伐", "三次产业结构", "用地台账", "用地与亩均产值"} <= set(df["类别"])
    comps = {c.kind: c for c in park.components}
    assert projects_frame(comps["pipeline"])["投资（亿元）"].tolist()[3] == "0.2575"
    acc = accounts_frame(comps["land"].findings(park, Model(park).evaluate()))
    assert acc.set_index("台账").loc["核准规划面积", "亩"] == "8,325.00"

"""Risk panel: sliders re-run the simulation; tables hold formatted text."""

from __future__ import annotations

import pytest

from planlib.simulation.engine import simulate
from planlib.workbook.mc_widgets import confidence_percentiles, probability_table, risk_panel


def test_confidence_percentiles():
    assert confidence_percentiles(0.9) == (5.0, 25.0, 50.0, 75.0, 95.0)
    assert confidence_percentiles(0.6) == (20.0, 25.0, 50.0, 75.0, 80.0)
    with pytest.raises(ValueError, match=r"confidence level must be in \(0, 1\)"):
        confidence_percentiles(1.0)


def test_probability_table_is_formatted_text(park):
    res = simulate(park, 4000, seed=2)
    t = probability_table(res)
    ids = [tg["id"] for tg in res.targets]
    t.index = ids  # rows follow the targets; ids are not shown to the planner (issue 12)
    assert t.loc["output_2025", "达标概率"] == f"{100 * res.probability('output_2025'):.1f}%"
    assert t.loc["projects_cumulative", "未达时平均差距"] == "—"
    assert t.loc["output_2025", "未达时平均差距"].endswith("亿元")
    assert not t.map(lambda v: "np." in str(v)).any().any()
    shown = probability_table(res).to_html()
    assert not any(i in shown for i in ids)


def test_summary_names_the_target_by_its_wording(park):
    p = risk_panel(park, runs=2000, seed=1, solve_target="output_2025", solve_param="output_growth")
    assert "output_2025" not in p.summary() and "“期末实现50亿元”" in p.summary()


def test_sliders_rerun_the_simulation(park):
    p = risk_panel(park, runs=2000, seed=1, solve_target="output_2025", solve_param="output_growth")
    assert p.indicator == "industrial_output"
    before = (p.table_html.value, p.image.value, p.summary_html.value)
    p.runs.value = 3000
    assert p.result.runs == 3000
    after = (p.table_html.value, p.image.value, p.summary_html.value)
    assert all(a != b for a, b in zip(before, after, strict=True))
    p.level.value = 0.8
    assert p.result.percentiles == (10.0, 25.0, 50.0, 75.0, 90.0)
    assert "80%" in p.summary()  # the required pace now aims at 80 % confidence

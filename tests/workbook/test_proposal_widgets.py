"""十五五目标测算 charts and dashboard: the proposal's own numbers, reacting to the slider."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planlib.tracking.actuals import read_actuals
from planlib.tracking.proposals import curve_for, probability_curve, propose, value_range
from planlib.workbook.proposal_charts import plot_curve, plot_fan
from planlib.workbook.proposal_widgets import ProposalDashboard

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"


@pytest.fixture(scope="module")
def proposal(park):
    return propose(park, read_actuals(SAMPLE, park), runs=10_000, seed=4)


def line(fig, label):
    return next(x for x in fig.axes[0].lines if x.get_label() == label)


def test_fan_draws_actuals_median_and_option_levels(proposal):
    fig = plot_fan(proposal, "output_growth", value=7.0)
    act = line(fig, "实绩")
    assert list(act.get_xdata()) == [2021, 2022, 2023, 2024, 2025]
    assert list(act.get_ydata()) == [35, 37.5, 41, 44, 47.5]
    r = proposal.row("output_growth")
    trend = line(fig, "趋势方案")
    assert trend.get_xdata()[0] == 2030
    assert trend.get_ydata()[0] == pytest.approx(47.5 * (1 + r.option("trend").value / 100) ** 5)
    chosen = line(fig, "所选目标")
    assert chosen.get_ydata()[0] == pytest.approx(47.5 * 1.07**5)
    med = line(fig, "中位数")
    assert med.get_ydata()[list(med.get_xdata()).index(2025)] == pytest.approx(47.5)


def test_fan_of_a_cumulative_target_is_the_running_sum(proposal):
    fig = plot_fan(proposal, "attracted_cumulative")
    r = proposal.row("attracted_cumulative")
    assert line(fig, "冲刺方案").get_ydata()[0] == r.option("stretch").value == 15.0


def test_curve_is_the_engine_probability(proposal):
    c = curve_for(proposal, "output_2030", points=5, runs=10_000)
    lo, hi = value_range(proposal, "output_2030")
    assert c.values[0] == lo and c.values[-1] == hi
    assert np.all(np.diff(c.p_meet) <= 0)  # a higher floor is never likelier
    assert np.array_equal(
        c.p_meet, probability_curve(proposal, "output_2030", c.values, runs=10_000)
    )
    assert c.at(c.values[2]) == c.p_meet[2]
    fig = plot_curve(proposal, c, value=c.values[1])
    assert list(line(fig, "达标概率").get_ydata()) == list(100 * c.p_meet)
    assert line(fig, "所选目标").get_ydata()[0] == pytest.approx(100 * c.p_meet[1])


def test_dashboard_slider_changes_probability_text_and_chart(proposal):
    d = ProposalDashboard(proposal, target="output_2030", runs=5_000)
    r = proposal.row("output_2030")
    assert d.value.value == r.value
    text, image = d.p_html.value, d.curve_image.value
    d.value.value = d.value.value + 10 * d.value.step
    assert d.p_html.value != text and d.curve_image.value != image
    assert f"约 {100 * d.curve.at(d.value.value):.1f}%" in d.summary()
    d.target.value = "tax_growth"
    assert d.value.value == proposal.row("tax_growth").value
    assert "推荐" in d.options_table()

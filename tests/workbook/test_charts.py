"""Trajectory charts: glyphs, units, target markers, in-place updates, determinism."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest
from conftest import SCENARIOS

from planlib.model import Model
from planlib.workbook.charts import (
    STYLE,
    TrajectoryChart,
    breakdown_frame,
    chart_panels,
    new_figure,
    panel_values,
    savefig_deterministic,
    setup_fonts,
    target_marks,
    trajectory_figure,
)


@pytest.fixture(scope="module")
def park_model(park):
    return Model(park)


def test_font_is_the_bundled_chinese_one_and_has_glyphs():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    setup_fonts()
    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert "NotoSansSC" in path
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) != 0 for ch in "规上工业产值约束性预期性亿元")


def test_panels_follow_targets_and_cumulative_targets_get_running_sums(park):
    panels = chart_panels(park)
    assert [p.indicator for p in panels][:3] == [
        "new_projects",
        "above_scale_enterprises",
        "industrial_output",
    ]
    assert panels[0].cumulative_from == 2021 and panels[0].title.endswith("（累计）")
    assert len(chart_panels(park, max_panels=2)) == 2


def test_running_sum_matches_the_cumulative_target(park, park_model):
    traj = park_model.evaluate()
    panel = chart_panels(park)[0]
    values = panel_values(traj, panel)[0]
    assert np.isnan(values[0])  # before the start year
    assert values[-1] == pytest.approx(12 + 4 * 5)  # 12 in 2021, then 5 a year → 32


def test_markers_sit_where_the_target_says(park, park_model):
    traj = park_model.evaluate()
    panels = chart_panels(park)
    marks = {m.target: m for m in target_marks(park, traj, panels)}
    assert marks["output_2025"].value == pytest.approx(50)
    # growth 10% a year from 35 (2021) over 4 years
    assert marks["output_growth"].value == pytest.approx(35 * 1.1**4)
    assert marks["projects_cumulative"].year == 2025
    assert {m.attribute for m in marks.values()} == {"预期性"}


def test_chart_updates_in_place_without_new_artists(park, park_model):
    chart = TrajectoryChart(park, park_model.evaluate())
    k = [p.indicator for p in chart.panels].index("industrial_output")
    n_artists = [len(ax.get_children()) for ax in chart.axes]
    line = chart.lines[k]
    png0 = chart.png()
    chart.update(park_model.evaluate({"output_growth": 15}))
    assert chart.lines[k] is line
    assert chart.current(k)[-1] == pytest.approx(35 * 1.15**4)
    assert [len(ax.get_children()) for ax in chart.axes] == n_artists
    png1 = chart.png()
    assert png1 != png0 and png1[:8] == b"\x89PNG\r\n\x1a\n"
    chart.update(park_model.evaluate())
    assert chart.png() == png0  # back to baseline → same pixels


def test_small_moves_keep_the_axes_still_and_large_ones_refit(park, park_model):
    chart = TrajectoryChart(park, park_model.evaluate())
    limits = [ax.get_ylim() for ax in chart.axes]
    chart.update(park_model.evaluate({"output_growth": 10.5}))
    assert [ax.get_ylim() for ax in chart.axes] == limits
    chart.update(park_model.evaluate({"output_growth": 20, "tax_growth": 40}))
    k = [p.indicator for p in chart.panels].index("industrial_output")
    lo, hi = chart.axes[k].get_ylim()
    assert hi >= 35 * 1.2**4 > 50 > lo  # the new line and the target are both on the axis


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_y_limits_follow_the_data_not_the_slider_ranges(path):
    """Issue 12: at baseline 06 and 07 were flat lines on axes sized for the sliders' corners,
    and 07's 节地率 axis ran from −600 % to 50 %."""
    from planlib.scenario import load_scenario

    sc = load_scenario(path)
    base = Model(sc).evaluate()
    chart = TrajectoryChart(sc, base)
    for k, (ax, panel) in enumerate(zip(chart.axes, chart.panels, strict=True)):
        y = panel_values(base, panel)[0]
        shown = np.concatenate([y[np.isfinite(y)], chart._targets[k]])
        shown = shown[np.isfinite(shown)]
        lo, hi = ax.get_ylim()
        if shown.size == 0:  # nothing computed (a qualitative target): a plain 0–1 axis
            assert (lo, hi) == (0.0, 1.0)
            continue
        assert lo <= shown.min() and shown.max() <= hi, panel.title
        if shown.max() > shown.min():  # the data fills most of the axis, so a change is visible
            assert (shown.max() - shown.min()) >= 0.4 * (hi - lo), (panel.title, lo, hi)
        if shown.min() >= 0:
            assert lo >= 0, panel.title
        if panel.unit == "%":
            assert lo >= 0 and hi <= 110, (panel.title, lo, hi)


def test_units_on_axes_and_binding_targets_styled_differently(park, park_model, edited):
    from planlib.scenario import load_scenario

    chart = TrajectoryChart(park, park_model.evaluate())
    assert {ax.get_ylabel() for ax in chart.axes} >= {"[亿元]", "[%]", "[户]"}
    path = edited(
        (
            '    kind: level\n    op: ">="\n    value: 50',
            '    kind: level\n    op: ">="\n    value: 50\n    attribute: 约束性',
        )
    )
    sc = load_scenario(path)
    chart2 = TrajectoryChart(sc, Model(sc).evaluate())
    colours = {a.get_markerfacecolor() for a in chart2.marker_artists}
    assert STYLE["约束性"]["mfc"] in colours and "none" in colours


def test_breakdown_frame_is_formatted_text(park, park_model):
    df = breakdown_frame(park, park_model.evaluate())
    row = df[df["指标"] == "规上工业产值"].iloc[0]
    assert row["2025"] == "51.24" and row["2020"] == "—"
    assert all(isinstance(v, str) for v in df.drop(columns=["指标", "单位"]).to_numpy().ravel())


def test_static_figure_and_svg_are_deterministic(park, park_model, tmp_path):
    traj = park_model.evaluate({"output_growth": 8})
    hashes = []
    for k in range(2):
        fig = trajectory_figure(park, traj, baseline=park_model.evaluate())
        path = savefig_deterministic(fig, tmp_path / f"f{k}.svg")
        text = path.read_text()
        assert "<dc:date>" not in text
        hashes.append(hashlib.sha256(text.encode()).hexdigest())
    assert hashes[0] == hashes[1]


def test_new_figure_is_not_registered_with_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = new_figure()
    assert plt.get_fignums() == before
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_a_figure_returned_by_a_cell_displays_as_png():
    """Issue 12: a cell ending in ``fig`` stored ``<Figure size 700x400 with 1 Axes>``."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        fig = new_figure(3, 2)
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1])
        ax.set_title("规上工业产值")
        data, _ = shell.display_formatter.format(fig)
        assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
        assert data["text/plain"] == "图：规上工业产值"
    finally:
        InteractiveShell.clear_instance()

"""The what-if widget: generic over scenarios, live tables, reset, save-as-variant, static mode."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from planlib.scenario import load_scenario
from planlib.workbook.widgets import MET, MISSED, envelope_params, parameter_grid, whatif

ROOT = Path(__file__).resolve().parents[2]
ALL_SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture
def park_copy(tmp_path, park_path):
    """The park scenario (and anything it refers to) copied into a scratch folder."""
    for f in park_path.parent.iterdir():
        if f.is_file():
            shutil.copy2(f, tmp_path / f.name)
    return tmp_path / park_path.name


def _row(df, wording):
    return df[df["目标"] == wording].iloc[0]


def test_one_slider_per_parameter_with_bounds_step_baseline_and_unit(park):
    wi = whatif(park)
    _ = wi.widget  # builds the UI
    sliders = wi._ui["sliders"]
    assert list(sliders) == [p.name for p in park.parameters]
    for p in park.parameters:
        s = sliders[p.name]
        assert (s.min, s.max, s.value) == (p.bounds[0], p.bounds[1], p.default)
        assert s.step == (p.step or (p.bounds[1] - p.bounds[0]) / 100)
    row = wi.widget.children[1]
    assert "planlib-param-output_growth" in row._dom_classes
    assert "基准 10.0 %" in row.children[2].value


def test_moving_a_slider_updates_summary_table_chart_and_comparison(park):
    wi = whatif(park)
    ui = wi.widget and wi._ui
    before = (ui["summary"].value, ui["targets"].value, ui["image"].value, ui["compare"].value)
    k = [p.indicator for p in wi.chart.panels].index("industrial_output")
    line = wi.chart.lines[k]
    ui["sliders"]["output_growth"].value = 8.0
    after = (ui["summary"].value, ui["targets"].value, ui["image"].value, ui["compare"].value)
    assert all(a != b for a, b in zip(before, after, strict=True))
    assert wi.chart.lines[k] is line  # updated in place
    assert wi.chart.current(k)[-1] == pytest.approx(35 * 1.08**4)
    df = wi.targets_frame()
    assert _row(df, "期末实现50亿元")["状态"] == MISSED
    assert _row(df, "期末实现50亿元")["推演值"] == "47.62亿元"
    assert _row(df, "期末实现50亿元")["达标所需（年均）"] == "9.33%"
    assert "已调整：规上工业产值年均增速 8.0%" in wi.summary()


def test_reset_returns_to_baseline(park):
    wi = whatif(park)
    _ = wi.widget
    wi.set(output_growth=3, tax_growth=1)
    assert wi.overrides() == {"output_growth": 3.0, "tax_growth": 1.0}
    wi.reset()
    assert wi.overrides() == {}
    assert wi._ui["sliders"]["output_growth"].value == 10
    assert (wi.targets_frame()["状态"] == MET).all()
    np.testing.assert_allclose(wi.traj.values, wi.baseline.values, equal_nan=True)


def test_set_rejects_values_outside_bounds_and_unknown_names(park):
    wi = whatif(park)
    with pytest.raises(ValueError, match=r"output_growth.*25.*\[0, 20\]"):
        wi.set(output_growth=25)
    with pytest.raises(KeyError, match="no parameter 'nope'"):
        wi.set(nope=1)


def test_save_writes_a_valid_variant_and_never_overwrites_silently(park_copy):
    wi = whatif(park_copy)
    _ = wi.widget
    wi.set(output_growth=12)
    path = wi.save("faster.yaml", name="产值提速情景")
    assert path == park_copy.parent / "faster.yaml"
    variant = load_scenario(path)
    assert variant.extends and variant.overrides == {"output_growth": 12.0}
    assert variant.parameter("output_growth").default == 12
    assert variant.meta.name == "产值提速情景"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(FileExistsError):
        wi.save("faster.yaml")
    assert path.read_text(encoding="utf-8") == text
    # through the buttons: the first click asks for confirmation, "确认覆盖" replaces the file
    wi.set(output_growth=14)
    wi._ui["fname"].value = "faster.yaml"
    wi._on_save(overwrite=False)
    assert "已存在" in wi._ui["status"].value and wi._ui["confirm"].layout.display == ""
    assert load_scenario(path).overrides == {"output_growth": 12.0}
    wi._on_save(overwrite=True)
    assert load_scenario(path).overrides == {"output_growth": 14.0}
    assert wi._ui["confirm"].layout.display == "none"
    # the comparison now shows the saved variant side by side with the baseline
    cmp = wi.comparison_frame()
    assert any(c.startswith("已保存：faster") for c in cmp.columns)
    assert not list(park_copy.parent.glob(".*.tmp"))


def test_save_reports_bad_file_names_in_the_status_line(park_copy):
    wi = whatif(park_copy)
    _ = wi.widget
    wi._ui["fname"].value = "variant.txt"
    wi._on_save(overwrite=False)
    assert "未保存" in wi._ui["status"].value and ".yaml" in wi._ui["status"].value


def test_comparison_has_baseline_current_and_difference(park):
    wi = whatif(park).set(output_growth=12)
    df = wi.comparison_frame()
    row = df[df["指标"] == "规上工业产值"].iloc[0]
    assert row["基准（2025年）"] == "51.24亿元"
    assert row["当前推演（2025年）"] == "55.07亿元"
    assert row["差值"] == "+3.83亿元"
    assert df.iloc[-1]["指标"] == "目标达标数"


def test_envelope_covers_every_corner_for_few_parameters(park):
    env = envelope_params(park)
    k = len(park.parameters)
    n = next(iter(env.values())).shape[0]
    assert n == (2**k if 2**k <= 1024 else 1024 + 2)
    for p in park.parameters:
        assert set(np.unique(env[p.name])) <= set(p.bounds)


def test_parameter_grid_lists_bounds_and_flipped_targets(park):
    df = parameter_grid(park)
    assert len(df) == 1 + 2 * len(park.parameters)
    low = df[(df["参数"] == "规上工业产值年均增速") & (df["取值"].str.startswith("下限"))].iloc[0]
    assert "期末实现50亿元" in low["状态改变的目标"]


def test_static_mode_shows_tables_not_controls(park, monkeypatch):
    monkeypatch.setenv("PLANLIB_STATIC", "1")
    bundle = whatif(park)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle
    html = bundle["text/html"]
    assert "planlib-targets-table" in html and "data:image/png;base64," in html
    assert "<input" not in html and "<button" not in html and "单参数情景表" in html
    monkeypatch.setenv("PLANLIB_STATIC", "0")
    assert "application/vnd.jupyter.widget-view+json" in whatif(park)._repr_mimebundle_()


@pytest.mark.parametrize("path", ALL_SCENARIOS, ids=[p.stem for p in ALL_SCENARIOS])
def test_whatif_works_for_every_scenario_file(path):
    sc = load_scenario(path)
    wi = whatif(sc)
    _ = wi.widget
    assert len(wi._ui["sliders"]) == len(sc.parameters)
    assert len(wi.targets_frame()) == len(sc.targets)
    if sc.parameters:
        p = sc.parameters[0]
        wi._ui["sliders"][p.name].value = p.bounds[1] if p.default != p.bounds[1] else p.bounds[0]
        assert wi.overrides() == {p.name: wi._ui["sliders"][p.name].value}
    assert "np.float64" not in wi.targets_frame().to_string() + wi.comparison_frame().to_string()


def test_slider_move_is_fast(park):
    """Not the benchmark (benchmarks/latency_kernel.py): a loose guard against regressions."""
    wi = whatif(park)
    s = wi.widget and wi._ui["sliders"]["output_growth"]
    times = []
    for v in np.arange(0, 20, 1.0):
        t0 = time.perf_counter()
        s.value = float(v)
        times.append(time.perf_counter() - t0)
    assert float(np.median(times)) < 0.5


# ---- issue 12: what a planner sees in the targets table ------------------------------------------
@pytest.mark.parametrize("path", ALL_SCENARIOS, ids=lambda p: p.stem)
def test_target_rows_name_indicator_and_year_and_are_distinct(path):
    """Rows named only by wording were ambiguous (08 showed 8 identical rows)."""
    sc = load_scenario(path)
    df = whatif(sc).targets_frame()
    assert list(df.columns[:3]) == ["指标", "年份", "目标"]
    for ct, rec in zip(whatif(sc).compiled, df.to_dict("records"), strict=True):
        assert rec["指标"] == sc.indicator(ct.target.indicator).name_zh
        assert rec["年份"].endswith(f"{ct.target.year}年")
    shown = df[["指标", "年份", "目标", "目标值"]].astype(str).agg("|".join, axis=1)
    assert shown.is_unique


def test_minimum_living_rows_differ_by_indicator_and_year():
    df = whatif(ROOT / "scenarios" / "minimum-living-standard.yaml").targets_frame()
    assert len(df) == 8
    assert sorted(set(df["年份"])) == ["2012年", "2013年", "2014年", "2015年"]
    assert set(df["指标"]) == {"城市低保标准占上年消费支出", "农村低保标准占上年消费支出"}


def test_required_pace_is_a_dash_for_limits_and_gaps():
    """节地率 ≤ 50 %, 容积率 ≤ 1 and a funding gap ≤ 0 have no yearly pace.

    They were ±100 % and 45.83 %.
    """
    village = whatif(ROOT / "scenarios" / "taierzhuang-village-consolidation.yaml").targets_frame()
    assert set(village["达标所需（年均）"]) == {"—"}
    city = whatif(ROOT / "scenarios" / "community-norms-city.yaml").targets_frame()
    assert set(city["达标所需（年均）"]) == {"—"}


def test_required_pace_still_shown_where_it_means_something(park):
    df = whatif(park).targets_frame()
    # 50 亿元 from 35 亿元 (2021) in 4 years: (50/35)**(1/4) - 1 = 9.33 %
    assert _row(df, "期末实现50亿元")["达标所需（年均）"] == f"{((50 / 35) ** 0.25 - 1) * 100:.2f}%"
    assert _row(df, "期末达到25户")["达标所需（年均）"] == "每年2户"  # (25 - 15) / 5


def test_status_words_are_coloured_text_without_symbols(park):
    wi = whatif(park).set(output_growth=8)
    df = wi.targets_frame()
    assert set(df["状态"]) == {MET, MISSED} and {MET, MISSED} == {"达标", "未达标"}
    html = wi.widget.children[0] and wi._ui["targets"].value
    assert 'style="color:#c0392b;font-weight:bold">未达标</span>' in html
    assert "✓" not in html and "✗" not in html


@pytest.mark.parametrize("path", ALL_SCENARIOS, ids=lambda p: p.stem)
def test_every_slider_changes_something(path):
    """Issue 12: 05's slider "2007年社区服务中心覆盖率" moved nothing but its own path (2007 is a
    reported year): every slider must move an indicator other than a path that only restates it."""
    from planlib.model import Model

    sc = load_scenario(path)
    model = Model(sc)
    keep = [k for k, ind in enumerate(sc.indicators) if ind.rule is None or ind.rule.kind != "path"]

    def seen(values):
        return np.round(np.nan_to_num(model.evaluate(values).values[0, keep]), 9)

    dead = []
    for p in sc.parameters:
        # others at baseline, all low, or all high (a unit cost matters only once there is a gap)
        settings = [
            {},
            {q.name: q.bounds[0] for q in sc.parameters},
            {q.name: q.bounds[1] for q in sc.parameters},
        ]
        if all(
            np.array_equal(seen({**o, p.name: p.bounds[0]}), seen({**o, p.name: p.bounds[1]}))
            for o in settings
        ):
            dead.append(p.name)
    assert dead == []

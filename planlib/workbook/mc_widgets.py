"""Risk panel for notebooks: sliders for runs and confidence level, fan chart, probability table.

A thin shell: every callback calls :func:`planlib.simulation.engine.simulate` and
:func:`planlib.simulation.engine.solve_probability`, then formats with
:mod:`planlib.formatting` and draws with :mod:`planlib.workbook.charts`.
"""

from __future__ import annotations

import html
import io

import numpy as np

from ..formatting import fmt_number, fmt_value
from ..scenario import Scenario, load_scenario
from ..simulation.engine import SimulationResult, simulate, solve_probability

__all__ = [
    "confidence_percentiles",
    "probability_table",
    "probability_message",
    "fan_png",
    "RiskPanel",
    "risk_panel",
]

KIND_ZH = {
    "level": "期末值",
    "growth": "年均增长",
    "cumulative": "累计",
    "increment": "增量",
    "pp_change": "提高",
}


def confidence_percentiles(level: float) -> tuple[float, ...]:
    """Percentiles drawn for a confidence level: the central band, the quartiles and the median.

    Parameters
    ----------
    level : float
        Confidence level in (0, 1), e.g. 0.9 gives the 5th–95th percentile band [-].
    """
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be in (0, 1), got {level}")
    lo = round(50 * (1 - level), 6)
    return tuple(sorted({lo, 25.0, 50.0, 75.0, 100 - lo}))


def probability_table(result: SimulationResult):
    """Targets with P(meet), shortfall when missed and the median first year met, as text.

    Returns
    -------
    pandas.DataFrame
        Columns 目标, 指标, 属性, 达标概率, 未达时平均差距, 中位达标年份 (strings).
    """
    import pandas as pd

    t = result.target_table()
    names = dict(zip(result.indicators, result.names, strict=True))
    rows = []
    for rec in t.to_dict("records"):
        es = rec["expected_shortfall"]
        med = rec["median_first_year"]  # a float column when some targets are never met
        rows.append(
            {
                "目标": rec["wording"] or rec["id"],
                "指标": f"{names[rec['indicator']]}（{KIND_ZH.get(rec['kind'], rec['kind'])}）",
                "属性": rec["attribute"],
                "达标概率": fmt_number(100 * rec["p_meet"], 1) + "%",
                "未达时平均差距": "—" if np.isnan(es) else fmt_value(es, rec["unit"]),
                "中位达标年份": "未达标" if pd.isna(med) else str(int(med)),
            }
        )
    return pd.DataFrame(rows)


def probability_message(scenario, solved) -> str:
    """Return the Chinese message of a probability solve, the target named by its wording.

    :func:`planlib.simulation.engine.solve_probability` names the target by its id; the
    workbook says “期末实现50亿元” instead.
    """
    t = scenario.target(solved.target)
    label = f"“{t.wording}”" if t.wording else scenario.indicator(t.indicator).name_zh
    text = solved.message
    if text.startswith(f"{solved.target}："):
        text = f"{label}：" + text[len(solved.target) + 1 :]
    return text.replace(solved.target, label)


def fan_png(result: SimulationResult, indicator: str, level: float) -> bytes:
    """PNG bytes of the fan chart with the band of ``level`` (no dates or software tag)."""
    from .charts import fan_chart

    lo = round(50 * (1 - level), 6)
    shown = result
    if lo != 5.0:  # relabel the chosen band as the outer one of the fan chart
        pct = [float(p) for p in result.percentiles]
        order = [pct.index(p) for p in (lo, 25.0, 50.0, 75.0, 100 - lo)]
        from dataclasses import replace

        shown = replace(
            result, percentiles=(5.0, 25.0, 50.0, 75.0, 95.0), quantiles=result.quantiles[order]
        )
    i = result.indicators.index(indicator)
    fig = fan_chart(
        shown,
        indicator,
        title=f"{result.names[i]}：{result.runs:,} 次模拟，{fmt_number(100 * level, 0)}% 区间",
    )
    ax = fig.axes[0]
    for coll in ax.collections[:1]:
        coll.set_label(f"{fmt_number(lo, 1)}%–{fmt_number(100 - lo, 1)}%")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, metadata={"Software": None})
    return buf.getvalue()


class RiskPanel:
    """Sliders for runs and confidence level; fan chart, probability table, required pace.

    Parameters
    ----------
    scenario : Scenario or path
    runs : int
        Initial number of runs.
    seed : int
    indicator : str, optional
        Indicator of the fan chart (default: the first one that varies between runs).
    solve_target, solve_param : str, optional
        Target and parameter for “what value gives P(meet) ≥ confidence level”.
    """

    def __init__(
        self,
        scenario,
        runs: int = 10_000,
        seed: int = 1,
        level: float = 0.9,
        indicator: str | None = None,
        solve_target: str | None = None,
        solve_param: str | None = None,
        max_runs: int = 200_000,
    ):
        import ipywidgets as w

        self.scenario: Scenario = (
            scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        )
        self.seed = seed
        probe = simulate(self.scenario, 2000, seed=seed)
        varying = [
            k
            for k in probe.indicators
            if np.nanmax(probe.std[probe.indicators.index(k)], initial=0) > 0
        ]
        self.indicator = indicator or (varying[0] if varying else probe.indicators[0])
        self.solve_target, self.solve_param = solve_target, solve_param
        step = 1000 if max_runs >= 10_000 else 100
        self.runs = w.IntSlider(
            value=runs,
            min=step,
            max=max(max_runs, runs),
            step=step,
            description="模拟次数",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.level = w.FloatSlider(
            value=level,
            min=0.5,
            max=0.98,
            step=0.02,
            description="置信水平",
            readout_format=".2f",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.choice = w.Dropdown(
            options=[(probe.names[probe.indicators.index(k)], k) for k in varying]
            or [(probe.names[0], probe.indicators[0])],
            value=self.indicator,
            description="指标",
        )
        self.summary_html = w.HTML()
        self.summary_html.add_class("planlib-mc-summary")
        self.table_html = w.HTML()
        self.table_html.add_class("planlib-mc-targets")
        self.image = w.Image(format="png")
        self.image.add_class("planlib-mc-chart")
        for c in (self.runs, self.level, self.choice):
            c.observe(lambda _change: self.update(), names="value")
        self.widget = w.VBox(
            [
                w.HBox([self.runs, self.level, self.choice]),
                self.summary_html,
                self.image,
                self.table_html,
            ]
        )
        self.update()

    def update(self) -> None:
        """Re-run the simulation for the current slider values and redraw."""
        level = float(self.level.value)
        self.result = simulate(
            self.scenario,
            int(self.runs.value),
            seed=self.seed,
            percentiles=confidence_percentiles(level),
        )
        self.indicator = self.choice.value
        self.image.value = fan_png(self.result, self.indicator, level)
        self.table_html.value = probability_table(self.result).to_html(
            escape=True, border=0, index=False
        )
        self.summary_html.value = "<b>" + html.escape(self.summary()) + "</b>"

    def summary(self) -> str:
        """One line: runs, P(all targets), P(all 约束性) and the pace needed.

        The pace is the one needed for the confidence level.
        """
        r, level = self.result, float(self.level.value)
        pb = "—" if np.isnan(r.p_all_binding) else fmt_number(100 * r.p_all_binding, 1) + "%"
        text = (
            f"{r.runs:,} 次模拟：全部目标同时达标概率 {fmt_number(100 * r.p_all, 1)}%，"
            f"全部约束性目标 {pb}"
        )
        if self.solve_target and self.solve_param:
            s = solve_probability(
                self.scenario,
                self.solve_target,
                self.solve_param,
                probability=level,
                runs=min(int(self.runs.value), 20_000),
                seed=self.seed,
                xtol=1e-3,
            )
            text += "；" + probability_message(self.scenario, s)
        return text

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def risk_panel(scenario, **kwargs) -> RiskPanel:
    """Return a :class:`RiskPanel` for a scenario or scenario file."""
    return RiskPanel(scenario, **kwargs)

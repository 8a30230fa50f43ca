"""Charts of 十五五 target setting: the fan from the latest actuals to the target year, and P(meet).

Every function returns a matplotlib Figure built with :func:`planlib.workbook.charts.new_figure`
(Chinese glyphs, not registered with pyplot); lines and markers carry labels so tests can read
their data.
"""

from __future__ import annotations

import numpy as np

from ..tracking.proposals import OPTION_ZH, ProbabilityCurve, Proposal

__all__ = ["COLORS", "plot_curve", "plot_fan"]

#: colour of each option's marker
COLORS = {
    "trend": "#1f77b4",
    "guidance": "#2ca02c",
    "stretch": "#d62728",
    "prudent": "#9467bd",
    "chosen": "#444444",
}


def plot_fan(
    proposal: Proposal,
    target: str,
    value: float | None = None,
    width: float = 7.0,
    height: float = 3.6,
):
    """Actuals, the 5–95 % and 25–75 % bands and the median to the target year, options marked.

    Parameters
    ----------
    proposal : Proposal
    target : str
        Target id of the draft.
    value : float, optional
        A chosen stated value, drawn as a level in the target year [target's unit].
    width, height : float
        Figure size [inch].

    Returns
    -------
    matplotlib.figure.Figure
        Lines labelled 实绩, 中位数, 5–95%, 25–75% and each option's Chinese name.
    """
    from ..tracking.proposals import level_of
    from .charts import new_figure

    f = proposal.fan_for(target)
    r = proposal.row(target)
    fig = new_figure(width, height)
    ax = fig.add_subplot()
    years = np.asarray(f["years"])
    q = f["quantiles"]
    keep = years >= min(years)
    ax.fill_between(years[keep], q[5.0][keep], q[95.0][keep], color="#c6dbef", label="5–95%")
    ax.fill_between(years[keep], q[25.0][keep], q[75.0][keep], color="#6baed6", label="25–75%")
    ax.plot(years, q[50.0], color="#08519c", lw=1.5, label="中位数")
    if f["history"]:
        hy = sorted(f["history"])
        ax.plot(hy, [f["history"][y] for y in hy], "ko-", ms=4, label="实绩")
    for name, lv in f["options"].items():
        ax.plot(
            [f["year"]],
            [lv],
            marker="D",
            ms=8,
            ls="none",
            color=COLORS[name],
            label=f"{OPTION_ZH[name]}方案",
        )
    if value is not None:
        lv = (
            float(level_of(r.kind, value, r.fit["base"], r.fit["years"]))
            if r.kind != "cumulative"
            else float(value)
        )
        ax.axhline(lv, color=COLORS["chosen"], ls="--", lw=1, label="所选目标")
    ax.set_title(f"{f['name']}：{proposal.period[0]}–{r.year}年模拟区间", fontsize=11)
    ax.set_xlabel("年份")
    ax.set_ylabel(f["unit"])
    ax.legend(fontsize=8, loc="best", ncols=2)
    return fig


def plot_curve(
    proposal: Proposal,
    curve: ProbabilityCurve,
    value: float | None = None,
    width: float = 7.0,
    height: float = 3.2,
):
    """P(meet) against the stated value, with the options and the threshold.

    Parameters
    ----------
    proposal : Proposal
    curve : ProbabilityCurve
        From :func:`planlib.tracking.proposals.curve_for`.
    value : float, optional
        The slider's value, marked with its P(meet) [target's unit].

    Returns
    -------
    matplotlib.figure.Figure
        Line 达标概率, horizontal line 阈值, markers per option (and 所选目标).
    """
    from .charts import new_figure

    r = proposal.row(curve.target)
    fig = new_figure(width, height)
    ax = fig.add_subplot()
    ax.plot(curve.values, 100 * curve.p_meet, color="#08519c", lw=1.8, label="达标概率")
    ax.axhline(100 * r.threshold, color="#999999", ls=":", label=f"阈值（{r.attribute}）")
    for o in r.options:
        ax.plot(
            [o.value],
            [100 * o.p_meet],
            marker="D",
            ms=8,
            ls="none",
            color=COLORS[o.name],
            label=f"{OPTION_ZH[o.name]}方案",
        )
    if value is not None:
        ax.plot(
            [value],
            [100 * curve.at(value)],
            marker="o",
            ms=9,
            ls="none",
            color=COLORS["chosen"],
            label="所选目标",
        )
    unit = {"growth": "%", "reduction": "%", "pp_change": "百分点"}.get(r.kind, r.unit)
    ax.set_xlabel(f"目标值（{unit}）")
    ax.set_ylabel("达标概率（%）")
    ax.set_ylim(-2, 102)
    ax.set_title(f"{r.name}：目标值与达标概率", fontsize=11)
    ax.legend(fontsize=8, loc="best")
    return fig

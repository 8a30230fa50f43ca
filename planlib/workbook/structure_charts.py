"""Charts of the structural models: sector shares, urbanisation paths, pipeline, land, 亩均效益.

Each function returns a :class:`matplotlib.figure.Figure` from
:func:`planlib.workbook.charts.new_figure` (Chinese fonts set up, not registered with
pyplot) and only reads trajectories or result tables; tests check line data and
titles, not pixels.
"""

from __future__ import annotations

import numpy as np

from ..domains import FileView
from ..domains.structure import SECTORS, SECTORS_ZH
from .charts import new_figure

__all__ = [
    "structure_figure",
    "urbanisation_figure",
    "pipeline_figure",
    "land_figure",
    "scores_figure",
    "structural_scenario",
    "findings_frame",
    "projects_frame",
    "accounts_frame",
]

STRUCTURAL_KINDS = ("urbanisation", "structure", "pipeline", "land", "price_basis")

CLASS_COLOURS = {"A": "#2e7d32", "B": "#1565c0", "C": "#ef6c00", "D": "#c62828"}


def structure_figure(traj, target_share: float | None = None, run: int = 0):
    """Stacked three-sector shares by year [%], tertiary at the bottom, its target a dashed line.

    The tertiary band starts at 0, so the top of that band reads as the tertiary share and
    the target line sits at the stated share (45 % is drawn at 45).
    """
    fig = new_figure(7, 3.6)
    ax = fig.subplots()
    years = traj.years
    order = list(SECTORS)[::-1]  # tertiary, secondary, primary from the bottom
    colours = {"primary": "#9ccc65", "secondary": "#42a5f5", "tertiary": "#ffb74d"}
    shares = np.stack([traj.series(f"{s}_share_structure")[run] for s in order])
    ax.stackplot(
        years,
        shares,
        labels=[SECTORS_ZH[s] for s in order],
        colors=[colours[s] for s in order],
        alpha=0.9,
    )
    if target_share is not None:
        ax.axhline(target_share, color="k", ls="--", lw=1, label=f"第三产业目标 {target_share:g}%")
    ax.set_ylim(0, 100)
    ax.set_xticks(years)
    ax.set_ylabel("比重（%）")
    ax.set_title("三次产业结构")
    ax.legend(loc="lower left", fontsize=8)
    return fig


def urbanisation_figure(
    traj,
    plan_indicator: str | None = "urbanisation_rate",
    target: float | None = None,
    run: int = 0,
):
    """Urbanisation rate paths [%].

    Population model, URGD method, the plan's own path and the national reference.
    """
    fig = new_figure(7, 3.6)
    ax = fig.subplots()
    y = traj.years
    ax.plot(y, traj.series("urbanisation_rate_pop")[run], marker="o", label="人口模型")
    ax.plot(y, traj.series("urbanisation_rate_urgd")[run], marker="s", label="URGD法（全国同速）")
    if plan_indicator and plan_indicator in traj.indicators:
        ax.plot(
            y,
            traj.series(plan_indicator)[run],
            ls=":",
            color="grey",
            label="规划分解（每年等量提高）",
        )
    nat = traj.series("national_urbanisation_rate")[run]
    ok = np.isfinite(nat)
    ax.plot(y[ok], nat[ok], "k^", label="全国（国家统计局）")
    if target is not None:
        ax.axhline(target, color="k", ls="--", lw=1, label=f"目标 {target:.2f}%")
    ax.set_xticks(y)
    ax.set_ylabel("常住人口城镇化率（%）")
    ax.set_title("城镇化率")
    ax.legend(fontsize=8)
    return fig


def pipeline_figure(traj, pipeline, probability: dict | None = None, run: int = 0):
    """Plot expected investment per year by project status [亿元], bars stacked.

    ``probability`` maps status → realisation [%]; default the component's slider defaults.
    """
    from ..domains.pipeline import STATUS_KEYS

    fig = new_figure(7, 3.4)
    ax = fig.subplots()
    y = traj.years
    bottom = np.zeros(len(y))
    colours = {"储备": "#bdbdbd", "签约": "#64b5f6", "在建": "#1e88e5", "建成": "#0d47a1"}
    for s in pipeline.statuses():
        p = (probability or {}).get(s, pipeline.knob(s).default)
        vals = np.nan_to_num(traj.series(f"pipeline_sched_{STATUS_KEYS[s]}")[run]) * p / 100
        ax.bar(y, vals, bottom=bottom, color=colours[s], label=f"{s}（实现概率 {p:.0f}%）")
        bottom += vals
    ax.set_xticks(y)
    ax.set_ylabel("亿元")
    ax.set_title("项目库投资（按实现概率）")
    ax.legend(fontsize=8)
    return fig


def land_figure(findings: dict):
    """Bars of land [亩].

    Enterprise land now, land the output target needs at constant 亩均产值, and land available.
    """
    fig = new_figure(7, 3.2)
    ax = fig.subplots()
    ent = findings["land_needed_constant"] - findings["extra_land_constant"]
    labels = ["现有企业用地", "产值目标所需（亩均不变）", "现有+剩余可用"]
    vals = [ent, findings["land_needed_constant"], ent + findings["land_left_total"]]
    bars = ax.barh(labels, vals, color=["#90a4ae", "#ef5350", "#66bb6a"])
    for b, v in zip(bars, vals, strict=True):
        ax.text(v, b.get_y() + b.get_height() / 2, f" {v:,.0f} 亩", va="center", fontsize=8)
    ax.set_xlabel("亩")
    ax.set_title(f"用地：需亩均产值 {findings['required_output_per_mu']:.2f} 万元/亩")
    ax.set_xlim(0, max(vals) * 1.25)
    return fig


def scores_figure(scored, name_column: str = "name"):
    """Horizontal bars of 亩均效益 scores, coloured by class A/B/C/D."""
    n = len(scored)
    fig = new_figure(7, max(2.5, 0.3 * n + 1))
    ax = fig.subplots()
    ax.barh(
        scored[name_column].astype(str)[::-1],
        scored["score"][::-1],
        color=[CLASS_COLOURS.get(c, "grey") for c in scored["class"][::-1]],
    )
    ax.set_xlabel("综合得分（分）")
    ax.set_title("亩均效益评价")
    from matplotlib.patches import Patch

    handles = [
        Patch(color=col, label=f"{c}类")
        for c, col in CLASS_COLOURS.items()
        if (scored["class"] == c).any()
    ]
    ax.legend(handles=handles, fontsize=8, loc="lower right")
    return fig


def structural_scenario(scenario):
    """Return a copy of ``scenario`` whose component targets come first.

    So what-if charts show them first.

    Nothing else changes: same parameters, indicators, values and source file.
    """
    own = set()
    for comp in scenario.components:
        if getattr(comp, "kind", None) in STRUCTURAL_KINDS:
            own |= {
                t.get("id")
                for t in comp.expand(scenario.meta.model_dump(), FileView.of(scenario)).get(
                    "targets", []
                )
            }
    first = [t for t in scenario.targets if t.id in own]
    rest = [t for t in scenario.targets if t.id not in own]
    return scenario.model_copy(update={"targets": first + rest})


def findings_frame(report, kinds=STRUCTURAL_KINDS + ("land_accounts",)):
    """Audit cross-checks of the structural components as a table (类别, 状态, 说明)."""
    import pandas as pd

    status_zh = {"ok": "达标", "info": "提示", "warning": "警告", "error": "未达标"}
    rows = [
        {"类别": c["label"], "状态": status_zh.get(c["status"], c["status"]), "说明": c["message"]}
        for c in report.checks
        if c["kind"] in kinds
    ]
    return pd.DataFrame(rows, columns=["类别", "状态", "说明"])


def projects_frame(pipeline):
    """Return the project list as a display table (amounts formatted in 亿元)."""
    import pandas as pd

    from ..formatting import fmt_number

    return pd.DataFrame(
        [
            {
                "项目": p.name,
                "状态": p.status,
                "投资（亿元）": fmt_number(p.amount_yi, 4),
                "开工年": str(p.start),
                "建设期（年）": str(p.duration),
                "类别": p.category,
            }
            for p in pipeline.projects
        ]
    )


def accounts_frame(findings: dict):
    """Land accounts of :meth:`planlib.domains.land_component.Land.findings`.

    In 亩 / 公顷 / 平方公里 (formatted).
    """
    import pandas as pd

    from ..formatting import fmt_number

    names = {
        "enterprise": "企业用地",
        "infrastructure": "基础设施用地",
        "acquired": "累计征用",
        "approved": "核准规划面积",
        "controlled": "实际控制面积",
    }
    return pd.DataFrame(
        [
            {
                "台账": names.get(r["name"], r["name"].replace("left:", "剩余：")),
                "亩": fmt_number(r["亩"]),
                "公顷": fmt_number(r["公顷"]),
                "平方公里": fmt_number(r["平方公里"], 4),
            }
            for r in findings["accounts"]
        ]
    )

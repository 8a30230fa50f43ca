"""Charts of a plan review: plan path, actuals, required path, and the progress ratios.

Every function returns a matplotlib Figure built with :func:`planlib.workbook.charts.new_figure`
(Chinese glyphs, not registered with pyplot); lines carry labels so tests can
read their data.
"""

from __future__ import annotations

import numpy as np

from ..tracking.review import CLASS_EN, CLASS_ZH, COLORS, Review

__all__ = ["LABELS", "plot_target", "plot_ratios"]

LABELS = {
    "zh": {
        "plan": "规划路径",
        "actual": "实绩",
        "required": "要求路径",
        "remaining": "剩余年份所需",
        "target": "目标",
        "trend": "趋势外推",
        "ratio": "进度比（实际/要求）",
        "year": "年份",
    },
    "en": {
        "plan": "plan path",
        "actual": "actuals",
        "required": "required path",
        "remaining": "needed from now",
        "target": "target",
        "trend": "trend",
        "ratio": "progress ratio (observed / required)",
        "year": "year",
    },
}


def _running(values, start_idx):
    out = np.full(values.shape, np.nan)
    vals = values[start_idx:]
    out[start_idx:] = np.cumsum(np.where(np.isfinite(vals), vals, 0.0))
    out[start_idx:][~np.isfinite(vals)] = np.nan
    return out


def plot_target(
    rv: Review, target_id: str, lang: str = "zh", width: float = 7.0, height: float = 4.0
):
    """One target: the plan's path, the actuals, the required path and the pace needed now.

    Parameters
    ----------
    rv : Review
        From :func:`planlib.tracking.review.review`.
    target_id : str
        Target to draw.
    lang : {"zh", "en"}
    width, height : float
        Figure size [inch].

    Returns
    -------
    matplotlib.figure.Figure
        Lines labelled as in :data:`LABELS` [lang]; a cumulative target is drawn as
        running totals.
    """
    from .charts import new_figure

    L = LABELS[lang]
    r = rv.row(target_id)
    i = rv.indicators.index(r["indicator"])
    years = np.asarray(rv.years)
    plan, actual = rv.plan[i].copy(), rv.actual[i].copy()
    unit = r["indicator_unit"]
    if r["method"] == "sum":
        s = int(np.searchsorted(years, r["start_year"]))
        plan, actual = _running(plan, s), _running(actual, s)
        unit = f"{unit}（{'累计' if lang == 'zh' else 'cumulative'}）"
    fig = new_figure(width, height)
    ax = fig.add_subplot()
    shown = years <= r["year"]
    ax.plot(years[shown], plan[shown], color="#4575b4", lw=1.8, label=L["plan"])
    ok = np.isfinite(actual) & shown
    ax.plot(years[ok], actual[ok], "o-", color="#222222", lw=1.2, ms=5, label=L["actual"])
    ys, vs = rv.required_path(target_id)
    ax.plot(ys, vs, "--", color="#1a9850", lw=1.4, label=L["required"])
    ys2, vs2 = rv.remaining_path(target_id)
    if len(ys2):
        ax.plot(ys2, vs2, ":", color="#d73027", lw=1.8, label=L["remaining"])
    if np.isfinite(r["target_level"]):
        ax.plot(
            [r["year"]],
            [r["target_level"]],
            marker="*",
            ms=13,
            color="#f46d43",
            ls="none",
            label=L["target"],
        )
    cls = CLASS_ZH[r["class"]] if lang == "zh" else CLASS_EN[r["class"]]
    name = r["name"] if lang == "zh" else (r["name_en"] or r["indicator"])
    ax.set_title(f"{name}：{cls}" if lang == "zh" else f"{name}: {cls}")
    ax.set_xlabel(L["year"])
    ax.set_ylabel(unit)
    ax.set_xticks(years[shown])
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_ratios(rv: Review, lang: str = "zh", width: float = 7.0, height: float | None = None):
    """Progress ratio of every target as coloured bars, with the class thresholds.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per target (NaN ratios drawn as 0), coloured by class.
    """
    from .charts import new_figure

    L = LABELS[lang]
    rows = rv.rows
    n = len(rows)
    fig = new_figure(width, height or max(2.5, 0.38 * n + 1.2))
    ax = fig.add_subplot()
    ratios = np.array([r["ratio"] for r in rows], dtype=float)
    pos = np.arange(n)[::-1]
    labels = [
        f"{r['name']}（{r['id']}）" if lang == "zh" else (r["name_en"] or r["indicator"])
        for r in rows
    ]
    ax.barh(
        pos,
        np.nan_to_num(ratios, nan=0.0),
        color=["#" + COLORS[r["class"]] for r in rows],
        edgecolor="#555555",
        lw=0.5,
    )
    ax.set_yticks(pos, labels, fontsize=8)
    for x in (rv.thresholds.on_track, rv.thresholds.acceleration, rv.thresholds.limited):
        ax.axvline(x, color="#777777", lw=0.8, ls="--")
    ax.set_xlabel(L["ratio"])
    ax.set_title(
        f"{rv.name}（{rv.as_of}）" if lang == "zh" else f"{rv.name} ({rv.as_of})", fontsize=10
    )
    return fig

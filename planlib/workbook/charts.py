"""Charts with Chinese labels that render as glyphs, never boxes.

The bundled font is zhplot's Noto Sans SC (OFL), registered with
``font_manager.fontManager.addfont`` — zhplot itself is never imported, since
its import changes rcParams as a side effect. Output is deterministic: fixed SVG
hash salt and no dates in metadata.
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "FONT_FAMILY",
    "font_path",
    "setup_fonts",
    "new_figure",
    "savefig_deterministic",
    "STYLE",
    "Panel",
    "TargetMark",
    "chart_panels",
    "panel_values",
    "target_marks",
    "TrajectoryChart",
    "trajectory_figure",
    "breakdown_frame",
    "figure_png",
]

FONT_FAMILY = "Noto Sans SC"
_READY = False


def font_path() -> Path:
    """Path of the bundled Noto Sans SC font file (from the zhplot wheel)."""
    spec = importlib.util.find_spec("zhplot")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the zhplot package (Chinese font) is not installed; pip install zhplot")
    base = Path(list(spec.submodule_search_locations)[0])
    path = base / "fonts" / "NotoSansSC-Regular.ttf"
    if not path.exists():
        found = sorted(base.rglob("NotoSansSC*.ttf")) or sorted(base.rglob("*.[ot]tf"))
        if not found:
            raise RuntimeError(f"no font file found in {base}")
        path = found[0]
    return path


def setup_fonts() -> None:
    """Register the Chinese font and make it matplotlib's sans-serif (idempotent)."""
    global _READY
    if _READY:
        return
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [FONT_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.hashsalt"] = "planlib"
    matplotlib.rcParams["svg.fonttype"] = "path"
    _READY = True


def new_figure(width: float = 7.0, height: float = 4.0, **kwargs):
    """Return a matplotlib Figure (not registered with pyplot) with fonts set up.

    Returns
    -------
    matplotlib.figure.Figure
    """
    setup_fonts()
    from matplotlib.figure import Figure

    _show_figures_as_png()
    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def _figure_png_bytes(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _show_figures_as_png() -> None:
    """In IPython, display a Figure returned by a cell as a PNG, not ``<Figure size …>``.

    Our figures are not registered with pyplot, so the inline backend never draws them; a
    notebook cell ending in ``fig`` would store only the text repr (issue 12: 09's review
    charts). Registering a PNG formatter for ``Figure`` is a no-op outside IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return
    from matplotlib.figure import Figure

    formatters = ip.display_formatter.formatters
    formatters["image/png"].for_type(Figure, _figure_png_bytes)
    formatters["text/plain"].for_type(Figure, _figure_text)


def _figure_text(fig, printer, cycle) -> None:
    """Plain-text stand-in of a figure: '图：' and its panel titles (never '<Figure size …>')."""
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible() and ax.get_title()]
    printer.text("图：" + "；".join(titles) if titles else "图")


def savefig_deterministic(fig, path, fmt: str | None = None) -> Path:
    """Save ``fig`` without dates or random ids, so identical input gives identical bytes."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".")
    meta = {
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
        "png": {"Software": None},
    }.get(fmt, {})
    fig.savefig(path, format=fmt, metadata=meta)
    return path


# ---- trajectory charts (issue 3: workbook) ---------------------------------------------------
#: colours and markers: 约束性 (binding) targets are filled red diamonds, 预期性 (indicative)
#: targets hollow blue circles; the live trajectory is solid, the baseline grey dashed.
STYLE = {
    "current": {"color": "#1f4e79", "lw": 2.0, "marker": ".", "ms": 6},
    "baseline": {"color": "#9a9a9a", "lw": 1.4, "ls": "--"},
    "约束性": {"marker": "D", "ms": 8, "mfc": "#c0392b", "mec": "#c0392b", "color": "#c0392b"},
    "预期性": {
        "marker": "o",
        "ms": 8,
        "mfc": "none",
        "mec": "#2e6da4",
        "mew": 1.8,
        "color": "#2e6da4",
    },
}


@dataclass(frozen=True)
class Panel:
    """One chart panel: an indicator's yearly level, or its running sum from a start year.

    Attributes
    ----------
    indicator : str
        Indicator id.
    title : str
        Panel title (Chinese name, with "（累计）" for running sums).
    unit : str
        Unit shown on the y axis.
    cumulative_from : int or None
        Year the running sum starts (a cumulative target), or None for levels.
    """

    indicator: str
    title: str
    unit: str
    cumulative_from: int | None = None


@dataclass(frozen=True)
class TargetMark:
    """Where one target is drawn: panel, year and value in that panel's terms.

    Attributes
    ----------
    target : str
        Target id.
    panel : int
        Index into the panel list.
    year : int
        Target year.
    value : float
        Marker height [unit of the panel].
    attribute : str
        约束性 or 预期性.
    label : str
        Short wording for legends and tooltips.
    """

    target: str
    panel: int
    year: int
    value: float
    attribute: str
    label: str


def chart_panels(scenario, max_panels: int = 6) -> list[Panel]:
    """Panels for a scenario: one per indicator named by a target (running sum for cumulative ones).

    Indicators come in target order; without targets the first indicators driven by
    parameters are used. At most ``max_panels`` panels.
    """
    panels: list[Panel] = []
    seen = set()
    for t in scenario.targets:
        ind = scenario.indicator(t.indicator)
        start = None
        if t.kind == "cumulative":
            start = t.from_year if t.from_year is not None else scenario.meta.period[0]
        key = (t.indicator, start)
        if key in seen:
            continue
        seen.add(key)
        title = ind.name_zh + ("（累计）" if start is not None else "")
        panels.append(Panel(t.indicator, title, ind.unit, start))
    if not panels:
        for ind in scenario.indicators:
            if ind.rule is not None:
                panels.append(Panel(ind.id, ind.name_zh, ind.unit, None))
    return panels[:max_panels]


def panel_values(traj, panel: Panel) -> np.ndarray:
    """Values a panel shows, shape (runs, years): levels, or the running sum from its start year."""
    series = traj.series(panel.indicator)
    if panel.cumulative_from is None:
        return series
    out = np.full_like(series, np.nan)
    first = traj.year_index(panel.cumulative_from)
    out[:, first:] = np.cumsum(np.nan_to_num(series[:, first:]), axis=1)
    return out


def target_marks(scenario, baseline, panels: list[Panel]) -> list[TargetMark]:
    """Place every target on its panel, in the panel's terms.

    Level and cumulative targets sit at their stated value; growth targets at the
    level the stated rate gives from the start year; increment and pp_change targets
    at start level + stated change; reduction targets at start level × (1 − value %).
    Relative-growth, qualitative and stated-only targets have no level to mark.
    Start levels come from ``baseline`` (run 0).
    """
    from ..targets import compile_targets

    index = {(p.indicator, p.cumulative_from): k for k, p in enumerate(panels)}
    y0 = int(baseline.years[0])
    marks = []
    for ct in compile_targets(scenario, baseline):
        t = ct.target
        if ct.mode != "numeric" or t.kind == "relative_growth":
            continue  # qualitative, stated-only and relative targets have no level to mark
        start_year = y0 + ct.start if t.kind == "cumulative" else None
        k = index.get((t.indicator, start_year))
        if k is None:
            continue
        start = float(baseline.values[0, ct.row, ct.start])
        if t.kind in ("level", "cumulative"):
            value = t.value
        elif t.kind == "growth":
            value = start * (1.0 + t.value / 100.0) ** ct.years
        elif t.kind == "reduction":  # 〔13.5〕: the ceiling start × (1 − 13.5 %)
            value = start * (1.0 - t.value / 100.0)
        else:  # increment, pp_change
            value = start + t.value
        label = t.wording or f"{t.id} {t.op} {t.value:g}"
        marks.append(TargetMark(t.id, k, t.year, float(value), ct.attribute, label))
    return marks


def _limits(values: np.ndarray, extra: list[float]) -> tuple[float, float]:
    """Y limits that fit the data and the target markers: rounded out to ticks, plus 4 %.

    Rounding outward to "nice" tick values (``MaxNLocator``) makes the limits a function of
    the data alone — the same trajectory always gives the same picture — while small slider
    moves usually keep them (the lines are re-blitted, the axes stay still). A flat series
    gets a band of ±10 % (at least ±1) around it; non-negative data never gets a negative
    axis.
    """
    from matplotlib.ticker import MaxNLocator

    finite = values[np.isfinite(values)]
    pool = np.concatenate([finite, np.asarray(extra, dtype=float)]) if extra else finite
    pool = pool[np.isfinite(pool)]
    if pool.size == 0:
        return 0.0, 1.0
    lo, hi = float(pool.min()), float(pool.max())
    if hi <= lo:
        pad = max(1.0, abs(hi) * 0.1)
        lo, hi = lo - pad, hi + pad
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
    first, last = float(ticks[0]), float(ticks[-1])
    margin = 0.04 * (last - first)  # markers on the outer ticks stay whole
    low = first - margin
    if float(pool.min()) >= 0 > low:
        low = 0.0
    return low, last + margin


class TrajectoryChart:
    """A multi-panel trajectory figure drawn once and then updated in place.

    Each panel shows the baseline (grey dashed), the current trajectory (solid, moved
    with ``Line2D.set_ydata``) and the targets (约束性 filled red diamonds, 预期性 hollow
    blue circles). The layout is computed once and then frozen, so updates never
    re-create axes. Y limits follow the data (baseline, current line and targets), never
    the slider ranges, rounded to tick values: a small move keeps the axes still (only the
    lines are re-blitted); a larger one re-fits them.

    Parameters
    ----------
    scenario : Scenario
    baseline : Trajectories
        Deterministic baseline (run 0 is drawn).
    panels : list of Panel, optional
        Default :func:`chart_panels`.
    width : float
        Figure width [inch].
    panel_height : float
        Height of one row of panels [inch].
    """

    def __init__(
        self, scenario, baseline, panels=None, width: float = 10.0, panel_height: float = 2.6
    ):
        self.scenario = scenario
        self.panels = list(panels) if panels is not None else chart_panels(scenario)
        self.marks = target_marks(scenario, baseline, self.panels)
        self.years = np.asarray(baseline.years, dtype=int)
        n = max(1, len(self.panels))
        ncols = 1 if n == 1 else 2 if n in (2, 4) else 3
        nrows = int(np.ceil(n / ncols))
        self.figure = new_figure(width, panel_height * nrows + 0.5)
        axes = np.atleast_1d(self.figure.subplots(nrows, ncols, squeeze=False)).ravel()
        for ax in axes[n:]:
            ax.set_visible(False)
        self.axes = list(axes[:n])
        self.lines = []
        self.baseline_lines = []
        self.marker_artists = []
        self._targets: list[list[float]] = []
        self._baseline_values = [panel_values(baseline, p)[0] for p in self.panels]
        self._background = None
        self._dirty = True
        for k, (ax, panel) in enumerate(zip(self.axes, self.panels, strict=False)):
            base = panel_values(baseline, panel)[0]
            self.baseline_lines.append(
                ax.plot(self.years, base, label="基准情景", **STYLE["baseline"])[0]
            )
            self.lines.append(ax.plot(self.years, base, label="当前情景", **STYLE["current"])[0])
            mine = [m for m in self.marks if m.panel == k]
            for m in mine:
                style = STYLE.get(m.attribute, STYLE["预期性"])
                self.marker_artists.append(
                    ax.plot([m.year], [m.value], ls="none", zorder=5, **style)[0]
                )
            self._targets.append([m.value for m in mine])
            ax.set_ylim(*_limits(np.asarray(base, dtype=float), self._targets[-1]))
            ax.set_title(panel.title, fontsize=11)
            ax.set_ylabel(f"[{panel.unit}]")
            ax.set_xticks(self.years[:: max(1, len(self.years) // 6)])
            ax.grid(True, color="#e5e5e5", lw=0.8)
            ax.spines[["top", "right"]].set_visible(False)
        self.figure.legend(
            handles=self._legend_handles(),
            loc="outside lower center",
            ncols=4,
            frameon=False,
            fontsize=9,
        )
        self._freeze_layout()

    def _legend_handles(self):
        from matplotlib.lines import Line2D

        return [
            Line2D([], [], label="当前情景", **STYLE["current"]),
            Line2D([], [], label="基准情景", **STYLE["baseline"]),
            Line2D([], [], ls="none", label="约束性目标", **STYLE["约束性"]),
            Line2D([], [], ls="none", label="预期性目标", **STYLE["预期性"]),
        ]

    def _freeze_layout(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.canvas = FigureCanvasAgg(self.figure)
        self.canvas.draw()
        self.figure.set_layout_engine("none")

    def _render(self) -> None:
        """Draw into the Agg buffer: full draw only when limits changed, else blit the lines."""
        canvas = self.canvas
        if self._dirty or self._background is None:
            for a in self.lines + self.marker_artists:
                a.set_visible(False)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            for a in self.lines + self.marker_artists:
                a.set_visible(True)
            self._dirty = False
        canvas.restore_region(self._background)
        for ax, line in zip(self.axes, self.lines, strict=True):
            ax.draw_artist(line)
        for a in self.marker_artists:
            a.axes.draw_artist(a)

    def update(self, traj) -> None:
        """Move the current lines to ``traj`` (run 0) in place; re-fit y limits only if needed."""
        for k, (ax, line, panel) in enumerate(zip(self.axes, self.lines, self.panels, strict=True)):
            y = panel_values(traj, panel)[0]
            line.set_ydata(y)
            shown = np.concatenate([y, self._baseline_values[k], self._targets[k]])
            finite = shown[np.isfinite(shown)]
            limits = _limits(finite, [])
            if limits != tuple(ax.get_ylim()):
                ax.set_ylim(*limits)
                self._dirty = True

    def current(self, k: int = 0) -> np.ndarray:
        """Y data of the current line in panel ``k``."""
        return np.asarray(self.lines[k].get_ydata(), dtype=float)

    def png(self) -> bytes:
        """Return the figure as PNG bytes (fast: cached background plus the moved lines)."""
        from PIL import Image

        self._render()
        w, h = self.canvas.get_width_height(physical=True)
        image = Image.frombuffer("RGBA", (w, h), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="PNG", compress_level=1)
        return buf.getvalue()


def breakdown_frame(scenario, traj, panels=None):
    """年度分解: the charted values year by year as formatted strings (what nbval compares).

    Rows are panels (indicator, unit), columns years; run 0 of ``traj``.
    """
    import pandas as pd

    from ..formatting import fmt_value

    panels = list(panels) if panels is not None else chart_panels(scenario)
    rows = []
    for panel in panels:
        values = panel_values(traj, panel)[0]
        row = {"指标": panel.title, "单位": panel.unit}
        row.update(
            {
                str(int(y)): fmt_value(v, panel.unit, with_unit=False)
                for y, v in zip(traj.years, values, strict=True)
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)


def figure_png(fig, dpi: int = 100):
    """Display object for a figure: PNG bytes without a software tag (``IPython.display.Image``)."""
    from IPython.display import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return Image(data=buf.getvalue(), format="png")


def trajectory_figure(scenario, traj, baseline=None, panels=None, width: float = 10.0):
    """Plot a static trajectory figure (年度分解) with target markers.

    Parameters
    ----------
    scenario : Scenario
    traj : Trajectories
        Trajectories to draw (run 0).
    baseline : Trajectories, optional
        Drawn grey dashed; defaults to ``traj``.
    panels : list of Panel, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    chart = TrajectoryChart(
        scenario, baseline if baseline is not None else traj, panels=panels, width=width
    )
    chart.update(traj)
    return chart.figure


# ---- Monte Carlo charts (issue 4: simulation) ---------------------------------------------------
__all__ += ["fan_chart", "tornado_chart", "sobol_chart"]


def fan_chart(
    result, indicator: str, width: float = 7.0, height: float = 4.0, title: str | None = None
):
    """Fan chart of one indicator: p5–p95 and p25–p75 bands, median, mean, target markers.

    Parameters
    ----------
    result : planlib.simulation.engine.SimulationResult
        Needs the 5th, 50th and 95th percentiles (25th/75th drawn when present).
    indicator : str
        Indicator id.

    Returns
    -------
    matplotlib.figure.Figure
    """
    i = result.indicators.index(indicator)
    pct = [float(p) for p in result.percentiles]
    missing = [p for p in (5.0, 50.0, 95.0) if p not in pct]
    if missing:
        raise ValueError(f"a fan chart needs percentiles 5, 50 and 95; the result has {pct}")
    years = np.asarray(result.years)

    def q(p):
        return result.quantiles[pct.index(p), i]

    fig = new_figure(width, height)
    ax = fig.add_subplot()
    ok = np.isfinite(q(50.0))
    ax.fill_between(years[ok], q(5.0)[ok], q(95.0)[ok], color="#9ecae1", alpha=0.6, label="5%–95%")
    if 25.0 in pct and 75.0 in pct:
        ax.fill_between(
            years[ok], q(25.0)[ok], q(75.0)[ok], color="#4292c6", alpha=0.6, label="25%–75%"
        )
    ax.plot(years[ok], q(50.0)[ok], color="#08306b", lw=2, label="中位数")
    ax.plot(years[ok], result.mean[i][ok], color="#08306b", lw=1, ls=":", label="均值")
    for k, t in enumerate(result.targets):
        if t["indicator"] != indicator or t["kind"] != "level":
            continue
        ax.plot(
            [t["year"]],
            [t["value"]],
            marker="D",
            color="#d62728",
            ls="none",
            ms=8,
            label=f"目标 {t['wording'] or t['value']}（达标概率 {100 * result.p_meet[k]:.1f}%）",
        )
    unit = result.units[i]
    ax.set_title(title or f"{result.names[i]}：{result.runs:,} 次模拟的分布")
    ax.set_xlabel("年份")
    ax.set_ylabel(unit)
    ax.set_xticks(years[ok])
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


def tornado_chart(df, top: int = 10, width: float = 7.0, height: float | None = None):
    """Tornado chart from :func:`planlib.simulation.sensitivity.tornado`.

    Bars run from the baseline to each bound.

    Returns
    -------
    matplotlib.figure.Figure
    """
    d = df.head(top).iloc[::-1]
    fig = new_figure(width, height or 1.2 + 0.45 * len(d))
    ax = fig.add_subplot()
    base = float(df["baseline"].iloc[0]) if len(df) else 0.0
    y = np.arange(len(d))
    ax.barh(y, d["value_low"] - base, left=base, color="#4292c6", label="参数取下限")
    ax.barh(y, d["value_high"] - base, left=base, color="#ef6548", label="参数取上限")
    ax.axvline(base, color="black", lw=1)
    ax.set_yticks(
        y,
        [
            f"{lab}（{lo:g}–{hi:g}{u}）"
            for lab, lo, hi, u in zip(d["label"], d["low"], d["high"], d["unit"], strict=True)
        ],
    )
    tgt = df.attrs.get("target", "")
    ax.set_title(f"敏感性（龙卷风图）：{df.attrs.get('wording') or tgt}")
    ax.set_xlabel(df.attrs.get("unit", ""))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


def sobol_chart(df, top: int = 10, width: float = 7.0, height: float | None = None):
    """Sobol indices from :func:`planlib.simulation.sensitivity.sobol`.

    First-order and total effects.

    Returns
    -------
    matplotlib.figure.Figure
    """
    d = df.head(top).iloc[::-1]
    fig = new_figure(width, height or 1.2 + 0.45 * len(d))
    ax = fig.add_subplot()
    y = np.arange(len(d))
    ax.barh(y + 0.2, d["ST"], height=0.4, xerr=d["ST_conf"], color="#ef6548", label="总效应 ST")
    ax.barh(y - 0.2, d["S1"], height=0.4, xerr=d["S1_conf"], color="#4292c6", label="一阶效应 S1")
    ax.set_yticks(y, list(d["label"]))
    ax.set_xlim(0, 1.05)
    ax.set_title(f"方差分解（Sobol）：{df.attrs.get('target', '')}")
    ax.set_xlabel("方差占比")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig

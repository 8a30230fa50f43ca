"""情景推演 (what-if) widgets: one slider per parameter, live targets, charts updated in place.

API
---
``whatif(scenario, save_dir=None, max_panels=6) -> WhatIf``
    ``scenario`` is a :class:`planlib.Scenario` or a path to a scenario file. Works for
    any scenario, including ones built from domain components (they expand into ordinary
    parameters). Display the returned object in a notebook to get the app:

    - one row per parameter: label, slider (range = ``bounds``, step = ``step``, starting
      at the scenario's value) and the baseline value with its unit beside it
      (CSS class ``planlib-param-<name>`` on the row);
    - a summary line (``planlib-summary``) and a live table of targets met or missed with
      gap and required pace (``planlib-targets``);
    - a trajectory figure with target markers (``planlib-chart``, a PNG image re-drawn in
      place with ``set_ydata``; the layout never changes);
    - "恢复基准" resets every slider; "另存为情景" writes ``<save_dir>/<file>.yaml`` that
      ``extends`` the base (atomically, via :func:`planlib.scenario.save_variant`); an existing
      file is only replaced after "确认覆盖";
    - a side-by-side comparison of the current (or last saved) variant with the baseline
      (``planlib-compare``).

The same operations are methods, so tests and notebooks can drive them without a browser:
``set(**values)``, ``reset()``, ``overrides()``, ``save(path, ...)``, ``targets_frame()``,
``comparison_frame()``, ``summary()``.

When the environment variable ``PLANLIB_STATIC=1`` is set (``planlib render`` sets it), the
object displays as static HTML instead — the baseline targets table, the chart and a table of
each parameter at its bounds — so a shared HTML page never shows controls that do nothing.
"""

from __future__ import annotations

import base64
import html
import math
import os
from functools import partial
from pathlib import Path

import numpy as np

from ..errors import abbreviate
from ..formatting import (
    fmt_number,
    fmt_pace,
    fmt_rate,
    fmt_value,
    indicator_decimals,
    target_decimals,
)
from ..model import Model
from ..scenario import SaveError, Scenario, _inside, load_scenario, remove_stale_temps, save_variant
from ..targets import compile_targets, evaluate_targets, level_pace

__all__ = [
    "WhatIf",
    "whatif",
    "static_mode",
    "envelope_params",
    "parameter_grid",
    "frame_html",
    "target_label",
    "target_span",
    "TARGET_COLUMNS",
]

#: status words; HTML colours them (green / bold red) — no symbols a font may lack
MET, MISSED = "达标", "未达标"
QUALITATIVE, LISTED = "定性", "无测算依据（仅列示）"
#: operators as the targets table writes them ("~" is 左右: 约)
OP_TEXT = {">=": "≥", "<=": "≤", "~": "约"}
KIND_ZH = {
    "level": "期末水平",
    "growth": "年均增长",
    "cumulative": "累计",
    "increment": "增加",
    "pp_change": "提高",
    "reduction": "降低",
    "relative_growth": "相对增长",
}
#: the same kinds in English (the share page with lang="en")
KIND_EN = {
    "level": "level",
    "growth": "growth a year",
    "cumulative": "cumulative",
    "increment": "increase",
    "pp_change": "change in pp",
    "reduction": "reduction",
    "relative_growth": "relative growth",
}
TARGET_COLUMNS = (
    "指标",
    "年份",
    "目标",
    "属性",
    "目标值",
    "推演值",
    "状态",
    "差距",
    "达标所需（年均）",
)


def target_label(t, lang: str = "zh") -> str:
    """How the targets table names a target: its wording, its text, else its kind in Chinese.

    In English (``lang="en"``) the kind in English (a plan's wording is Chinese); a
    qualitative target keeps its text.
    """
    if lang == "en":
        return getattr(t, "text", None) or KIND_EN.get(t.kind, t.id)
    return t.wording or getattr(t, "text", None) or KIND_ZH.get(t.kind, t.id)


def target_span(ct, years, lang: str = "zh") -> str:
    """Name the year (level) or years (changes, sums) a target is about, e.g. '2021–2025年'."""
    t = ct.target
    try:
        first = int(years[ct.start])
    except (IndexError, TypeError):
        first = t.year
    span = f"{t.year}" if t.kind == "level" or first >= t.year else f"{first}–{t.year}"
    return span if lang == "en" else span + "年"


def static_mode() -> bool:
    """Return True when widgets should render as static HTML (``PLANLIB_STATIC=1``)."""
    return os.environ.get("PLANLIB_STATIC", "") not in ("", "0")


def _decimals(step: float | None) -> int:
    if not step:
        return 2
    text = repr(float(step)).rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def _signed(text: str, x: float) -> str:
    """Prefix '+' to a formatted positive number, unless it rounds to zero."""
    if math.isfinite(x) and x > 0 and any(ch in "123456789" for ch in text):
        return "+" + text
    return text


def envelope_params(
    scenario: Scenario, max_corners: int = 1024, seed: int = 0
) -> dict[str, np.ndarray]:
    """Parameter rows at the corners of the bounds box (for fixed chart limits).

    All ``2**k`` corners when that is at most ``max_corners``, otherwise a fixed random
    sample of corners plus all-low and all-high. Returns arrays shaped (runs,).
    """
    params = scenario.parameters
    k = len(params)
    if k == 0:
        return {}
    if 2**k <= max_corners:
        bits = (np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1
    else:
        rng = np.random.default_rng(seed)
        bits = np.vstack(
            [np.zeros(k, int), np.ones(k, int), rng.integers(0, 2, size=(max_corners, k))]
        )
    lows = np.array([p.bounds[0] for p in params])
    highs = np.array([p.bounds[1] for p in params])
    grid = np.where(bits == 1, highs, lows)
    return {p.name: grid[:, j] for j, p in enumerate(params)}


#: columns of free text that may wrap; every other cell stays on one line (状态, 年份, figures)
_WRAP = ("目标", "指标", "状态改变的目标")


def frame_html(df, css_class: str) -> str:
    """Render a DataFrame of strings as a plain HTML table with a CSS class.

    Status words are coloured text (达标 green, 未达标 bold red); short cells never wrap.
    """
    cols = [str(c) for c in df.columns]
    cell = "padding:2px 6px;text-align:left;"
    nowrap = [c not in _WRAP for c in cols]
    head = "".join(
        f'<th style="{cell}{"white-space:nowrap;" if n else ""}">{html.escape(c)}</th>'
        for c, n in zip(cols, nowrap, strict=True)
    )
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for c, n in zip(rec, nowrap, strict=True):
            s = html.escape(str(c))
            if s == MISSED:
                s = f'<span style="color:#c0392b;font-weight:bold">{s}</span>'
            elif s == MET:
                s = f'<span style="color:#1e8449">{s}</span>'
            cells.append(f'<td style="{cell}{"white-space:nowrap;" if n else ""}">{s}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    style = "border-collapse:collapse;font-size:13px;"
    return (
        f'<table class="{css_class}" style="{style}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class WhatIf:
    """A what-if session on one scenario (see the module docstring for the UI).

    Parameters
    ----------
    scenario : Scenario or str or os.PathLike
        The base scenario (loaded from its file so variants can ``extends`` it).
    save_dir : str or os.PathLike, optional
        Where "另存为情景" writes; default the base scenario's directory.
    max_panels : int
        Most chart panels (one per targeted indicator).
    """

    def __init__(self, scenario, save_dir=None, max_panels: int = 6):
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        self.scenario = scenario
        self.model = Model(scenario)
        self.base_values = dict(scenario.defaults)
        self.values = dict(self.base_values)
        self.baseline = self.model.evaluate()
        self.compiled = compile_targets(scenario, self.baseline)
        self.base_results = evaluate_targets(scenario, self.baseline, self.compiled)
        self.traj = self.baseline
        self.results = self.base_results
        if save_dir is None:
            save_dir = Path(scenario.source_path).parent if scenario.source_path else Path.cwd()
        self.save_dir = Path(save_dir)
        remove_stale_temps(self.save_dir)  # what a killed save left behind
        self.saved_path: Path | None = None
        self.compared_with: Scenario | None = None
        self.max_panels = max_panels
        self._chart = None
        self._ui = None
        self._hold = False

    # ---- computation (no widgets needed) -----------------------------------------------------
    @property
    def chart(self):
        """The :class:`planlib.workbook.charts.TrajectoryChart` (created on first use)."""
        if self._chart is None:
            from .charts import TrajectoryChart, chart_panels

            self._chart = TrajectoryChart(
                self.scenario,
                self.baseline,
                panels=chart_panels(self.scenario, self.max_panels),
            )
            self._chart.update(self.traj)
        return self._chart

    def _check(self, name: str, value: float) -> float:
        p = self.scenario.parameter(name)  # KeyError names the known parameters
        value = float(value)
        lo, hi = p.bounds
        if not (lo - 1e-12 <= value <= hi + 1e-12) or math.isnan(value):
            raise ValueError(f"parameter {name!r}: value {value:g} outside bounds [{lo:g}, {hi:g}]")
        return value

    def recompute(self) -> None:
        """Evaluate the current values and refresh chart and tables."""
        self.traj = self.model.evaluate(self.values)
        self.results = evaluate_targets(self.scenario, self.traj, self.compiled)
        if self._chart is not None:
            self._chart.update(self.traj)
        if self._ui is not None:
            self._refresh_ui()

    def set(self, **values: float) -> WhatIf:
        """Set parameters (checked against their bounds) and recompute once."""
        checked = {k: self._check(k, v) for k, v in values.items()}
        self._hold = True
        try:
            self.values.update(checked)
            if self._ui is not None:
                for k, v in checked.items():
                    self._ui["sliders"][k].value = v
        finally:
            self._hold = False
        self.recompute()
        return self

    def reset(self) -> WhatIf:
        """Back to the baseline values (恢复基准)."""
        self.compared_with = None
        self.saved_path = None
        return self.set(**self.base_values)

    def overrides(self) -> dict[str, float]:
        """Parameters whose current value differs from the baseline."""
        return {
            k: v
            for k, v in self.values.items()
            if not math.isclose(v, self.base_values[k], abs_tol=1e-12)
        }

    def save(
        self, path=None, id: str | None = None, name: str | None = None, overwrite: bool = False
    ) -> Path:
        """Save the current values as a variant that ``extends`` the base (另存为情景).

        Parameters
        ----------
        path : str or os.PathLike, optional
            File name relative to ``save_dir`` (no absolute path, no ``..``; ends in
            .yaml). Default ``<save_dir>/<base id>-variant.yaml``. The base's own file
            (and what it extends) can never be the target.
        id, name : str, optional
            Variant id (default the file stem) and Chinese name.
        overwrite : bool
            Replace an existing file; otherwise FileExistsError.

        Returns
        -------
        pathlib.Path
            The written file; it is re-loaded and becomes the comparison.
        """
        meta = self.scenario.meta
        path = self._variant_path(path if path else f"{meta.id}-variant.yaml")
        vid = id or path.stem
        vname = name or f"{meta.name}（推演情景）"
        outside = not _inside(path, Path(self.scenario.source_path or ".").resolve().parent)
        written = save_variant(
            self.scenario,
            path,
            vid,
            vname,
            self.overrides(),
            overwrite=overwrite,
            allow_outside=outside,
        )
        self.saved_path = written
        self.compared_with = load_scenario(written, allow_outside=outside)
        if self._ui is not None:
            self._refresh_ui()
        return written

    def _variant_path(self, name) -> Path:
        """``save_dir / name`` for a relative file name; anything else raises SaveError.

        A visitor of a shared page types this name, so it may not be absolute, climb out
        with ``..`` or end in anything but .yaml / .yml.
        """
        text = str(name)
        raw = Path(text)
        if raw.suffix.lower() not in (".yaml", ".yml"):
            raise SaveError(
                f"variant file {abbreviate(repr(text), 80)}: the name must end in .yaml"
            )
        if raw.is_absolute() or ".." in raw.parts or "\\" in text or "\x00" in text or not raw.name:
            raise SaveError(
                f"variant file {abbreviate(repr(text), 80)}: give a file name inside the "
                "scenario folder (no absolute path, no '..')"
            )
        folder = self.save_dir.resolve()
        dest = (folder / raw).parent.resolve() / raw.name
        if not _inside(dest, folder):
            raise SaveError(f"variant file {abbreviate(repr(text), 80)} lies outside {folder}")
        return dest

    # ---- tables ------------------------------------------------------------------------------
    def _target_rows(self, results, run: int = 0) -> list[dict]:
        rows = []
        years = self.baseline.years
        for j, ct in enumerate(self.compiled):
            t = ct.target
            ind = self.scenario.indicator(t.indicator)
            dec = target_decimals(self.scenario, t)  # the audit's and the 主要指标表's precision
            if t.kind == "growth":
                fmt = partial(fmt_rate, decimals=dec.figure)
            else:
                fmt = partial(fmt_value, unit=ct.unit, decimals=dec.figure)
            rule_kind = ind.rule.kind if ind.rule is not None else None
            label = target_label(t)
            stated = f"{OP_TEXT.get(t.op, t.op)} {fmt(t.value)}"
            span = target_span(ct, years)
            mode = getattr(ct, "mode", "numeric")
            if mode != "numeric":  # qualitative, or stated without a basis: listed, not judged
                qualitative = mode == "qualitative"
                rows.append(
                    dict(
                        zip(
                            TARGET_COLUMNS,
                            [
                                ind.name_zh,
                                span,
                                label,
                                ct.attribute,
                                (getattr(t, "text", None) or QUALITATIVE)
                                if qualitative
                                else stated,
                                "—",
                                QUALITATIVE if qualitative else LISTED,
                                "—",
                                "—",
                            ],
                            strict=True,
                        )
                    )
                )
                continue
            if t.kind == "level":
                pace = level_pace(rule_kind)
                if pace == "step":
                    # counts and 百分点 move by steps, so the pace they need is a step a year
                    step_unit = "百分点" if ct.unit in ("%", "‰") else ct.unit
                    need = "每年" + fmt_pace(
                        results.required_increment[run, j], step_unit, dec.pace
                    )
                elif pace == "rate":
                    need = fmt_rate(results.required_rate[run, j], dec.rate)
                else:  # a limit or a gap (节地率 ≤ 50%, 资金缺口 ≤ 0): no yearly pace
                    need = "—"
            elif t.kind in ("reduction", "relative_growth"):
                need = fmt_rate(results.required_rate[run, j], dec.rate)
            elif t.kind == "growth":
                need = fmt(t.value)
            elif t.kind == "cumulative":
                need = "每年" + fmt_pace(results.required_per_year[run, j], ct.unit, dec.pace)
            else:
                need = "每年" + fmt_pace(results.required_increment[run, j], ct.unit, dec.pace)
            gap = results.gap[run, j]
            gap_s = _signed(fmt(gap), gap)
            rows.append(
                {
                    "指标": ind.name_zh,
                    "年份": span,
                    "目标": label,
                    "属性": ct.attribute,
                    "目标值": stated,
                    "推演值": fmt(results.implied[run, j]),
                    "状态": MET if results.met[run, j] else MISSED,
                    "差距": gap_s,
                    "达标所需（年均）": need,
                }
            )
        return rows

    def targets_frame(self):
        """Targets met or missed under the current values (strings, formatted by planlib)."""
        import pandas as pd

        return pd.DataFrame(self._target_rows(self.results), columns=list(TARGET_COLUMNS))

    def comparison_frame(self):
        """Baseline versus the current values (or the last saved variant), end of period."""
        import pandas as pd

        other = self.traj
        label = "当前推演"
        if self.compared_with is not None:
            other = Model(self.compared_with).evaluate()
            label = f"已保存：{self.compared_with.meta.id}"
        year = self.scenario.meta.period[1]
        yi = self.baseline.year_index(year)
        rows = []
        for k, ind in enumerate(self.scenario.indicators):
            b, v = self.baseline.values[0, k, yi], other.values[0, k, yi]
            if not (math.isfinite(b) or math.isfinite(v)):
                continue
            d = v - b
            dec = indicator_decimals(self.scenario, ind.id)
            ds = _signed(fmt_value(d, ind.unit, decimals=dec), d)
            rows.append(
                {
                    "指标": ind.name_zh,
                    f"基准（{year}年）": fmt_value(b, ind.unit, decimals=dec),
                    f"{label}（{year}年）": fmt_value(v, ind.unit, decimals=dec),
                    "差值": ds,
                }
            )
        other_res = evaluate_targets(self.scenario, other, self.compiled)
        rows.append(
            {
                "指标": "目标达标数",
                f"基准（{year}年）": f"{int(self.base_results.met[0].sum())}/{len(self.compiled)}",
                f"{label}（{year}年）": f"{int(other_res.met[0].sum())}/{len(self.compiled)}",
                "差值": f"{int(other_res.met[0].sum() - self.base_results.met[0].sum()):+d}",
            }
        )
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """One-line readout: targets met, binding targets missed, changed parameters."""
        numeric = np.array(
            [getattr(ct, "mode", "numeric") == "numeric" for ct in self.compiled], dtype=bool
        )
        met = self.results.met[0][numeric]
        binding = np.array([ct.attribute == "约束性" for ct in self.compiled], dtype=bool)[numeric]
        info = int((~numeric).sum())
        changed = self.overrides()
        params = "；".join(
            f"{self.scenario.parameter(k).label_zh} "
            f"{fmt_number(v, _decimals(self.scenario.parameter(k).step))}"
            f"{self.scenario.parameter(k).unit}"
            for k, v in changed.items()
        )
        return (
            f"目标达标 {int(met.sum())}/{met.size}，约束性未达标 {int((~met & binding).sum())}，"
            f"预期性未达标 {int((~met & ~binding).sum())}"
            + (f"，定性/仅列示 {info}" if info else "")
            + "；"
            + (f"已调整：{params}" if params else "基准情景")
        )

    # ---- widgets -----------------------------------------------------------------------------
    def _slider_row(self, p):
        import ipywidgets as W

        d = _decimals(p.step)
        step = p.step or (p.bounds[1] - p.bounds[0]) / 100
        slider = W.FloatSlider(
            value=self.values[p.name],
            min=p.bounds[0],
            max=p.bounds[1],
            step=step,
            readout_format=f".{d}f",
            continuous_update=False,
            layout=W.Layout(width="320px"),
        )
        slider.observe(lambda ch, name=p.name: self._on_slider(name, ch["new"]), names="value")
        label = W.HTML(
            f"<span title='{html.escape(p.description or '')}'>{html.escape(p.label_zh)}</span>",
            layout=W.Layout(width="240px"),
        )
        base = W.HTML(
            f"<span style='color:#777'>基准 {fmt_number(self.base_values[p.name], d)} "
            f"{html.escape(p.unit)}</span>"
        )
        row = W.HBox([label, slider, base])
        row.add_class(f"planlib-param-{p.name}")
        row.add_class("planlib-param")
        return row, slider

    def _on_slider(self, name: str, value: float) -> None:
        if self._hold:
            return
        self.values[name] = float(value)
        self.recompute()

    @property
    def widget(self):
        """The ipywidgets app (built on first use)."""
        if self._ui is None:
            self._build()
        return self._ui["root"]

    def _build(self) -> None:
        import ipywidgets as W

        rows, sliders = [], {}
        for p in self.scenario.parameters:
            row, slider = self._slider_row(p)
            rows.append(row)
            sliders[p.name] = slider
        summary = W.HTML()
        summary.add_class("planlib-summary")
        targets = W.HTML()
        targets.add_class("planlib-targets")
        image = W.Image(format="png", layout=W.Layout(width="100%", max_width="1000px"))
        image.add_class("planlib-chart")
        compare = W.HTML()
        compare.add_class("planlib-compare")
        reset = W.Button(description="恢复基准", icon="undo")
        reset.on_click(lambda _b: self.reset())
        fname = W.Text(
            value=f"{self.scenario.meta.id}-variant.yaml",
            description="文件名",
            layout=W.Layout(width="360px"),
        )
        vname = W.Text(
            value=f"{self.scenario.meta.name}（推演情景）",
            description="情景名称",
            layout=W.Layout(width="420px"),
        )
        save = W.Button(description="另存为情景", icon="save", button_style="primary")
        confirm = W.Button(
            description="确认覆盖", button_style="danger", layout=W.Layout(display="none")
        )
        status = W.HTML()
        status.add_class("planlib-save-status")
        save.on_click(lambda _b: self._on_save(False))
        confirm.on_click(lambda _b: self._on_save(True))
        self._ui = {
            "sliders": sliders,
            "summary": summary,
            "targets": targets,
            "image": image,
            "compare": compare,
            "fname": fname,
            "vname": vname,
            "status": status,
            "confirm": confirm,
        }
        header = W.HTML(
            f"<h3 style='margin:4px 0'>情景推演：{html.escape(self.scenario.meta.name)}</h3>"
        )
        self._ui["root"] = W.VBox(
            [
                header,
                *rows,
                W.HBox([reset]),
                summary,
                targets,
                image,
                W.HTML("<b>与基准对比</b>"),
                compare,
                W.HBox([fname, vname]),
                W.HBox([save, confirm]),
                status,
            ]
        )
        self._refresh_ui()

    def _on_save(self, overwrite: bool) -> None:
        ui = self._ui
        try:
            path = self.save(
                ui["fname"].value.strip(),
                name=ui["vname"].value.strip() or None,
                overwrite=overwrite,
            )
        except FileExistsError:
            ui["status"].value = (
                f"<span style='color:#c0392b'>文件 {html.escape(ui['fname'].value)} "
                "已存在：点击“确认覆盖”替换它，或改用其他文件名。</span>"
            )
            ui["confirm"].layout.display = ""
            return
        except Exception as exc:  # shown to the planner, not raised into the widget machinery
            ui[
                "status"
            ].value = f"<span style='color:#c0392b'>未保存：{html.escape(str(exc))}</span>"
            return
        ui["confirm"].layout.display = "none"
        ui["status"].value = (
            f"已保存：{html.escape(str(path))}（extends 基准情景，覆盖 "
            f"{len(self.overrides())} 个参数）"
        )

    def _refresh_ui(self) -> None:
        ui = self._ui
        ui["summary"].value = f"<b>{html.escape(self.summary())}</b>"
        ui["targets"].value = frame_html(self.targets_frame(), "planlib-targets-table")
        ui["compare"].value = frame_html(self.comparison_frame(), "planlib-compare-table")
        ui["image"].value = self.chart.png()

    # ---- static rendering --------------------------------------------------------------------
    def static_html(self) -> str:
        """Return static HTML for shared pages.

        Targets, chart and a table of parameters at their bounds.
        """
        png = base64.b64encode(self.chart.png()).decode("ascii")
        grid = parameter_grid(self.scenario, self.model, self.compiled)
        return (
            f'<div class="planlib-static"><h3>情景推演：{html.escape(self.scenario.meta.name)}</h3>'
            "<p><i>静态版本：滑块只在 JupyterLab 或 voila 中可用；下表列出各参数取上下限"
            "（其余取基准值）时的结果。</i></p>"
            f"<p><b>{html.escape(self.summary())}</b></p>"
            + frame_html(self.targets_frame(), "planlib-targets-table")
            + f'<img class="planlib-chart" alt="指标轨迹" src="data:image/png;base64,{png}" '
            'style="max-width:1000px;width:100%"/>'
            + "<h4>单参数情景表</h4>"
            + frame_html(grid, "planlib-grid-table")
            + "</div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        summary = f"情景推演：{self.scenario.meta.name}（{len(self.scenario.parameters)} 个参数）"
        if static_mode():
            return {"text/html": self.static_html(), "text/plain": summary}
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle = dict(bundle or {})
        bundle["text/plain"] = summary
        return bundle


def parameter_grid(scenario: Scenario, model: Model | None = None, compiled=None):
    """Each parameter at its lower bound, baseline and upper bound (others at baseline).

    One vectorised evaluation of ``2k + 1`` runs. Columns: 参数, 取值, 达标数, and which
    targets change status relative to the baseline.
    """
    import pandas as pd

    model = model or Model(scenario)
    base = model.evaluate()
    compiled = compiled or compile_targets(scenario, base)
    names = [p.name for p in scenario.parameters]
    defaults = scenario.defaults
    cols = {n: [defaults[n]] for n in names}
    labels = [("基准", "")]
    for p in scenario.parameters:
        for bound, tag in ((p.bounds[0], "下限"), (p.bounds[1], "上限")):
            for n in names:
                cols[n].append(bound if n == p.name else defaults[n])
            d = _decimals(p.step)
            labels.append((p.label_zh, f"{tag} {fmt_number(bound, d)}{p.unit}"))
    traj = model.evaluate({n: np.asarray(v) for n, v in cols.items()} if names else None)
    res = evaluate_targets(scenario, traj, compiled)
    rows = []
    for r, (label, value) in enumerate(labels):
        flips = [
            ct.target.wording or ct.target.id
            for j, ct in enumerate(compiled)
            if res.met[r, j] != res.met[0, j]
        ]
        rows.append(
            {
                "参数": label or "（全部取基准值）",
                "取值": value or "基准",
                "达标数": f"{int(res.met[r].sum())}/{len(compiled)}",
                "状态改变的目标": "；".join(flips) or "—",
            }
        )
    return pd.DataFrame(rows)


def whatif(scenario, save_dir=None, max_panels: int = 6) -> WhatIf:
    """Build a :class:`WhatIf` for ``scenario`` (a Scenario or a path); see the module docstring."""
    return WhatIf(scenario, save_dir=save_dir, max_panels=max_panels)

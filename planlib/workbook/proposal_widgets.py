"""十五五目标测算 dashboard: pick a target, move its value, read P(meet) and see the fan.

The callbacks only call :meth:`ProbabilityCurve.at`,
:func:`planlib.tracking.proposals.curve_for` and the charts of
:mod:`planlib.workbook.proposal_charts`; the logic lives and is tested there.
CSS classes for browser tests: ``planlib-proposal`` (P(meet) at the slider's value),
``planlib-options`` (the options table), ``planlib-proposal-chart`` (the P(meet) curve) and
``planlib-fan-chart`` (the fan).
"""

from __future__ import annotations

import io

from ..formatting import fmt_number
from ..tracking.proposals import OPTION_ZH, Proposal, curve_for, value_range

__all__ = ["ProposalDashboard"]


def _pct(x) -> str:
    return "—" if x is None or x != x else f"{fmt_number(x, 0)}%"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
    return buf.getvalue()


class ProposalDashboard:
    """Widgets around one :class:`~planlib.tracking.proposals.Proposal`.

    Parameters
    ----------
    proposal : Proposal
    target : str, optional
        Target shown first (default: the first with options).
    runs : int
        Monte Carlo runs of each P(meet) curve.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The dashboard; display it.
    curve : ProbabilityCurve
        P(meet) of the current target against its value.
    """

    def __init__(self, proposal: Proposal, target: str | None = None, runs: int = 20_000):
        import ipywidgets as W

        self.proposal, self.runs = proposal, runs
        with_options = [r for r in proposal.rows if r.options]
        style = {"description_width": "120px"}
        self.target = W.Dropdown(
            options=[(f"{r.name}（{r.target}）", r.target) for r in with_options],
            value=target or with_options[0].target,
            description="目标",
            style=style,
            layout=W.Layout(width="520px"),
        )
        self.value = W.FloatSlider(
            description="目标值",
            continuous_update=False,
            style=style,
            readout_format=".2f",
            layout=W.Layout(width="520px"),
        )
        self.p_html = W.HTML()
        self.p_html.add_class("planlib-proposal")
        self.options_html = W.HTML()
        self.options_html.add_class("planlib-options")
        self.curve_image = W.Image(format="png", layout=W.Layout(width="100%", max_width="760px"))
        self.curve_image.add_class("planlib-proposal-chart")
        self.fan_image = W.Image(format="png", layout=W.Layout(width="100%", max_width="760px"))
        self.fan_image.add_class("planlib-fan-chart")
        self.target.observe(self._target_changed, names="value")
        self.value.observe(self._value_changed, names="value")
        self.widget = W.VBox(
            [
                W.HTML("<h3 style='margin:4px 0'>十五五目标测算</h3>"),
                self.target,
                self.options_html,
                self.value,
                self.p_html,
                self.curve_image,
                self.fan_image,
            ]
        )
        self._load_target()

    def _target_changed(self, change):
        self._load_target()

    def _value_changed(self, change):
        self.refresh()

    def _load_target(self) -> None:
        """Load a new target: its options table, its P(meet) curve and the slider's range."""
        r = self.proposal.row(self.target.value)
        lo, hi = value_range(self.proposal, r.target)
        self.curve = curve_for(self.proposal, r.target, runs=self.runs)
        step = 10 ** round(__import__("math").log10(max(hi - lo, 1e-9) / 200))
        with self.value.hold_trait_notifications():
            self.value.min, self.value.max = -1e300, 1e300
            self.value.min, self.value.max, self.value.step = lo, hi, step
            self.value.value = r.value if r.value is not None else r.options[0].value
        self.options_html.value = self.options_table()
        self.refresh()

    def options_table(self) -> str:
        """HTML table of the current target's options."""
        r = self.proposal.row(self.target.value)
        rows = "".join(
            f"<tr><td>{'推荐 ' if o.name == r.recommended else ''}{OPTION_ZH[o.name]}</td>"
            f"<td>{fmt_number(o.value, 2)}</td><td>{fmt_number(100 * o.p_meet, 1)}%</td>"
            f"<td>{_pct(o.anticipated)}</td>"
            f"<td>{o.basis}</td></tr>"
            for o in r.options
        )
        return (
            "<table><tr><th>方案</th><th>目标值</th><th>达标概率</th><th>预期进展</th><th>依据</th></tr>"
            f"{rows}</table><p>{r.reason}</p><p><small>{r.fit.get('text', '')}</small></p>"
        )

    def summary(self) -> str:
        """Return one line: the slider's value and its P(meet) read off the curve (interpolated)."""
        r = self.proposal.row(self.target.value)
        unit = {"growth": "%", "reduction": "%", "pp_change": "个百分点"}.get(r.kind, r.unit)
        return (
            f"{r.name}目标值 {fmt_number(self.value.value, 2)}{unit}："
            f"达标概率约 {fmt_number(100 * self.curve.at(self.value.value), 1)}%（曲线插值）"
            f"（阈值 {fmt_number(100 * r.threshold, 0)}%，{r.attribute}）"
        )

    def refresh(self) -> None:
        """Redraw the P(meet) line and both charts for the slider's value."""
        from .proposal_charts import plot_curve, plot_fan

        self.p_html.value = f"<b>{self.summary()}</b>"
        self.curve_image.value = _png(plot_curve(self.proposal, self.curve, self.value.value))
        self.fan_image.value = _png(plot_fan(self.proposal, self.target.value, self.value.value))

"""规划评估 dashboard.

Sliders for the review year and the class thresholds, a target picker,
the traffic-light table and the chart of one target.

The callbacks only call :func:`planlib.tracking.review.review`, :meth:`Review.to_frame` and
:func:`planlib.workbook.review_charts.plot_target`; the logic lives and is tested there.
CSS classes for browser tests: ``planlib-review`` (table), ``planlib-review-summary``
(one line of counts), ``planlib-review-chart`` (the chart image).
"""

from __future__ import annotations

import html
import io

from ..scenario import Scenario
from ..tracking.actuals import Actuals
from ..tracking.review import CLASS_ZH, Review, Thresholds, review

__all__ = ["ReviewDashboard", "review_dashboard"]


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
    return buf.getvalue()


class ReviewDashboard:
    """Widgets around one review.

    Parameters
    ----------
    scenario : Scenario
    actuals : Actuals
    target : str, optional
        Target shown in the chart (default: the first one with actuals).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The dashboard; display it.
    review : Review
        The review for the current slider values.
    """

    def __init__(self, scenario: Scenario, actuals: Actuals, target: str | None = None):
        import ipywidgets as W

        self.scenario, self.actuals = scenario, actuals
        years = sorted(set(int(y) for y in actuals.table["year"]))
        first = review(scenario, actuals)
        self.review: Review = first
        with_data = [r["id"] for r in first.rows if r["latest_year"] is not None] or [
            first.rows[0]["id"]
        ]
        style = {"description_width": "150px"}
        lay = W.Layout(width="480px")
        self.as_of = W.IntSlider(
            value=years[-1],
            min=min(years[0] + 1, years[-1]),
            max=years[-1],
            step=1,
            description="实绩截至年份",
            continuous_update=False,
            style=style,
            layout=lay,
        )
        self.on_track = W.FloatSlider(
            value=0.95,
            min=0.5,
            max=1.5,
            step=0.05,
            description="进展顺利阈值",
            continuous_update=False,
            readout_format=".2f",
            style=style,
            layout=lay,
        )
        self.acceleration = W.FloatSlider(
            value=0.6,
            min=0.0,
            max=0.9,
            step=0.05,
            description="需加快阈值",
            continuous_update=False,
            readout_format=".2f",
            style=style,
            layout=lay,
        )
        options = [(f"{r['name']}：{r['wording'] or r['year']}", r["id"]) for r in first.rows]
        self.target = W.Dropdown(
            options=options,
            value=target or with_data[0],
            description="图示目标",
            style=style,
            layout=W.Layout(width="480px"),
        )
        self.summary_html = W.HTML()
        self.summary_html.add_class("planlib-review-summary")
        self.table_html = W.HTML()
        self.table_html.add_class("planlib-review")
        self.image = W.Image(format="png", layout=W.Layout(width="100%", max_width="760px"))
        self.image.add_class("planlib-review-chart")
        self.message = W.HTML()
        for w in (self.as_of, self.on_track, self.acceleration, self.target):
            w.observe(self._changed, names="value")
        self.widget = W.VBox(
            [
                W.HTML(
                    f"<h3 style='margin:4px 0'>规划评估：{html.escape(scenario.meta.name)}</h3>"
                ),
                self.as_of,
                self.on_track,
                self.acceleration,
                self.summary_html,
                self.table_html,
                self.target,
                self.image,
                self.message,
            ]
        )
        self.refresh()

    def _changed(self, change):
        self.refresh()

    def thresholds(self) -> Thresholds:
        """Thresholds from the sliders (acceleration kept below on-track)."""
        acc = min(self.acceleration.value, self.on_track.value - 0.05)
        return Thresholds(on_track=self.on_track.value, acceleration=acc, limited=min(0.0, acc))

    def refresh(self) -> None:
        """Recompute the review and redraw the table, summary and chart."""
        from .review_charts import plot_target

        self.review = review(
            self.scenario, self.actuals, as_of=self.as_of.value, thresholds=self.thresholds()
        )
        self.summary_html.value = f"<b>{html.escape(self.summary())}</b>"
        self.table_html.value = self.review.to_html()
        self.image.value = _png(plot_target(self.review, self.target.value))
        self.message.value = f"<p>{html.escape(self.review.row(self.target.value)['message'])}</p>"

    def summary(self) -> str:
        """One line: the review year and the number of targets per class."""
        counts = "，".join(f"{CLASS_ZH[k]} {v}" for k, v in self.review.counts().items() if v)
        return f"实绩截至{self.review.as_of}年：{counts}"


def review_dashboard(scenario_file, actuals_file, target: str | None = None) -> ReviewDashboard:
    """Load a scenario and its actuals and build a :class:`ReviewDashboard`."""
    from ..scenario import load_scenario
    from ..tracking.actuals import read_actuals

    sc = load_scenario(scenario_file)
    return ReviewDashboard(sc, read_actuals(actuals_file, sc), target=target)

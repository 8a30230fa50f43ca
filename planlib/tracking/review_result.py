"""The result of a review: :class:`Review`, one row per target.

It answers the questions a planner asks of the whole review (counts per class or
完成情况, exit code, the summary paragraph, a target's required and remaining path);
its tables and files are written by :mod:`planlib.tracking.review_text` and
:mod:`planlib.tracking.review_export`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from ..scenario import Scenario
from . import review_export, review_text
from .review_completion import OUTCOMES, outcome_summary
from .review_progress import CLASS_EN, CLASS_ZH, CLASSES, Thresholds

__all__ = ["Review"]


@dataclass
class Review:
    """Result of :func:`review`.

    Attributes
    ----------
    scenario, name : str
        Scenario id and name.
    as_of : int
        Last year of actuals considered.
    thresholds : Thresholds
    rows : list of dict
        One per target. Keys: id, indicator, name, name_en, indicator_unit, kind, op,
        target (stated value), target_level (the level the target means
        [indicator unit]), year, start_year, start_value, start_from
        ('actual' or 'plan'), latest_year, latest_value, so_far (cumulative
        targets: the sum of actuals so far), plan_at_latest,
        required_at_latest, method, direction ('higher', 'lower'), pace_unit,
        observed_pace, required_pace, remaining_pace (pace needed from the latest
        actual to the target year; NaN when no year remains), ratio, class,
        class_zh, light, achieved, overdue, first_met (year or None), projected_end
        (trend level or total at the target year), projected (trend in the target's
        terms), projected_met, anticipated [%], attribute, wording, note, message.
        Paces are in % per year (compound) or indicator unit per year.
    years : numpy.ndarray
        Years of ``plan`` and ``actual``.
    indicators : tuple of str
    plan : numpy.ndarray, shape (indicators, years)
        The plan's own path (deterministic run) [indicator units].
    actual : numpy.ndarray, shape (indicators, years)
        Actuals [indicator units]; NaN where none.
    """

    scenario: str
    name: str
    as_of: int
    thresholds: Thresholds
    rows: list = field(default_factory=list)
    years: np.ndarray = None
    indicators: tuple = ()
    units: tuple = ()
    names: tuple = ()
    plan: np.ndarray = None
    actual: np.ndarray = None
    region: str = ""
    lang: str = "zh"
    final: bool = False
    period: tuple = ()

    def row(self, target_id: str) -> dict:
        """Return the row of one target."""
        for r in self.rows:
            if r["id"] == target_id:
                return r
        raise KeyError(f"no target {target_id!r}; have {', '.join(r['id'] for r in self.rows)}")

    def counts(self) -> dict[str, int]:
        """Count the targets in each class (every class listed)."""
        out = dict.fromkeys(CLASSES, 0)
        for r in self.rows:
            out[r["class"]] += 1
        return out

    @property
    def exit_code(self) -> int:
        """1 when a 约束性 target is missed, else 0.

        Final review: a 约束性 target 未完成. Mid-term: a 约束性 target moving away, or
        overdue and unmet.
        """
        if self.final:
            return 1 if self.binding_missed() else 0
        return (
            1
            if any(
                r["attribute"] == "约束性" and (r["class"] == "moving_away" or r["overdue"])
                for r in self.rows
            )
            else 0
        )

    def outcome_counts(self) -> dict[str, int]:
        """Count the targets of each 完成情况 (final review; every outcome listed)."""
        out = dict.fromkeys(OUTCOMES, 0)
        for r in self.rows:
            if r.get("outcome"):
                out[r["outcome"]] += 1
        return out

    def binding_missed(self) -> list[dict]:
        """Rows of 约束性 targets judged 未完成 (final review), in plan order."""
        return [
            r
            for r in self.rows
            if r["attribute"] == "约束性" and r.get("outcome") == "not_completed"
        ]

    def final_rows(self) -> list[dict]:
        """Rows in reporting order.

        约束性 未完成 first, then other 未完成, then the rest (plan order).
        """

        def rank(r):
            missed = r.get("outcome") == "not_completed"
            return 0 if missed and r["attribute"] == "约束性" else 1 if missed else 2

        return sorted(self.rows, key=rank)

    def summary(self, lang: str | None = None) -> str:
        """One paragraph: N项目标中完成X项（其中超额完成…），未完成Y项，其中约束性Z项…….

        Mid-term reviews summarise the progress classes instead.
        """
        zh = (lang or self.lang) == "zh"
        if not self.final:
            counts = self.counts()
            return (
                ("，".join(f"{CLASS_ZH[k]}{v}项" for k, v in counts.items() if v) + "。")
                if zh
                else ", ".join(f"{CLASS_EN[k]} {v}" for k, v in counts.items() if v) + "."
            )
        return outcome_summary(
            [
                (
                    r.get("outcome"),
                    r["attribute"],
                    r["name"] if zh else (r["name_en"] or r["indicator"]),
                )
                for r in self.rows
            ],
            self.as_of,
            zh,
            what="目标" if zh else "targets",
        )

    def required_path(self, target_id: str):
        """Years and levels of the constant pace from the start to the target.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Years ``start_year … year`` and levels [indicator unit] (for a cumulative
            target: the required running total).
        """
        r = self.row(target_id)
        ys = np.arange(r["start_year"], r["year"] + 1)
        n = ys - r["start_year"]
        if r["method"] == "compound":
            vals = r["start_value"] * (1 + r["required_pace"] / 100.0) ** n
        elif r["method"] == "linear":
            vals = r["start_value"] + r["required_pace"] * n
        else:
            vals = r["required_pace"] * (n + 1)
        return ys, np.asarray(vals, dtype=float)

    def remaining_path(self, target_id: str):
        """Years and levels of the pace the remaining years need (from the latest actual)."""
        r = self.row(target_id)
        if (
            r["latest_year"] is None
            or r["latest_year"] >= r["year"]
            or not np.isfinite(r["remaining_pace"])
        ):
            return np.array([], dtype=int), np.array([], dtype=float)
        ys = np.arange(r["latest_year"], r["year"] + 1)
        n = ys - r["latest_year"]
        base = r["so_far"] if r["method"] == "sum" else r["latest_value"]
        if r["method"] == "compound":
            vals = base * (1 + r["remaining_pace"] / 100.0) ** n
        else:
            vals = base + r["remaining_pace"] * n
        return ys, np.asarray(vals, dtype=float)

    # ---- outputs (tables: review_text; data and files: review_export) ----------------------

    def to_frame(self, lang: str | None = None):
        """Return the traffic-light review table (Chinese headers by default), numbers formatted.

        Returns
        -------
        pandas.DataFrame
        """
        return review_text.progress_frame(self, lang)

    def to_html(self, lang: str | None = None, columns: list[str] | None = None) -> str:
        """Return the review table as HTML: the signal column is a coloured badge (CSS, no emoji).

        Parameters
        ----------
        lang : {"zh", "en"}, optional
            Headers and wording; default the review's language.
        columns : list of str, optional
            Columns of :meth:`to_frame` to show (the signal column is always first).

        Returns
        -------
        str
            ``<table class="planlib-review-table">`` with escaped cells.
        """
        return review_text.progress_html(self, lang, columns)

    def _repr_html_(self) -> str:
        return self.to_html()

    def completion_frame(self, lang: str | None = None):
        """完成情况表 of a final review: one row per target, 约束性 未完成 first.

        Returns
        -------
        pandas.DataFrame
            Columns 类别, 指标, 属性, 目标, 目标年, 实绩, 完成率, 差距, 完成情况 (formatted
            text; numbers in the target's terms: level, % per year, 百分点, 〔〕 sum).
        """
        return review_text.completion_frame(self, lang)

    def to_text(self, lang: str | None = None) -> str:
        """Plain-text report: title, classified table (without emoji) and one line per target.

        A final review prints the 完成情况表 (约束性 未完成 first) and the summary paragraph.
        """
        return review_text.text_report(self, lang)

    def to_dict(self) -> dict:
        """JSON-ready dict; paces in % per year or unit per year, NaN as null; no emoji."""
        return review_export.review_dict(self)

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 Chinese kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def write_xlsx(self, path, overwrite: bool = False):
        """Excel workbook: 完成情况 (final review) or 评估 (mid-term), 明细, 实绩与规划.

        Numbers are stored as numbers with each figure's precision as number format,
        every sheet has a title row and Chinese headers, the header is frozen, the
        columns fitted, and no cell holds an emoji.
        """
        return review_export.write_review_xlsx(self, path, overwrite=overwrite)

    def to_long(self):
        """Plan path and actuals as one long table: indicator, name, unit, year, series, value."""
        return review_export.review_long(self)

    def to_iamc(self, scenario: Scenario, model: str = "planlib", lang: str = "zh"):
        """Plan path and actuals as IAMC long table: scenario ``<id>`` and ``<id>|actual``."""
        return review_export.review_iamc(self, scenario, model, lang)

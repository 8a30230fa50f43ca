"""Plan review (中期评估 / 终期评估): targets against actuals.

For every target of a plan, :func:`review` compares the actuals with what the
target requires and answers a planner's questions: was it met, how far off is
it, how fast did it move, what pace do the remaining years need, where does
the trend lead by the target year, and in which year was it first met.

Progress class — Open SDG's progress measure: the ratio of the observed pace
(from the start year to the latest actual) to the pace the target required
(from the start year to the target year)::

    ratio >= on_track (0.95)      进展顺利 on track
    ratio >= acceleration (0.6)   需加快   needs acceleration
    ratio >= limited (0)          进展有限 limited progress
    otherwise                     逆向变化 moving away

and 已实现 achieved when the latest actual already meets the target. A target
whose year has passed unmet is never "on track" (it is demoted to needs
acceleration). The pace is a compound growth rate for levels of positive
quantities (产值, 税收), a constant yearly change for shares, rates, counts and
百分点 targets (additive), and a yearly average for cumulative (累计) targets
(sums). Direction follows the target's operator: ``>=`` higher is better,
``<=`` lower is better (e.g. energy per unit of output); because the observed
and required paces carry the same sign when the indicator moves the right
way, one ratio serves both directions.

The trend projection and UN ESCAP's *anticipated progress* extend the observed
pace to the target year: anticipated progress is the share of the required
change the trend is expected to deliver [%].

The numeric core (:func:`observed_pace`, :func:`required_pace`,
:func:`progress_ratio`, :func:`classify`, :func:`project_trend`,
:func:`anticipated_progress`) is pure and vectorised over numpy arrays.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from .. import growth
from ..formatting import (
    clean_float,
    decimals_for,
    fmt_average,
    fmt_number,
    fmt_pp,
    fmt_rate,
    fmt_value,
    indicator_decimals,
)
from ..model import Model
from ..scenario import Scenario
from ..targets import compile_targets, default_tolerance, margin_of
from ..units import get_unit, magnitude_mixup
from .actuals import Actuals

__all__ = [
    "CLASSES",
    "CLASS_EN",
    "CLASS_ZH",
    "LIGHTS",
    "LIGHTS_EN",
    "OUTCOMES",
    "OUTCOME_EN",
    "OUTCOME_ZH",
    "completion_outcome",
    "completion_rate",
    "outcome_summary",
    "Review",
    "Thresholds",
    "anticipated_progress",
    "classify",
    "observed_pace",
    "progress_ratio",
    "project_trend",
    "required_pace",
    "review",
]

CLASSES = (
    "achieved",
    "on_track",
    "needs_acceleration",
    "limited_progress",
    "moving_away",
    "insufficient_data",
    "qualitative",
)
CLASS_ZH = {
    "achieved": "已实现",
    "on_track": "进展顺利",
    "needs_acceleration": "需加快",
    "limited_progress": "进展有限",
    "moving_away": "逆向变化",
    "insufficient_data": "数据不足",
    "qualitative": "定性",
}
CLASS_EN = {
    "achieved": "achieved",
    "on_track": "on track",
    "needs_acceleration": "needs acceleration",
    "limited_progress": "limited progress",
    "moving_away": "moving away",
    "insufficient_data": "insufficient data",
    "qualitative": "qualitative",
}
#: traffic light of each class as a colour word (plain text: no emoji, which office PCs show as
#: empty boxes); HTML shows it as a coloured badge (:meth:`Review.to_html`), Excel as a fill
LIGHTS = {
    "achieved": "绿",
    "on_track": "浅绿",
    "needs_acceleration": "黄",
    "limited_progress": "橙",
    "moving_away": "红",
    "insufficient_data": "灰",
    "qualitative": "—",
}
LIGHTS_EN = {
    "achieved": "green",
    "on_track": "light green",
    "needs_acceleration": "yellow",
    "limited_progress": "orange",
    "moving_away": "red",
    "insufficient_data": "grey",
    "qualitative": "—",
}
COLORS = {
    "achieved": "1a9850",
    "on_track": "91cf60",
    "needs_acceleration": "fee08b",
    "limited_progress": "fc8d59",
    "moving_away": "d73027",
    "insufficient_data": "bdbdbd",
    "qualitative": "d9d9d9",
}
METHODS = ("compound", "linear", "sum")

#: 完成情况 of a final review (终期评估), in the order a 完成情况表 counts them
OUTCOMES = (
    "exceeded",
    "completed",
    "basically",
    "not_completed",
    "qualitative",
    "insufficient_data",
    "not_due",
)
OUTCOME_ZH = {
    "exceeded": "超额完成",
    "completed": "完成",
    "basically": "基本完成",
    "not_completed": "未完成",
    "qualitative": "定性（待评价）",
    "insufficient_data": "数据不足",
    "not_due": "未到期",
}
OUTCOME_EN = {
    "exceeded": "exceeded",
    "completed": "completed",
    "basically": "basically completed",
    "not_completed": "not completed",
    "qualitative": "qualitative (to be assessed)",
    "insufficient_data": "insufficient data",
    "not_due": "not yet due",
}
#: Excel fill colour of each 完成情况
OUTCOME_COLORS = {
    "exceeded": "1a9850",
    "completed": "91cf60",
    "basically": "fee08b",
    "not_completed": "d73027",
    "qualitative": "d9d9d9",
    "insufficient_data": "bdbdbd",
    "not_due": "ffffff",
}


@dataclass(frozen=True)
class Thresholds:
    """Lower bounds of the progress ratio for each class (Open SDG defaults).

    Parameters
    ----------
    on_track : float
        Ratio at or above which progress is on track [1].
    acceleration : float
        Ratio at or above which progress needs acceleration [1].
    limited : float
        Ratio at or above which progress is limited; below it, moving away [1].
    """

    on_track: float = 0.95
    acceleration: float = 0.6
    limited: float = 0.0

    def __post_init__(self):
        for name in ("on_track", "acceleration", "limited"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValueError(f"thresholds.{name}: {v!r} is not a finite number")
        if not self.on_track > self.acceleration >= self.limited:
            raise ValueError(
                f"thresholds must satisfy on_track > acceleration >= limited; got "
                f"on_track={self.on_track:g}, acceleration={self.acceleration:g}, "
                f"limited={self.limited:g}"
            )


# ---- pure, vectorised core -------------------------------------------------------------------
def observed_pace(start, latest, years, method: str = "compound"):
    """Pace from ``start`` to ``latest`` over ``years``.

    Parameters
    ----------
    start, latest : float or array_like
        Levels [unit]; for ``method="sum"`` ``latest`` is the sum so far [unit].
    years : float or array_like
        Years elapsed [year] (for ``sum``: years summed).
    method : {"compound", "linear", "sum"}
        Compound annual growth [1/year], constant yearly change [unit/year],
        or yearly average of a flow [unit/year].

    Returns
    -------
    numpy.ndarray or float
        NaN where undefined (no year elapsed, non-positive level for compound).
    """
    years = np.asarray(years, dtype=float)
    if method == "compound":
        return growth.cagr(start, latest, years)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "linear":
            out = (np.asarray(latest, float) - np.asarray(start, float)) / np.where(
                years > 0, years, np.nan
            )
        elif method == "sum":
            out = np.asarray(latest, float) / np.where(years > 0, years, np.nan)
        else:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    return out[()] if np.ndim(out) == 0 else out


def required_pace(start, target, years, method: str = "compound"):
    """Pace that takes ``start`` to ``target`` in ``years`` (see :func:`observed_pace`).

    For ``method="sum"`` ``target`` is the total to accumulate over ``years``.
    """
    return observed_pace(start, target, years, method)


def progress_ratio(observed, required):
    """Open SDG progress ratio: observed pace / required pace [1].

    NaN where the required pace is zero or undefined. Paces of a lower-is-better
    target are both negative when it moves the right way, so the ratio is
    positive in either direction.
    """
    observed = np.asarray(observed, dtype=float)
    required = np.asarray(required, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(
            (required != 0) & np.isfinite(required),
            observed / np.where(required != 0, required, 1.0),
            np.nan,
        )
    return out[()] if out.ndim == 0 else out


def classify(
    ratio, achieved, thresholds: Thresholds = Thresholds(), overdue=False, wrong_way=False
):
    """Progress class of each target.

    Parameters
    ----------
    ratio : array_like of float
        Progress ratio [1] (NaN: not enough data).
    achieved : array_like of bool
        The latest actual meets the target.
    thresholds : Thresholds
    overdue : array_like of bool
        The target year has passed (or is the latest year) without the target met:
        never on track.
    wrong_way : array_like of bool
        The target asks for no change or the opposite one (already met at the
        start) but is no longer met: moving away.

    Returns
    -------
    numpy.ndarray of str
        One of :data:`CLASSES` each.
    """
    ratio = np.asarray(ratio, dtype=float)
    achieved = np.broadcast_to(np.asarray(achieved, dtype=bool), ratio.shape)
    overdue = np.broadcast_to(np.asarray(overdue, dtype=bool), ratio.shape)
    wrong_way = np.broadcast_to(np.asarray(wrong_way, dtype=bool), ratio.shape)
    finite = np.isfinite(ratio)
    out = np.select(
        [
            achieved,
            wrong_way,
            ~finite,
            (ratio >= thresholds.on_track) & ~overdue,
            ratio >= thresholds.acceleration,
            ratio >= thresholds.limited,
        ],
        [
            "achieved",
            "moving_away",
            "insufficient_data",
            "on_track",
            "needs_acceleration",
            "limited_progress",
        ],
        default="moving_away",
    )
    return out


def project_trend(latest, pace, years_left, method: str = "compound", so_far=None):
    """Value at the target year if the observed pace continues.

    Parameters
    ----------
    latest : float or array_like
        Latest observed level [unit].
    pace : float or array_like
        Observed pace [1/year] (compound) or [unit/year] (linear, sum).
    years_left : float or array_like
        Years from the latest actual to the target year [year].
    method : {"compound", "linear", "sum"}
    so_far : float or array_like, optional
        For ``sum``: the total accumulated so far [unit].
    """
    latest = np.asarray(latest, dtype=float)
    pace = np.asarray(pace, dtype=float)
    years_left = np.asarray(years_left, dtype=float)
    if method == "compound":
        return growth.project(latest, pace, years_left)
    if method == "linear":
        return latest + pace * years_left
    if method == "sum":
        return np.asarray(so_far, dtype=float) + pace * years_left
    raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")


def anticipated_progress(start, projected, target, method: str = "compound"):
    """UN ESCAP anticipated progress: share of the required change the trend delivers [%].

    Parameters
    ----------
    start : float or array_like
        Level at the start year [unit] (ignored for ``sum``).
    projected : float or array_like
        Trend value at the target year [unit] (for ``sum``: projected total).
    target : float or array_like
        Target level (for ``sum``: target total) [unit].
    """
    start = np.asarray(start, dtype=float)
    projected = np.asarray(projected, dtype=float)
    target = np.asarray(target, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "sum":
            out = projected / np.where(target != 0, target, np.nan) * 100.0
        else:
            out = (projected - start) / np.where(target != start, target - start, np.nan) * 100.0
    return out[()] if np.ndim(out) == 0 else out


def completion_outcome(
    achieved, value, op: str = ">=", higher: bool = True, basic=0.0, decimals: int = 2
):
    """完成情况 of a final review: 超额完成, 完成, 基本完成 or 未完成.

    The achieved figure is first rounded to ``decimals`` (the precision the plan
    states its figures in), so an actual equal to the stated value at that
    precision is 完成 — never 未完成 by floating-point noise.

    ``>=`` / ``<=`` (以上 / 以下)
        beyond the stated value in the good direction: 超额完成; equal: 完成;
        short by at most ``basic`` (the target's stated tolerance): 基本完成;
        otherwise 未完成.
    ``>`` / ``<`` (高于 / 低于)
        strictly beyond: 完成; equal or short within ``basic``: 基本完成; otherwise 未完成.
    ``~`` (左右, ``basic`` is the band)
        equal, or within the band on the good side (``higher``): 完成; within the band
        on the other side: 基本完成; beyond the band on the good side: 超额完成;
        beyond it on the other side: 未完成.
    ``=``
        within ``basic`` (the tolerance of a stated figure): 完成; otherwise 未完成.

    Parameters
    ----------
    achieved : float or array_like
        What was achieved, in the target's terms (level, % per year, 百分点, sum) [stated unit].
    value : float or array_like
        The stated target [stated unit].
    op : {">=", "<=", ">", "<", "~", "="}
    higher : bool
        Whether more is better (only used by ``~``).
    basic : float or array_like
        Shortfall still counted 基本完成 (``~``: the band; ``=``: the tolerance) [stated unit].
    decimals : int
        Precision of the comparison [decimal places].

    Returns
    -------
    numpy.ndarray of str
        ``exceeded``, ``completed``, ``basically``, ``not_completed`` or ``insufficient_data``
        (NaN).
    """
    x = np.round(np.asarray(achieved, dtype=float), decimals)
    v = np.asarray(value, dtype=float)
    basic = np.asarray(basic, dtype=float)
    x, v, basic = np.broadcast_arrays(x, v, basic)
    eps = 1e-9 * np.maximum(1.0, np.abs(v))
    finite = np.isfinite(x) & np.isfinite(v)
    if op in (">=", ">"):
        excess = x - v
    elif op in ("<=", "<"):
        excess = v - x
    elif op == "~":
        excess = (x - v) if higher else (v - x)
    elif op == "=":
        excess = -np.abs(x - v)
    else:
        raise ValueError(f"op must be one of >=, <=, >, <, ~, =; got {op!r}")
    excess = np.where(finite, excess, 0.0)
    equal = np.abs(excess) <= eps
    within = -excess <= basic + eps
    if op in (">=", "<="):
        conds = [excess > eps, equal, within]
        names = ["exceeded", "completed", "basically"]
    elif op in (">", "<"):
        conds = [excess > eps, within]
        names = ["completed", "basically"]
    elif op == "~":
        inside = np.abs(excess) <= basic + eps
        conds = [equal, inside & (excess > 0), inside, excess > 0]
        names = ["completed", "completed", "basically", "exceeded"]
    else:
        conds = [within]
        names = ["completed"]
    out = np.select([~finite] + conds, ["insufficient_data"] + names, default="not_completed")
    return out[()] if out.ndim == 0 else out


def completion_rate(achieved, value, higher: bool = True):
    """完成率: achieved / stated × 100 [%]; NaN where it means nothing.

    Only defined for a higher-is-better figure with a positive stated value and a
    non-negative achieved one (产值, 累计投资, 年均增长, 〔〕降低); a lower-is-better
    level (失业率 ≤ 5.5 %) or a change that went the wrong way is judged by its gap.
    """
    x = np.asarray(achieved, dtype=float)
    v = np.asarray(value, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(higher & (v > 0) & (x >= 0), x / np.where(v > 0, v, np.nan) * 100.0, np.nan)
    return out[()] if out.ndim == 0 else out


def _written_decimals(x) -> int:
    """Decimals of a stated figure as written: 50 → 0, 9.5 → 1, 0.516 → 3."""
    text = repr(float(x)).rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _meets(x, op, value, tol):
    """Whether ``x`` meets ``op value`` within ``tol`` (>=, <=, =, the strict > and <, ~ 左右)."""
    return bool(margin_of(float(x), op, float(value), tol) >= 0)


#: a 〔〕 reduction of p % is a ceiling on the level: end <= start × (1 − p/100); the operator flips
_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "=": "=", "~": "~"}


# ---- orchestrator -----------------------------------------------------------------------------


def _text_table(df, max_colwidth: int) -> str:
    """Render a frame as aligned plain text for the terminal (Chinese counts double width)."""
    import pandas as pd

    with pd.option_context(
        "display.unicode.east_asian_width", True,
        "display.width", 250,
        "display.max_columns", 50,
        "display.max_colwidth", max_colwidth,
    ):  # fmt: skip
        return df.to_string(index=False)


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

    # ---- outputs -------------------------------------------------------------------------------
    def to_frame(self, lang: str | None = None):
        """Return the traffic-light review table (Chinese headers by default), numbers formatted.

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        zh = (lang or self.lang) == "zh"
        recs = []
        for r in self.rows:
            pace = (
                (lambda x: fmt_rate(x))
                if r["method"] == "compound"
                else (
                    lambda x, u=r["pace_unit"]: (
                        fmt_average(x, u.removesuffix("/年")) + ("/年" if zh else "/yr")
                        if np.isfinite(x)
                        else "—"
                    )
                )
            )
            target_txt = r["wording"] if (zh and r["wording"]) else _stated(r, zh)
            latest = (
                fmt_value(r["latest_value"], r["indicator_unit"], decimals=r.get("decimals"))
                + f"（{r['latest_year']}）"
                if r["latest_year"] is not None
                else "—"
            )
            if r["method"] == "sum" and r["latest_year"] is not None:
                latest = (
                    f"{'累计' if zh else 'sum '}"
                    f"{fmt_value(r['so_far'], r['indicator_unit'], decimals=r.get('decimals'))}（"
                    f"{r['latest_year']}）"
                )
            if r.get("status") in ("预计", "估算") and r["latest_year"] is not None:
                latest += (
                    f"（{r['status']}）"
                    if zh
                    else f" ({'expected' if r['status'] == '预计' else 'estimate'})"
                )
            vals = [
                (LIGHTS if zh else LIGHTS_EN)[r["class"]],
                r["class_zh"] if zh else CLASS_EN[r["class"]],
                r["name"] if zh else (r["name_en"] or r["indicator"]),
                target_txt,
                (
                    f"{r['start_year']}{'年起' if zh else '–'}"
                    if r["method"] == "sum"
                    else fmt_value(
                        r["start_value"], r["indicator_unit"], decimals=r.get("decimals")
                    )
                    + f"（{r['start_year']}）"
                ),
                latest,
                pace(r["observed_pace"]),
                pace(r["required_pace"]),
                fmt_number(r["ratio"]),
                pace(r["remaining_pace"]),
                fmt_value(r["projected_end"], r["indicator_unit"], decimals=r.get("decimals")),
                fmt_number(r["anticipated"], 0) + "%" if np.isfinite(r["anticipated"]) else "—",
                str(r["first_met"]) if r["first_met"] is not None else "—",
                r["attribute"]
                if zh
                else {"预期性": "indicative", "约束性": "binding"}[r["attribute"]],
            ]
            recs.append(vals)
        cols = (
            [
                "信号",
                "评估",
                "指标",
                "目标",
                "起点",
                "最新实绩",
                "实际年均",
                "要求年均",
                "进度比",
                "剩余年份需",
                "趋势外推期末",
                "预期完成度",
                "首次达标年",
                "属性",
            ]
            if zh
            else [
                "light",
                "class",
                "indicator",
                "target",
                "start",
                "latest",
                "observed_pace",
                "required_pace",
                "ratio",
                "remaining_pace",
                "trend_end",
                "anticipated",
                "first_met",
                "attribute",
            ]
        )
        return pd.DataFrame(recs, columns=cols)

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
        import html as _html

        df = self.to_frame(lang)
        light = df.columns[0]
        if columns is not None:
            df = df[[light] + [c for c in columns if c != light]]
        head = "".join(f"<th>{_html.escape(str(c))}</th>" for c in df.columns)
        body = []
        for r, rec in zip(self.rows, df.itertuples(index=False), strict=True):
            colour = COLORS[r["class"]]
            text = "#ffffff" if r["class"] in ("achieved", "moving_away") else "#222222"
            badge = (
                f'<span class="planlib-light" style="display:inline-block;min-width:2.5em;'
                f"text-align:center;border-radius:3px;padding:1px 4px;background:#{colour};"
                f'color:{text}">{_html.escape(str(rec[0]))}</span>'
            )
            cells = [badge] + [_html.escape(str(v)) for v in rec[1:]]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return (
            '<table class="planlib-review-table" style="border-collapse:collapse;font-size:13px">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )

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
        import pandas as pd

        zh = (lang or self.lang) == "zh"
        recs = []
        for r in self.final_rows():
            d = r.get("final_decimals", 2)
            unit = r.get("gap_unit") or ""
            if r["kind"] in ("growth", "reduction"):
                # a cumulative reduction is a percentage of the base (降低16.67%), not 百分点
                achieved = fmt_rate(r.get("final_value", float("nan")))
            elif unit == "百分点":
                x = r.get("final_value", float("nan"))
                achieved = (
                    fmt_number(x, d) + ("个百分点" if zh else " pp") if np.isfinite(x) else "—"
                )
            else:
                # the indicator's own precision: 3.3 doctors per 1,000 is not "3人"
                achieved = (
                    fmt_value(r.get("final_value", float("nan")), unit, decimals=r.get("decimals"))
                    if unit
                    else "—"
                )
            gap = r.get("gap", float("nan"))
            recs.append(
                [
                    r.get("category", ""),
                    r["name"] if zh else (r["name_en"] or r["indicator"]),
                    r["attribute"]
                    if zh
                    else {"预期性": "indicative", "约束性": "binding"}[r["attribute"]],
                    r["wording"] if (zh and r["wording"]) else _stated(r, zh),
                    r["year"],
                    achieved,
                    fmt_number(r.get("completion"), 1) + "%"
                    if np.isfinite(r.get("completion", np.nan))
                    else "—",
                    (f"{gap:+.{d}f}" if np.isfinite(gap) else "—"),
                    r.get("outcome_text") or "",
                ]
            )
        cols = (
            ["类别", "指标", "属性", "目标", "目标年", "实绩", "完成率", "差距", "完成情况"]
            if zh
            else [
                "category",
                "indicator",
                "attribute",
                "target",
                "year",
                "achieved",
                "completion",
                "gap",
                "outcome",
            ]
        )
        return pd.DataFrame(recs, columns=cols)

    def to_text(self, lang: str | None = None) -> str:
        """Plain-text report: title, classified table (without emoji) and one line per target.

        A final review prints the 完成情况表 (约束性 未完成 first) and the summary paragraph.
        """
        zh = (lang or self.lang) == "zh"
        if self.final:
            body = _text_table(self.completion_frame(lang), max_colwidth=40)
            missed = self.binding_missed()
            head = (
                f"终期评估（完成情况）：{self.name}（实绩截至{self.as_of}年）"
                if zh
                else f"Final review (completion): {self.name} (actuals to {self.as_of})"
            )
            lines = [head]
            if missed:
                names = "、".join(
                    r["name"] if zh else (r["name_en"] or r["indicator"]) for r in missed
                )
                lines.append(
                    f"约束性指标未完成：{names}"
                    if zh
                    else f"binding targets not completed: {names}"
                )
            lines += ["", body, "", self.summary(lang), ""]
            lines += [
                f"- {r['id']}: {r.get('outcome_text') or ''}；{r['message']}"
                if zh
                else f"- {r['id']}: {r.get('outcome_text') or ''}; {r['message']}"
                for r in self.final_rows()
            ]
            return "\n".join(lines) + "\n"
        body = _text_table(self.to_frame(lang).drop(columns=["信号" if zh else "light"]), 30)
        counts = self.counts()
        summary = (
            "，".join(f"{CLASS_ZH[k]} {v}" for k, v in counts.items() if v)
            if zh
            else ", ".join(f"{CLASS_EN[k]} {v}" for k, v in counts.items() if v)
        )
        t = self.thresholds
        head = (
            f"规划评估：{self.name}（实绩截至{self.as_of}年）\n"
            f"进度比阈值：进展顺利 ≥ {t.on_track:g}，需加快 ≥ "
            f"{t.acceleration:g}，进展有限 ≥ {t.limited:g}"
            if zh
            else f"Plan review: {self.name} (actuals to {self.as_of})\n"
            f"ratio thresholds: on track >= {t.on_track:g}, needs acceleration >= "
            f"{t.acceleration:g}, "
            f"limited >= {t.limited:g}"
        )
        lines = [head, "", body, "", summary, ""]
        lines += [f"- {r['id']}: {r['message']}" for r in self.rows]
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        """JSON-ready dict; paces in % per year or unit per year, NaN as null; no emoji."""
        rows = [{k: _clean(v) for k, v in r.items() if k != "light"} for r in self.rows]  # no emoji
        return {
            "scenario": self.scenario,
            "name": self.name,
            "as_of": self.as_of,
            "thresholds": {
                "on_track": self.thresholds.on_track,
                "acceleration": self.thresholds.acceleration,
                "limited": self.thresholds.limited,
            },
            "counts": self.counts(),
            "exit_code": self.exit_code,
            "final": self.final,
            "outcome_counts": self.outcome_counts() if self.final else None,
            "summary": self.summary(),
            "rows": rows,
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 Chinese kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def write_xlsx(self, path, overwrite: bool = False):
        """Excel workbook: 完成情况 (final review) or 评估 (mid-term), 明细, 实绩与规划.

        Numbers are stored as numbers with each figure's precision as number format,
        every sheet has a title row and Chinese headers, the header is frozen, the
        columns fitted, and no cell holds an emoji.
        """
        from ..table import Sheet, excel_number_format, write_workbook

        def fmt(d):
            return excel_number_format(d)

        sheets = []
        if self.final:
            header = [
                "类别",
                "指标",
                "单位",
                "属性",
                "目标",
                "目标年",
                "目标值",
                "实绩",
                "完成率（%）",
                "差距",
                "完成情况",
            ]
            rows, formats, fills = [], [], {}
            for i, r in enumerate(self.final_rows()):
                d = r.get("final_decimals", 2)
                unit = r.get("gap_unit") or r["indicator_unit"]
                rows.append(
                    [
                        r.get("category", ""),
                        r["name"],
                        "%" if r["kind"] == "growth" else unit,
                        r["attribute"],
                        r["wording"] or _stated(r, True),
                        r["year"],
                        r["target"] if r["kind"] != "qualitative" else None,
                        r.get("final_value"),
                        r.get("completion"),
                        r.get("gap"),
                        r.get("outcome_text") or "",
                    ]
                )
                stated = r["target"] if r["target"] is not None else float("nan")
                formats.append(
                    [
                        None,
                        None,
                        None,
                        None,
                        None,
                        "0",
                        fmt(_written_decimals(stated) if np.isfinite(stated) else 0),
                        fmt(d),
                        "0.0",
                        fmt(d),
                        None,
                    ]
                )
                if r.get("outcome"):
                    fills[(i, 10)] = OUTCOME_COLORS[r["outcome"]]
            sheets.append(
                Sheet(
                    "完成情况",
                    f"{self.name}主要指标完成情况（实绩截至{self.as_of}年）",
                    header,
                    rows,
                    formats,
                    fills,
                )
            )
        header = [
            "评估",
            "指标",
            "单位",
            "属性",
            "目标",
            "目标年",
            "起点年",
            "起点",
            "最新实绩年",
            "最新实绩",
            "累计实绩",
            "年均单位",
            "实际年均",
            "要求年均",
            "进度比",
            "剩余年份需",
            "趋势外推期末",
            "预期完成度（%）",
            "首次达标年",
        ]
        rows, formats, fills = [], [], {}
        for i, r in enumerate(self.rows):
            d = decimals_for(r["indicator_unit"])
            rows.append(
                [
                    CLASS_ZH[r["class"]],
                    r["name"],
                    r["indicator_unit"],
                    r["attribute"],
                    r["wording"] or _stated(r, True),
                    r["year"],
                    r["start_year"],
                    r["start_value"],
                    r["latest_year"],
                    r["latest_value"],
                    r["so_far"],
                    r["pace_unit"],
                    r["observed_pace"],
                    r["required_pace"],
                    r["ratio"],
                    r["remaining_pace"],
                    r["projected_end"],
                    r["anticipated"],
                    r["first_met"],
                ]
            )
            pd_ = 2 if r["method"] == "compound" else d
            formats.append(
                [None] * 5
                + [
                    "0",
                    "0",
                    fmt(d),
                    "0",
                    fmt(d),
                    fmt(d),
                    None,
                    fmt(pd_),
                    fmt(pd_),
                    "0.00",
                    fmt(pd_),
                    fmt(d),
                    "0",
                    "0",
                ]
            )
            fills[(i, 0)] = COLORS[r["class"]]
        sheets.append(
            Sheet(
                "评估",
                f"{self.name}规划评估（进度，实绩截至{self.as_of}年）",
                header,
                rows,
                formats,
                fills,
            )
        )
        long = self.to_long()
        series = {"plan": "规划", "actual": "实绩"}
        rows = [
            [rec.indicator, rec.name, rec.unit, int(rec.year), series[rec.series], float(rec.value)]
            for rec in long.itertuples(index=False)
        ]
        formats = [[None, None, None, "0", None, fmt(decimals_for(r[2]))] for r in rows]
        sheets.append(
            Sheet(
                "实绩与规划",
                f"{self.name}：规划路径与实绩",
                ["指标代码", "指标", "单位", "年份", "序列", "数值"],
                rows,
                formats,
            )
        )
        return write_workbook(path, sheets, overwrite=overwrite, title=self.name)

    def to_long(self):
        """Plan path and actuals as one long table: indicator, name, unit, year, series, value."""
        import pandas as pd

        recs = []
        for i, ind in enumerate(self.indicators):
            for j, y in enumerate(self.years):
                for series, arr in (("plan", self.plan), ("actual", self.actual)):
                    v = arr[i, j]
                    if np.isfinite(v):
                        recs.append(
                            {
                                "indicator": ind,
                                "name": self.names[i],
                                "unit": self.units[i],
                                "year": int(y),
                                "series": series,
                                "value": float(v),
                            }
                        )
        return pd.DataFrame(recs, columns=["indicator", "name", "unit", "year", "series", "value"])

    def to_iamc(self, scenario: Scenario, model: str = "planlib", lang: str = "zh"):
        """Plan path and actuals as IAMC long table: scenario ``<id>`` and ``<id>|actual``."""
        from ..longformat import IAMC_COLUMNS

        long = self.to_long()
        names = {
            ind.id: {"id": ind.id, "en": f"{ind.category}|{ind.name_en or ind.id}"}.get(
                lang, f"{ind.category}|{ind.name_zh}"
            )
            for ind in scenario.indicators
        }
        long["variable"] = long["indicator"].map(names)
        long["model"] = model
        long["scenario"] = np.where(
            long["series"] == "actual", f"{self.scenario}|actual", self.scenario
        )
        long["region"] = self.region
        return long[IAMC_COLUMNS].reset_index(drop=True)


def _clean(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(float(v)) else clean_float(float(v))
    if isinstance(v, np.integer):
        return int(v)
    return v


def _stated(r, zh):
    if r["kind"] in ("reduction", "relative_growth", "qualitative") or r["op"] in (">", "<", "~"):
        from ..formatting import stated_text

        return stated_text({**r, "wording": None}, zh)
    op = {">=": "≥", "<=": "≤", "=": "="}[r["op"]]
    u = r["indicator_unit"]
    if r["kind"] == "growth":
        return f"{'年均增长' if zh else 'growth '}{op}{fmt_rate(r['target'])}"
    if r["kind"] == "pp_change":
        return f"{'提高' if zh else '+'}{op}{fmt_number(r['target'])}{'个百分点' if zh else ' pp'}"
    if r["kind"] == "cumulative":
        return (
            f"{'累计' if zh else 'cumulative '}{op}"
            f"{fmt_value(r['target'], u, decimals=r.get('decimals'))}"
        )
    if r["kind"] == "increment":
        return f"{'增加' if zh else '+'}{op}{fmt_value(r['target'], u, decimals=r.get('decimals'))}"
    return (
        f"{r['year']}{'年' if zh else ': '}{op}"
        f"{fmt_value(r['target'], u, decimals=r.get('decimals'))}"
    )


def _method(
    kind: str, unit: str, start: float, latest: float, target_level: float
) -> tuple[str, str]:
    """Pace method for a target and why."""
    if kind == "cumulative":
        return "sum", ""
    if kind in ("pp_change", "increment"):
        return "linear", ""
    dim = get_unit(unit).dimension
    additive = dim in ("percent", "percentage_point") or dim.startswith("count:")
    if kind == "level" and additive:
        return "linear", ""
    positive = all(np.isfinite(x) and x > 0 for x in (start, target_level)) and not (
        np.isfinite(latest) and latest <= 0
    )
    if not positive:
        return "linear", "基期值或实绩非正，年均增长率无定义，按年均增量计算"
    return "compound", ""


_RATE_KINDS = ("growth", "pp_change", "reduction", "relative_growth")


def _qualitative_final(is_final: bool, zh: bool) -> dict:
    """Return the row of a qualitative target in a final review.

    Listed, never dropped, 定性（待评价）.
    """
    nan = float("nan")
    out = {
        "final_value": nan,
        "completion": nan,
        "gap": nan,
        "gap_unit": "",
        "outcome": None,
        "outcome_zh": "",
        "outcome_text": "",
        "missing_years": [],
    }
    if is_final:
        out.update(
            outcome="qualitative",
            outcome_zh=OUTCOME_ZH["qualitative"],
            outcome_text=OUTCOME_ZH["qualitative"] if zh else OUTCOME_EN["qualitative"],
        )
    return out


def outcome_summary(items, as_of: int, zh: bool = True, what: str = "指标") -> str:
    """Write the 完成情况 paragraph.

    N项指标中完成X项（其中超额完成k项），未完成Y项，其中约束性Z项……

    Parameters
    ----------
    items : iterable of (outcome, attribute, name)
        One per counted row (:data:`OUTCOMES`, 约束性/预期性, display name).
    as_of : int
        Review year [year].
    zh : bool
    what : str
        What a row is (指标, 目标).
    """
    items = [i for i in items if i[0]]
    n = len(items)
    by = {k: [i for i in items if i[0] == k] for k in OUTCOMES}
    done = len(by["exceeded"]) + len(by["completed"])
    missed = by["not_completed"]
    binding = [i for i in missed if i[1] in ("约束性", "binding")]
    if zh:
        parts = [
            f"截至{as_of}年，{n}项{what}中完成{done}项"
            + (f"（其中超额完成{len(by['exceeded'])}项）" if by["exceeded"] else "")
        ]
        if by["basically"]:
            parts.append(f"基本完成{len(by['basically'])}项")
        tail = f"未完成{len(missed)}项"
        if missed:
            tail += f"，其中约束性{len(binding)}项" + (
                f"（{'、'.join(i[2] for i in binding)}）" if binding else ""
            )
            others = [i for i in missed if i[1] not in ("约束性", "binding")]
            if others:
                tail += f"，预期性{len(others)}项（{'、'.join(i[2] for i in others)}）"
        parts.append(tail)
        if by["qualitative"]:
            parts.append(f"定性{what}{len(by['qualitative'])}项待评价")
        if by["insufficient_data"]:
            parts.append(
                f"数据不足{len(by['insufficient_data'])}项"
                f"（{'、'.join(i[2] for i in by['insufficient_data'])}）"
            )
        if by["not_due"]:
            parts.append(f"远景目标{len(by['not_due'])}项未到期")
        return "，".join(parts) + "。"
    parts = [
        f"As of {as_of}, {done} of {n} {what} completed"
        + (f" ({len(by['exceeded'])} exceeded)" if by["exceeded"] else "")
    ]
    if by["basically"]:
        parts.append(f"{len(by['basically'])} basically completed")
    parts.append(
        f"{len(missed)} not completed ({len(binding)} binding"
        + (f": {', '.join(i[2] for i in binding)}" if binding else "")
        + ")"
    )
    if by["qualitative"]:
        parts.append(f"{len(by['qualitative'])} qualitative, to be assessed")
    if by["insufficient_data"]:
        parts.append(
            f"{len(by['insufficient_data'])} with insufficient data "
            f"({', '.join(i[2] for i in by['insufficient_data'])})"
        )
    if by["not_due"]:
        parts.append(f"{len(by['not_due'])} not yet due")
    return "; ".join(parts) + "."


def _stated_decimals(t, ind) -> int:
    """Precision a target's achieved figure is compared at [decimal places]."""
    prec = getattr(ind, "decimals", None)
    if prec is None:
        prec = decimals_for(ind.unit) if t.kind in ("level", "cumulative", "increment") else 2
    return max(_written_decimals(t.value), int(prec))


def _final_fields(
    t,
    ind,
    a,
    s: int,
    y0: int,
    as_of: int,
    start_value: float,
    is_final: bool,
    band,
    zh: bool,
    ref=None,
    period_end: int | None = None,
    observed=None,
) -> dict:
    """完成情况 of one target in a final review (see :func:`review`).

    ``observed`` is the growth the review already measured through the target year [% per
    year, or 百分点 for relative growth] — the statistics bureau's comparable-price growth
    when the actuals report it — and is then used as the achieved figure of a growth or
    relative-growth target.
    """
    nan = float("nan")
    kind, T, v = t.kind, int(t.year), float(t.value)
    gap_unit = ind.unit if kind in ("level", "cumulative", "increment") else "百分点"
    d = _stated_decimals(t, ind)
    out = {
        "final_value": nan,
        "completion": nan,
        "gap": nan,
        "gap_unit": gap_unit,
        "final_decimals": d,
        "outcome": None,
        "outcome_zh": "",
        "outcome_text": "",
    }
    if not is_final:
        return out

    def at(arr, y):
        k = y - y0
        return float(arr[k]) if 0 <= k < len(arr) else nan

    missing = []
    if T > as_of and T > (period_end if period_end is not None else as_of):
        outcome = "not_due"  # a 远景目标 after the period
    else:
        end = at(a, T)
        if kind == "cumulative":
            vals = [at(a, y) for y in range(s, T + 1)]
            missing = [
                y for y, x in zip(range(s, T + 1), vals, strict=True) if not math.isfinite(x)
            ]
            x = nan if missing else float(sum(vals))
        else:
            if not math.isfinite(end):
                missing = [T]
            if (
                observed is not None
                and math.isfinite(observed)
                and kind in ("growth", "relative_growth")
            ):
                x, missing = float(observed), []
            elif kind == "level":
                x = end
            elif kind == "growth":
                x = float(growth.cagr(start_value, end, T - s)) * 100.0
            elif kind in ("pp_change", "increment"):
                x = end - start_value
            elif kind == "reduction":
                x = (1 - end / start_value) * 100.0 if start_value else nan
            elif kind == "relative_growth":
                r_end, r_start = at(ref, T), at(ref, s)
                if not math.isfinite(r_end):
                    missing.append(T)
                x = float(
                    (growth.cagr(at(a, s), end, T - s) - growth.cagr(r_start, r_end, T - s)) * 100.0
                )
            else:
                x = nan
            if (
                not math.isfinite(start_value)
                and kind in ("pp_change", "increment", "reduction")
                or (kind == "growth" and not math.isfinite(start_value) and observed is None)
            ):
                x = nan
        higher = (getattr(ind, "direction", None) or "higher") != "lower" or kind == "reduction"
        if t.op == "~":
            basic = band
        elif t.op == "=":
            basic = default_tolerance(t)
        else:
            basic = float(t.tolerance or 0.0)
        outcome = str(completion_outcome(x, v, t.op, higher, basic, d))
        out["final_value"] = x
        if math.isfinite(x):
            out["gap"] = x - v
            out["completion"] = float(
                completion_rate(x, v, t.op in (">=", ">") or (t.op == "~" and higher))
            )
    out["outcome"] = outcome
    out["outcome_zh"] = OUTCOME_ZH[outcome]
    out["outcome_text"] = _outcome_text(outcome, out, T, missing, zh)
    out["missing_years"] = missing
    return out


def _outcome_text(outcome: str, f: dict, T: int, missing: list, zh: bool) -> str:
    """完成情况 as a 完成情况表 cell: 超额完成（完成率105.0%）, 未完成（差2.50亿元）."""
    name = OUTCOME_ZH[outcome] if zh else OUTCOME_EN[outcome]
    unit = f["gap_unit"]
    pct = unit == "百分点" or (unit and get_unit(unit).dimension == "percent")
    unit_txt = ("个百分点" if zh else " pp") if pct else unit
    rate = f["completion"]
    gap = (
        fmt_number(abs(f["gap"]), f["final_decimals"]) + unit_txt if math.isfinite(f["gap"]) else ""
    )
    if outcome == "insufficient_data":
        years = "、".join(str(y) for y in missing)
        return (
            f"{name}（缺{years}年实绩）"
            if zh and years
            else (f"{name} (no actual for {years})" if years else name)
        )
    if outcome == "not_due":
        return f"{name}（{T}年）" if zh else f"{name} ({T})"
    if outcome in ("exceeded", "completed") and math.isfinite(rate) and outcome == "exceeded":
        return (
            f"{name}（完成率{fmt_number(rate, 1)}%）" if zh else f"{name} ({fmt_number(rate, 1)} %)"
        )
    if outcome == "exceeded":
        return f"{name}（优于目标{gap}）" if zh else f"{name} (better by {gap})"
    if (
        outcome == "basically"
        and math.isfinite(f["gap"])
        and round(abs(f["gap"]), f["final_decimals"]) == 0
    ):
        return f"{name}（与目标持平）" if zh else f"{name} (equal to the target)"
    if outcome in ("basically", "not_completed"):
        if math.isfinite(f["gap"]) and abs(f["gap"]) > 0:
            extra = f"，完成率{fmt_number(rate, 1)}%" if (zh and math.isfinite(rate)) else ""
            return f"{name}（差{gap}{extra}）" if zh else f"{name} (short by {gap})"
    return name


def review(
    scenario: Scenario,
    actuals: Actuals,
    as_of: int | None = None,
    thresholds: Thresholds | None = None,
    lang: str = "zh",
    params: dict | None = None,
    final: bool | None = None,
) -> Review:
    """Review every target of ``scenario`` against ``actuals``.

    A mid-term review classifies progress (Open SDG classes, :func:`classify`).
    A final review (终期评估: ``as_of`` at or after the period's last year, or
    ``final=True``) also judges each target's 完成情况 (:data:`OUTCOMES`) from the
    actual of the target year: 超额完成, 完成 (equality is 完成), 基本完成 (short by
    at most the stated tolerance, or inside the 左右 band on the weaker side), 未完成,
    定性（待评价） for qualitative targets, 数据不足 where the target year's actual
    (or, for a 〔〕 sum, any year's) is missing — never filled from the plan — and
    未到期 for targets after the review year (2035 远景目标). Each row carries the
    完成率 (achieved / stated, where it means something) and the gap.

    Parameters
    ----------
    scenario : Scenario
        The plan under review.
    actuals : Actuals
        From :func:`planlib.tracking.actuals.read_actuals`, validated against ``scenario``.
    as_of : int, optional
        Use actuals up to this year only (a mid-term review); default: the last
        year with actuals.
    thresholds : Thresholds, optional
        Class bounds of the progress ratio (Open SDG defaults).
    lang : {"zh", "en"}
        Language of the messages.
    params : dict, optional
        Parameter values for the plan path (default: the scenario's defaults).
    final : bool, optional
        Force (True) or suppress (False) the final review; default: ``as_of`` ≥ the
        period's end.

    Returns
    -------
    Review
    """
    if actuals.scenario != scenario.meta.id:
        raise ValueError(
            f"the actuals were validated against {actuals.scenario!r}, not {scenario.meta.id!r}"
        )
    th = thresholds or Thresholds()
    zh = lang == "zh"
    model = Model(scenario)
    traj = model.evaluate(params or {})
    plan = traj.values[0]
    y0 = int(traj.years[0])
    last_actual_year = int(actuals.table["year"].max())
    if as_of is None:
        as_of = last_actual_year
    as_of = int(as_of)
    years = np.arange(y0, max(int(traj.years[-1]), as_of) + 1)
    plan_full = np.full((len(traj.indicators), len(years)), np.nan)
    plan_full[:, : plan.shape[1]] = plan
    actual = actuals.matrix(traj.indicators, years)
    actual[:, years > as_of] = np.nan
    is_final = (as_of >= scenario.meta.period[1]) if final is None else bool(final)
    rows = []
    for ct in compile_targets(scenario, traj):
        t = ct.target
        ind = scenario.indicator(t.indicator)
        unit = ind.unit
        a = actual[ct.row]
        p = plan_full[ct.row]
        T = t.year
        s = ct.start + y0  # start year (first summed year for cumulative)
        tol = default_tolerance(t, ct.unit)
        note = []
        direction = "lower" if t.op in ("<=", "<") else "higher"
        band = tol if t.op == "~" else None  # the 左右 band in the stated value's terms
        obs_years = [int(y) for y in years if s <= y <= min(T, as_of) and np.isfinite(a[y - y0])]
        if t.kind in ("qualitative", "relative_growth"):
            row = _special_row(
                scenario, actuals, t, ct, ind, a, actual, plan_full, years, y0, s, as_of, th, zh
            )
            row["decimals"] = indicator_decimals(scenario, t.indicator)
            row["category"] = ind.category
            if t.kind == "qualitative":
                row.update(_qualitative_final(is_final, zh))
            else:
                row.update(
                    _final_fields(
                        t,
                        ind,
                        a,
                        s,
                        y0,
                        as_of,
                        float("nan"),
                        is_final,
                        row["band"],
                        zh,
                        ref=actual[ct.ref_row],
                        period_end=scenario.meta.period[1],
                        observed=row["observed_pace"] if row["latest_year"] == T else None,
                    )
                )
            row["message"] = _message(row, zh)
            rows.append(row)
            continue
        op = t.op
        if t.kind == "reduction":
            direction = "lower" if t.op in (">=", ">", "=", "~") else "higher"
            op = _FLIP[t.op]
        real = actuals.real_growth(t.indicator) if t.kind == "growth" else {}
        implied_deflator = float("nan")
        if t.kind == "cumulative":
            start_value, start_from = float("nan"), "—"
            so_far = float(sum(a[y - y0] for y in obs_years)) if obs_years else float("nan")
            L = obs_years[-1] if obs_years else None
            n_total = T - s + 1
            target_level = float(t.value)
            method = "sum"
            gaps = [y for y in range(s, (L or s) + 1) if y not in obs_years]
            if gaps:
                note.append(
                    ("累计中缺" if zh else "sum misses ")
                    + "、".join(map(str, gaps))
                    + ("年实绩，按已有年份平均" if zh else "; averaged over the years given")
                )
            obs = observed_pace(0, so_far, len(obs_years), "sum") if obs_years else float("nan")
            req = required_pace(0, target_level, n_total, "sum")
            elapsed = (L - s + 1) if L is not None else 0
            left = T - L if L is not None else n_total
            latest_value = float(a[L - y0]) if L is not None else float("nan")
            plan_latest = (
                float(np.nansum(p[s - y0 : L - y0 + 1])) if L is not None else float("nan")
            )
            required_at_latest = req * elapsed if L is not None else float("nan")
            if direction == "higher":
                achieved = bool(L is not None and so_far >= target_level - tol)
            else:
                achieved = bool(L == T and so_far <= target_level + tol)
            projected_end = (
                float(project_trend(latest_value, obs, left, "sum", so_far=so_far))
                if L is not None
                else float("nan")
            )
            remaining = (
                (target_level - so_far) / left if (L is not None and left > 0) else float("nan")
            )
            if direction == "lower":  # a budget: within it when observed <= required
                ratio = float(progress_ratio(req, obs)) if L is not None else float("nan")
            else:
                ratio = float(progress_ratio(obs, req)) if L is not None else float("nan")
            running, first_met = 0.0, None
            for y in obs_years:
                running += a[y - y0]
                if direction == "higher" and running >= target_level - tol:
                    first_met = y
                    break
            if direction == "lower" and achieved:
                first_met = T
            projected = projected_end
            anticipated = float(anticipated_progress(0, projected_end, target_level, "sum"))
            wrong_way = False
        else:
            # start: the actual in the start year when there is one, else the plan's value
            if np.isfinite(a[s - y0]):
                start_value, start_from = float(a[s - y0]), "actual"
            else:
                start_value, start_from = float(p[s - y0]), "plan"
                note.append(
                    f"{s}年无实绩，起点用规划值"
                    if zh
                    else f"no actual for {s}; start from the plan"
                )
            later = [y for y in obs_years if y > s]
            L = later[-1] if later else None
            latest_value = float(a[L - y0]) if L is not None else float("nan")
            n = T - s
            if t.kind == "level":
                target_level = float(t.value)
            elif t.kind == "growth":
                target_level = (
                    float(start_value * (1 + t.value / 100.0) ** n)
                    if start_value > 0
                    else float("nan")
                )
            elif t.kind == "reduction":  # 〔13.5〕: the level may be at most start × (1 − 13.5 %)
                target_level = float(start_value * (1.0 - t.value / 100.0))
                if t.op == "~":
                    tol = abs(start_value) * tol / 100.0  # the band is in % of the start value
                elif t.tolerance is None:
                    tol = 1e-9 * max(1.0, abs(target_level))
            else:  # pp_change, increment: additive
                target_level = float(start_value + t.value)
            if op in ("=", "~") and np.isfinite(target_level):
                direction = "lower" if target_level < start_value else "higher"
            method, why = _method(
                "level" if t.kind == "reduction" else t.kind,
                unit,
                start_value,
                latest_value,
                target_level,
            )
            if t.kind == "growth" and not start_value > 0:
                method, why = (
                    "compound",
                    "基期值非正，增长率目标无法评估"
                    if zh
                    else "non-positive start: a growth target cannot be assessed",
                )
            if why:
                note.append(why if zh else "non-positive level: pace as a yearly change")
            elapsed = (L - s) if L is not None else 0
            left = (T - L) if L is not None else n
            obs = (
                float(observed_pace(start_value, latest_value, elapsed, method))
                if L is not None
                else float("nan")
            )
            if real and L is not None and all(y in real for y in range(s + 1, L + 1)):
                # the statistics bureau's comparable-price growth, chained: the review of a growth
                # target uses it; levels stay nominal, and the gap between the two is the price rise
                chained = float(np.prod([1.0 + real[y] / 100.0 for y in range(s + 1, L + 1)]))
                nominal = obs
                obs = chained ** (1.0 / elapsed) - 1.0
                method = "compound"
                if np.isfinite(nominal):
                    implied_deflator = ((1.0 + nominal) / (1.0 + obs) - 1.0) * 100.0
                note.append(
                    (
                        f"按统计公布的可比价增速计（{s + 1}–{L}年），隐含价格指数年均 "
                        f"{fmt_rate(implied_deflator)}"
                    )
                    if zh
                    else (
                        f"comparable-price growth as reported ({s + 1}–{L}); implied deflator "
                        f"{fmt_rate(implied_deflator)} a year"
                    )
                )
            elif real:
                note.append(
                    "可比价增速不全，按现价水平计算"
                    if zh
                    else "reported real growth incomplete: growth from current-price levels"
                )
            if t.kind == "growth":
                req = t.value / 100.0
            else:
                req = float(required_pace(start_value, target_level, n, method))
            gap_ok = np.isfinite(target_level)
            if t.kind == "growth" and L == T:
                achieved = bool(np.isfinite(obs) and _meets(obs * 100.0, op, t.value, tol))
            else:
                achieved = bool(
                    L is not None
                    and gap_ok
                    and _meets(latest_value, op, target_level, tol if t.kind != "growth" else 1e-9)
                )
            ratio = float(progress_ratio(obs, req)) if L is not None else float("nan")
            wrong_way = bool(
                L is not None
                and not achieved
                and np.isfinite(req)
                and (req == 0 or (req > 0) != (direction == "higher"))
            )
            projected_end = (
                float(project_trend(latest_value, obs, left, method))
                if L is not None
                else float("nan")
            )
            remaining = (
                float(required_pace(latest_value, target_level, left, method))
                if (L is not None and left > 0)
                else float("nan")
            )
            plan_latest = float(p[L - y0]) if L is not None else float("nan")
            if L is None:
                required_at_latest = float("nan")
            elif method == "compound":
                required_at_latest = float(start_value * (1 + req) ** elapsed)
            else:
                required_at_latest = float(start_value + req * elapsed)
            first_met = None
            if gap_ok:
                for y in later:
                    if _meets(
                        float(a[y - y0]), op, target_level, tol if t.kind != "growth" else 1e-9
                    ):
                        first_met = y
                        break
            if t.kind == "level":
                projected = projected_end
            elif t.kind == "reduction":
                projected = (
                    (1.0 - projected_end / start_value) * 100.0 if start_value else float("nan")
                )
            elif t.kind == "growth":
                projected = float(growth.cagr(start_value, projected_end, n)) * 100.0
            else:
                projected = projected_end - start_value
            anticipated = float(
                anticipated_progress(start_value, projected_end, target_level, method)
            )
            so_far = float("nan")
            if method == "compound":  # paces shown in % per year
                obs, req = obs * 100.0, req * 100.0
                remaining = remaining * 100.0
        overdue = bool(L is not None and L >= T and not achieved)
        if L is None:
            note.append(f"{s}–{min(T, as_of)}年无实绩" if zh else f"no actuals {s}–{min(T, as_of)}")
        cls = str(classify(ratio, achieved, th, overdue, wrong_way))
        if t.kind in ("level", "growth") and method == "compound":
            pace_unit = "%/年"
        else:
            pace_unit = f"{'百分点' if get_unit(unit).dimension == 'percent' else unit}/年"
        projected_met = bool(
            np.isfinite(projected)
            and _meets(
                projected_end if t.kind != "growth" else projected,
                op,
                target_level if t.kind != "growth" else t.value,
                tol,
            )
        )
        mix = _mixup_note(a, p, years, y0, zh)
        if mix:
            note.append(mix)
        row = {
            "id": t.id,
            "indicator": t.indicator,
            "name": ind.name_zh,
            "name_en": ind.name_en,
            "indicator_unit": unit,
            "kind": t.kind,
            "op": t.op,
            "target": float(t.value),
            "target_level": target_level,
            "year": T,
            "start_year": s,
            "start_value": start_value,
            "start_from": start_from,
            "latest_year": L,
            "latest_value": latest_value,
            "so_far": so_far,
            "plan_at_latest": plan_latest,
            "required_at_latest": required_at_latest,
            "method": method,
            "direction": direction,
            "pace_unit": pace_unit,
            "observed_pace": obs,
            "required_pace": req,
            "remaining_pace": remaining,
            "ratio": ratio,
            "class": cls,
            "class_zh": CLASS_ZH[cls],
            "light": LIGHTS[cls],
            "achieved": achieved,
            "overdue": overdue,
            "first_met": first_met,
            "projected_end": projected_end,
            "projected": projected,
            "projected_met": projected_met,
            "anticipated": anticipated,
            "attribute": t.attribute or ind.attribute,
            "wording": t.wording or "",
            "note": "；".join(note) if zh else "; ".join(note),
            "category": ind.category,
            "band": tol if t.op == "~" else None,
            "reference": None,
            "text": None,
            "implied_deflator": implied_deflator,
            "unit_suspect": bool(mix),
            "decimals": indicator_decimals(scenario, t.indicator),
            "status": _latest_status(actuals, t.indicator, L),
        }
        row.update(
            _final_fields(
                t,
                ind,
                a,
                s,
                y0,
                as_of,
                start_value,
                is_final,
                band,
                zh,
                period_end=scenario.meta.period[1],
                observed=obs if (t.kind == "growth" and L == T) else None,
            )
        )
        row["message"] = _message(row, zh)
        rows.append(row)
    return Review(
        scenario.meta.id,
        scenario.meta.name if zh else (scenario.meta.name_en or scenario.meta.name),
        as_of,
        th,
        rows,
        years,
        traj.indicators,
        traj.units,
        traj.names,
        plan_full,
        actual,
        scenario.meta.region,
        lang,
        final=is_final,
        period=tuple(scenario.meta.period),
    )


def _latest_status(actuals: Actuals, indicator: str, year) -> str:
    """Provenance of the latest actual used (统计 unless the file marks it 预计 / 估算)."""
    if year is None:
        return ""
    return actuals.status(indicator).get(int(year), "") or "统计"


def _mixup_note(a, p, years, y0, zh: bool) -> str:
    """Return a note when an actual is ~10⁴ or ~10⁸ off the plan path.

    That is a likely 元/万元/亿元 slip.
    """
    for y in years:
        av, pv = a[y - y0], p[y - y0] if y - y0 < len(p) else float("nan")
        f = magnitude_mixup(av, pv)
        if f:
            return (
                f"{y}年实绩与规划值相差约{f}倍，疑似元/万元/亿元单位混用，请核对单位"
                if zh
                else (
                    f"the {y} actual is about {f} times the plan: a likely 元/万元/亿元 unit slip; "
                    "check the unit"
                )
            )
    return ""


def _special_row(
    scenario, actuals, t, ct, ind, a, actual, plan, years, y0, s, as_of, th, zh
) -> dict:
    """Review row of a qualitative or a relative_growth target."""
    T, unit = t.year, ind.unit
    obs_years = [int(y) for y in years if s < y <= min(T, as_of) and np.isfinite(a[y - y0])]
    L = obs_years[-1] if obs_years else None
    nan = float("nan")
    row = {
        "id": t.id,
        "indicator": t.indicator,
        "name": ind.name_zh,
        "name_en": ind.name_en,
        "indicator_unit": unit,
        "kind": t.kind,
        "op": t.op,
        "target": None if t.value is None else float(t.value),
        "target_level": nan,
        "year": T,
        "start_year": s,
        "start_value": nan,
        "start_from": "—",
        "latest_year": L,
        "latest_value": float(a[L - y0]) if L is not None else nan,
        "so_far": nan,
        "plan_at_latest": nan,
        "required_at_latest": nan,
        "method": "linear",
        "direction": "higher",
        "pace_unit": "百分点/年",
        "observed_pace": nan,
        "required_pace": nan,
        "remaining_pace": nan,
        "ratio": nan,
        "achieved": False,
        "overdue": False,
        "first_met": None,
        "projected_end": nan,
        "projected": nan,
        "projected_met": False,
        "anticipated": nan,
        "attribute": t.attribute or ind.attribute,
        "wording": t.wording or "",
        "note": "",
        "band": None,
        "reference": t.reference,
        "text": t.text or t.wording,
        "implied_deflator": nan,
        "unit_suspect": False,
        "status": _latest_status(actuals, t.indicator, L),
    }
    if t.kind == "qualitative":
        row["class"] = "qualitative"
        row["note"] = (
            "定性目标，由评估人判断" if zh else "qualitative target: judged by the reviewer"
        )
    else:
        ref = scenario.indicator(t.reference)
        row["reference_name"] = ref.name_zh if zh else (ref.name_en or ref.name_zh)
        b = actual[ct.ref_row]
        tol = default_tolerance(t, "百分点")
        row["band"] = tol if t.op == "~" else None
        both = [y for y in obs_years if np.isfinite(b[y - y0])]
        L = both[-1] if both else None
        row["latest_year"] = L
        # start: the actuals of the start year when given, else the plan's values
        pa, pb = plan[ct.row], plan[ct.ref_row]
        a, b = a.copy(), b.copy()
        if not (np.isfinite(a[s - y0]) and np.isfinite(b[s - y0])):
            a[s - y0], b[s - y0] = pa[s - y0], pb[s - y0]
            row["start_from"] = "plan"
        if L is None or not (np.isfinite(a[s - y0]) and np.isfinite(b[s - y0])):
            row["class"] = "insufficient_data"
            row["note"] = (
                f"需{s}年及以后两项指标的实绩"
                if zh
                else f"needs actuals of both indicators from {s}"
            )
            row["latest_year"] = None
        else:
            n = L - s
            own = float(growth.cagr(a[s - y0], a[L - y0], n)) * 100.0
            other = float(growth.cagr(b[s - y0], b[L - y0], n)) * 100.0
            diff = own - other
            met = _meets(diff, t.op, t.value, tol)
            row.update(
                start_value=float(a[s - y0]),
                latest_value=float(a[L - y0]),
                observed_pace=diff,
                required_pace=float(t.value),
                projected=diff,
                projected_met=met,
                achieved=bool(met and L >= T),
                overdue=bool(L >= T and not met),
                reference_growth=other,
                own_growth=own,
            )
            if met:
                row["class"] = "achieved" if L >= T else "on_track"
            else:
                row["class"] = "needs_acceleration"
            row["note"] = (
                f"{s}–{L}年 年均增长 {fmt_rate(own)}，{row['reference_name']} {fmt_rate(other)}，"
                f"相差 {fmt_number(diff)}个百分点"
                if zh
                else f"{s}–{L}: growth {fmt_rate(own)} vs {row['reference_name']} "
                f"{fmt_rate(other)}, "
                f"difference {fmt_number(diff)} pp"
            )
    row["class_zh"] = CLASS_ZH[row["class"]]
    row["light"] = LIGHTS[row["class"]]
    return row


def _message(r: dict, zh: bool) -> str:
    """One sentence per target."""
    u = r["indicator_unit"]

    def fv(x, unit=u):
        return fmt_value(x, unit, decimals=r.get("decimals") if unit == u else None)

    cls = CLASS_ZH[r["class"]] if zh else CLASS_EN[r["class"]]
    if r["kind"] == "qualitative":
        latest = (
            f"；{r['latest_year']}年实绩 {fv(r['latest_value'])}"
            if r["latest_year"] is not None
            else ""
        )
        return (
            f"{cls}：{r['text']}{latest}（{r['note']}）"
            if zh
            else f"{cls}: {r['text']}{latest} ({r['note']})"
        )
    if r["kind"] == "relative_growth":
        return f"{cls}：{r['note']}" if zh else f"{cls}: {r['note']}"
    if r["method"] == "compound":

        def pace(x):
            return fmt_rate(x)
    else:

        def pace(x, pu=r["pace_unit"]):
            return (
                (fmt_average(x, pu.removesuffix("/年")) + ("/年" if zh else "/yr"))
                if np.isfinite(x)
                else "—"
            )

    cls = CLASS_ZH[r["class"]] if zh else CLASS_EN[r["class"]]
    if r["latest_year"] is None:
        return f"{cls}：{r['note']}" if zh else f"{cls}: {r['note']}"
    now = fv(r["so_far"]) if r["method"] == "sum" else fv(r["latest_value"])
    goal = fv(r["target_level"])
    if zh:
        s = (
            f"{cls}：{r['latest_year']}年{'累计' if r['method'] == 'sum' else '实绩'}{now}，"
            f"目标{'累计' if r['method'] == 'sum' else ''}{goal}（{r['year']}年）；"
            f"实际年均{pace(r['observed_pace'])}，要求{pace(r['required_pace'])}，进度比{fmt_number(r['ratio'])}"
        )
        if r["achieved"]:
            s += f"；{r['first_met']}年首次达标" if r["first_met"] is not None else "；已达标"
        elif np.isfinite(r["remaining_pace"]):
            need = ("年均" if r["method"] == "compound" else "") + pace(r["remaining_pace"])
            s += f"；剩余{r['year'] - r['latest_year']}年需{need}"
        elif r["overdue"]:
            gap = abs(
                r["target_level"] - (r["so_far"] if r["method"] == "sum" else r["latest_value"])
            )
            s += (
                "；期末未完成，差"
                f"{fmt_pp(gap, zh, r.get('decimals') or 2) if u in ('%', '‰') else fv(gap)}"
            )
        if not r["achieved"] and r["latest_year"] < r["year"]:
            s += f"；按趋势{r['year']}年约{fv(r['projected_end'])}"
        if r["note"]:
            s += f"（{r['note']}）"
        return s
    s = (
        f"{cls}: {now} in {r['latest_year']}, target {goal} by {r['year']}; observed "
        f"{pace(r['observed_pace'])}, required {pace(r['required_pace'])}, ratio "
        f"{fmt_number(r['ratio'])}"
    )
    if r["achieved"]:
        s += f"; first met in {r['first_met']}" if r["first_met"] is not None else "; met"
    elif np.isfinite(r["remaining_pace"]):
        s += (
            f"; the remaining {r['year'] - r['latest_year']} years need {pace(r['remaining_pace'])}"
        )
    if r["note"]:
        s += f" ({r['note']})"
    return s

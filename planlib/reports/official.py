"""The official 主要指标表 (and its 完成情况) as one table model that Word and Excel render.

Layout of the national and provincial 纲要 tables: a title (表1 XX县“十四五”时期经济社会发展
主要指标), the category in a merged first column, 指标 with its unit in brackets, the base
year's value, the period-end target, 年均增长 or 〔五年累计〕, 属性; a final review adds the
actual, the actual 年均/累计 and 完成情况. Footnotes say what 〔〕 means, which base values
are not of the base year (*) and which figures are estimated or assumed (△).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..formatting import decimals_for, fmt_number
from ..model import Model
from ..scenario import Scenario
from ..tracking.review import OUTCOME_ZH, Review, _written_decimals, outcome_summary, review

__all__ = ["OfficialRow", "OfficialTable", "official_table", "period_label", "OUTCOME_RANK"]

#: which 完成情况 an indicator row shows when it has several targets: the worst
OUTCOME_RANK = (
    "not_completed",
    "insufficient_data",
    "basically",
    "qualitative",
    "completed",
    "exceeded",
    "not_due",
)
_CUMULATIVE_KINDS = ("cumulative", "pp_change", "increment", "reduction")
_RATE_ORDER = ("growth", "cumulative", "reduction", "pp_change", "increment", "relative_growth")
_ESTIMATED = ("预计", "估算", "假设")
_CN_NUM = {3: "三", 4: "四", 5: "五", 6: "六", 10: "十"}


def period_label(scenario: Scenario) -> str:
    """“十四五” from the plan's name, else the years (2021—2025年)."""
    m = re.search(r"十[一二三四五六七八九]?五", scenario.meta.name)
    if m:
        return f"“{m.group(0)}”"
    s, e = scenario.meta.period
    return f"{s}—{e}年"


def _shown_decimals(x: float, ind) -> int:
    """Return the decimals to print a figure with.

    The indicator's ``decimals``, else as the figure is written.
    """
    d = getattr(ind, "decimals", None)
    if d is not None:
        return int(d)
    if decimals_for(ind.unit) == 0:
        return 0
    if x is None or not math.isfinite(x):
        return 0
    return min(2, _written_decimals(round(float(x), 6)))


def _num(x, d: int) -> str:
    return "—" if x is None or not math.isfinite(float(x)) else fmt_number(x, d).replace(",", "")


@dataclass
class OfficialRow:
    """One indicator of the table (numbers in the indicator's unit unless said).

    Attributes
    ----------
    category, name, unit, attribute : str
    label : str
        指标（单位） as printed.
    base_year : int
        Year the base value refers to [year].
    base_value : float
        [unit]; NaN when the plan states none.
    base_mark : str
        "*" when ``base_year`` is not the plan's base year, "△" appended when estimated/assumed.
    target_value : float
        Period-end target level [unit]; NaN when the plan states none.
    target_text : str
        The target cell as printed (a qualitative target's words).
    rate_value : float
        年均增长 [%], 〔累计〕 sum [unit], 〔〕 change [百分点 or unit] or 降低 [%]; NaN if none.
    rate_text : str
        The 年均/累计 cell as printed (〔〕 for five-year sums and changes).
    rate_kind : str
        Target kind behind the 年均/累计 cell ('' if none).
    actual_value, actual_rate : float
        Final review: actual level in the end year [unit]; achieved 年均/累计 (same terms as
        ``rate_value``).
    actual_text, actual_rate_text, outcome, outcome_text : str
    decimals, rate_decimals : int
        Precision of the level figures and of the 年均/累计 figures [decimal places].
    targets : list of str
        Target ids folded into the row.
    """

    category: str
    indicator: str
    name: str
    unit: str
    attribute: str
    label: str
    base_year: int
    base_value: float
    base_mark: str = ""
    target_value: float = math.nan
    target_text: str = "—"
    rate_value: float = math.nan
    rate_text: str = "—"
    rate_kind: str = ""
    actual_value: float = math.nan
    actual_text: str = ""
    actual_rate: float = math.nan
    actual_rate_text: str = ""
    outcome: str = ""
    outcome_text: str = ""
    decimals: int = 2
    rate_decimals: int = 2
    targets: list = field(default_factory=list)

    @property
    def base_text(self) -> str:
        """The base cell as printed, with its marks."""
        return (
            _num(self.base_value, self.decimals) + self.base_mark
            if math.isfinite(self.base_value)
            else "—"
        )


@dataclass
class OfficialTable:
    """Title, header, rows, footnotes and summary of the 主要指标表 (see :func:`official_table`)."""

    title: str
    header: list
    rows: list
    footnotes: list
    summary: str
    final: bool
    base_year: int
    end_year: int
    as_of: int | None
    name: str
    review: Review | None = None
    scenario: Scenario | None = None

    def cells(self) -> list[list[str]]:
        """Every row as printed text, in header order."""
        out = []
        for r in self.rows:
            cells = [r.category, r.label, r.base_text, r.target_text, r.rate_text, r.attribute]
            if self.final:
                cells += [r.actual_text, r.actual_rate_text, r.outcome_text]
            out.append(cells)
        return out


def _rate_text(t, ind, value_dec: int) -> str:
    """Write the 年均/累计 cell of a stated target: 7, 〔30〕, 6左右, >7, 与经济增长同步."""
    if t.kind == "relative_growth":
        return t.wording or ("同步" if t.op == "~" else "高于" if t.op == ">" else "不低于")
    v = _num(t.value, _written_decimals(t.value))
    core = f"〔{v}〕" if t.kind in _CUMULATIVE_KINDS else v
    if t.op == "~":
        return core + "左右"
    if t.op in (">", "<"):
        return t.op + core
    if t.op == "<=" and t.kind != "reduction":
        return "≤" + core
    return core


def official_table(
    scenario: Scenario,
    actuals=None,
    lang: str = "zh",
    final: bool | None = None,
    params: dict | None = None,
) -> OfficialTable:
    """Build the 主要指标表 of ``scenario`` (with its 完成情况 when ``actuals`` are given).

    One row per indicator that has targets, in the file's order, grouped by category in
    order of first appearance. The target cell is the period-end level target (or base +
    a 〔〕 change when the base is stated); the 年均/累计 cell is the growth, cumulative,
    reduction, change or relative-growth target. With actuals, the row's 完成情况 is the
    worst of its targets' (:data:`OUTCOME_RANK`).

    Parameters
    ----------
    scenario : Scenario
    actuals : planlib.actuals.Actuals, optional
    lang : {"zh", "en"}
    final : bool, optional
        Passed to :func:`planlib.review.review` (default: actuals reach the period's end).
    params : dict, optional
        Parameter values of the plan path.

    Returns
    -------
    OfficialTable
    """
    zh = lang == "zh"
    traj = Model(scenario).evaluate(params or {})
    years = [int(y) for y in traj.years]
    base_year = scenario.meta.base_year
    end = scenario.meta.period[1]
    rv = (
        review(scenario, actuals, lang=lang, final=final, params=params)
        if actuals is not None
        else None
    )
    is_final = bool(rv is not None and rv.final)
    as_of = rv.as_of if rv is not None else None
    status = _actual_status(actuals)
    by_ind: dict[str, list] = {}
    for t in scenario.targets:
        by_ind.setdefault(t.indicator, []).append(t)
    inds = [ind for ind in scenario.indicators if ind.id in by_ind]
    order = list(dict.fromkeys(ind.category for ind in inds))
    inds.sort(key=lambda ind: order.index(ind.category))
    rows, starred, estimated, cumulative_seen, qualitative_seen = [], [], [], False, False
    for ind in inds:
        tg = by_ind[ind.id]
        within = [t for t in tg if t.year <= end]  # a 2035 goal is not a period-end target
        later = next(
            (t for t in tg if t.year > end and t.kind == "level" and t.value is not None), None
        )
        level = next((t for t in within if t.kind == "level" and t.value is not None), None)
        rate_t = next((t for k in _RATE_ORDER for t in within if t.kind == k), None)
        qual = next((t for t in within if t.kind == "qualitative"), None)
        # base value: the plan's value in the base year, else its first stated year (marked *)
        b_year, b_value = base_year, math.nan
        if base_year in years:
            b_value = float(traj.at(ind.id, base_year)[0])
        if not math.isfinite(b_value) and ind.base is not None:
            b_year, b_value = ind.base.year, float(ind.base.value)
        data_year = getattr(ind.base, "data_year", None) if ind.base is not None else None
        if data_year:
            b_year = int(data_year)
        mark = "*" if (math.isfinite(b_value) and b_year != base_year) else ""
        if mark:
            starred.append(f"{ind.name_zh}为{b_year}年")
        base_status = getattr(ind.base, "status", None) if ind.base is not None else None
        if math.isfinite(b_value) and (base_status in _ESTIMATED or ind.assumption):
            mark += "△"
            estimated.append(ind.name_zh)
        d = _shown_decimals(
            b_value if math.isfinite(b_value) else (level.value if level else math.nan), ind
        )
        unit_txt = f"（{ind.unit}）" if ind.unit else ""
        row = OfficialRow(
            category=ind.category,
            indicator=ind.id,
            name=ind.name_zh if zh else (ind.name_en or ind.id),
            unit=ind.unit,
            attribute=_attribute(tg, ind, zh),
            label=(ind.name_zh if zh else (ind.name_en or ind.id)) + unit_txt,
            base_year=b_year,
            base_value=b_value,
            base_mark=mark,
            decimals=d,
            targets=[t.id for t in tg],
        )
        if level is not None:
            row.decimals = d = max(d, _written_decimals(level.value))
            row.target_value = float(level.value)
            row.target_text = _num(level.value, _written_decimals(level.value))
            if level.op == "~":
                row.target_text += "左右"
            elif level.op in ("<=", "<"):
                row.target_text = ("≤" if level.op == "<=" else "<") + row.target_text
        elif (
            rate_t is not None
            and rate_t.kind in ("pp_change", "increment")
            and math.isfinite(b_value)
        ):
            row.target_value = b_value + float(rate_t.value)
            row.target_text = _num(row.target_value, max(d, _written_decimals(rate_t.value)))
        elif qual is not None:
            row.target_text = getattr(qual, "text", None) or qual.wording or "—"
            qualitative_seen = True
        elif later is not None and not within:  # only a 远景 goal: shown with its year
            row.target_text = (
                f"{_num(later.value, _written_decimals(later.value))}（{later.year}年）"
            )
        if rate_t is not None:
            row.rate_kind = rate_t.kind
            row.rate_value = float(rate_t.value)
            row.rate_decimals = max(
                _written_decimals(rate_t.value), 1 if rate_t.kind != "cumulative" else 0
            )
            row.rate_text = _rate_text(rate_t, ind, d)
            cumulative_seen |= rate_t.kind in _CUMULATIVE_KINDS
        elif qual is not None and level is not None:
            row.rate_text = getattr(qual, "text", None) or qual.wording or "—"
        if rv is not None and is_final:
            _fill_final(row, rv, ind, tg, level, rate_t, end, status, estimated, zh)
        rows.append(row)
    header = ["类别", "指标", f"{base_year}年", f"{end}年", "年均增长〔累计〕", "属性"]
    if not zh:
        header = [
            "category",
            "indicator",
            str(base_year),
            str(end),
            "annual growth 〔cumulative〕",
            "attribute",
        ]
    if is_final:
        header += (
            [f"{as_of}年实际", "实际年均〔累计〕", "完成情况"]
            if zh
            else [f"{as_of} actual", "actual annual 〔cumulative〕", "outcome"]
        )
    region = scenario.meta.region
    period = period_label(scenario)
    title = f"表1 {region}{period}时期经济社会发展主要指标" + ("完成情况" if is_final else "")
    if not zh:
        title = f"Table 1 {scenario.meta.name_en or scenario.meta.name}" + (
            ": completion" if is_final else ""
        )
    n_years = end - scenario.meta.period[0] + 1
    notes = []
    if cumulative_seen:
        notes.append(f"〔〕内为{_CN_NUM.get(n_years, n_years)}年累计数。")
    if starred:
        notes.append(f"带*的基期值非{base_year}年数据：" + "、".join(starred) + "。")
    if estimated:
        notes.append(
            "带△的为预计数、估算数或假设值（依据见情景文件的 status、assumption）："
            + "、".join(dict.fromkeys(estimated))
            + "。"
        )
    if qualitative_seen:
        notes.append("定性指标不作量化评价，完成情况列为“定性（待评价）”。")
    if is_final:
        notes.append(
            f"完成情况按{as_of}年实绩评价：完成率＝实际值÷目标值×100%；等于目标为完成，"
            "差距在目标容差或“左右”区间内为基本完成；缺少期末实绩的列为数据不足，不以规划值代替。"
        )
        summary = outcome_summary(
            [(r.outcome, r.attribute, r.name) for r in rows],
            as_of,
            zh,
            what="指标" if zh else "indicators",
        )
    else:
        k = sum(r.attribute == "约束性" for r in rows)
        summary = (
            f"{region}{period}规划主要指标{len(rows)}项，其中约束性{k}项、预期性{len(rows) - k}项。"
            if zh
            else f"{len(rows)} main indicators, {k} binding."
        )
    notes = (
        [
            ("注：" if i == 0 else "") + f"{i + 1}. {n}" if len(notes) > 1 else "注：" + n
            for i, n in enumerate(notes)
        ]
        if zh
        else notes
    )
    return OfficialTable(
        title,
        header,
        rows,
        notes,
        summary,
        is_final,
        base_year,
        end,
        as_of,
        scenario.meta.name,
        rv,
        scenario,
    )


def _attribute(targets, ind, zh: bool) -> str:
    attrs = {t.attribute or ind.attribute for t in targets}
    a = "约束性" if "约束性" in attrs else "预期性"
    return a if zh else {"预期性": "indicative", "约束性": "binding"}[a]


def _actual_status(actuals) -> dict:
    """Map (indicator, year) → status (预计, 估算) of an actual, where the file says."""
    if actuals is None or "status" not in getattr(actuals.table, "columns", []):
        return {}
    out = {}
    for i, y, s in zip(
        actuals.table["indicator"], actuals.table["year"], actuals.table["status"], strict=True
    ):
        if isinstance(s, str) and s in _ESTIMATED:
            out[(i, int(y))] = s
    return out


def _fill_final(
    row: OfficialRow,
    rv: Review,
    ind,
    targets,
    level,
    rate_t,
    end: int,
    status: dict,
    estimated: list,
    zh: bool,
) -> None:
    i = rv.indicators.index(ind.id)
    years = [int(y) for y in rv.years]
    x = float(rv.actual[i, years.index(end)]) if end in years else math.nan
    row.actual_value = x
    if getattr(ind, "decimals", None) is None and math.isfinite(x):
        row.decimals = max(
            row.decimals, _shown_decimals(x, ind)
        )  # 47.5 is printed 47.5, 35 as 35.0
    if rate_t is not None:
        r = rv.row(rate_t.id)
        v = r.get("final_value", math.nan)
        row.actual_rate = v
        if math.isfinite(v):
            if rate_t.kind == "cumulative":
                if getattr(ind, "decimals", None) is None:
                    row.decimals = max(row.decimals, _shown_decimals(v, ind))
                txt = _num(v, row.decimals)
            else:
                txt = _num(v, 2)
            row.actual_rate_text = f"〔{txt}〕" if rate_t.kind in _CUMULATIVE_KINDS else txt
        else:
            row.actual_rate_text = "—"
    else:
        row.actual_rate_text = "—"
    row.actual_text = _num(x, row.decimals) if math.isfinite(x) else "—"
    if math.isfinite(x) and (ind.id, end) in status:
        row.actual_text += "△"
        estimated.append(f"{ind.name_zh}{end}年实际值")
    rs = [rv.row(t.id) for t in targets if t.id is not None]
    rs = [r for r in rs if r.get("outcome")] or rs
    due = [r for r in rs if r.get("outcome") != "not_due"] or rs
    worst = min(due, key=lambda r: OUTCOME_RANK.index(r["outcome"]) if r.get("outcome") else 99)
    row.outcome = worst.get("outcome") or ""
    row.outcome_text = worst.get("outcome_text") or OUTCOME_ZH.get(row.outcome, "")

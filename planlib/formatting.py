"""Numbers as a planner writes them: fixed decimals per unit, never ``np.float64(…)``."""

from __future__ import annotations

import math
from typing import NamedTuple

from .units import UNITS, canonical

__all__ = [
    "is_whole_count",
    "decimals_for",
    "indicator_decimals",
    "fmt_number",
    "fmt_value",
    "fmt_average",
    "fmt_pace",
    "rate_decimals",
    "target_decimals",
    "TargetDecimals",
    "fmt_rate",
    "fmt_pp",
    "json_float",
    "written_decimals",
    "clean_float",
    "spreadsheet_safe",
    "stated_text",
    "spreadsheet_safe_frame",
]

_COUNT_DECIMALS = 0
_DEFAULT_DECIMALS = 2
_MAX_STATED_DECIMALS = 3


def is_whole_count(unit: str | None) -> bool:
    """Whether a unit counts single things (个, 户, 人, 名, 家 …), printed as whole numbers.

    Scaled counts (万户, 万人) keep decimals: 5.21万户 is a meaningful figure.
    """
    u = UNITS.get(canonical(unit or ""))
    if u is None:
        return False
    return (u.dimension.startswith("count:") or u.name == "人") and u.factor == 1.0


def decimals_for(unit: str | None) -> int:
    """Decimals shown for a unit: counts of single things as integers, everything else 2."""
    return _COUNT_DECIMALS if is_whole_count(unit) else _DEFAULT_DECIMALS


def written_decimals(x) -> int:
    """Decimals a number was written with, from its shortest repr (0.516 → 3, 50.0 → 0)."""
    if x is None:
        return 0
    x = float(x)
    if not math.isfinite(x):
        return 0
    text = repr(x).lower()
    if "e" in text:
        mant, exp = text.split("e")
        d = len(mant.split(".")[1].rstrip("0")) if "." in mant else 0
        return max(0, d - int(exp))
    text = text.rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def indicator_decimals(scenario, indicator_id: str) -> int:
    """Decimals to print an indicator's levels with.

    The indicator's ``decimals`` when given; otherwise the unit's default
    (:func:`decimals_for`: 0 for counts, 2 otherwise) or more when a value in the
    file was written with more decimals — a level, increment or cumulative target
    with all its decimals, a base or history value when written with at most 3
    (longer ones are computed figures) — so a 0.516 limit prints as 0.516, never
    0.52. At most 6.
    """
    ind = scenario.indicator(indicator_id)
    if getattr(ind, "decimals", None) is not None:
        return int(ind.decimals)
    d = decimals_for(ind.unit)
    # stated targets count with all their decimals; base and history values only up to 3 (a
    # figure written with more, e.g. 49.144189, is a computed one and prints at the default)
    written = [v for v in ind.known.values() if written_decimals(v) <= _MAX_STATED_DECIMALS]
    written += [
        t.value
        for t in scenario.targets
        if t.indicator == indicator_id
        and t.kind in ("level", "increment", "cumulative")
        and t.value is not None
    ]
    for v in written:
        d = max(d, written_decimals(v))
    return min(d, 6)


def rate_decimals(value) -> int:
    """Decimals of a rate or a 百分点 change stated as ``value``: 2, or as many as written."""
    return max(_DEFAULT_DECIMALS, written_decimals(value))


class TargetDecimals(NamedTuple):
    """Decimals a target's figures print with (:func:`target_decimals`)."""

    #: the stated value, the value a run implies and the gap, in the target's unit
    figure: int
    #: a pace per year in the target's unit: (when it is whole, when it is not)
    pace: tuple[int, int]
    #: growth rates computed from levels (required, implied) [%]
    rate: int


#: target kinds stated as a rate or a 百分点 change (planlib.targets.KIND_UNIT)
_RATE_KINDS = ("growth", "pp_change", "reduction", "relative_growth")


def target_decimals(scenario, target) -> TargetDecimals:
    """Decimals of a target's figures, by the rule the audit and the 主要指标表 use.

    Levels, sums and increments print with the indicator's precision
    (:func:`indicator_decimals`: 0.516 stays 0.516, counts whole); rates and 百分点
    changes with 2 decimals or as many as the target was written with
    (:func:`rate_decimals`). A pace per year keeps 2 decimals where a count's level
    would print whole and the pace is not (27 projects in 5 years is 5.40个 a year,
    :func:`fmt_average`). Growth rates computed from levels print with 2.
    """
    if target.kind in _RATE_KINDS:
        figure = rate_decimals(target.value)
    else:
        figure = indicator_decimals(scenario, target.indicator)
    unit = scenario.indicator(target.indicator).unit
    part = _DEFAULT_DECIMALS if figure == 0 and is_whole_count(unit) else figure
    return TargetDecimals(figure, (figure, part), _DEFAULT_DECIMALS)


def clean_float(x, digits: int = 12):
    """``x`` rounded to ``digits`` significant digits (55.00000000000001 → 55.0); None/NaN kept."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x) or x == 0:
        return x
    return float(f"{x:.{digits}g}")


def fmt_number(x, decimals: int = 2) -> str:
    """Format ``x`` with ``decimals``; NaN/None as '—'.

    Examples
    --------
    >>> fmt_number(51.2435)
    '51.24'
    >>> fmt_number(float("nan"))
    '—'
    """
    if x is None:
        return "—"
    x = float(x)
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    out = f"{x:,.{decimals}f}"
    return "0" if out.strip("-0.,") == "" and decimals == 0 else out.replace("-0.00", "0.00")


def fmt_value(x, unit: str | None, with_unit: bool = True, decimals: int | None = None) -> str:
    """Format a level in its unit, e.g. '51.24亿元', '25户', '64.00%'; ``decimals`` overrides.

    Counts print whole: 92.8 service centres are '93个', never '92.80个' (an average per year
    keeps its decimals: :func:`fmt_average`).
    """
    d = decimals_for(unit) if decimals is None else decimals
    s = fmt_number(x, d)
    if not with_unit or s == "—" or not unit:
        return s
    return f"{s}{unit}"


def fmt_average(x, unit: str | None, with_unit: bool = True) -> str:
    """Format an average or a pace per year, e.g. '5.40个' a year; whole values stay whole ('6个').

    A level of a count is whole (:func:`fmt_value`), but 27 projects over 5 years is 5.40 a
    year: rounding it to 5 would contradict a progress ratio of 0.90 printed beside it.
    """
    if x is not None and is_whole_count(unit) and math.isfinite(float(x)):
        if abs(float(x) - round(float(x))) > 1e-9:
            s = fmt_number(x, _DEFAULT_DECIMALS)
            return f"{s}{unit}" if with_unit and unit else s
    return fmt_value(x, unit, with_unit)


def fmt_pace(x, unit: str | None, decimals: tuple[int, int], with_unit: bool = True) -> str:
    """Format a pace per year with ``decimals`` = (when whole, otherwise), e.g. '6个', '5.40个'.

    ``decimals`` is :attr:`TargetDecimals.pace`; whole means within 1e-9 of an integer.
    """
    whole = x is not None and math.isfinite(float(x)) and abs(float(x) - round(float(x))) <= 1e-9
    return fmt_value(x, unit, with_unit, decimals[0] if whole else decimals[1])


def fmt_rate(x, decimals: int = 2) -> str:
    """Format a growth rate in percent, e.g. '9.33%'."""
    s = fmt_number(x, decimals)
    return s if s == "—" else f"{s}%"


def fmt_pp(x, zh: bool = True, decimals: int = 2) -> str:
    """Format a difference of two rates in 百分点 (percentage points).

    E.g. '1.20个百分点' / '1.20 pp'.
    """
    s = fmt_number(x, decimals)
    return s if s == "—" else f"{s}{'个百分点' if zh else ' pp'}"


def json_float(x):
    """JSON-ready float: None for None, NaN or ±inf."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else clean_float(x)


#: first characters that make Excel, LibreOffice or WPS read a cell as a formula (OWASP)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    r"""Return a cell value that a spreadsheet shows as text, never runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@`` (or a tab, a carriage return or their
    full-width forms) gets a leading apostrophe, the OWASP rule against formula injection;
    numbers, and text that is a plain number such as ``-3.5``, are returned unchanged.

    Examples
    --------
    >>> spreadsheet_safe("=HYPERLINK(\"http://x\")")
    '\'=HYPERLINK("http://x")'
    >>> spreadsheet_safe("-3.5"), spreadsheet_safe(-3.5), spreadsheet_safe("园区")
    ('-3.5', -3.5, '园区')
    """
    if not isinstance(value, str) or not value or not value.startswith(FORMULA_PREFIXES):
        return value
    try:
        number = float(value)
    except ValueError:
        return "'" + value
    return value if math.isfinite(number) else "'" + value


def spreadsheet_safe_frame(df):
    """Copy of a DataFrame with :func:`spreadsheet_safe` applied to every text cell and header."""
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    out = df.copy()
    for col in out.columns:
        kind = out[col].dtype
        if not (is_numeric_dtype(kind) or is_bool_dtype(kind) or is_datetime64_any_dtype(kind)):
            out[col] = out[col].map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(c) for c in out.columns]
    return out


# ---- a target as a plan prints it (the 年均/累计 column) ------------------------------------
_OP_COMPACT = {">=": "≥", "<=": "≤", "=": "", ">": ">", "<": "<", "~": ""}
_BRACKET_OP = {">=": "", "=": "", "<=": "以内", ">": "以上", "<": "以下", "~": "左右"}
_BRACKET_OP_EN = {">=": "", "=": "", "<=": " or less", ">": "+", "<": " max", "~": " about"}
_REL_ZH = {">": "高于", ">=": "不低于", "<": "低于", "<=": "不高于", "=": "等于", "~": "基本同步于"}


def _num(v, decimals=None) -> str:
    """Format a stated number as written (0.516 stays 0.516, 13.50 prints 13.5)."""
    if v is None:
        return "—"
    d = written_decimals(v) if decimals is None else decimals
    return fmt_number(v, d).replace(",", "")


def stated_text(row: dict, zh: bool = True) -> str:
    """Return the 年均/累计 cell of a target as a plan prints it.

    E.g. 〔13.5〕, 5左右, >7, 与GDP增长基本同步.

    ``row`` is an audit row (:func:`planlib.audit`); a target's ``wording`` wins in Chinese.
    """
    if row.get("wording") and zh:
        return row["wording"]
    kind, op, v = row["kind"], row["op"], row.get("target")
    if kind == "qualitative":
        return row.get("text") or row.get("wording") or ""
    if kind == "relative_growth":
        ref = row.get("reference_name") or row.get("reference") or ""
        if zh:
            if op == "~":
                return f"与{ref}增长基本同步"
            extra = f"{_num(abs(v))}个百分点" if v else ""
            return f"{_REL_ZH[op]}{ref}增长{extra}"
        return f"growth {op} {ref} growth" + (f" {v:+g} pp" if v else "")
    if kind in ("reduction", "increment", "pp_change", "cumulative"):
        text = f"〔{_num(v)}〕"
        return text + (_BRACKET_OP[op] if zh else _BRACKET_OP_EN[op])
    if kind == "growth":
        return f"{_OP_COMPACT[op]}{_num(v)}" + (("左右" if zh else " (about)") if op == "~" else "")
    # a further level target (e.g. a 2035 goal) in the column
    lead = f"{row['year']}年" if zh else f"{row['year']}: "
    return (
        lead + f"{_OP_COMPACT[op]}{_num(v)}" + (("左右" if zh else " (about)") if op == "~" else "")
    )

"""Numbers as a planner writes them: fixed decimals per unit, never ``np.float64(…)``."""

from __future__ import annotations

import math

from .units import UNITS

__all__ = ["is_whole_count", "decimals_for", "fmt_average", "fmt_number", "fmt_value", "fmt_rate",
           "json_float"]

_COUNT_DECIMALS = 0
_DEFAULT_DECIMALS = 2


def is_whole_count(unit: str | None) -> bool:
    """True for units of single things (个, 户, 人, 名, 家 …): they print as whole numbers.

    Scaled counts (万户, 万人) keep decimals: 5.21万户 is a meaningful figure.
    """
    u = UNITS.get(unit or "")
    if u is None:
        return False
    return (u.dimension.startswith("count:") or u.name == "人") and u.factor == 1.0


def decimals_for(unit: str | None) -> int:
    """Decimals shown for a unit: counts of single things as integers, everything else 2."""
    return _COUNT_DECIMALS if is_whole_count(unit) else _DEFAULT_DECIMALS


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


def fmt_value(x, unit: str | None, with_unit: bool = True) -> str:
    """Format a level in its unit, e.g. '51.24亿元', '25户', '64.00%'."""
    # counts print whole: 92.8 service centres are 93 个, never '92.80个'
    s = fmt_number(x, decimals_for(unit))
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


def fmt_rate(x) -> str:
    """Format a growth rate in percent, e.g. '9.33%'."""
    s = fmt_number(x, 2)
    return s if s == "—" else f"{s}%"


def json_float(x):
    """JSON-ready float: None for None, NaN or ±inf."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x

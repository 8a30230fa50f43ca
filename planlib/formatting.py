"""Numbers as a planner writes them: fixed decimals per unit, never ``np.float64(…)``."""

from __future__ import annotations

import math

from .units import UNITS

__all__ = ["decimals_for", "fmt_number", "fmt_value", "fmt_rate", "json_float"]

_COUNT_DECIMALS = 0
_DEFAULT_DECIMALS = 2


def decimals_for(unit: str | None) -> int:
    """Decimals shown for a unit: counts as integers, everything else 2."""
    u = UNITS.get(unit or "")
    if u is not None and (u.dimension.startswith("count:") or u.name == "人"):
        return _COUNT_DECIMALS
    return _DEFAULT_DECIMALS


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
    d = decimals_for(unit)
    if d == 0 and x is not None and math.isfinite(float(x)) and abs(float(x) - round(float(x))) > 1e-9:
        d = _DEFAULT_DECIMALS  # a fractional count (an average) keeps its decimals
    s = fmt_number(x, d)
    if not with_unit or s == "—" or not unit:
        return s
    return f"{s}{unit}"


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

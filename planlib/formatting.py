"""Numbers as a planner writes them: fixed decimals per unit, never ``np.float64(…)``."""

from __future__ import annotations

import math

from .units import UNITS

__all__ = ["decimals_for", "fmt_number", "fmt_value", "fmt_rate", "json_float", "spreadsheet_safe",
           "spreadsheet_safe_frame"]

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


#: first characters that make Excel, LibreOffice or WPS read a cell as a formula (OWASP)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    """A cell value that a spreadsheet shows as text, never runs as a formula.

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

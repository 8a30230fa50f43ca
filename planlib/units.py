"""Units a planner writes in a 主要指标表, and conversion between them.

One table (`UNITS`) is the single source of truth: a scenario may only use the
units listed here, and every conversion goes through :func:`convert`.
Each unit belongs to a *dimension*; units convert only within one dimension.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import PlanlibError

__all__ = [
    "Unit",
    "UNITS",
    "UnitError",
    "convert",
    "factor",
    "get_unit",
    "is_unit",
    "unit_names",
    "ALIASES",
    "BUILTIN",
    "canonical",
    "declare_unit",
    "suggest_units",
    "magnitude_mixup",
]


@dataclass(frozen=True)
class Unit:
    """A unit of measure.

    Parameters
    ----------
    name : str
        The unit as written in a plan, e.g. ``"亿元"``.
    dimension : str
        What it measures (``money``, ``area``, ``percent`` …); only units of
        one dimension convert into each other.
    factor : float
        Size of one of this unit in the dimension's base unit [base unit].
    name_en : str
        English label.
    """

    name: str
    dimension: str
    factor: float
    name_en: str


_MU_M2 = 10000.0 / 15.0  # 1 亩 = 1/15 公顷 = 666.67 m²

UNITS: dict[str, Unit] = {
    u.name: u
    for u in [
        # money, base 元
        Unit("元", "money", 1.0, "yuan"),
        Unit("万元", "money", 1e4, "10k yuan"),
        Unit("亿元", "money", 1e8, "100m yuan"),
        # people, base 人
        Unit("人", "people", 1.0, "persons"),
        Unit("万人", "people", 1e4, "10k persons"),
        # counts of distinct things never convert into each other
        Unit("个", "count:个", 1.0, "units"),
        Unit("户", "count:户", 1.0, "households"),
        Unit("万户", "count:户", 1e4, "10k households"),
        Unit("家", "count:家", 1.0, "enterprises"),
        Unit("项", "count:项", 1.0, "projects"),
        Unit("所", "count:所", 1.0, "institutions"),
        Unit("名", "count:名", 1.0, "persons (staff)"),
        Unit("张", "count:张", 1.0, "beds"),
        Unit("套", "count:套", 1.0, "dwellings"),
        Unit("次", "count:次", 1.0, "times"),
        # rates
        Unit("%", "percent", 1.0, "%"),
        Unit("‰", "percent", 0.1, "per mille"),
        Unit("百分点", "percentage_point", 1.0, "percentage points"),
        # area, base 平方米
        Unit("平方米", "area", 1.0, "m²"),
        Unit("亩", "area", _MU_M2, "mu"),
        Unit("公顷", "area", 1e4, "ha"),
        Unit("平方公里", "area", 1e6, "km²"),
        Unit("万平方米", "area", 1e4, "10k m²"),
        # length, base 米
        Unit("米", "length", 1.0, "m"),
        Unit("公里", "length", 1e3, "km"),
        # per-capita and per-area money
        Unit("元/人", "money_per_person", 1.0, "yuan per person"),
        Unit("万元/人", "money_per_person", 1e4, "10k yuan per person"),
        Unit("元/月", "money_per_month", 1.0, "yuan per month"),
        Unit("元/年", "money_per_year", 1.0, "yuan per year"),
        Unit("万元/亩", "money_per_area", 1e4 / _MU_M2, "10k yuan per mu"),
        Unit("元/平方米", "money_per_area", 1.0, "yuan per m²"),
        Unit("平方米/人", "area_per_person", 1.0, "m² per person"),
        Unit("亩/户", "area_per_household", _MU_M2, "mu per household"),
        Unit("平方米/户", "area_per_household", 1.0, "m² per household"),
        # community programmes (issue 6)
        Unit("人/户", "people_per_household", 1.0, "persons per household"),
        Unit("万元/户", "money_per_household", 1e4, "10k yuan per household"),
        Unit("万元/个", "money_per_unit", 1e4, "10k yuan per unit"),
        Unit("层", "count:层", 1.0, "storeys"),
        Unit("倍", "ratio", 1.0, "ratio (e.g. plot ratio 容积率)"),
        # energy intensity
        Unit("吨标准煤/万元", "energy_intensity", 1.0, "tce per 10k yuan"),
        Unit("吨标准煤", "energy", 1.0, "tce"),
        Unit("万吨标准煤", "energy", 1e4, "10k tce"),
        Unit("吨二氧化碳/万元", "carbon_intensity", 1.0, "t CO2 per 10k yuan (碳排放强度)"),
        Unit("岁", "age", 1.0, "years of age"),
        Unit("年", "duration", 1.0, "years"),
    ]
}


#: the units every scenario may use; others must be declared in the scenario's ``units:``
BUILTIN = frozenset(UNITS)

#: other spellings planners use for a unit in :data:`UNITS` (alias → name)
ALIASES: dict[str, str] = {
    "吨标煤": "吨标准煤",
    "万吨标煤": "万吨标准煤",
    "吨标煤/万元": "吨标准煤/万元",
    "平方千米": "平方公里",
    "千米": "公里",
    "km": "公里",
    "个百分点": "百分点",
    "周岁": "岁",
}


class UnitError(PlanlibError, ValueError):
    """A unit that is not in :data:`UNITS`, or two units that do not convert."""


def canonical(name: str) -> str:
    """Return the name in :data:`UNITS` that ``name`` (a unit or an alias) stands for.

    Unknown names are returned unchanged.
    """
    return ALIASES.get(name, name) if name not in UNITS else name


def suggest_units(name: str, n: int = 3) -> list[str]:
    """Return the ``n`` accepted unit names (and aliases) closest to ``name``, nearest first."""
    import difflib

    pool = [u for u in UNITS if u in BUILTIN] + list(ALIASES)
    close = difflib.get_close_matches(name, pool, n=n, cutoff=0.3)
    if not close:  # single-character units: compare by shared characters
        close = (
            sorted(pool, key=lambda u: -len(set(u) & set(name)))[:n]
            if set(name) & set("".join(pool))
            else []
        )
    return close


def declare_unit(
    name: str, to: str | None = None, factor: float = 1.0, name_en: str | None = None
) -> Unit:
    """Add a scenario-declared unit: one ``name`` is ``factor`` × ``to`` (a known unit or alias).

    Without ``to`` the unit starts a dimension of its own (``微克/立方米``, ``万吨``), which
    later declarations may convert to. Declaring the same unit again with the same
    meaning is allowed; a different meaning for a name already in use raises
    :class:`UnitError`.
    """
    if not (isinstance(factor, (int, float)) and math.isfinite(factor) and factor > 0):
        raise UnitError(f"factor of unit {name!r} must be a positive number, got {factor!r}")
    if to is None:
        new = Unit(name, f"declared:{name}", 1.0, name_en or name)
    else:
        base = get_unit(to)
        new = Unit(
            name,
            base.dimension,
            base.factor * float(factor),
            name_en or f"{factor:g} {base.name_en}",
        )
    old = UNITS.get(name) or (UNITS.get(ALIASES[name]) if name in ALIASES else None)
    if old is not None:
        if old.dimension != new.dimension or not math.isclose(
            old.factor, new.factor, rel_tol=1e-12
        ):
            raise UnitError(
                f"unit {name!r} already means {old.factor:g} of the {old.dimension} base; "
                f"declared as {factor:g} × {to!r}; use another name"
            )
        return old
    UNITS[name] = new
    return new


def magnitude_mixup(actual: float, expected: float) -> str | None:
    """Name a likely 元/万元/亿元 slip when ``actual`` is off ``expected`` by ~10⁴ or ~10⁸.

    Returns ``"1e4"``, ``"1e8"``, ``"1e-4"`` or ``"1e-8"`` when the ratio lies within a
    factor of 3 of that power of ten, else None.
    """
    try:
        a, e = float(actual), float(expected)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(a) and math.isfinite(e)) or a == 0 or e == 0 or (a > 0) != (e > 0):
        return None
    lg = math.log10(a / e)
    for p in (8, 4, -4, -8):
        if abs(lg - p) <= math.log10(3):
            return f"1e{p}"
    return None


def unit_names() -> list[str]:
    """Return every accepted unit, in table order."""
    return list(UNITS)


def is_unit(name: str) -> bool:
    """Return True when ``name`` is an accepted unit."""
    return canonical(name) in UNITS


def get_unit(name: str) -> Unit:
    """Return the :class:`Unit` called ``name``.

    Raises
    ------
    UnitError
        When ``name`` is not a unit; the message lists the accepted ones.
    """
    try:
        return UNITS[canonical(name)]
    except (KeyError, TypeError):
        near = suggest_units(str(name))
        hint = f"; nearest: {', '.join(near)}" if near else ""
        raise UnitError(
            f"{name!r} is not a unit; use one of "
            f"{', '.join(u for u in UNITS if u in BUILTIN)}{hint} (or declare it under units: with "
            "name, to, factor)"
        ) from None


def factor(from_unit: str, to_unit: str) -> float:
    """Multiplier that converts values in ``from_unit`` to ``to_unit``.

    Parameters
    ----------
    from_unit, to_unit : str
        Units of one dimension, e.g. ``"亿元"`` and ``"万元"``.

    Returns
    -------
    float
        ``x [from_unit] * factor = x [to_unit]``.
    """
    a, b = get_unit(from_unit), get_unit(to_unit)
    if a.dimension != b.dimension:
        raise UnitError(
            f"cannot convert {from_unit!r} ({a.dimension}) to {to_unit!r} ({b.dimension})"
        )
    return a.factor / b.factor


def convert(value, from_unit: str, to_unit: str):
    """Convert ``value`` from one unit to another of the same dimension.

    Parameters
    ----------
    value : float or array_like
        Value(s) in ``from_unit``.
    from_unit, to_unit : str
        Units from :data:`UNITS`.

    Returns
    -------
    float or numpy.ndarray
        Value(s) in ``to_unit``.

    Examples
    --------
    >>> convert(1.0, "亿元", "万元")
    10000.0
    >>> round(convert(1.0, "平方公里", "亩"), 6)
    1500.0
    """
    f = factor(from_unit, to_unit)
    if np.isscalar(value):
        return float(value) * f
    return np.asarray(value, dtype=float) * f

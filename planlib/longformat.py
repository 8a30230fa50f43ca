"""Long tables at the edges: IAMC format (model, scenario, region, variable, unit, year, value).

The output is what ``pyam.IamDataFrame`` reads; planlib itself does not depend on pyam.
pyam converts units through a pint registry (``iam_units.registry``) that does not know
亿元, 亩 or 户: :func:`register_units` defines planlib's units there, so
``IamDataFrame.convert_unit("亿元", to="万元")`` works (factor 10000).
"""

from __future__ import annotations

import re

from .model import Trajectories
from .scenario import Scenario
from .units import UNITS

__all__ = ["IAMC_COLUMNS", "to_iamc", "pint_definitions", "register_units"]

#: units pint already knows under another name (planlib name → pint expression)
_PINT_ALIASES = {"%": "percent", "‰": "permille", "年": "year", "月": "month"}

IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]


def to_iamc(
    traj: Trajectories, scenario: Scenario, model: str = "planlib", lang: str = "zh", run: int = 0
):
    """Trajectories of one run as an IAMC long table.

    Parameters
    ----------
    traj : Trajectories
    scenario : Scenario
        Gives categories and names for the ``variable`` column.
    model : str
        Value of the ``model`` column.
    lang : {"zh", "en", "id"}
        ``variable`` as ``类别|指标`` (zh), ``category|name_en`` (en) or the indicator id.
    run : int
        Which run to export.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`IAMC_COLUMNS`; missing values dropped.
    """
    long = traj.to_long(run=run)
    names = {}
    for ind in scenario.indicators:
        if lang == "id":
            names[ind.id] = ind.id
        elif lang == "en":
            names[ind.id] = f"{ind.category}|{ind.name_en or ind.id}"
        else:
            names[ind.id] = f"{ind.category}|{ind.name_zh}"
    long["variable"] = long["indicator"].map(names)
    long["model"] = model
    return long[IAMC_COLUMNS].reset_index(drop=True)


def pint_definitions() -> list[str]:
    """List planlib's units as pint definition lines, e.g. ``"亿元 = 100000000.0 * 元"``.

    Each dimension of :data:`planlib.units.UNITS` becomes a pint base dimension
    (``[planlib_yuan]``, ``[planlib_households]`` …), so counts of different things never
    convert into each other, and 百分点 is not %. Compound units (``万元/亩``, ``亩/户``) are not
    defined: pint derives them from their parts. ``%``, ``‰``, ``年`` and ``月`` map onto
    pint's percent, permille, year and month.
    """
    # lengths and areas are pint's own metre, so 平方公里 ↔ km² ↔ hectare agree
    lines = [f"月 = {_PINT_ALIASES['月']}", "米 = meter", "平方米 = 米 ** 2"]
    special = set(_PINT_ALIASES) | {"米", "平方米"}
    atomic = [u for u in UNITS.values() if "/" not in u.name and u.name not in special]
    bases = {"length": UNITS["米"], "area": UNITS["平方米"]}
    for u in atomic:
        if u.factor == 1.0 and u.dimension not in bases:
            bases[u.dimension] = u
    dims = set()
    for u in sorted(atomic, key=lambda u: (u.dimension, u.factor != 1.0, u.factor)):
        base = bases[u.dimension]
        if u is not base:
            lines.append(f"{u.name} = {u.factor!r} * {base.name}")
        elif u.dimension == "ratio":
            lines.append(f"{u.name} = []")  # 倍 (plot ratio) is a pure number
        else:
            dim = "planlib_" + re.sub(r"[^a-z0-9]+", "_", base.name_en.lower()).strip("_")
            assert dim not in dims, f"two planlib dimensions named {dim}"
            dims.add(dim)
            lines.append(f"{u.name} = [{dim}]")
    return lines


def register_units(registry=None):
    """Define planlib's units in a pint registry (pyam's by default) and return it.

    Parameters
    ----------
    registry : pint.UnitRegistry, optional
        Default ``iam_units.registry`` (the one ``pyam.IamDataFrame.convert_unit`` uses) when
        iam-units is installed, otherwise a new ``pint.UnitRegistry()``.

    Returns
    -------
    pint.UnitRegistry
        The same registry; units it already has are left alone, so calling twice is harmless.

    Examples
    --------
    >>> ureg = register_units()                                   # doctest: +SKIP
    >>> ureg.Quantity(1, "亿元").to("万元").magnitude              # doctest: +SKIP
    10000.0
    """
    if registry is None:
        try:
            from iam_units import registry
        except ImportError:
            import pint

            registry = pint.UnitRegistry()
    for line in pint_definitions():
        name = line.split("=")[0].strip()
        if name in registry:
            continue
        registry.define(line)
    return registry

"""Long tables at the edges: IAMC format (model, scenario, region, variable, unit, year, value).

The output is what ``pyam.IamDataFrame`` reads; planlib itself does not depend on pyam.
Each row also says where its value comes from (:data:`PROVENANCE`): a figure the scenario marks
as 预计 / 估算 / 假设, or as another year's figure (the plan's 77.3*), carries that mark, every
other row :data:`NO_MARK`. pyam keeps the column as an extra index column (``extra_cols``).
pyam converts units through a pint registry (``iam_units.registry``) that does not know
亿元, 亩 or 户: :func:`register_units` defines planlib's units there, so
``IamDataFrame.convert_unit("亿元", to="万元")`` works (factor 10000).
"""

from __future__ import annotations

import re

from .model import Trajectories
from .scenario import Scenario
from .units import UNITS

__all__ = [
    "IAMC_COLUMNS",
    "NO_MARK",
    "PROVENANCE",
    "provenance_marks",
    "to_iamc",
    "to_long",
    "pint_definitions",
    "register_units",
]

#: units pint already knows under another name (planlib name → pint expression)
_PINT_ALIASES = {"%": "percent", "‰": "permille", "年": "year", "月": "month"}

IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]
#: the column that says where a value comes from
PROVENANCE = "provenance"
#: the provenance of a value without a mark: never an empty cell, which pyam refuses when it
#: reads an extra column back from a CSV or Excel file
NO_MARK = {"zh": "无", "en": "none"}


def provenance_marks(scenario: Scenario, lang: str = "zh") -> dict[tuple[str, int], str]:
    """Return the marked values of a scenario, as (indicator id, year) → mark.

    A value stated as 预计 / 估算 / 假设 is marked with that status (``expected``,
    ``estimate``, ``assumption`` in English: the 主要指标表's words), a value that is another
    year's figure (77.3*: ``data_year`` 2019 for 2020) with ``2019年数据`` (``figure for 2019``);
    both, joined. Plain 统计 figures and computed values have no mark.

    Parameters
    ----------
    scenario : Scenario
    lang : {"zh", "en", "id"}
        Chinese marks, or English ones (``"id"`` too).
    """
    from .table import STATUS_MARK, STATUS_MARK_EN

    zh = lang == "zh"
    out = {}
    for ind in scenario.indicators:
        for year, (status, data_year) in ind.provenance.items():
            parts = []
            if data_year is not None and data_year != year:
                parts.append(f"{data_year}年数据" if zh else f"figure for {data_year}")
            if status in STATUS_MARK:
                word = STATUS_MARK[status] if zh else STATUS_MARK_EN[status]
                parts.append(word.strip(" （）()"))
            if parts:
                out[(ind.id, int(year))] = ("，" if zh else ", ").join(parts)
    return out


def _with_provenance(long, scenario: Scenario, lang: str):
    """Add the :data:`PROVENANCE` column to a long table with ``indicator`` and ``year``."""
    marks = provenance_marks(scenario, lang)
    none = NO_MARK["zh" if lang == "zh" else "en"]
    keys = zip(long["indicator"].tolist(), long["year"].astype(int).tolist(), strict=True)
    long[PROVENANCE] = [marks.get(k, none) for k in keys]
    return long


def to_long(traj: Trajectories, scenario: Scenario, run: int | None = 0, lang: str = "zh"):
    """Trajectories as planlib's long table, with where each value comes from.

    Parameters
    ----------
    traj : Trajectories
    scenario : Scenario
        The scenario ``traj`` was computed from (its marked values).
    run : int or None
        One run (default the first), or None for every run with a ``run`` column.
    lang : {"zh", "en"}
        Language of the marks.

    Returns
    -------
    pandas.DataFrame
        :meth:`Trajectories.to_long` (scenario, region, indicator, name, unit, year, value)
        and :data:`PROVENANCE`: the value's mark (:func:`provenance_marks`), else
        :data:`NO_MARK`.
    """
    return _with_provenance(traj.to_long(run=run), scenario, lang)


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
        Columns :data:`IAMC_COLUMNS` and :data:`PROVENANCE` (where the value comes from:
        :func:`provenance_marks`, else :data:`NO_MARK`; pyam reads it as an extra column);
        missing values dropped.
    """
    long = _with_provenance(traj.to_long(run=run), scenario, lang)
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
    return long[IAMC_COLUMNS + [PROVENANCE]].reset_index(drop=True)


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

"""Long tables at the edges: IAMC format (model, scenario, region, variable, unit, year, value).

The output is what ``pyam.IamDataFrame`` reads; planlib itself does not depend on pyam.
"""

from __future__ import annotations

from .model import Trajectories
from .scenario import Scenario

__all__ = ["IAMC_COLUMNS", "to_iamc"]

IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]


def to_iamc(traj: Trajectories, scenario: Scenario, model: str = "planlib", lang: str = "zh", run: int = 0):
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

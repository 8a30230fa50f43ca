"""Price basis (价格口径): nominal levels, comparable-price growth, and the deflator between them.

Plans usually state levels at current prices (现价, nominal) and "年均增长" at
comparable prices (可比价). An indicator declares its basis with ``price_basis``
(or inherits ``meta.price_basis`` when the file states it); the ``price_basis``
component adds a deflator parameter, a price index and a comparable twin
``<id>_comparable`` of each nominal indicator, so a growth target can be put on
the twin and a level target on the nominal indicator. The audit then compares
like with like (:func:`compare_growth_and_level`) and says which basis it used.
"""

from __future__ import annotations

import numpy as np

from . import growth

__all__ = [
    "deflate",
    "real_rate",
    "nominal_rate",
    "comparable_links",
    "basis_of",
    "compare_growth_and_level",
]


def deflate(nominal, index, base_index=100.0):
    """Comparable-price value = nominal × base_index / index [unit of ``nominal``]."""
    return np.asarray(nominal, dtype=float) * base_index / np.asarray(index, dtype=float)


def real_rate(nominal, inflation):
    """Return comparable growth from nominal growth and price rise: (1+n)/(1+π) − 1 [1/year]."""
    return (1.0 + np.asarray(nominal, dtype=float)) / (
        1.0 + np.asarray(inflation, dtype=float)
    ) - 1.0


def nominal_rate(real, inflation):
    """Nominal growth from comparable growth and price rise: (1+r)(1+π) − 1 [1/year]."""
    return (1.0 + np.asarray(real, dtype=float)) * (1.0 + np.asarray(inflation, dtype=float)) - 1.0


def comparable_links(scenario) -> dict:
    """Map comparable twin id → (nominal id, price index id), from ``price_basis`` components."""
    out = {}
    for comp in getattr(scenario, "components", []) or []:
        links = getattr(comp, "links", None)
        if callable(links):
            out.update(links())
    return out


def basis_of(scenario, indicator_id: str) -> tuple[str, bool]:
    """Price basis of an indicator and whether the file declares it.

    Returns
    -------
    basis : {"nominal", "comparable"}
    declared : bool
        True when the indicator or the file's ``meta`` states ``price_basis``.
    """
    ind = scenario.indicator(indicator_id)
    if ind.price_basis is not None:
        return ind.price_basis, True
    return scenario.meta.price_basis, "price_basis" in scenario.meta.model_fields_set


def compare_growth_and_level(scenario, traj, g: dict, lv: dict) -> dict:
    """Compare a stated growth target with a stated level target, on one price basis.

    Parameters
    ----------
    scenario, traj
        The plan and a deterministic evaluation.
    g, lv : dict
        Audit rows of the growth and the level target (same year and from_year);
        ``g`` may sit on the comparable twin of ``lv``'s indicator.

    Returns
    -------
    dict
        ``level_at_rate`` [level unit, nominal when the level is nominal],
        ``required_rate`` [%/year, on the growth target's basis], ``basis``
        (``nominal``, ``comparable`` or ``comparable→nominal``), ``declared``,
        ``price_rise`` [%/year] and Chinese/English labels of the basis used.
    """
    n = lv["year"] - lv["from_year"]
    links = comparable_links(scenario)
    g_basis, g_decl = basis_of(scenario, g["indicator"])
    if g.get(
        "price_basis"
    ):  # the growth target states its own basis (可比价 growth, nominal level)
        g_basis, g_decl = g["price_basis"], True
    l_basis, l_decl = basis_of(scenario, lv["indicator"])
    rise = 1.0
    twin = (
        g["indicator"] != lv["indicator"]
        and links.get(g["indicator"], (None,))[0] == lv["indicator"]
    )
    if twin:
        index = links[g["indicator"]][1]
        rise = float(traj.at(index, lv["year"])[0] / traj.at(index, lv["from_year"])[0])
    level_at_rate = float(growth.project(lv["start_value"], g["target"] / 100.0, n)) * rise
    need = lv["required_rate"]
    if twin and need is not None:
        need = ((1.0 + need / 100.0) / rise ** (1.0 / n) - 1.0) * 100.0
    pi = (rise ** (1.0 / n) - 1.0) * 100.0 if n else 0.0
    if twin:  # even when prices do not move (deflator exactly 0) the level is nominal
        basis = "comparable→nominal"
        zh = f"按可比价增速、现价水平比较（价格指数年均 {pi:.2f}%）"
        en = f"comparable growth against nominal level (prices {pi:.2f} % a year)"
    elif g_basis == "comparable" and l_basis == "nominal":
        # comparable growth against a nominal level with no price index: the gap is the price
        # rise the two figures imply; no verdict on consistency (it would be a false alarm)
        basis = "mixed"
        implied = (
            ((1.0 + need / 100.0) / (1.0 + g["target"] / 100.0) - 1.0) * 100.0
            if need is not None
            else float("nan")
        )
        pi = implied
        zh = f"增速为可比价、水平为现价，未给出价格指数：二者隐含价格涨幅年均 {implied:.2f}%"
        en = (
            "comparable growth, nominal level, no price index: they imply prices rising "
            f"{implied:.2f} % a year"
        )
    elif g_decl or l_decl:
        basis = g_basis
        zh, en = (
            ("按可比价比较" if basis == "comparable" else "按现价（名义）比较"),
            f"both at {basis} prices",
        )
    else:
        basis = g_basis
        zh = "价格口径未声明，按同一口径比较（若年均增长为可比价，请声明价格口径）"
        en = (
            "price basis not declared: compared on one basis (declare it if growth is at "
            "comparable prices)"
        )
    return {
        "level_at_rate": level_at_rate,
        "required_rate": need,
        "basis": basis,
        "declared": bool(g_decl or l_decl or twin),
        "price_rise": pi,
        "basis_zh": zh,
        "basis_en": en,
    }

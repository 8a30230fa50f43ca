"""The options of a target (趋势, 上级指引, 冲刺) and the arithmetic of stated values.

A target states a value in its kind's unit (a level, % a year, 百分点, a 〔〕 reduction,
a sum); :func:`level_of` turns it into the level (or running sum) of the target year and
:func:`value_of` back. The guidance option translates the superior plan's figure
(``_guidance``, indicators paired by :func:`match_indicator`); the stretch option follows
a 2035 goal, a stated ambition or the draft's own figure (``_stretch``); the trend option
is the fitted trend (:mod:`planlib.tracking.proposal_trends`). Small helpers say which way
is more ambitious (``_sense``), the operator on the level (``_level_op``) and how a value
is rounded as a planner writes it (``_round``).

A ``~`` (左右) target is met within its band (``band``, else 0.5 for rates and 百分点, 2 % of
the value for levels); an ``=`` target (达到) is read as a floor (a ceiling for a lower-is-better
indicator), since a proposal asks how likely the figure is to be reached.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..errors import PlanlibError
from ..formatting import fmt_number
from ..scenario import Scenario
from ..units import factor, get_unit

__all__ = [
    "OPTIONS",
    "OPTION_ZH",
    "SUPPORTED_KINDS",
    "ProposalError",
    "intensive",
    "level_of",
    "match_indicator",
    "value_of",
]

OPTIONS = ("trend", "guidance", "stretch")
OPTION_ZH = {"trend": "趋势", "guidance": "上级指引", "stretch": "冲刺", "prudent": "稳妥"}
#: target kinds with options; others (relative_growth, qualitative) get a note only
SUPPORTED_KINDS = ("level", "growth", "pp_change", "increment", "cumulative", "reduction")


class ProposalError(PlanlibError, ValueError):
    """A proposal that cannot be made (bad period, threshold, mapping or ambition)."""


def level_of(kind: str, value, base, years):
    """Return the end level (or running sum, for ``cumulative``) a target value states.

    Parameters
    ----------
    kind : str
        Target kind: level, growth [%/year], pp_change [百分点], increment [unit],
        reduction [%], cumulative [unit].
    value : float or array_like
        Stated value, in the kind's unit.
    base : float or array_like
        Level at the start year [unit].
    years : float
        Years from the start year to the target year [year].

    Returns
    -------
    numpy.ndarray or float
        Level in the target year [unit] (the sum, for cumulative).
    """
    v = np.asarray(value, dtype=float)
    b = np.asarray(base, dtype=float)
    if kind in ("level", "cumulative"):
        out = v
    elif kind == "growth":
        out = b * (1.0 + v / 100.0) ** years
    elif kind in ("pp_change", "increment"):
        out = b + v
    elif kind == "reduction":
        out = b * (1.0 - v / 100.0)
    else:
        raise ValueError(f"kind {kind!r} has no level; use one of {', '.join(SUPPORTED_KINDS)}")
    return out[()] if np.ndim(out) == 0 else out


def value_of(kind: str, level, base, years):
    """Inverse of :func:`level_of`: the stated value an end level means [kind's unit]."""
    L = np.asarray(level, dtype=float)
    b = np.asarray(base, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind in ("level", "cumulative"):
            out = L
        elif kind == "growth":
            out = (np.power(L / b, 1.0 / years) - 1.0) * 100.0
        elif kind in ("pp_change", "increment"):
            out = L - b
        elif kind == "reduction":
            out = (1.0 - L / b) * 100.0
        else:
            raise ValueError(f"kind {kind!r} has no level; use one of {', '.join(SUPPORTED_KINDS)}")
    return out[()] if np.ndim(out) == 0 else out


# ---- indicator mapping ------------------------------------------------------------------------
_SYNONYMS = (
    ("国内生产总值", "地区生产总值"),
    ("GDP", "地区生产总值"),
    ("全社会", ""),
    ("研究与试验发展", "研发"),
    ("（", "("),
    ("）", ")"),
    (" ", ""),
)


def _norm(name: str) -> str:
    out = name or ""
    for a, b in _SYNONYMS:
        out = out.replace(a, b)
    return out.split("(")[0]


def match_indicator(
    county: Scenario, superior: Scenario, mapping: Mapping | None = None
) -> dict[str, str]:
    """County indicator id → superior indicator id, matched by name.

    An explicit ``mapping`` wins; then the same id; then the same Chinese name; then
    the same name once 国内/地区生产总值, GDP and 全社会 are treated alike and units in
    brackets dropped.

    Parameters
    ----------
    county, superior : Scenario
    mapping : mapping of str to str, optional
        County id → superior id.
    """
    mapping = dict(mapping or {})
    sup_ids = {i.id for i in superior.indicators}
    own_ids = {i.id for i in county.indicators}
    for a, b in mapping.items():
        if a not in own_ids:
            raise ProposalError(f"superior map: {a!r} is not an indicator of {county.meta.id}")
        if b not in sup_ids:
            raise ProposalError(
                f"superior map: {b!r} is not an indicator of {superior.meta.id}; "
                f"have {', '.join(sorted(sup_ids))}"
            )
    by_name = {i.name_zh: i.id for i in superior.indicators}
    by_norm = {_norm(i.name_zh): i.id for i in superior.indicators}
    out = {}
    for ind in county.indicators:
        if ind.id in mapping:
            out[ind.id] = mapping[ind.id]
        elif ind.id in sup_ids:
            out[ind.id] = ind.id
        elif ind.name_zh in by_name:
            out[ind.id] = by_name[ind.name_zh]
        elif _norm(ind.name_zh) in by_norm:
            out[ind.id] = by_norm[_norm(ind.name_zh)]
    return out


# ---- small helpers ----------------------------------------------------------------------------
def _additive(unit: str) -> bool:
    dim = get_unit(unit).dimension
    return dim in ("percent", "percentage_point") or dim.startswith("count:")


def intensive(unit: str) -> bool:
    """Tell whether a county and its province share the unit's scale (%, 岁, 年, ratios)."""
    dim = get_unit(unit).dimension
    return (
        dim in ("percent", "percentage_point", "age", "duration", "ratio")
        or "_per_" in dim
        or "intensity" in dim
    )


def _sense(kind: str, op: str, direction: str = "higher") -> int:
    """1 when a higher stated value is more ambitious, -1 when a lower one is."""
    if op in (">=", ">"):
        return 1
    if op in ("<=", "<"):
        return -1
    if kind == "reduction":
        return 1
    return (
        -1 if direction == "lower" and kind in ("level", "growth", "pp_change", "increment") else 1
    )


def _level_op(kind: str, op: str) -> str:
    """Operator on the end level equivalent to ``op`` on the stated value."""
    flip = kind == "reduction"
    if op in (">=", ">"):
        return "<=" if flip else ">="
    if op in ("<=", "<"):
        return ">=" if flip else "<="
    return "="


def _band(t, kind_unit: str) -> float:
    """Half-width of an ``=``/``~`` target in the stated value's unit."""
    band = getattr(t, "band", None)
    if band is not None:
        return float(band)
    if t.op == "~":
        if kind_unit in ("%", "百分点") or t.kind in ("growth", "pp_change", "reduction"):
            return 0.5
        return 0.02 * abs(float(t.value))
    from ..targets import default_tolerance

    return default_tolerance(t)


def _round(value: float, unit: str, kind: str, sense: int) -> float:
    """Round as a planner writes: counts whole (toward less ambition), else 2 decimals."""
    if not math.isfinite(value):
        return value
    if kind in ("level", "cumulative", "increment") and get_unit(unit).dimension.startswith(
        "count:"
    ):
        return float(math.floor(value + 1e-9) if sense > 0 else math.ceil(value - 1e-9))
    return round(float(value), 2)


def _attribute(t, ind) -> str:
    return t.attribute or ind.attribute


def _direction(ind) -> str:
    return getattr(ind, "direction", None) or "higher"


def _kind_unit(kind: str, unit: str) -> str:
    return {"growth": "%", "pp_change": "百分点", "reduction": "%"}.get(kind, unit)


def _guidance(t, ind, superior, mapped, anchor, h, path_value):
    """Return the guidance option (name, value, basis) from the superior plan, or None."""
    if superior is None or t.indicator not in mapped:
        return None
    sid = mapped[t.indicator]
    sup_ind = superior.indicator(sid)
    cands = [
        st
        for st in superior.targets
        if st.indicator == sid
        and st.kind in ("growth", "reduction", "pp_change", "increment", "level")
    ]
    if not cands:
        return None
    # the superior target of the same kind first, then one ending in the same year
    cands.sort(key=lambda st: (st.kind != t.kind, abs(st.year - t.year)))
    st = cands[0]
    sup_from = st.from_year if st.from_year is not None else superior.meta.base_year
    hs = max(st.year - sup_from, 1)
    if st.kind == t.kind and t.kind in ("growth",):
        value = float(st.value)
    elif st.kind == t.kind and st.year - sup_from == h and t.kind != "level":
        value = float(st.value)  # same reduction, same 百分点 over the same span
    else:
        anchor_base, anchor_year = anchor
        if not math.isfinite(anchor_base):
            return None
        if st.kind == "growth":

            def fn(y):
                return anchor_base * (1.0 + st.value / 100.0) ** (y - anchor_year)
        elif st.kind == "reduction":

            def fn(y):
                return anchor_base * (1.0 - st.value / 100.0) ** ((y - anchor_year) / hs)
        elif st.kind in ("pp_change", "increment"):

            def fn(y):
                return anchor_base + st.value * (y - anchor_year) / hs
        else:  # level: the same level in the target year (rates and ratios, never totals)
            if not (intensive(sup_ind.unit) and intensive(ind.unit)):
                return None
            try:
                c = factor(sup_ind.unit, ind.unit)
            except Exception:
                return None
            if t.kind == "cumulative":
                return None

            def fn(y):
                return st.value * c

        value = path_value(fn)
    wording = st.wording or f"{st.kind} {st.op} {st.value:g}"
    return (
        "guidance",
        value,
        f"上级规划《{superior.meta.name}》{sup_ind.name_zh}：{wording}，换算为本级口径",
    )


def _stretch(t, ind, draft_sc, ambition, base, start, path_value, real=False):
    """Return the stretch option: a 2035 goal's path, a stated ambition, or the draft's figure.

    A goal stated at current prices does not set a comparable-price (``real``) growth path.
    """
    goals = (
        []
        if real
        else [
            g
            for g in draft_sc.targets
            if g.indicator == t.indicator
            and g.year > t.year
            and g.kind in ("level", "growth", "pp_change", "increment", "reduction")
        ]
    )
    if goals and t.kind != "cumulative" and math.isfinite(base):
        g = goals[0]
        g_from = g.from_year if g.from_year is not None else draft_sc.meta.base_year
        if g_from == start:
            hg = g.year - start
            end = float(level_of(g.kind, g.value, base, hg))
            log = not _additive(ind.unit) and base > 0 and end > 0

            def fn(y):
                k = (y - start) / hg
                return base * (end / base) ** k if log else base + (end - base) * k

            return (
                "stretch",
                path_value(fn),
                f"{g.year}年远景目标（{g.wording or fmt_number(g.value, 2)}）"
                f"按{'等比' if log else '等差'}路径"
                f"折算至{t.year}年",
            )
    if t.id in ambition:
        return ("stretch", float(ambition[t.id]), "规划编制提出的目标设想")
    return ("stretch", float(t.value), "草案所列目标值（滚动编制所得，见目标的 source）")

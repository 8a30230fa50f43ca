"""Which option to recommend, and why (推荐方案).

The recommended option is the most ambitious one whose P(meet) reaches the threshold of
the target's attribute (:data:`DEFAULT_THRESHOLDS`: 0.7 预期性, 0.9 约束性). A 约束性
target is handed down: the recommendation is never weaker than the guidance, even when
the guidance's P(meet) is below the threshold (the note says so).
Where no option reaches it, the 稳妥 value — the most ambitious value whose P(meet) the
engine finds at or above the threshold — is recommended
(:mod:`planlib.tracking.proposal_engine`). ``_reason`` writes the sentence the draft
carries.
"""

from __future__ import annotations

import numpy as np

from ..formatting import fmt_number
from .proposal_options import OPTION_ZH

__all__ = ["DEFAULT_THRESHOLDS", "recommend"]

#: P(meet) an option needs to be recommended, by attribute [-]
DEFAULT_THRESHOLDS = {"预期性": 0.7, "约束性": 0.9}


def recommend(values, p_meet, sense: int, threshold: float, floor=None):
    """Index of the most ambitious option whose P(meet) reaches ``threshold``.

    Parameters
    ----------
    values : array_like
        Option values (NaN: option not available) [kind's unit].
    p_meet : array_like
        P(meet) of each option [-].
    sense : {1, -1}
        1 when a higher value is more ambitious, -1 when a lower one is.
    threshold : float
        Required P(meet) [-].
    floor : float, optional
        A value the recommendation may not fall short of (a 约束性 guidance).

    Returns
    -------
    (int or None, bool)
        Chosen index and whether it reaches the threshold.
    """
    v = np.asarray(values, dtype=float)
    p = np.asarray(p_meet, dtype=float)
    ok = np.isfinite(v) & np.isfinite(p)
    if floor is not None and np.isfinite(floor):
        ok &= sense * v >= sense * floor - 1e-9 * max(1.0, abs(floor))
    if not ok.any():
        return None, False
    amb = np.where(ok, sense * v, -np.inf)
    meets = ok & (p >= threshold)
    if meets.any():
        return int(np.argmax(np.where(meets, amb, -np.inf))), True
    # none reaches it: the likeliest (the least ambitious when P falls with ambition)
    best = np.where(ok, p, -np.inf)
    top = np.flatnonzero(best == best.max())
    return int(top[np.argmin(amb[top])]), False


def _reason(chosen, meets, thr, attr, binding_floor, kunit) -> str:
    if chosen is None:
        return "无可用方案"
    p = fmt_number(100 * chosen.p_meet, 1)
    t = fmt_number(100 * thr, 0)
    name = OPTION_ZH[chosen.name]
    if meets:
        return (
            f"推荐{name}方案（{fmt_number(chosen.value, 2)}{kunit}）：达标概率{p}%，"
            f"是达标概率不低于{t}%（{attr}）的方案中最积极的"
        )
    if binding_floor and chosen.name == "guidance":
        return (
            f"约束性指标须不低于上级要求，推荐{name}方案（{fmt_number(chosen.value, 2)}{kunit}），"
            f"但达标概率仅{p}%，低于{t}%，需加大工作力度"
        )
    if chosen.name == "prudent":
        return (
            f"趋势、上级指引、冲刺方案达标概率均低于{t}%（{attr}），推荐达标概率为{p}%的"
            f"稳妥值{fmt_number(chosen.value, 2)}{kunit}"
        )
    return (
        f"各方案达标概率均低于{t}%，推荐最稳妥的{name}方案（{fmt_number(chosen.value, 2)}{kunit}，"
        f"达标概率{p}%）"
    )

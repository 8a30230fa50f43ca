"""The result of a proposal: :class:`Proposal`, one :class:`TargetProposal` per target.

Each target's :class:`Option` values with their P(meet), the recommendation and the
fit, and the draft; as a table (:meth:`Proposal.to_frame`), aligned text
(:meth:`Proposal.to_text`), JSON (:meth:`Proposal.to_dict`) and the fan of an
indicator for charts (:meth:`Proposal.fan`, :meth:`Proposal.fan_for`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from ..formatting import fmt_number, json_float
from ..scenario import Scenario, dump_yaml, parse_scenario
from .proposal_options import OPTION_ZH, ProposalError, _kind_unit
from .proposal_trends import REAL

__all__ = ["Option", "Proposal", "TargetProposal"]


@dataclass(frozen=True)
class Option:
    """One candidate value of a target.

    Attributes
    ----------
    name : {"trend", "guidance", "stretch"}
    value : float
        Stated value [target's unit].
    level : float
        Equivalent level of the indicator in the target year (sum for cumulative) [unit].
    p_meet : float
        P(meet) under the fitted uncertainty [-].
    basis : str
        Where the value comes from (Chinese).
    anticipated : float
        UN ESCAP anticipated progress: the share of the change this option asks for (from
        the base) that the trend delivers; for a cumulative target the trend's sum over the
        option's [%]. NaN when the option asks for no change.
    """

    name: str
    value: float
    level: float
    p_meet: float
    basis: str
    anticipated: float = float("nan")


@dataclass(frozen=True)
class TargetProposal:
    """Options and recommendation for one target of the draft."""

    target: str
    indicator: str
    name: str
    unit: str
    kind: str
    op: str
    year: int
    attribute: str
    threshold: float
    options: tuple
    recommended: str | None
    value: float | None
    meets_threshold: bool
    reason: str
    fit: dict = field(default_factory=dict)

    def option(self, name: str) -> Option | None:
        """Return the option called ``name`` (None when not available)."""
        return next((o for o in self.options if o.name == name), None)

    def note(self) -> dict:
        """Return the ``proposal`` note written on the draft's target."""
        return {
            "recommended": self.recommended,
            "threshold": self.threshold,
            "options": [
                {
                    "option": o.name,
                    "value": _r(o.value),
                    "p_meet": round(float(o.p_meet), 4),
                    "anticipated_progress": _r1(o.anticipated),
                    "basis": o.basis,
                }
                for o in self.options
            ],
            "reason": self.reason,
            "uncertainty": self.fit.get("text"),
        }


def _pct(x) -> str:
    return "—" if x is None or not math.isfinite(float(x)) else f"{fmt_number(x, 0)}%"


def _r1(x):
    return None if x is None or not math.isfinite(float(x)) else round(float(x), 1)


def _r(x):
    return None if x is None or not math.isfinite(float(x)) else round(float(x), 4)


@dataclass(frozen=True)
class Proposal:
    """Result of :func:`propose`.

    Attributes
    ----------
    draft : dict
        The draft scenario (file form) with recommended values and ``proposal`` notes.
    rows : tuple of TargetProposal
        One per target of the draft.
    simulation : SimulationResult
        The engine's run of :attr:`engine`.
    engine : Scenario
        The proposal scenario (trend + drawn drift and shocks, one target per option).
    history : dict
        Indicator id → {year: actual} used for the fits.
    """

    draft: dict
    rows: tuple
    simulation: object
    engine: Scenario
    history: dict
    runs: int
    seed: int
    thresholds: dict
    base_year: int
    period: tuple
    superior: str | None = None
    specs: tuple = ()
    plans: dict = field(default_factory=dict)

    def row(self, target: str) -> TargetProposal:
        """Return the proposal for one target id."""
        for r in self.rows:
            if r.target == target:
                return r
        raise KeyError(f"no target {target!r}; have {', '.join(r.target for r in self.rows)}")

    def draft_scenario(self) -> Scenario:
        """Return the draft, validated (:func:`planlib.scenario.parse_scenario`)."""
        return parse_scenario(dump_yaml(self.draft), file=f"{self.draft['meta']['id']}.yaml")

    def to_frame(self, lang: str = "zh"):
        """One row per target and option: value, P(meet), recommended."""
        import pandas as pd

        zh = lang == "zh"
        recs = []
        for r in self.rows:
            for o in r.options or (None,):
                recs.append(
                    {
                        ("目标" if zh else "target"): r.target,
                        ("指标" if zh else "indicator"): r.name,
                        ("属性" if zh else "attribute"): r.attribute,
                        ("方案" if zh else "option"): (OPTION_ZH[o.name] if zh else o.name)
                        if o
                        else "—",
                        ("目标值" if zh else "value"): None if o is None else o.value,
                        ("单位" if zh else "unit"): r.unit,
                        ("达标概率" if zh else "p_meet"): None if o is None else o.p_meet,
                        ("预期进展" if zh else "anticipated_progress"): None
                        if o is None
                        else _r1(o.anticipated),
                        ("推荐" if zh else "recommended"): bool(
                            o is not None and o.name == r.recommended
                        ),
                        ("依据" if zh else "basis"): "" if o is None else o.basis,
                    }
                )
        return pd.DataFrame(recs)

    def to_text(self, lang: str = "zh") -> str:
        """Aligned text: per target its options, P(meet) and the recommendation."""
        zh = lang == "zh"
        lines = [
            (
                f"{self.draft['meta']['name']}：目标测算（{self.period[0]}–{self.period[1]}年，"
                f"蒙特卡洛 {self.runs:,} 次，种子 {self.seed}）"
            )
            if zh
            else (
                f"{self.draft['meta']['id']}: target setting {self.period[0]}–{self.period[1]}, "
                f"{self.runs:,} runs, seed {self.seed}"
            )
        ]
        for r in self.rows:
            lines.append(
                f"  {r.target}  {r.name}（{r.attribute}，阈值{fmt_number(100 * r.threshold, 0)}%）"
                if zh
                else f"  {r.target}  {r.name} ({r.attribute}, threshold {r.threshold:g})"
            )
            for o in r.options:
                mark = "*" if o.name == r.recommended else " "
                lines.append(
                    f"   {mark} {(OPTION_ZH[o.name] if zh else o.name):<8} "
                    f"{fmt_number(o.value, 2):>12} {_kind_unit(r.kind, r.unit):<6} "
                    f"P={fmt_number(100 * o.p_meet, 1):>5}%  "
                    f"{('预期进展' if zh else 'anticipated ') + _pct(o.anticipated):<10} "
                    f"{o.basis}"
                )
            lines.append(f"     {r.reason}")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        """JSON-ready summary."""
        return {
            "scenario": self.draft["meta"]["id"],
            "period": list(self.period),
            "runs": self.runs,
            "seed": self.seed,
            "thresholds": self.thresholds,
            "superior": self.superior,
            "targets": [
                {
                    "target": r.target,
                    "indicator": r.indicator,
                    "attribute": r.attribute,
                    "kind": r.kind,
                    "op": r.op,
                    "year": r.year,
                    "unit": r.unit,
                    "value": json_float(r.value),
                    "meets_threshold": r.meets_threshold,
                    **r.note(),
                }
                for r in self.rows
            ],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def fan_for(self, target: str) -> dict:
        """Return the fan of what a target reads: the level, or the running sum (cumulative).

        Returns
        -------
        dict
            As :meth:`fan`, plus ``options`` {name: level in the target year} and ``year``.
        """
        r = self.row(target)
        if not r.options:
            raise ProposalError(f"target {target!r} has no options: {r.reason}")
        if r.kind == "cumulative":
            sim = self.simulation
            i = sim.indicators.index(f"{r.indicator}__cum")
            out = {
                "history": {},
                "years": sim.years.copy(),
                "unit": r.unit,
                "name": f"{r.name}（累计）",
                "quantiles": {p: sim.quantiles[j, i].copy() for j, p in enumerate(sim.percentiles)},
            }
        else:
            out = self.fan(r.fit.get("series", r.indicator))
        out["options"] = {o.name: o.level for o in r.options}
        out["year"] = r.year
        return out

    def fan(self, indicator: str) -> dict:
        """Actuals and the fan (5–95 percentiles) of one indicator, for charts.

        Returns
        -------
        dict
            ``history`` {year: value}, ``years`` (array), ``quantiles`` {percentile: array} [unit].
        """
        sim = self.simulation
        if f"{indicator}__log" in sim.indicators:  # quantiles of the log are the logs of quantiles
            i = sim.indicators.index(f"{indicator}__log")
            q = {p: np.exp(sim.quantiles[j, i] / 100.0) for j, p in enumerate(sim.percentiles)}
        else:
            i = sim.indicators.index(indicator)
            q = {p: sim.quantiles[j, i].copy() for j, p in enumerate(sim.percentiles)}
        ind = self.draft_scenario().indicator(indicator.removesuffix(REAL))
        real = indicator.endswith(REAL)
        return {
            "history": dict(self.history.get(indicator, {})),
            "years": sim.years.copy(),
            "quantiles": q,
            "unit": "可比价指数" if real else ind.unit,
            "name": ind.name_zh + ("（可比价指数）" if real else ""),
        }

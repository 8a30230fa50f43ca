"""The result of a Monte Carlo run: percentiles, P(meet), first years met, gaps."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["SimulationResult"]


@dataclass(frozen=True)
class SimulationResult:
    """Statistics of a Monte Carlo run.

    Attributes
    ----------
    runs : int
        Number of runs.
    seed : int
        Entropy of the root seed (pass it back as ``seed`` to reproduce).
    percentiles : tuple of float
        Percentile levels [%].
    quantiles : numpy.ndarray, shape (percentiles, indicators, years)
        Exact percentiles of each indicator and year [indicator unit].
    mean, std : numpy.ndarray, shape (indicators, years)
        Mean and standard deviation over runs [indicator unit].
    targets : tuple of dict
        id, indicator, year, kind, op, value, unit, attribute and wording of each target.
    p_meet : numpy.ndarray, shape (targets,)
        Share of runs meeting each target [-].
    p_all_binding : float
        Share of runs meeting every 约束性 target at once (NaN without any) [-].
    p_all : float
        Share of runs meeting every target at once [-].
    first_met : numpy.ndarray, shape (targets, years + 1)
        Share of runs whose target is first met in each year; last column: never [-].
    shortfall_mean : numpy.ndarray, shape (targets,)
        Mean distance to meeting the target over all runs (0 when met) [target unit].
    expected_shortfall : numpy.ndarray, shape (targets,)
        Mean distance to meeting the target over the runs that miss it (NaN if none) [target unit].
    """

    scenario: str
    region: str
    runs: int
    seed: int
    years: np.ndarray
    indicators: tuple
    names: tuple
    units: tuple
    percentiles: tuple
    quantiles: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    targets: tuple
    p_meet: np.ndarray
    p_all_binding: float
    p_all: float
    first_met: np.ndarray
    shortfall_mean: np.ndarray
    expected_shortfall: np.ndarray
    stochastic: tuple = field(default=())

    def quantile(self, indicator: str, percentile: float) -> np.ndarray:
        """Percentile ``percentile`` of ``indicator`` per year, shape (years,)."""
        i = self.indicators.index(indicator)
        j = [float(p) for p in self.percentiles].index(float(percentile))
        return self.quantiles[j, i]

    def probability(self, target: str) -> float:
        """P(meet) of one target."""
        ids = [t["id"] for t in self.targets]
        if target not in ids:
            raise KeyError(f"no target {target!r}; have {', '.join(ids)}")
        return float(self.p_meet[ids.index(target)])

    def target_table(self):
        """One row per target: P(meet), expected shortfall, median first year met.

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        rows = []
        for k, t in enumerate(self.targets):
            cum = np.cumsum(self.first_met[k, :-1])
            med = int(self.years[np.argmax(cum >= 0.5)]) if cum[-1] >= 0.5 else None
            rows.append(
                {
                    **t,
                    "p_meet": float(self.p_meet[k]),
                    "shortfall_mean": float(self.shortfall_mean[k]),
                    "expected_shortfall": float(self.expected_shortfall[k]),
                    "never_met": float(self.first_met[k, -1]),
                    "median_first_year": med,
                }
            )
        return pd.DataFrame(rows)

    def to_long(self):
        """Long table: scenario, region, indicator, name, unit, year, statistic, value.

        ``statistic`` is ``p5``, ``p50`` …, ``mean`` or ``std``.
        """
        import pandas as pd

        labels = [f"p{p:g}" for p in self.percentiles] + ["mean", "std"]
        stack = np.concatenate([self.quantiles, self.mean[None], self.std[None]])  # (S, I, Y)
        s, i, y = np.meshgrid(
            np.arange(len(labels)),
            np.arange(len(self.indicators)),
            np.arange(len(self.years)),
            indexing="ij",
        )
        df = pd.DataFrame(
            {
                "scenario": self.scenario,
                "region": self.region,
                "indicator": np.asarray(self.indicators, dtype=object)[i.ravel()],
                "name": np.asarray(self.names, dtype=object)[i.ravel()],
                "unit": np.asarray(self.units, dtype=object)[i.ravel()],
                "year": self.years[y.ravel()],
                "statistic": np.asarray(labels, dtype=object)[s.ravel()],
                "value": stack.ravel(),
            }
        )
        return df.dropna(subset=["value"]).reset_index(drop=True)

    def to_dict(self) -> dict:
        """JSON-ready summary: probabilities per target and percentiles of target indicators."""
        out = {
            "scenario": self.scenario,
            "runs": self.runs,
            "seed": self.seed,
            "stochastic_parameters": list(self.stochastic),
            "p_all": _num(self.p_all),
            "p_all_binding": _num(self.p_all_binding),
            "targets": [],
        }
        for k, t in enumerate(self.targets):
            out["targets"].append(
                {
                    **t,
                    "p_meet": _num(self.p_meet[k]),
                    "expected_shortfall": _num(self.expected_shortfall[k]),
                    "shortfall_mean": _num(self.shortfall_mean[k]),
                    "first_met": {
                        **{
                            str(int(y)): _num(v)
                            for y, v in zip(self.years, self.first_met[k, :-1], strict=True)
                            if v > 0
                        },
                        "never": _num(self.first_met[k, -1]),
                    },
                }
            )
        return out

    def to_text(self, lang: str = "zh") -> str:
        """Per-target probabilities as aligned text lines (numbers formatted by planlib)."""
        from ..formatting import fmt_number

        zh = lang == "zh"
        head = (
            f"{self.scenario}：蒙特卡洛 {self.runs:,} 次（种子 {self.seed}）"
            if zh
            else f"{self.scenario}: Monte Carlo, {self.runs:,} runs (seed {self.seed})"
        )
        lines = [head]
        for k, t in enumerate(self.targets):
            es = self.expected_shortfall[k]
            # a shortfall of a rate (growth, 〔〕 reduction, a % level) is a difference in 百分点
            u = "百分点" if t["unit"] in ("%", "百分点") else t["unit"]
            u_en = "pp" if u == "百分点" else u
            lines.append(
                f"  {t['id']:<28} P={fmt_number(100 * self.p_meet[k], 2):>6}%  "
                + (
                    f"未达时平均差距 {fmt_number(es, 2)}{u}"
                    if zh
                    else f"mean shortfall when missed {fmt_number(es, 2)} {u_en}"
                )
                + f"  {t['wording'] or ''}"
            )
        pb = (
            "—" if math.isnan(self.p_all_binding) else fmt_number(100 * self.p_all_binding, 2) + "%"
        )
        lines.append(("  全部约束性指标同时达标概率 " if zh else "  P(all binding met) ") + pb)
        lines.append(
            ("  全部目标同时达标概率 " if zh else "  P(all targets met) ")
            + fmt_number(100 * self.p_all, 2)
            + "%"
        )
        return "\n".join(lines) + "\n"


def _num(x):
    x = float(x)
    return None if math.isnan(x) else x

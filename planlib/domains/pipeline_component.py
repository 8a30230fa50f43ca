"""Component ``pipeline``: a project list against the investment targets.

Expands into one realisation parameter per status present (``pipeline_p_reserve``,
``pipeline_p_signed``, ``pipeline_p_construction``, ``pipeline_p_completed`` [%],
with distributions the simulation engine draws), schedule indicators per status
(``pipeline_sched_<status>``, ``pipeline_output_sched_<status>``, ``pipeline_tax_sched_<status>``
[亿元/年], full amounts), and the expected ``pipeline_investment``, ``pipeline_investment_total``
(累计), ``pipeline_output`` and ``pipeline_tax`` [亿元]. The audit reports how much of each
covered target the pipeline meets, by status.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from .._prebuilt import Prebuilt
from ..formatting import fmt_number, fmt_value
from ..units import convert
from . import Component
from . import pipeline as P
from ._common import Knob, check_row, param_value

__all__ = ["Pipeline", "Project", "Cover"]


class Project(Prebuilt):
    """One project of the list (amount in ``unit``: 万元 or 亿元)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    status: Literal["储备", "签约", "在建", "建成"]
    amount: float = Field(gt=0)
    unit: Literal["万元", "亿元"] = "亿元"
    start: int = Field(ge=1949, le=2100)
    duration: int = Field(default=1, ge=1, le=30)
    category: str = "产业项目"
    output_per_yuan: float | None = Field(default=None, ge=0)
    tax_ratio: float | None = Field(default=None, ge=0, le=100)
    source: str | None = None

    @property
    def amount_yi(self) -> float:
        """Amount [亿元]."""
        return float(convert(self.amount, self.unit, "亿元"))


class Cover(Prebuilt):
    """A cumulative target the pipeline is weighed against.

    ``category`` filters projects (``all``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: str
    category: str = "all"


class Pipeline(Component):
    """项目库 of a plan.

    Attributes
    ----------
    projects : list of Project
    probability : dict
        Realisation by status [%] as sliders (defaults: 储备 30, 签约 70, 在建 95, 建成 100).
    output_per_yuan : float
        Output per yuan invested, per year after completion, for projects without their own
        [元/元/年].
    tax_ratio : float
        Tax as a share of output, for projects without their own [%].
    covers : list of Cover
        Cumulative investment targets to weigh the pipeline against.
    output_indicator, tax_indicator : str, optional
        Indicators the added output and tax are compared with.
    """

    kind: Literal["pipeline"]
    projects: list[Project] = Field(min_length=1)
    probability: dict[Literal["储备", "签约", "在建", "建成"], Knob] = {}
    output_per_yuan: float = Field(default=1.0, ge=0)
    tax_ratio: float = Field(default=3.0, ge=0, le=100)
    covers: list[Cover] = []
    output_indicator: str | None = None
    tax_indicator: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _names(self):
        seen = set()
        for p in self.projects:
            if p.name in seen:
                raise ValueError(f"project {p.name!r} is listed twice; names must be unique")
            seen.add(p.name)
        return self

    # ---- arrays -------------------------------------------------------------------------------
    def statuses(self) -> list[str]:
        """Statuses present, in pipeline order."""
        have = {p.status for p in self.projects}
        return [s for s in P.STATUSES if s in have]

    def knob(self, status: str) -> Knob:
        """Realisation slider of ``status`` [%]."""
        if status in self.probability:
            return self.probability[status]
        d = P.DEFAULT_PROBABILITY[status]
        lo, hi = max(0.0, d - 20), min(100.0, d + 20)
        return Knob(
            default=d,
            bounds=(0, 100),
            step=5,
            distribution=None
            if d >= 100
            else {"kind": "triangular", "low": lo, "mode": d, "high": hi},
            description="实现概率为假设（原文未给出），蒙特卡洛按三角分布抽取",
        )

    def arrays(self):
        """Return per-project arrays.

        Amount [亿元], start, duration, status, output_per_yuan, tax_ratio [%], category.
        """
        pr = self.projects
        return {
            "amount": np.array([p.amount_yi for p in pr]),
            "start": np.array([p.start for p in pr]),
            "duration": np.array([p.duration for p in pr]),
            "status": np.array([p.status for p in pr], dtype=object),
            "opy": np.array(
                [
                    self.output_per_yuan if p.output_per_yuan is None else p.output_per_yuan
                    for p in pr
                ]
            ),
            "tax": np.array([self.tax_ratio if p.tax_ratio is None else p.tax_ratio for p in pr]),
            "category": np.array([p.category for p in pr], dtype=object),
        }

    def scenario_problems(self, scenario) -> list[str]:
        """Covered targets that the scenario does not have (checked by the loader)."""
        ids = [t.id for t in scenario.targets]
        return [
            f"covers: target {c.target!r} is not in the scenario; have: {', '.join(map(str, ids))}"
            for c in self.covers
            if c.target not in ids
        ]

    def expand(self, meta, view=None):
        """Return the scenario entries this component stands for (see ``Component.expand``)."""
        y0 = int(meta.get("base_year", 2020))
        start, y1 = (int(x) for x in meta.get("period", [y0 + 1, y0 + 5]))
        years = np.arange(y0, y1 + 1)
        a = self.arrays()
        inv = P.investment_schedule(a["amount"], a["start"], a["duration"], years)
        out = P.output_schedule(a["amount"], a["start"], a["duration"], a["opy"], years)
        tax = out * a["tax"][:, None] / 100.0
        params, inds, inv_terms, out_terms, tax_terms = [], [], [], [], []
        note = self.assumption or "项目金额、状态按原文；建设期、产出强度、实现概率为假设"
        for s in self.statuses():
            key = P.STATUS_KEYS[s]
            sel = a["status"] == s
            params.append(
                self.knob(s).parameter(
                    f"pipeline_p_{key}", f"{s}项目实现概率", "%", f"Realisation of {key} projects"
                )
            )
            for kind, arr, terms, zh in (
                ("sched", inv, inv_terms, "投资计划"),
                ("output_sched", out, out_terms, "投产后产值"),
                ("tax_sched", tax, tax_terms, "投产后税收"),
            ):
                iid = f"pipeline_{kind}_{key}"
                vals = {
                    int(y): round(float(v), 10)
                    for y, v in zip(years, arr[sel].sum(axis=0), strict=True)
                }
                inds.append(
                    {
                        "id": iid,
                        "name_zh": f"{s}项目{zh}（全额）",
                        "name_en": f"{key} projects, {kind}",
                        "unit": "亿元",
                        "category": "投资建设",
                        "rule": {"kind": "path", "values": vals},
                        "assumption": note,
                    }
                )
                terms.append(f"{iid} * pipeline_p_{key} / 100")
        for iid, zh, en, terms in (
            (
                "pipeline_investment",
                "项目库投资（按实现概率）",
                "Pipeline investment (expected)",
                inv_terms,
            ),
            (
                "pipeline_output",
                "项目库新增产值（按实现概率）",
                "Output added by the pipeline",
                out_terms,
            ),
            (
                "pipeline_tax",
                "项目库新增税收（按实现概率）",
                "Tax added by the pipeline",
                tax_terms,
            ),
        ):
            inds.append(
                {
                    "id": iid,
                    "name_zh": zh,
                    "name_en": en,
                    "unit": "亿元",
                    "category": "投资建设",
                    "rule": {"kind": "formula", "expr": " + ".join(terms)},
                }
            )
        inds.append(
            {
                "id": "pipeline_investment_total",
                "name_zh": "项目库累计投资（按实现概率）",
                "name_en": "Pipeline investment, cumulative",
                "unit": "亿元",
                "category": "投资建设",
                "rule": {"kind": "cumulative", "of": "pipeline_investment", "start": start},
            }
        )
        return {"parameters": params, "indicators": inds}

    # ---- findings -------------------------------------------------------------------------------
    def findings(self, scenario, traj, params=None) -> dict:
        """Totals by status, coverage of each covered target by status, output and tax added."""
        a = self.arrays()
        years = np.asarray(traj.years)
        inv = P.investment_schedule(a["amount"], a["start"], a["duration"], years)
        prob = {
            s: float(param_value(scenario, params, f"pipeline_p_{P.STATUS_KEYS[s]}")[0]) / 100
            for s in self.statuses()
        }
        weights = np.array([prob[s] for s in a["status"]])
        y1 = scenario.meta.period[1]
        out = {
            "totals": P.status_totals(a["amount"], a["status"]),
            "total": float(a["amount"].sum()),
            "probability": {s: p * 100 for s, p in prob.items()},
            "covers": [],
        }
        for c in self.covers:
            t = scenario.target(c.target)
            first = t.from_year if t.from_year is not None else scenario.meta.period[0]
            sel = (
                np.ones(len(a["amount"]), bool)
                if c.category == "all"
                else a["category"] == c.category
            )
            by_status = {}
            for s in self.statuses():
                m = sel & (a["status"] == s)
                full, _ = P.coverage(inv[m], np.ones(m.sum()), years, first, t.year, t.value)
                by_status[s] = float(full[0])
            exp, share = P.coverage(inv[sel], weights[sel], years, first, t.year, t.value)
            out["covers"].append(
                {
                    "target": c.target,
                    "category": c.category,
                    "target_value": t.value,
                    "from_year": first,
                    "year": t.year,
                    "full_by_status": by_status,
                    "full": float(sum(by_status.values())),
                    "expected": float(exp[0]),
                    "expected_share": float(share[0]),
                    "gap": float(max(t.value - exp[0], 0.0)),
                }
            )
        out["output_added"] = float(traj.at("pipeline_output", y1)[0])
        out["tax_added"] = float(traj.at("pipeline_tax", y1)[0])
        for key, ind in (("output", self.output_indicator), ("tax", self.tax_indicator)):
            if ind and ind in traj.indicators:
                level = float(traj.at(ind, y1)[0])
                out[f"{key}_share_of_{ind}"] = out[f"{key}_added"] / level * 100 if level else None
        return out

    def audit_checks(self, scenario, traj, zh: bool, params=None) -> list:
        """One info row per covered target, plus the output and tax added."""
        f = self.findings(scenario, traj, params)
        rows = []
        tot = "、".join(f"{s} {fmt_value(v, '亿元')}" for s, v in f["totals"].items())
        for c in f["covers"]:
            t = scenario.target(c["target"])
            name = scenario.indicator(t.indicator).name_zh
            parts = "、".join(
                f"{s} {fmt_value(v, '亿元')}" for s, v in c["full_by_status"].items() if v
            )
            cat = "" if c["category"] == "all" else f"（{c['category']}）"
            if zh:
                msg = (
                    f"{name}{c['from_year']}–{c['year']}年 累计目标 "
                    f"{fmt_value(c['target_value'], '亿元')}：项目库{cat}"
                    f"期内计划投资 {fmt_value(c['full'], '亿元')}（{parts or '无'}），按实现概率 "
                    f"{fmt_value(c['expected'], '亿元')}，覆盖 "
                    f"{fmt_number(c['expected_share'], 1)}%，"
                    f"尚缺 {fmt_value(c['gap'], '亿元')} 需新谋划项目"
                )
            else:
                msg = (
                    f"{scenario.indicator(t.indicator).name_en or t.indicator} "
                    f"{c['from_year']}–{c['year']} cumulative target "
                    f"{fmt_value(c['target_value'], '亿元')}: "
                    f"pipeline{cat} schedules {fmt_value(c['full'], '亿元')} in the period, "
                    f"{fmt_value(c['expected'], '亿元')} expected, covering "
                    f"{fmt_number(c['expected_share'], 1)} %; "
                    f"{fmt_value(c['gap'], '亿元')} still to find"
                )
            rows.append(
                check_row(
                    "pipeline",
                    ("项目库覆盖：" if zh else "Pipeline coverage: ") + name,
                    "info",
                    msg,
                    **c,
                )
            )
        y1 = scenario.meta.period[1]
        msg = (
            f"项目库合计 {fmt_value(f['total'], '亿元')}（{tot}）；按实现概率 {y1}年 新增产值 "
            f"{fmt_value(f['output_added'], '亿元')}、税收 {fmt_value(f['tax_added'], '亿元')}"
            if zh
            else f"Pipeline {fmt_value(f['total'], '亿元')} in all; expected output added in {y1} "
            f"{fmt_value(f['output_added'], '亿元')}, tax {fmt_value(f['tax_added'], '亿元')}"
        )
        share = f.get(f"output_share_of_{self.output_indicator}")
        if share is not None:
            msg += (
                f"，相当于{y1}年产值的 {fmt_number(share, 1)}%"
                if zh
                else f" ({fmt_number(share, 1)} % of {y1} output)"
            )
        rows.append(
            check_row(
                "pipeline",
                "项目库" if zh else "Pipeline",
                "info",
                msg,
                totals=f["totals"],
                output_added=f["output_added"],
                tax_added=f["tax_added"],
            )
        )
        return rows

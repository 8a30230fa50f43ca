"""社区达标: communities checked against norms (seeds 002 and 001).

A list of communities (households, population, office area, staff) — written in
the scenario or read from CSV/Excel — is compared with configurable norms
(office ≥ 300 m²; 5 full-time + 1 part-time staff + 3 police per community).
Gaps are costed (office area × cost per m²; staff pay shared county/town) and
set against a multi-year funding programme (30 万元 a year for three years).

The per-community table comes from :func:`compliance_table` (vectorised over
communities); the totals become indicators, so audit, table, run and the
sliders work on them. With few distinct values the gap totals are formulas of
the norm parameters (a slider on the office norm moves the gap); beyond the
formula length limit they are constants.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._prebuilt import Prebuilt
from ..errors import PlanlibError
from ._common import Programme, at_least_by_year, check_years, indicator, parameter, series, target

__all__ = [
    "COLUMNS",
    "Community",
    "CommunityNorms",
    "Norms",
    "compliance_table",
    "read_communities",
]

COLUMNS = ("name", "households", "population", "office_area", "full_time", "part_time", "police")
_NUMERIC = COLUMNS[1:]
REQUIRED = ("name", "office_area")


class Community(Prebuilt):
    """One community: size, office area [平方米] and staff [名]."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    households: float | None = Field(default=None, ge=0)
    population: float | None = Field(default=None, ge=0)
    office_area: float = Field(ge=0)
    full_time: float = Field(default=0, ge=0)
    part_time: float = Field(default=0, ge=0)
    police: float = Field(default=0, ge=0)


class Norms(Prebuilt):
    """What every community must have."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    office_area: float = Field(default=300, ge=0)  # 平方米
    full_time: float = Field(default=5, ge=0)  # 名
    part_time: float = Field(default=1, ge=0)
    police: float = Field(default=3, ge=0)


class CommunityError(PlanlibError, ValueError):
    """A community table that cannot be read: names file, row, column, value."""


def read_communities(path) -> list[dict]:
    """Read a community list from CSV or Excel.

    Parameters
    ----------
    path : str or os.PathLike
        ``.csv`` (UTF-8) or ``.xlsx`` with columns ``name, office_area`` and
        optionally ``households, population, full_time, part_time, police``.

    Returns
    -------
    list of dict
        One mapping per community.

    Raises
    ------
    CommunityError
        For a missing file or column, or a value that is not a number >= 0;
        the message names file, row (spreadsheet line), column and value.
    """
    import pandas as pd  # noqa: PLC0415 — only when a table is read

    path = Path(path)
    if not path.exists():
        raise CommunityError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    elif suffix == ".xlsx":
        df = pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
    else:
        raise CommunityError(f"{path}: unsupported file type {suffix!r}; use .csv or .xlsx")
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise CommunityError(
            f"{path}: missing column(s) {', '.join(missing)}; required: {', '.join(REQUIRED)}; "
            f"optional: {', '.join(c for c in COLUMNS if c not in REQUIRED)}"
        )
    unknown = [c for c in df.columns if c not in COLUMNS]
    if unknown:
        raise CommunityError(
            f"{path}: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(COLUMNS)}"
        )
    rows = []
    for i, rec in enumerate(df.to_dict("records")):
        line = i + 2  # header is line 1
        row = {"name": str(rec["name"]).strip()}
        if not row["name"]:
            raise CommunityError(f"{path}:{line} name: empty; every community needs a name")
        for col in _NUMERIC:
            if col not in rec:
                continue
            text = str(rec[col]).strip()
            if text == "":
                if col in REQUIRED:
                    raise CommunityError(f"{path}:{line} {col}: empty; give a number >= 0")
                continue
            try:
                value = float(text)
            except ValueError:
                raise CommunityError(
                    f"{path}:{line} {col}: {text!r} is not a number; give a number >= 0"
                ) from None
            if not np.isfinite(value) or value < 0:
                raise CommunityError(
                    f"{path}:{line} {col}: {text} is impossible; give a number >= 0"
                )
            row[col] = value
        rows.append(row)
    if not rows:
        raise CommunityError(f"{path}: no communities (only a header)")
    return rows


def compliance_table(
    communities,
    norms: Norms | None = None,
    office_cost_per_m2: float = 1500.0,
    monthly_pay: float = 0.0,
):
    """Per-community compliance with ``norms`` and the cost to close each gap.

    Parameters
    ----------
    communities : list of dict or Community, or pandas.DataFrame
        Columns as in :data:`COLUMNS`.
    norms : Norms
        Required office area [平方米] and staff [名].
    office_cost_per_m2 : float
        Cost of adding office area [元/平方米].
    monthly_pay : float
        Pay of one staff member [元/月] (for the yearly cost of the staff gap).

    Returns
    -------
    pandas.DataFrame
        Inputs plus ``office_gap`` [平方米], ``office_cost`` [万元], ``staff_gap`` (full
        and part time) [名], ``police_gap`` [名], ``staff_cost`` [万元/年] and
        ``compliant`` (office and staff both meet the norm).
    """
    import pandas as pd  # noqa: PLC0415

    norms = norms or Norms()
    if isinstance(communities, pd.DataFrame):
        df = communities.copy()
    else:
        df = pd.DataFrame(
            [c.model_dump() if isinstance(c, BaseModel) else dict(c) for c in communities]
        )
    for col in ("full_time", "part_time", "police"):
        if col not in df:
            df[col] = 0.0
    area = df["office_area"].to_numpy(dtype=float)
    df["office_gap"] = np.maximum(0.0, norms.office_area - area)
    df["office_cost"] = df["office_gap"] * office_cost_per_m2 / 1e4
    ft_gap = np.maximum(0.0, norms.full_time - df["full_time"].to_numpy(dtype=float))
    pt_gap = np.maximum(0.0, norms.part_time - df["part_time"].to_numpy(dtype=float))
    df["staff_gap"] = ft_gap + pt_gap
    df["police_gap"] = np.maximum(0.0, norms.police - df["police"].to_numpy(dtype=float))
    df["staff_cost"] = df["staff_gap"] * monthly_pay * 12 / 1e4
    df["compliant"] = (df["office_gap"] == 0) & (df["staff_gap"] == 0) & (df["police_gap"] == 0)
    return df


def _gap_formula(values, norm_name: str, max_len: int = 480) -> str | None:
    """``Σ count × max(0, norm − value)`` as a formula, or None when it would be too long."""
    terms = [f"{c:g} * max(0, {norm_name} - {v:g})" for v, c in sorted(Counter(values).items())]
    text = " + ".join(terms) if terms else "0"
    return text if len(text) <= max_len else None


class CommunityNorms(Programme):
    """Component ``kind: community_norms``.

    Parameters
    ----------
    communities : list of Community
        The communities (or give ``communities_file``).
    communities_file : str, optional
        CSV/Excel file read by :func:`read_communities` (absolute, or relative to
        the current directory).
    norms : Norms
        Office area [平方米] and staff [名] every community must have.
    office_cost_per_m2 : float
        Cost of adding office area [元/平方米].
    monthly_pay : float
        Pay of one community staff member (full or part time) [元/月].
    previous_pay : float, optional
        Pay before the rise [元/月], for the cost of the rise.
    county_share : float
        County's share of the pay bill; the town pays the rest [%].
    funding : dict
        Funding for offices by year [万元].
    """

    kind: Literal["community_norms"]
    communities: list[Community] = []
    communities_file: str | None = None
    norms: Norms = Norms()
    office_cost_per_m2: float = Field(default=1500, ge=0)
    monthly_pay: float = Field(default=500, ge=0)
    previous_pay: float | None = Field(default=None, ge=0)
    county_share: float = Field(default=80, ge=0, le=100)
    funding: dict[int, float] = {}

    @field_validator("funding")
    @classmethod
    def _funding(cls, v):
        return at_least_by_year(v, "funding", "万元")

    @model_validator(mode="after")
    def _source(self):
        if bool(self.communities) == bool(self.communities_file):
            raise ValueError(
                "give either communities (a list) or communities_file (CSV/Excel), exactly one"
            )
        return self

    def community_list(self) -> list[Community]:
        """Return the communities, read from ``communities_file`` when given."""
        if self.communities:
            return list(self.communities)
        try:
            rows = read_communities(self.communities_file)
        except CommunityError as exc:
            raise ValueError(f"communities_file: {exc}") from None
        return [Community(**r) for r in rows]

    def table(self, defaults: dict | None = None):
        """Return :func:`compliance_table` of this component's communities.

        Slider values come from ``defaults``.
        """
        d = defaults or {}
        norms = self.norms.model_copy(
            update={
                k: d[self.n(f"norm_{k}")]
                for k in ("office_area", "full_time", "part_time", "police")
                if self.n(f"norm_{k}") in d
            }
        )
        return compliance_table(
            self.community_list(),
            norms,
            d.get(self.n("office_cost_per_m2"), self.office_cost_per_m2),
            d.get(self.n("monthly_pay"), self.monthly_pay),
        )

    def expand(self, meta: dict, view=None) -> dict:
        """Scenario entries this component stands for (see :meth:`Component.expand`)."""
        n = self.n
        base_year = int(meta["base_year"])
        check_years("funding", self.funding, meta)
        comms = self.community_list()
        count = len(comms)
        tot = {k: float(sum(getattr(c, k) or 0 for c in comms)) for k in _NUMERIC}
        sized = all(c.households is not None and c.population is not None for c in comms)
        nm = self.norms
        params = [
            parameter(
                n("norm_office_area"),
                "社区办公服务用房标准",
                "平方米",
                nm.office_area,
                [0, 1000],
                10,
                "办公与服务用房达到规定的面积标准",
                label_en="Office area norm",
            ),
            parameter(
                n("norm_full_time"),
                "每个社区专职干部",
                "名",
                nm.full_time,
                [0, 20],
                1,
                label_en="Full-time staff per community",
            ),
            parameter(
                n("norm_part_time"),
                "每个社区兼职干部",
                "名",
                nm.part_time,
                [0, 10],
                1,
                label_en="Part-time staff per community",
            ),
            parameter(
                n("norm_police"),
                "每个社区警务人员",
                "名",
                nm.police,
                [0, 10],
                1,
                label_en="Police per community",
            ),
            parameter(
                n("office_cost_per_m2"),
                "办公用房建设单位造价",
                "元/平方米",
                self.office_cost_per_m2,
                [0, 5000],
                50,
                "原文未给出造价，假设值",
                label_en="Office construction cost per m²",
            ),
            parameter(
                n("monthly_pay"),
                "社区干部月报酬",
                "元/月",
                self.monthly_pay,
                [0, 5000],
                10,
                label_en="Monthly pay per staff member",
            ),
            parameter(
                n("county_share"),
                "县（市）财政承担比例",
                "%",
                self.county_share,
                [0, 100],
                5,
                "报酬由县承担80%，镇承担20%",
                label_en="County share of pay",
            ),
        ] + [
            parameter(
                n(f"funding_{y}"),
                f"{y}年社区建设资金",
                "万元",
                a,
                [0, max(100.0, 4 * a)],
                1,
                label_en=f"Funding {y}",
            )
            for y, a in sorted(self.funding.items())
        ]

        def gap(attr, norm_param):
            text = _gap_formula([getattr(c, attr) for c in comms], n(norm_param))
            if (
                text is None
            ):  # too many distinct values for a formula: a constant at the norm as written
                const = sum(max(0.0, getattr(nm, attr) - getattr(c, attr)) for c in comms)
                return {"kind": "formula", "expr": f"{const:.10g}"}
            return {"kind": "formula", "expr": text}

        inds = [
            indicator(
                n("communities"),
                "社区",
                "个",
                {"kind": "hold"},
                base=(base_year, count),
                name_en="Communities",
            ),
        ]
        if sized:  # households and population are given for every community
            inds += [
                indicator(
                    n("households"),
                    "社区户数合计",
                    "户",
                    {"kind": "hold"},
                    base=(base_year, tot["households"]),
                    name_en="Households",
                ),
                indicator(
                    n("population"),
                    "社区人口合计",
                    "人",
                    {"kind": "hold"},
                    base=(base_year, tot["population"]),
                    name_en="Population",
                ),
                indicator(
                    n("avg_households"),
                    "社区平均户数",
                    "户",
                    {"kind": "formula", "expr": f"{n('households')} / {n('communities')}"},
                    name_en="Households per community",
                ),
                indicator(
                    n("avg_population"),
                    "社区平均人口",
                    "人",
                    {"kind": "formula", "expr": f"{n('population')} / {n('communities')}"},
                    name_en="Population per community",
                ),
            ]
        inds += [
            indicator(
                n("office_area"),
                "现有办公服务用房",
                "平方米",
                {"kind": "hold"},
                base=(base_year, tot["office_area"]),
                name_en="Office area, total",
            ),
            indicator(
                n("office_gap"),
                "办公用房缺口",
                "平方米",
                gap("office_area", "norm_office_area"),
                name_en="Office area gap",
            ),
            indicator(
                n("office_gap_cost"),
                "办公用房达标所需资金",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"{n('office_gap')} * {n('office_cost_per_m2')} / 10000",
                },
                name_en="Cost to close the office gap",
                category="投资建设",
            ),
            indicator(
                n("staff_gap"),
                "社区干部缺口（专职+兼职）",
                "名",
                {
                    "kind": "formula",
                    "expr": gap("full_time", "norm_full_time")["expr"]
                    + " + "
                    + gap("part_time", "norm_part_time")["expr"],
                },
                name_en="Staff gap (full + part time)",
            ),
            indicator(
                n("police_gap"),
                "社区警务人员缺口",
                "名",
                gap("police", "norm_police"),
                name_en="Police gap",
                category="安全保障",
            ),
            indicator(
                n("staff_required"),
                "社区干部定额（专职+兼职）",
                "名",
                {
                    "kind": "formula",
                    "expr": f"{n('communities')} * ({n('norm_full_time')} + {n('norm_part_time')})",
                },
                name_en="Staff required",
            ),
            indicator(
                n("pay_bill"),
                "社区干部报酬",
                "万元",
                {
                    "kind": "formula",
                    "expr": f"{n('staff_required')} * {n('monthly_pay')} * 12 / 10000",
                },
                name_en="Pay bill a year",
                category="社会保障",
            ),
            indicator(
                n("pay_county"),
                "其中：县（市）承担",
                "万元",
                {"kind": "formula", "expr": f"{n('pay_bill')} * {n('county_share')} / 100"},
                name_en="of which county",
            ),
            indicator(
                n("pay_town"),
                "其中：镇（街道）承担",
                "万元",
                {"kind": "formula", "expr": f"{n('pay_bill')} - {n('pay_county')}"},
                name_en="of which town",
            ),
        ]
        if self.previous_pay is not None:
            inds.append(
                indicator(
                    n("pay_rise_cost"),
                    "报酬提高增加支出",
                    "万元",
                    {
                        "kind": "formula",
                        "expr": f"{n('staff_required')} * ({n('monthly_pay')} - "
                        f"{self.previous_pay:g}) * 12 / 10000",
                    },
                    name_en="Yearly cost of the pay rise",
                    source=f"每月报酬由原来的{self.previous_pay:g}元提高",
                )
            )
        tgts = []
        if self.funding:
            years = sorted(self.funding)
            values = {int(y): n(f"funding_{y}") for y in years}
            end = int(meta["period"][1])
            if years[-1] < end:
                values[years[-1] + 1] = 0
            inds += [
                indicator(
                    n("funding"),
                    "社区建设资金",
                    "万元",
                    {"kind": "level", "value": values},
                    name_en="Funding for offices",
                    category="投资建设",
                ),
                indicator(
                    n("funding_total"),
                    "社区建设资金累计",
                    "万元",
                    {"kind": "cumulative", "of": n("funding"), "start": years[0]},
                    name_en="Funding, cumulative",
                    category="投资建设",
                ),
                indicator(
                    n("office_gap_remaining"),
                    "办公用房资金缺口（扣除已安排资金）",
                    "万元",
                    {
                        "kind": "formula",
                        "expr": f"max(0, {n('office_gap_cost')} - {n('funding_total')})",
                    },
                    name_en="Office funding gap after funding",
                    category="投资建设",
                ),
            ]
            tgts.append(
                target(
                    n("offices_funded"),
                    n("office_gap_remaining"),
                    years[-1],
                    0,
                    "<=",
                    wording="安排的资金足以使所有社区办公用房达标",
                )
            )
        tgts.append(
            target(
                n("staff_complete"),
                n("staff_gap"),
                int(meta["period"][0]),
                0,
                "<=",
                wording="每个社区配齐专职、兼职干部",
            )
        )
        return {"parameters": params, "indicators": inds, "targets": tgts}

    def report(self, scenario, trajectories) -> dict:
        """Return the compliance table (one row per community) and the funding against gaps.

        Returns
        -------
        dict
            ``communities``: rows with office_gap [平方米], office_cost [万元], staff_gap,
            police_gap [名], compliant; ``compliant`` and ``total`` counts [个];
            ``offices_funded``: offices brought to the norm by the cumulative funding when
            the cheapest gaps are closed first, by year [个].
        """
        df = self.table(scenario.defaults)
        rows = df.to_dict("records")
        for r in rows:
            r["compliant"] = bool(r["compliant"])
        out = {
            "communities": rows,
            "total": len(rows),
            "compliant": int(df["compliant"].sum()),
            "office_compliant": int((df["office_gap"] == 0).sum()),
        }
        if self.funding:
            costs = np.sort(df.loc[df["office_gap"] > 0, "office_cost"].to_numpy(dtype=float))
            cum_cost = np.cumsum(costs)
            funded = {}
            for y, total in series(trajectories, self.n("funding_total")).items():
                funded[y] = out["office_compliant"] + int(
                    np.searchsorted(cum_cost, total + 1e-9, side="right")
                )
            out["offices_meeting_norm"] = funded
        return out

"""Scenario files: schema, loading with line-accurate errors, variants, atomic save.

A scenario file is *data*: it is read with ``yaml.safe_load`` and validated by
pydantic models with ``extra="forbid"``, so a typo is an error, never a silently
ignored key. Every rejection names the file, the YAML line, the field path, the
bad value and what is allowed::

    scenarios/x.yaml:23 indicators[2].unit: '亿' is not a unit; use one of 元, 万元, 亿元, …

A *variant* file holds ``extends: other.yaml`` plus parameter ``overrides`` and
is resolved into a full scenario on load.
"""

from __future__ import annotations

import math
import os
import re
import stat
import time
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ._prebuilt import Prebuilt
from .errors import PlanlibError, Problem, ScenarioError, abbreviate
from .formula import FormulaError, parse_formula
from .units import get_unit

__all__ = [
    "ATTRIBUTES",
    "CATEGORIES",
    "LEVELS",
    "Indicator",
    "Meta",
    "Parameter",
    "Scenario",
    "Target",
    "dump_yaml",
    "load_scenario",
    "parse_scenario",
    "save_variant",
    "scenario_dependencies",
    "remove_stale_temps",
    "SaveError",
    "write_atomic",
]

LEVELS = ("园区", "乡镇", "街道", "区", "县", "市", "省")
ATTRIBUTES = ("预期性", "约束性")
CATEGORIES = (
    "经济发展",
    "创新驱动",
    "绿色生态",
    "产业结构",
    "招商引资",
    "投资建设",
    "民生福祉",
    "社会事业",
    "城乡建设",
    "资源环境",
    "土地利用",
    "社区建设",
    "社会保障",
    "安全保障",
    "其他",
)
IDENT = r"^[A-Za-z][A-Za-z0-9_]*$"
YEAR_MIN, YEAR_MAX = 1949, 2100
# loader limits (a real scenario is ~12 kB, ~1,300 YAML nodes, 6 levels deep)
MAX_FILE_BYTES = 512_000  #: largest scenario file [bytes]
MAX_COMPOSED = 20_000  #: most YAML values written in a file
MAX_NODES = 100_000  #: most YAML values after alias expansion
MAX_DEPTH = 40  #: deepest nesting of mappings and lists
MAX_LIST = 5_000  #: most entries in one list or mapping
MAX_ABS_NUMBER = 1e15  #: largest magnitude of any number in a file
MAX_EXTENDS = 5  #: longest chain of variants (extends of extends …)
#: provenance of a stated figure: 统计 official statistics; 预计 expected (the year is not closed);
#: 估算 estimated; 假设 a planner's assumption
STATUSES = ("统计", "预计", "估算", "假设")
DIRECTIONS = ("higher", "lower")

Number = float | int
# a value in a rule: a number, a parameter name, or a per-year mapping of either
Scalar = float | int | str
ValueSpec = float | int | str | dict[int, Scalar]


class _Strict(Prebuilt):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_unit(v: str) -> str:
    get_unit(v)  # raises with the list of units
    return v


class Source(_Strict):
    """Where a number comes from: document and section."""

    document: str
    section: str | None = None
    note: str | None = None


class Meta(_Strict):
    """Who, where and when a plan is for."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    name: str
    name_en: str | None = None
    region: str
    level: Literal[LEVELS]  # type: ignore[valid-type]
    base_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    period: tuple[int, int]
    price_basis: Literal["nominal", "comparable"] = "nominal"
    sources: list[Source] = []
    notes: str | None = None

    @model_validator(mode="after")
    def _period(self):
        start, end = self.period
        if not (self.base_year < start <= end <= YEAR_MAX):
            raise ValueError(
                f"period {list(self.period)} must satisfy base_year ({self.base_year}) < "
                "start <= end"
            )
        return self


class Distribution(_Strict):
    """Uncertainty of a parameter, drawn by the simulation engine.

    ``normal``/``truncnormal`` use ``mean``, ``sd`` (and ``low``/``high``);
    ``lognormal`` uses ``mean``, ``sd`` of the variable itself; ``triangular``
    uses ``low``, ``mode``, ``high``; ``uniform`` uses ``low``, ``high``.
    ``per_year`` draws a new value each year instead of one per run.
    """

    kind: Literal["normal", "lognormal", "triangular", "uniform", "truncnormal"]
    mean: float | None = None
    sd: float | None = Field(default=None, ge=0)
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    per_year: bool = False

    @model_validator(mode="after")
    def _fields(self):
        need = {
            "normal": ("mean", "sd"),
            "lognormal": ("mean", "sd"),
            "truncnormal": ("mean", "sd", "low", "high"),
            "triangular": ("low", "mode", "high"),
            "uniform": ("low", "high"),
        }[self.kind]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(
                f"a {self.kind} distribution needs {', '.join(need)}; missing {', '.join(missing)}"
            )
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if self.kind == "triangular" and not (self.low <= self.mode <= self.high):
            raise ValueError(
                f"mode ({self.mode}) must lie in [low, high] = [{self.low}, {self.high}]"
            )
        if self.kind == "lognormal" and not (self.mean and self.mean > 0):
            raise ValueError("a lognormal distribution needs mean > 0")
        return self


class Parameter(_Strict):
    """One number a planner can move: it becomes one slider."""

    name: str = Field(pattern=IDENT)
    label_zh: str
    label_en: str | None = None
    unit: str
    default: float
    bounds: tuple[float, float]
    step: float | None = Field(default=None, gt=0)
    distribution: Distribution | None = None
    description: str | None = None

    _unit = field_validator("unit")(_check_unit)

    @model_validator(mode="after")
    def _bounds(self):
        lo, hi = self.bounds
        if not lo < hi:
            raise ValueError(f"bounds [{lo}, {hi}] must have low < high")
        if not lo <= self.default <= hi:
            raise ValueError(f"default {self.default} lies outside bounds [{lo}, {hi}]")
        return self


# ---- rules --------------------------------------------------------------------------------
class GrowthRule(_Strict):
    """年均增长: level grows by ``rate`` percent a year (number, parameter or per year)."""

    kind: Literal["growth"]
    rate: ValueSpec


class IncrementRule(_Strict):
    """每年新增: level changes by ``increment`` (indicator's unit) a year."""

    kind: Literal["increment"]
    increment: ValueSpec


class PointChangeRule(_Strict):
    """每年提高 N 个百分点: a % indicator changes by ``change`` 百分点 a year."""

    kind: Literal["pp_change"]
    change: ValueSpec


class LevelRule(_Strict):
    """The same level (or a per-year level) each plan year, e.g. yearly investment."""

    kind: Literal["level"]
    value: ValueSpec


class PathRule(_Strict):
    """Explicit values by year; years between are interpolated linearly, later ones held."""

    kind: Literal["path"]
    values: dict[int, Scalar]


class HoldRule(_Strict):
    """Keep the last known level."""

    kind: Literal["hold"]


class FormulaRule(_Strict):
    """Linked by a formula of indicators and parameters (restricted arithmetic, no eval)."""

    kind: Literal["formula"]
    expr: str

    @field_validator("expr")
    @classmethod
    def _parse(cls, v):
        try:
            parse_formula(v)
        except FormulaError as exc:
            raise ValueError(str(exc)) from None
        return v


class SumRule(_Strict):
    """Sum of other indicators, converted to this indicator's unit."""

    kind: Literal["sum"]
    of: list[str] = Field(min_length=1)


class RatioRule(_Strict):
    """numerator / denominator × scale (scale defaults to 100 for a % indicator)."""

    kind: Literal["ratio"]
    numerator: str
    denominator: str
    scale: float | None = None


class ShareRule(_Strict):
    """A share (percent) of a total indicator."""

    kind: Literal["share"]
    of: str
    share: ValueSpec


class CumulativeRule(_Strict):
    """累计: running sum of another indicator from ``start`` (default: first plan year)."""

    kind: Literal["cumulative"]
    of: str
    start: int | None = None
    initial: float = 0.0


Rule = Annotated[
    GrowthRule
    | IncrementRule
    | PointChangeRule
    | LevelRule
    | PathRule
    | HoldRule
    | FormulaRule
    | SumRule
    | RatioRule
    | ShareRule
    | CumulativeRule,
    Field(discriminator="kind"),
]
RULE_KINDS = (
    "growth",
    "increment",
    "pp_change",
    "level",
    "path",
    "hold",
    "formula",
    "sum",
    "ratio",
    "share",
    "cumulative",
)
LINKED_KINDS = ("formula", "sum", "ratio", "share", "cumulative")


class BaseValue(_Strict):
    """The anchor of an indicator: its value in one year.

    ``unit`` (optional) is the unit the figure is written in; it is converted to the
    indicator's unit. ``status`` says where it comes from (统计 / 预计 / 估算 / 假设) and
    ``data_year`` the year the figure really refers to (e.g. 2019 for a "77.3*").
    """

    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    value: float
    unit: str | None = None
    status: Literal[STATUSES] = "统计"  # type: ignore[valid-type]
    data_year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)

    @field_validator("unit")
    @classmethod
    def _unit(cls, v):
        return None if v is None else _check_unit(v)


class HistoryValue(_Strict):
    """One year of history with its provenance (``history: {2019: {value: 3.1, status: 预计}}``)."""

    value: float
    unit: str | None = None
    status: Literal[STATUSES] = "统计"  # type: ignore[valid-type]
    data_year: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)

    @field_validator("unit")
    @classmethod
    def _unit(cls, v):
        return None if v is None else _check_unit(v)


def _in_unit(value: float, given: str | None, unit: str) -> float:
    """``value`` written in ``given`` (None: already in ``unit``), in ``unit``."""
    if given is None or given == unit:
        return float(value)
    from .units import factor  # noqa: PLC0415

    return float(value) * factor(given, unit)


class Indicator(_Strict):
    """One row of the 主要指标表."""

    id: str = Field(pattern=IDENT)
    name_zh: str
    name_en: str | None = None
    unit: str
    category: str = "其他"
    attribute: Literal[ATTRIBUTES] = "预期性"  # type: ignore[valid-type]
    base: BaseValue | None = None
    history: dict[int, float | HistoryValue] = {}
    rule: Rule | None = None
    price_basis: Literal["nominal", "comparable"] | None = None
    assumption: str | None = None
    source: str | None = None
    direction: Literal[DIRECTIONS] = "higher"  # type: ignore[valid-type]
    decimals: int | None = Field(default=None, ge=0, le=8)

    _unit = field_validator("unit")(_check_unit)

    @model_validator(mode="after")
    def _units_convert(self):
        from .units import factor  # noqa: PLC0415

        given = [("base", self.base.unit)] if self.base is not None and self.base.unit else []
        given += [
            (f"history.{y}", h.unit)
            for y, h in self.history.items()
            if isinstance(h, HistoryValue) and h.unit
        ]
        for where, u in given:
            try:
                factor(u, self.unit)
            except Exception:
                raise ValueError(
                    f"{where} unit {u!r} does not convert to the indicator's unit "
                    f"{self.unit!r}; give the value in a unit of the same kind"
                ) from None
        return self

    @field_validator("category")
    @classmethod
    def _category(cls, v):
        if v not in CATEGORIES:
            raise ValueError(f"{v!r} is not a category; use one of {', '.join(CATEGORIES)}")
        return v

    @property
    def known(self) -> dict[int, float]:
        """Observed or stated values by year (history plus base), in the indicator's unit."""
        out = {}
        for y, h in self.history.items():
            out[y] = (
                _in_unit(h.value, h.unit, self.unit) if isinstance(h, HistoryValue) else float(h)
            )
        if self.base is not None:
            out[self.base.year] = _in_unit(self.base.value, self.base.unit, self.unit)
        return dict(sorted(out.items()))

    @property
    def provenance(self) -> dict[int, tuple[str, int | None]]:
        """(status, data_year) of every stated value that is not a plain 统计 figure of its year."""
        out = {}
        for y, h in self.history.items():
            if isinstance(h, HistoryValue) and (h.status != "统计" or (h.data_year or y) != y):
                out[y] = (h.status, h.data_year)
        b = self.base
        if b is not None and (b.status != "统计" or (b.data_year or b.year) != b.year):
            out[b.year] = (b.status, b.data_year)
        return out

    @property
    def anchor_year(self) -> int | None:
        """Last year whose value comes from the file; the rule applies after it."""
        if self.base is not None:
            return self.base.year
        return max(self.history) if self.history else None


TargetKind = Literal[
    "level",
    "growth",
    "cumulative",
    "increment",
    "pp_change",
    "reduction",
    "relative_growth",
    "qualitative",
]
TARGET_KINDS = typing.get_args(TargetKind)
OPS = (">=", "<=", "=", ">", "<", "~")


class ProposalOption(_Strict):
    """One option of a proposed target (``planlib propose``): its value and P(meet)."""

    option: Literal["trend", "guidance", "stretch", "prudent"]
    value: float | None = None
    p_meet: float | None = Field(default=None, ge=0, le=1)
    anticipated_progress: float | None = (
        None  # UN ESCAP: share of the change the trend delivers [%]
    )
    basis: str | None = None


class ProposalNote(_Strict):
    """Why a target has its value: the options weighed by ``planlib propose`` (目标测算)."""

    recommended: Literal["trend", "guidance", "stretch", "prudent"] | None = None
    threshold: float | None = Field(default=None, gt=0, le=1)
    options: list[ProposalOption] = []
    reason: str
    uncertainty: str | None = None


class SuperiorRef(_Strict):
    """The superior plan (上级规划) a scenario answers to.

    A scenario file, with indicators mapped by name.

    ``map`` pairs this plan's indicator ids with the superior's where names differ.
    """

    file: str
    map: dict[str, str] = {}


class Target(_Strict):
    """A stated target: what the plan promises for one indicator and year.

    Kinds: ``level`` (the value in ``year``), ``growth`` (average annual growth [%]),
    ``cumulative`` (sum over the years), ``increment`` (change end − start, the 〔1〕 of a
    level), ``pp_change`` (change in 百分点), ``reduction`` (cumulative relative fall
    [%]: 〔13.5〕 降低 is met iff end ≤ start × (1 − 0.135)), ``relative_growth`` (growth
    of ``indicator`` minus growth of ``reference`` [百分点]: 高于 / 不低于 / 基本同步) and
    ``qualitative`` (``text`` only: kept, shown and reviewed as 定性). ``op`` ``~`` is
    左右: met within ``band`` of ``value``.
    """

    id: str | None = Field(default=None, pattern=IDENT)
    indicator: str
    year: int
    kind: TargetKind = "level"
    op: Literal[OPS] = ">="  # type: ignore[valid-type]
    value: float | None = None
    band: float | None = Field(default=None, ge=0)
    reference: str | None = None
    text: str | None = None
    tolerance: float | None = Field(default=None, ge=0)
    from_year: int | None = None
    attribute: Literal[ATTRIBUTES] | None = None  # type: ignore[valid-type]
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    price_basis: Literal["nominal", "comparable"] | None = None
    wording: str | None = None
    source: str | None = None
    proposal: ProposalNote | None = None

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data):
        if (
            isinstance(data, dict)
            and data.get("kind") == "relative_growth"
            and data.get("value") is None
        ):
            data = {**data, "value": 0.0}
        return data

    @model_validator(mode="after")
    def _fields(self):
        if self.kind == "qualitative":
            if not (self.text or self.wording):
                raise ValueError(
                    "a qualitative target needs text (the plan's words, e.g. 保持在合理区间)"
                )
        elif self.value is None:
            raise ValueError(
                f"value is required for a {self.kind} target (only qualitative targets have none)"
            )
        if self.kind == "relative_growth" and not self.reference:
            raise ValueError(
                "reference is required for a relative_growth target: the indicator id "
                "whose growth it is compared with (e.g. gdp)"
            )
        if self.reference is not None and self.kind != "relative_growth":
            raise ValueError("reference is only used by relative_growth targets")
        if self.band is not None and self.op != "~" and self.kind != "relative_growth":
            raise ValueError(f"band is only used with op '~' (左右); op is {self.op!r}")
        return self


class Check(_Strict):
    """A cross-check between indicators.

    ``shares_sum``: ``indicators`` at ``year`` add up to ``total`` (100).
    ``ratio``: report ``numerator / denominator`` at base and target years.
    """

    kind: Literal["shares_sum", "ratio"]
    label_zh: str | None = None
    indicators: list[str] = []
    numerator: str | None = None
    denominator: str | None = None
    year: int | None = None
    years: list[int] = []
    total: float = 100.0
    tolerance: float = Field(default=0.05, ge=0)

    @model_validator(mode="after")
    def _fields(self):
        if self.kind == "shares_sum" and len(self.indicators) < 2:
            raise ValueError("a shares_sum check needs at least two indicators")
        if self.kind == "ratio" and not (self.numerator and self.denominator):
            raise ValueError("a ratio check needs numerator and denominator")
        return self


class Correlation(_Strict):
    """Correlation between the draws of two parameters (simulation engine)."""

    a: str
    b: str
    rho: float = Field(ge=-1, le=1)


class UnitDecl(_Strict):
    """A unit the scenario declares.

    One ``name`` is ``factor`` × ``to`` (a known or earlier
    declared unit); without ``to`` it is a unit of its own kind (e.g. 微克/立方米).
    """

    name: str = Field(min_length=1, max_length=30)
    to: str | None = None
    factor: float = Field(default=1.0, gt=0)
    name_en: str | None = None

    @field_validator("to")
    @classmethod
    def _to(cls, v):
        return None if v is None else _check_unit(v)


class Scenario(_Strict):
    """A whole plan: meta, parameters, indicators, targets and cross-checks."""

    meta: Meta
    units: list[UnitDecl] = []
    parameters: list[Parameter] = []
    indicators: list[Indicator] = Field(min_length=1)
    targets: list[Target] = []
    checks: list[Check] = []
    correlations: list[Correlation] = []
    # validated domain components (planlib.domains), already expanded into the lists above
    components: list[Any] = []
    # set by the loader, not by the file
    source_path: str | None = Field(default=None, exclude=True)
    extends: str | None = None
    overrides: dict[str, Any] = {}
    superior: SuperiorRef | None = None

    # ---- lookups --------------------------------------------------------------------------
    @property
    def years(self) -> list[int]:
        """Model years.

        Earliest known year (or base year) through the period's end, or
        through the latest target year when a target lies beyond it (a 2035 goal).
        """
        first = min([self.meta.base_year] + [y for i in self.indicators for y in i.known])
        last = max([self.meta.period[1]] + [t.year for t in self.targets if t.year <= YEAR_MAX])
        return list(range(first, last + 1))

    def indicator(self, id: str) -> Indicator:
        """Return the indicator ``id``."""
        for ind in self.indicators:
            if ind.id == id:
                return ind
        raise KeyError(f"no indicator {id!r}; have {', '.join(i.id for i in self.indicators)}")

    def parameter(self, name: str) -> Parameter:
        """Return the parameter ``name``."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(f"no parameter {name!r}; have {', '.join(p.name for p in self.parameters)}")

    def target(self, id: str) -> Target:
        """Return the target ``id``."""
        for t in self.targets:
            if t.id == id:
                return t
        raise KeyError(f"no target {id!r}; have {', '.join(t.id for t in self.targets)}")

    @property
    def defaults(self) -> dict[str, float]:
        """Parameter values of this scenario (defaults with overrides applied)."""
        return {p.name: p.default for p in self.parameters}

    def with_defaults(self, values: dict[str, float]) -> Scenario:
        """Return a copy whose parameter defaults are replaced by ``values``."""
        unknown = set(values) - {p.name for p in self.parameters}
        if unknown:
            raise KeyError(f"unknown parameters {sorted(unknown)}")
        params = [
            p.model_copy(update={"default": float(values.get(p.name, p.default))})
            for p in self.parameters
        ]
        return self.model_copy(update={"parameters": params})


# ---- YAML with line numbers --------------------------------------------------------------
class _LineMap:
    """Field path → line, read from the YAML node tree (safe loader)."""

    def __init__(self, node):
        self.node = node

    def line(self, loc: tuple) -> int | None:
        node, line = self.node, (self.node.start_mark.line + 1 if self.node is not None else None)
        for key in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if str(k.value) == str(key):
                        child = (k, v)
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(key, int)
                and key < len(node.value)
            ):
                child = (node.value[key], node.value[key])
            if child is None:
                continue  # a tag of a tagged union, or a key that is missing: stay on the parent
            line = child[0].start_mark.line + 1
            node = child[1]
        return line


def _path_str(loc) -> str:
    out = ""
    for k in loc:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def _check_duplicate_keys(node, file, problems, path=()):
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for k, v in node.value:
            key = str(k.value)
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        k.start_mark.line + 1,
                        _path_str(path + (key,)),
                        f"duplicate key {key!r} (first on line {seen[key]}); each key once",
                    )
                )
            seen.setdefault(key, k.start_mark.line + 1)
            _check_duplicate_keys(v, file, problems, path + (key,))
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _check_duplicate_keys(v, file, problems, path + (i,))


#: the C loader (libyaml) when PyYAML was built with it; the pure-Python one otherwise
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooManyNodes(Exception):
    pass


class _CountingLoader(_YAML_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, stopping as soon as the file holds more than MAX_COMPOSED values."""

    def __init__(self, stream):
        super().__init__(stream)
        self.planlib_nodes = 0

    def resolve(self, kind, value, implicit):
        self.planlib_nodes += 1
        if self.planlib_nodes > MAX_COMPOSED:
            raise _TooManyNodes()
        return super().resolve(kind, value, implicit)


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [x for kv in node.value for x in kv]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _graph_problem(node) -> tuple[str, Any] | None:
    """First limit the node graph breaks: ('recursive'|'nodes'|'depth'|'list', node), or None.

    Sizes are counted as the expanded tree (an alias counts as a copy of what it names), but
    each node is visited once (memoised), so an alias bomb is measured without expanding it.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    state: dict[int, int] = {}  # 1 on the current path, 2 done
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        n, done = stack.pop()
        key = id(n)
        kids = _children(n)
        if done:
            s = 1 + sum(size[id(k)] for k in kids)
            h = 1 + max((height[id(k)] for k in kids), default=0)
            size[key], height[key], state[key] = s, h, 2
            if s > MAX_NODES:
                return "nodes", n
            if h > MAX_DEPTH:
                return "depth", n
            continue
        if state.get(key) == 2:
            continue
        if state.get(key) == 1:
            return "recursive", n
        if isinstance(n, yaml.SequenceNode) and len(n.value) > MAX_LIST:
            return "list", n
        if isinstance(n, yaml.MappingNode) and len(n.value) > MAX_LIST:
            return "list", n
        state[key] = 1
        stack.append((n, True))
        for k in kids:
            if state.get(id(k)) == 1:
                return "recursive", k
            if state.get(id(k)) != 2:
                stack.append((k, False))
    return None


_GRAPH_MESSAGES = {
    "recursive": (
        "a YAML alias refers to the mapping or list that contains it; write the values out"
    ),
    "nodes": "the file expands to more than {n:,} values (YAML aliases count once per use); "
    "write a smaller file",
    "depth": "values nest more than {d} levels deep; a scenario nests at most about 6",
    "list": "a list or mapping holds more than {l:,} entries; split the file",
}


def _yaml_problem(exc: Exception, file: str) -> ScenarioError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    what = abbreviate(getattr(exc, "problem", None) or str(exc), 200)
    return ScenarioError(
        [
            Problem(
                file,
                line,
                "",
                f"malformed YAML: {what}; write a YAML mapping (key: value, lists with '- ')",
            )
        ]
    )


def _compose_and_construct(text: str, file: str):
    """Parse ``text`` once: the node tree (lines) and the plain data built from it."""
    loader = _CountingLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except _TooManyNodes:
            raise ScenarioError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        f"the file holds more than {MAX_COMPOSED:,} "
                        "values; a scenario holds a few thousand — split it",
                    )
                ]
            ) from None
        except yaml.YAMLError as exc:
            raise _yaml_problem(exc, file) from None
        except RecursionError:
            raise ScenarioError(
                [Problem(file, None, "", _GRAPH_MESSAGES["depth"].format(d=MAX_DEPTH))]
            ) from None
        if node is None:
            return None, None
        found = _graph_problem(node)
        if found is not None:
            kind, where = found
            msg = _GRAPH_MESSAGES[kind].format(n=MAX_NODES, d=MAX_DEPTH, l=MAX_LIST)
            raise ScenarioError([Problem(file, where.start_mark.line + 1, "", msg)])
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise _yaml_problem(exc, file) from None
        except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
            raise ScenarioError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        f"a value cannot be read: {abbreviate(exc, 120)}; "
                        "write numbers of at most 15 digits",
                    )
                ]
            ) from None
    finally:
        loader.dispose()
    return node, data


def _read_yaml(text: str, file: str):
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"the text is {len(text):,} characters long; "
                    f"a scenario file has at most {MAX_FILE_BYTES:,}",
                )
            ]
        )
    node, data = _compose_and_construct(text, file)
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    file,
                    1,
                    "",
                    "a scenario file must be a YAML mapping with "
                    "meta, parameters, indicators, targets (or extends + overrides)",
                )
            ]
        )
    problems: list[Problem] = []
    _check_duplicate_keys(node, file, problems)
    if problems:
        raise ScenarioError(problems)
    return data, _LineMap(node)


def _is_year_key(key) -> bool:
    return isinstance(key, str) and (
        key in ("year", "start", "end", "base_year", "data_year") or key.endswith("_year")
    )


def _value_problems(data, file: str, lines: _LineMap, prefix: tuple = ()) -> list[Problem]:
    """Numbers that no plan holds: NaN, ±inf, beyond ±1e15, years outside 1949–2100.

    Years are integer mapping keys anywhere, and the values of ``year``, ``*_year``,
    ``start``, ``end``, ``years`` and ``period`` outside ``components`` (which check their own).

    Walks the whole mapping without recursion; shared (aliased) values are checked once.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[tuple, Any, bool]] = [(prefix, data, False)]
    while stack and len(problems) < 100:
        loc, x, yearish = stack.pop()
        if isinstance(x, bool) or x is None or isinstance(x, str):
            continue
        if isinstance(x, (int, float)):
            if isinstance(x, float) and not math.isfinite(x):
                problems.append(
                    Problem(
                        file,
                        lines.line(loc),
                        _path_str(loc),
                        f"{x!r} is not allowed; write a finite number",
                    )
                )
            elif abs(x) > MAX_ABS_NUMBER:
                problems.append(
                    Problem(
                        file,
                        lines.line(loc),
                        _path_str(loc),
                        f"{abbreviate(repr(x), 40)} is too large; numbers lie within "
                        f"±{MAX_ABS_NUMBER:.0e}",
                    )
                )
            elif yearish and not (isinstance(x, int) and YEAR_MIN <= x <= YEAR_MAX):
                problems.append(
                    Problem(
                        file,
                        lines.line(loc),
                        _path_str(loc),
                        f"year {x:g} is not allowed; use a whole year in {YEAR_MIN}–{YEAR_MAX}",
                    )
                )
            continue
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, dict):
            for k, v in x.items():
                if (
                    isinstance(k, float)
                    and not math.isfinite(k)
                    or (
                        isinstance(k, (int, float))
                        and not isinstance(k, bool)
                        and not (isinstance(k, int) and YEAR_MIN <= k <= YEAR_MAX)
                    )
                ):
                    problems.append(
                        Problem(
                            file,
                            lines.line(loc),
                            _path_str(loc + (str(k)[:20],)),
                            f"key {abbreviate(repr(k), 40)} is not allowed; a number "
                            f"used as a key is a year in {YEAR_MIN}–{YEAR_MAX}",
                        )
                    )
                    continue
                yearish = (_is_year_key(k) or k in ("years", "period")) and loc[:1] != (
                    "components",
                )
                stack.append((loc + (k,), v, yearish))
        elif isinstance(x, (list, tuple)):
            for i, v in enumerate(x):
                stack.append((loc + (i,), v, yearish))
    return problems


_SECTIONS = ("parameters", "indicators", "targets", "checks", "correlations", "components")


def _shape_problems(data: dict, file: str, lines: _LineMap) -> tuple[list[Problem], Meta | None]:
    """``meta`` validated and each section a list of mappings — before any component expands."""
    problems = _value_problems(data, file, lines)
    meta = None
    raw = data.get("meta")
    if raw is None:
        problems.append(
            Problem(
                file,
                1,
                "meta",
                "is required but missing; give id, name, region, level, base_year and period",
            )
        )
    elif not isinstance(raw, dict):
        problems.append(
            Problem(
                file,
                lines.line(("meta",)),
                "meta",
                f"must be a mapping (id, name, region, level, base_year, period); "
                f"got a {type(raw).__name__}",
            )
        )
    elif not problems:
        try:
            meta = Meta.model_validate(raw)
        except ValidationError as exc:
            problems += _problems_from_validation(exc, file, lines, prefix=("meta",), root=Meta)
    for key in _SECTIONS:
        if key not in data or data[key] is None and key != "indicators":
            continue
        section = data[key]
        if not isinstance(section, list):
            problems.append(
                Problem(
                    file,
                    lines.line((key,)),
                    key,
                    f"must be a list ('- ' entries); got a {type(section).__name__}",
                )
            )
            continue
        for i, entry in enumerate(section):
            if not isinstance(entry, dict):
                problems.append(
                    Problem(
                        file,
                        lines.line((key, i)),
                        _path_str((key, i)),
                        f"must be a mapping (key: value); got a {type(entry).__name__}",
                    )
                )
    return problems, meta


# ---- pydantic errors → Problems --------------------------------------------------------------
def _unwrap(tp):
    """Yield concrete classes inside Optional/Union/Annotated/list/dict annotations."""
    origin = typing.get_origin(tp)
    if origin is Annotated:
        yield from _unwrap(typing.get_args(tp)[0])
    elif origin in (Union, getattr(__import__("types"), "UnionType", Union)):
        for a in typing.get_args(tp):
            yield from _unwrap(a)
    else:
        yield tp


def _model_at(loc, root=None) -> type[BaseModel] | None:
    """Return the pydantic model class that validates the mapping at ``loc``."""
    current: Any = root or Scenario
    for key in loc:
        cands = list(_unwrap(current))
        nxt = None
        for c in cands:
            origin = typing.get_origin(c)
            if isinstance(c, type) and issubclass(c, BaseModel):
                if isinstance(key, str) and key in c.model_fields:
                    nxt = c.model_fields[key].annotation
                    break
            elif origin in (list, tuple) and isinstance(key, int):
                nxt = typing.get_args(c)[0]
                break
            elif origin is dict:
                nxt = typing.get_args(c)[1]
                break
        if nxt is None:
            # tagged-union tags ('growth') name the member class
            for c in cands:
                if isinstance(c, type) and issubclass(c, BaseModel):
                    kind = c.model_fields.get("kind")
                    if kind is not None and key in typing.get_args(kind.annotation):
                        nxt = c
                        break
        if nxt is None:
            return None
        current = nxt
    for c in _unwrap(current):
        if isinstance(c, type) and issubclass(c, BaseModel):
            return c
    return None


def _strip_tags(loc) -> tuple:
    """Remove tagged-union member tags (e.g. 'growth') and pydantic's own loc parts."""
    out, current = [], Scenario
    for key in loc:
        if isinstance(key, str) and (key in RULE_KINDS and out and out[-1] == "rule"):
            continue
        if isinstance(key, str) and ("[" in key or key.startswith("function-")):
            continue
        out.append(key)
    del current
    return tuple(out)


def _problems_from_validation(
    exc: ValidationError, file: str, lines: _LineMap, prefix=(), root=None
) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        rel = _strip_tags(err["loc"])
        loc = prefix + rel
        kind, msg, value = err["type"], err["msg"], err.get("input")
        if kind == "extra_forbidden":
            model = _model_at(rel[:-1], root)
            allowed = ", ".join(model.model_fields) if model else "see the documentation"
            allowed = ", ".join(k for k in allowed.split(", ") if k not in ("source_path",))
            message = f"unknown key {loc[-1]!r}; allowed keys here: {allowed}"
        elif kind == "missing":
            message = "is required but missing"
        elif kind == "value_error":
            message = msg.removeprefix("Value error, ")
            # a model-level check names its field first ("default 30 lies outside …"): point at it
            model = _model_at(rel, root)
            first = message.split(" ", 1)[0]
            if model is not None and first in model.model_fields:
                loc = loc + (first,)
        elif kind == "literal_error":
            message = f"{value!r} is not allowed; {msg.replace('Input should be', 'use')}"
        elif kind == "union_tag_invalid":
            message = (
                f"rule kind {err['ctx'].get('tag')!r} is unknown; use one of "
                f"{', '.join(RULE_KINDS)}"
            )
        elif kind == "union_tag_not_found":
            message = f"a rule needs 'kind'; use one of {', '.join(RULE_KINDS)}"
        elif kind == "string_pattern_mismatch":
            message = (
                f"{value!r} is not allowed; use ASCII letters, digits and _ "
                f"starting with a letter (pattern {err['ctx'].get('pattern')})"
            )
        else:
            shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
            message = f"{shown} is not allowed: {msg}"
        problems.append(Problem(file, lines.line(loc), _path_str(loc), message))
    # one error per location is enough; unions produce several
    seen, unique = set(), []
    for p in problems:
        if (p.line, p.path) not in seen:
            seen.add((p.line, p.path))
            unique.append(p)
    return unique


# ---- semantic checks ----------------------------------------------------------------------
def _spec_names(spec) -> list[str]:
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict):
        return [v for v in spec.values() if isinstance(v, str)]
    return []


def _spec_numbers(spec) -> list[float]:
    if isinstance(spec, (int, float)):
        return [float(spec)]
    if isinstance(spec, dict):
        return [float(v) for v in spec.values() if isinstance(v, (int, float))]
    return []


def rule_references(rule) -> tuple[list[str], list[str]]:
    """Names a rule refers to: (indicators, parameters-or-indicators in specs/formulas)."""
    if rule is None:
        return [], []
    k = rule.kind
    if k == "growth":
        return [], _spec_names(rule.rate)
    if k == "increment":
        return [], _spec_names(rule.increment)
    if k == "pp_change":
        return [], _spec_names(rule.change)
    if k == "level":
        return [], _spec_names(rule.value)
    if k == "path":
        return [], [v for v in rule.values.values() if isinstance(v, str)]
    if k == "formula":
        f = parse_formula(rule.expr)
        return [], list(dict.fromkeys(f.names + f.lags))
    if k == "sum":
        return list(rule.of), []
    if k == "ratio":
        return [rule.numerator, rule.denominator], []
    if k == "share":
        return [rule.of], _spec_names(rule.share)
    if k == "cumulative":
        return [rule.of], []
    return [], []


def _semantic_problems(sc: Scenario, file: str, lines: _LineMap) -> list[Problem]:
    P: list[Problem] = []

    def add(loc, msg):
        P.append(Problem(file, lines.line(loc), _path_str(loc), msg))

    ind_ids = [i.id for i in sc.indicators]
    par_names = [p.name for p in sc.parameters]
    for kind, ids, key in (
        ("indicator", ind_ids, "indicators"),
        ("parameter", par_names, "parameters"),
    ):
        seen = set()
        for n, x in enumerate(ids):
            if x in seen:
                add(
                    (key, n, "id" if kind == "indicator" else "name"),
                    f"{kind} {x!r} is defined twice; ids must be unique",
                )
            seen.add(x)
    from .units import BUILTIN, canonical  # noqa: PLC0415

    declared = {u.name for u in sc.units}

    def undeclared(u):
        return u is not None and canonical(u) not in BUILTIN and u not in declared

    for n, p in enumerate(sc.parameters):
        if undeclared(p.unit):
            add(
                ("parameters", n, "unit"),
                f"unit {p.unit!r} is not declared in this file; add it under "
                "units: with name, to, factor",
            )
    for n, ind in enumerate(sc.indicators):
        for where, u in [
            (("unit",), ind.unit),
            (("base", "unit"), ind.base.unit if ind.base else None),
        ]:
            if undeclared(u):
                add(
                    ("indicators", n) + where,
                    f"unit {u!r} is not declared in this file; add it under "
                    "units: with name, to, factor",
                )
    for n, p in enumerate(sc.parameters):
        if p.name in ind_ids:
            add(
                ("parameters", n, "name"), f"{p.name!r} is also an indicator id; use distinct names"
            )
    params = {p.name: p for p in sc.parameters}
    inds = {i.id: i for i in sc.indicators}
    y0, y1 = sc.years[0], sc.years[-1]

    for n, ind in enumerate(sc.indicators):
        loc = ("indicators", n)
        for y in ind.known:
            if not YEAR_MIN <= y <= y1:
                add(
                    loc + ("history", y),
                    f"year {y} is outside {YEAR_MIN}–{y1} (the plan ends in {y1})",
                )
        rule = ind.rule
        if rule is None:
            # no base, no history, no rule: a rate-only / stated-only row (研发经费投入增长 >7);
            # its targets are listed, not computed ("无测算依据")
            continue
        rloc = loc + ("rule",)
        linked_inds, spec_names = rule_references(rule)
        needs_anchor = rule.kind in ("growth", "increment", "pp_change", "hold")
        if needs_anchor and ind.anchor_year is None:
            add(
                loc,
                f"rule kind {rule.kind!r} needs a starting value: add base: {{year: …, value: …}}",
            )
        if rule.kind == "pp_change" and ind.unit not in ("%", "‰"):
            add(
                rloc,
                f"pp_change (百分点) applies to a rate; indicator unit is {ind.unit!r}, use '%' "
                "or use kind 'increment'",
            )
        if rule.kind == "growth":
            for v in _spec_numbers(rule.rate):
                if v <= -100:
                    add(
                        rloc + ("rate",),
                        f"growth rate {v:g} % is not allowed; a rate must be > -100 % "
                        "(percent per year, e.g. 10 for 10 %)",
                    )
            for name in _spec_names(rule.rate):
                p = params.get(name)
                if p is not None and p.unit != "%":
                    add(
                        rloc + ("rate",),
                        f"parameter {name!r} has unit {p.unit!r}; a growth rate needs unit '%'",
                    )
                if p is not None and p.bounds[0] <= -100:
                    i = par_names.index(name)
                    add(
                        ("parameters", i, "bounds"),
                        f"lower bound {p.bounds[0]:g} % lets growth rate "
                        f"{name!r} reach -100 % or less; use a bound > -100",
                    )
        if rule.kind == "share":
            for v in _spec_numbers(rule.share):
                if not 0 <= v <= 100:
                    add(rloc + ("share",), f"share {v:g} % must lie in [0, 100]")
        for spec_field in ("rate", "increment", "change", "value", "share"):
            spec = getattr(rule, spec_field, None)
            if isinstance(spec, dict):
                for y in spec:
                    if not y0 <= y <= y1:
                        add(
                            rloc + (spec_field, y), f"year {y} is outside the model years {y0}–{y1}"
                        )
        if rule.kind == "path":
            for y in rule.values:
                if not y0 <= y <= y1:
                    add(rloc + ("values", y), f"year {y} is outside the model years {y0}–{y1}")
        if rule.kind == "formula" and ind.id in parse_formula(rule.expr).names:
            add(
                rloc + ("expr",),
                f"formula of {ind.id!r} uses {ind.id!r} itself; use prev({ind.id}) "
                "for last year's value",
            )
        for name in spec_names:
            if rule.kind == "formula":
                if name not in params and name not in inds:
                    add(
                        rloc + ("expr",),
                        f"{name!r} is neither a parameter nor an indicator; "
                        f"known names: {', '.join(par_names + ind_ids)}",
                    )
            elif name not in params:
                add(
                    rloc,
                    f"{name!r} is not a parameter; define it under parameters "
                    f"(have: {', '.join(par_names) or 'none'})",
                )
        for name in linked_inds:
            if name not in inds:
                add(rloc, f"{name!r} is not an indicator; have: {', '.join(ind_ids)}")
            elif name == ind.id:
                add(rloc, f"indicator {ind.id!r} refers to itself")
        from .units import factor

        if rule.kind in ("sum", "cumulative", "share"):
            for name in linked_inds:
                if name in inds:
                    try:
                        factor(inds[name].unit, ind.unit)
                    except Exception:
                        add(
                            rloc,
                            f"{name!r} is in {inds[name].unit!r}, which does not convert to "
                            f"{ind.unit!r}; link indicators of one dimension",
                        )
        if rule.kind == "ratio" and rule.scale is None and ind.unit in ("%", "‰"):
            a, b = inds.get(rule.numerator), inds.get(rule.denominator)
            if a and b and get_unit(a.unit).dimension != get_unit(b.unit).dimension:
                add(
                    rloc,
                    f"a % ratio needs numerator and denominator of one dimension "
                    f"({a.unit!r} vs {b.unit!r}), or give scale",
                )

    # cycles among indicators
    graph = {}
    for ind in sc.indicators:
        li, sn = rule_references(ind.rule)
        graph[ind.id] = [x for x in li + sn if x in inds and x != ind.id]
    cycle = _find_cycle(graph)
    if cycle:
        n = ind_ids.index(cycle[0])
        add(
            ("indicators", n, "rule"),
            "link cycle " + " → ".join(cycle) + "; links must not form a loop",
        )

    start, end = sc.meta.period
    for n, t in enumerate(sc.targets):
        loc = ("targets", n)
        if t.indicator not in inds:
            add(
                loc + ("indicator",),
                f"{t.indicator!r} is not an indicator; have: {', '.join(ind_ids)}",
            )
            continue
        if not start <= t.year <= YEAR_MAX:
            add(
                loc + ("year",),
                f"target year {t.year} is before the plan period {start}–{end}; "
                f"use a year from {start} on (later years such as 2035 are allowed)",
            )
        if t.from_year is not None and not (y0 <= t.from_year < t.year):
            add(loc + ("from_year",), f"from_year {t.from_year} must lie in {y0}–{t.year - 1}")
        if t.kind == "pp_change" and get_unit(inds[t.indicator].unit).dimension != "percent":
            add(
                loc + ("kind",),
                f"a pp_change target needs a % indicator; {t.indicator!r} is in "
                f"{inds[t.indicator].unit!r}",
            )
        if t.kind == "growth" and t.value <= -100:
            add(loc + ("value",), f"growth target {t.value:g} % is not allowed; must be > -100 %")
        if t.kind == "reduction" and not (t.value < 100):
            add(
                loc + ("value",),
                f"a reduction of {t.value:g} % is not allowed; it must be below 100 % "
                "(降低13.5% is value: 13.5)",
            )
        if t.kind == "relative_growth":
            if t.reference not in inds:
                add(
                    loc + ("reference",),
                    f"{t.reference!r} is not an indicator; have: {', '.join(ind_ids)}",
                )
            elif t.reference == t.indicator:
                add(
                    loc + ("reference",),
                    "a relative_growth target compares two different indicators",
                )
    seen = set()
    for n, t in enumerate(sc.targets):
        if t.id in seen:
            add(("targets", n, "id"), f"target id {t.id!r} is used twice; ids must be unique")
        seen.add(t.id)
    for n, c in enumerate(sc.correlations):
        for key in ("a", "b"):
            name = getattr(c, key)
            if name not in params:
                add(
                    ("correlations", n, key),
                    f"{name!r} is not a parameter; have: {', '.join(par_names)}",
                )
            elif params[name].distribution is None:
                add(
                    ("correlations", n, key), f"parameter {name!r} has no distribution to correlate"
                )
        if c.a == c.b:
            add(("correlations", n), "a parameter cannot be correlated with itself")
    for n, c in enumerate(sc.checks):
        for name in list(c.indicators) + [x for x in (c.numerator, c.denominator) if x]:
            if name not in inds:
                add(("checks", n), f"{name!r} is not an indicator; have: {', '.join(ind_ids)}")
    return P


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    color = dict.fromkeys(graph, 0)
    stack: list[str] = []

    def visit(u):
        color[u] = 1
        stack.append(u)
        for v in graph.get(u, []):
            if color.get(v) == 1:
                return stack[stack.index(v) :] + [v]
            if color.get(v) == 0:
                found = visit(v)
                if found:
                    return found
        stack.pop()
        color[u] = 2
        return None

    for u in graph:
        if color[u] == 0:
            found = visit(u)
            if found:
                return found
    return None


def _default_target_ids(data: dict) -> None:
    """Give targets without an id one derived from indicator, kind and year."""
    targets = data.get("targets")
    if not isinstance(targets, list):
        return
    for t in targets:
        if isinstance(t, dict) and not t.get("id") and isinstance(t.get("indicator"), str):
            t["id"] = f"{t['indicator']}_{t.get('kind', 'level')}_{t.get('year')}"


# ---- variants ------------------------------------------------------------------------------
class _VariantMeta(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    name: str
    name_en: str | None = None
    notes: str | None = None


class _Variant(_Strict):
    extends: str
    meta: _VariantMeta
    overrides: dict[str, Any] = {}


_BY_ID = {"indicators": "id", "targets": "id", "parameters": "name", "checks": "label_zh"}


def _apply_path(data: dict, path: str, value) -> str | None:
    """Set ``value`` at a dotted ``path`` of scenario ``data``; return None or a problem.

    Lists are addressed by id.

    ``indicators.gdp.base.value``, ``targets.gdp_level_2025.value``,
    ``targets.t1.attribute``, ``indicators.gdp.rule.rate``, ``meta.notes``.
    """
    parts = path.split(".")
    head = parts[0]
    if head not in ("meta", *_BY_ID):
        return (
            f"{path!r}: a dotted override starts with meta, indicators, targets, parameters or "
            "checks (e.g. indicators.gdp.base.value, targets.gdp_level_2025.value)"
        )
    node = data.get(head)
    rest = parts[1:]
    if head in _BY_ID:
        if not rest:
            return f"{path!r}: name an entry by its id, e.g. {head}.<id>.<field>"
        key = _BY_ID[head]
        found = [x for x in (node or []) if isinstance(x, dict) and str(x.get(key)) == rest[0]]
        if not found:
            have = ", ".join(str(x.get(key)) for x in (node or []) if isinstance(x, dict))
            return f"{path!r}: no {head[:-1]} {rest[0]!r}; have: {have or 'none'}"
        node, rest = found[0], rest[1:]
    if not rest:
        return f"{path!r}: name the field to change, e.g. {path}.value"
    for i, k in enumerate(rest[:-1]):
        child = node.get(k) if isinstance(node, dict) else None
        if child is None and isinstance(node, dict):
            yk = int(k) if k.isdigit() else k  # history / per-year maps are keyed by year
            child = node.get(yk)
        if child is None:
            return f"{path!r}: {'.'.join(rest[: i + 1])!r} is not set in the base scenario"
        if not isinstance(child, dict):
            return f"{path!r}: {'.'.join(rest[: i + 1])!r} holds a value, not fields"
        node = child
    last = rest[-1]
    if isinstance(node, dict):
        node[int(last) if last.isdigit() else last] = value
        return None
    return f"{path!r}: cannot set {last!r} here"


class _Context:
    """What a load carries down an ``extends`` chain: the folder tree and the files seen."""

    def __init__(self, root: Path | None, allow_outside: bool, chain: tuple = ()):
        self.root, self.allow_outside, self.chain = root, allow_outside, chain


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _referenced_file(value: str, file: str, ctx: _Context, suffixes: tuple | None):
    """Resolve a path written in ``file`` (relative: from its folder); return (Path, problem)."""
    shown = abbreviate(repr(value), 120)
    if not value or "\x00" in value or len(value) > 1024:
        return None, f"{shown} is not a usable file name; write a relative path such as base.yaml"
    raw = Path(value)
    if suffixes is not None and raw.suffix.lower() not in suffixes:
        return None, f"{shown} is not a scenario file; name a {' or '.join(suffixes)} file"
    here = Path(file).parent
    target = raw if raw.is_absolute() else here / raw
    try:
        resolved = target.resolve()
        root = (ctx.root or here).resolve()
        if not ctx.allow_outside and not _inside(resolved, root):
            return None, (
                f"{shown} lies outside the scenario folder {abbreviate(str(root), 120)}; "
                "name a file in that folder or below it (or pass allow_outside=True, "
                "--allow-outside)"
            )
        st = os.stat(resolved)
    except FileNotFoundError:
        return None, f"{shown} does not exist (paths are relative to {abbreviate(str(here), 120)})"
    except (OSError, RuntimeError) as exc:
        return None, f"{shown} cannot be opened ({exc.__class__.__name__}); name a readable file"
    if not stat.S_ISREG(st.st_mode):
        return None, f"{shown} is not a regular file (a folder or a device); name a file"
    return resolved, None


def _resolve_variant(data, file, lines, ctx: _Context) -> Scenario:
    try:
        var = _Variant.model_validate(data)
    except ValidationError as exc:
        problems = []
        for p in _problems_from_validation(exc, file, lines):
            if "allowed keys here" in p.message and "." not in p.path and "[" not in p.path:
                p.message = (
                    p.message.split(";")[0] + "; a variant file allows: extends, meta, overrides"
                )
            problems.append(p)
        raise ScenarioError(problems) from None
    value_problems = _value_problems(data, file, lines)
    if value_problems:
        raise ScenarioError(value_problems)
    where = lines.line(("extends",))
    parent_path, problem = _referenced_file(var.extends, file, ctx, (".yaml", ".yml"))
    if problem:
        raise ScenarioError([Problem(file, where, "extends", problem)])
    if parent_path in ctx.chain:
        loop = " → ".join(p.name for p in ctx.chain + (parent_path,))
        raise ScenarioError(
            [
                Problem(
                    file,
                    where,
                    "extends",
                    f"extends forms a loop ({abbreviate(loop, 300)}); a variant "
                    "extends a full scenario or another variant, never itself",
                )
            ]
        )
    if len(ctx.chain) > MAX_EXTENDS:
        raise ScenarioError(
            [
                Problem(
                    file,
                    where,
                    "extends",
                    f"variants nest more than {MAX_EXTENDS} deep; extend the full "
                    "scenario directly",
                )
            ]
        )
    parent = _load(parent_path, _Context(ctx.root, ctx.allow_outside, ctx.chain + (parent_path,)))
    problems = []
    params = {p.name: p for p in parent.parameters}
    dotted = {k: v for k, v in var.overrides.items() if "." in k}
    for name, value in var.overrides.items():
        loc = ("overrides", name)
        if "." in name:
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(
                Problem(
                    file,
                    lines.line(loc),
                    _path_str(loc),
                    f"{value!r} is not a number; a parameter override is a number",
                )
            )
            continue
        if name not in params:
            problems.append(
                Problem(
                    file,
                    lines.line(loc),
                    _path_str(loc),
                    f"{name!r} is not a parameter of {var.extends}; have: {', '.join(params)}",
                )
            )
            continue
        lo, hi = params[name].bounds
        if not lo <= value <= hi:
            problems.append(
                Problem(
                    file,
                    lines.line(loc),
                    _path_str(loc),
                    f"{value:g} lies outside the bounds [{lo:g}, {hi:g}] of {name!r}",
                )
            )
    if problems:
        raise ScenarioError(problems)
    meta = parent.meta.model_copy(update=var.meta.model_dump(exclude_none=True))
    plain = {k: float(v) for k, v in var.overrides.items() if "." not in k}
    sc = parent.with_defaults(plain)
    if dotted:
        sc = _override_fields(sc, dotted, file, lines)
    sc = sc.model_copy(
        update={
            "meta": meta,
            "extends": var.extends,
            "overrides": dict(var.overrides),
            "source_path": str(file),
        }
    )
    return sc


def _override_fields(sc: Scenario, dotted: dict, file: str, lines: _LineMap) -> Scenario:
    """Apply dotted-path overrides to a scenario and validate the result again."""
    data = sc.model_dump(
        mode="python",
        exclude={"components", "source_path", "extends", "overrides"},
        exclude_unset=True,
    )
    problems = []
    for path, value in dotted.items():
        msg = _apply_path(data, path, value)
        if msg:
            problems.append(
                Problem(file, lines.line(("overrides", path)), f"overrides.{path}", msg)
            )
    if problems:
        raise ScenarioError(problems)
    first = next(iter(dotted))
    try:
        new = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            [
                Problem(
                    file,
                    lines.line(("overrides", first)),
                    "overrides",
                    f"after the overrides, {p.path}: {p.message}",
                )
                for p in _problems_from_validation(exc, file, _LineMap(None))
            ]
        ) from None
    sem = _value_problems(new.model_dump(exclude={"components"}), file, _LineMap(None))
    sem = sem or _semantic_problems(new, file, _LineMap(None))
    if sem:
        raise ScenarioError(
            [
                Problem(
                    file,
                    lines.line(("overrides", first)),
                    "overrides",
                    f"after the overrides, {p.path}: {p.message}",
                )
                for p in sem
            ]
        )
    return new.model_copy(update={"components": sc.components})


def _resolve_files(entry: dict, file: str, ctx: _Context, loc: tuple, lines) -> tuple[dict, list]:
    """Relative ``*_file`` paths in a component mean: next to the scenario file.

    Like ``extends``, a component's file must be a regular file inside the scenario folder
    tree (unless ``allow_outside``).
    """
    out, problems = dict(entry), []
    for key, value in entry.items():
        if isinstance(key, str) and key.endswith("_file") and isinstance(value, str) and value:
            resolved, problem = _referenced_file(value, file, ctx, None)
            if problem:
                problems.append(
                    Problem(file, lines.line(loc + (key,)), _path_str(loc + (key,)), problem)
                )
            else:
                out[key] = str(resolved)
    return out, problems


#: errors a component's expand may raise on odd but schema-valid input
_EXPAND_ERRORS = (ValueError, TypeError, KeyError, IndexError, ArithmeticError)


def _expand_components(data: dict, file: str, lines: _LineMap, meta: Meta, ctx: _Context) -> list:
    """Validate ``components`` and merge what they expand into ``data`` (in place)."""
    raw = data.pop("components", None)
    if raw is None:
        return []
    from .domains import FileView, registry

    kinds = registry()
    view = FileView(data, lambda path: f"{file}:{lines.line(path) or '?'} {_path_str(path)}")
    problems, objs = [], []
    meta_dict = meta.model_dump()
    meta_dict["period"] = list(meta_dict["period"])
    for i, entry in enumerate(raw):
        loc = ("components", i)
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            problems.append(
                Problem(
                    file,
                    lines.line(loc + ("kind",)),
                    _path_str(loc + ("kind",)),
                    f"{abbreviate(repr(kind), 60)} is not a component kind; use one of "
                    f"{', '.join(sorted(kinds)) or 'none'}",
                )
            )
            continue
        cls = kinds[kind]
        entry, file_problems = _resolve_files(entry, file, ctx, loc, lines)
        if file_problems:
            problems += file_problems
            continue
        try:
            obj = cls.model_validate(entry)
        except ValidationError as exc:
            problems += _problems_from_validation(exc, file, lines, prefix=loc, root=cls)
            continue
        try:
            obj = obj.resolve(view)
            frag = obj.expand(dict(meta_dict), view)
        except PlanlibError as exc:
            problems.append(Problem(file, lines.line(loc), _path_str(loc), abbreviate(exc, 300)))
            continue
        except _EXPAND_ERRORS as exc:
            problems.append(Problem(file, lines.line(loc), _path_str(loc), abbreviate(exc, 300)))
            continue
        for key in ("parameters", "indicators", "targets", "checks"):
            if frag.get(key):
                data.setdefault(key, [])
                if data[key] is None:
                    data[key] = []
                data[key] = list(data[key]) + list(frag[key])
        objs.append(obj)
    if problems:
        raise ScenarioError(problems)
    return objs


# ---- public API ------------------------------------------------------------------------------
def _declare_units(data: dict, file: str, lines: _LineMap) -> None:
    """Register the file's ``units:`` before the indicators that use them are validated."""
    from .units import UnitError, declare_unit  # noqa: PLC0415

    raw = data.get("units")
    if raw is None:
        return
    if not isinstance(raw, list):
        raise ScenarioError(
            [
                Problem(
                    file,
                    lines.line(("units",)),
                    "units",
                    "must be a list of {name, to, factor} mappings",
                )
            ]
        )
    problems = []
    for i, entry in enumerate(raw):
        loc = ("units", i)
        try:
            u = UnitDecl.model_validate(entry)
        except ValidationError as exc:
            problems += _problems_from_validation(exc, file, lines, prefix=loc, root=UnitDecl)
            continue
        try:
            declare_unit(u.name, u.to, u.factor, u.name_en)
        except UnitError as exc:
            problems.append(
                Problem(file, lines.line(loc + ("name",)), _path_str(loc + ("name",)), str(exc))
            )
    if problems:
        raise ScenarioError(problems)


def _default_ops(data: dict) -> None:
    """Give targets without ``op`` on a lower-is-better indicator ``<=`` (≥ otherwise)."""
    inds, targets = data.get("indicators"), data.get("targets")
    if not isinstance(inds, list) or not isinstance(targets, list):
        return
    lower = {
        i.get("id")
        for i in inds
        if isinstance(i, dict) and isinstance(i.get("id"), str) and i.get("direction") == "lower"
    }
    for t in targets:
        if (
            isinstance(t, dict)
            and "op" not in t
            and isinstance(t.get("indicator"), str)
            and t.get("indicator") in lower
            and t.get("kind", "level")
            in ("level", "growth", "increment", "pp_change", "cumulative")
        ):
            t["op"] = "<="


def parse_scenario(
    text: str, file: str = "<string>", *, allow_outside: bool = False, _ctx: _Context | None = None
) -> Scenario:
    """Validate scenario YAML ``text``; ``file`` is used in messages and for ``extends``.

    Parameters
    ----------
    text : str
        The YAML text (at most :data:`MAX_FILE_BYTES` characters).
    file : str
        Its file name: messages name it, and ``extends`` and ``*_file`` paths are read
        from its folder.
    allow_outside : bool
        Let ``extends`` and component files point outside the scenario's folder tree.

    Raises
    ------
    ScenarioError
        With every problem found (the first ones shown), each naming file, line, field and
        what is allowed.
    """
    ctx = _ctx or _Context(None, allow_outside)
    data, lines = _read_yaml(text, file)
    if "extends" in data:
        return _resolve_variant(data, file, lines, ctx)
    problems, meta = _shape_problems(data, file, lines)
    if problems or meta is None:
        raise ScenarioError(problems or [Problem(file, 1, "meta", "is required but missing")])
    _declare_units(data, file, lines)
    components = _expand_components(data, file, lines, meta, ctx)
    problems = _value_problems(data, file, lines)  # numbers the components computed
    if problems:
        raise ScenarioError(problems)
    _default_target_ids(data)
    _default_ops(data)
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems_from_validation(exc, file, lines)) from None
    # pydantic reads "nan", "inf" and "1e999" written as text: check the validated values too
    problems = _value_problems(sc.model_dump(exclude={"components"}), file, lines)
    for i, comp in enumerate(components):
        problems += _value_problems(comp.model_dump(), file, lines, prefix=("components", i))
    if problems:
        raise ScenarioError(problems)
    problems = _semantic_problems(sc, file, lines)
    for i, comp in enumerate(components):  # a component may check what it refers to
        check = getattr(comp, "scenario_problems", None)
        if callable(check):
            problems += [
                Problem(file, lines.line(("components", i)), f"components[{i}]", msg)
                for msg in check(sc)
            ]
    if problems:
        raise ScenarioError(problems)
    return sc.model_copy(update={"source_path": str(file), "components": components})


def _read_text(path: Path, file: str) -> str:
    """Read at most :data:`MAX_FILE_BYTES` of a regular file as UTF-8 (never blocks on a FIFO)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ScenarioError([Problem(file, None, "", "file not found")]) from None
    except OSError as exc:
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"cannot open the file ({exc.strerror or exc}); name a readable scenario file",
                )
            ]
        ) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ScenarioError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        "not a regular file (a folder, device or pipe); name a .yaml scenario file",
                    )
                ]
            )
        if st.st_size > MAX_FILE_BYTES:
            raise ScenarioError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        f"the file has {st.st_size:,} bytes; a scenario "
                        f"file has at most {MAX_FILE_BYTES:,}",
                    )
                ]
            )
        with os.fdopen(os.dup(fd), "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(
            [Problem(file, None, "", f"cannot read the file ({exc.strerror or exc})")]
        ) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"the file has more than {MAX_FILE_BYTES:,} bytes; a scenario file is smaller",
                )
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"cannot read as UTF-8 text (byte {exc.start}); save the file as UTF-8",
                )
            ]
        ) from None


def _load(path, ctx: _Context) -> Scenario:
    file = str(path)
    return parse_scenario(_read_text(Path(path), file), file, _ctx=ctx)


def load_scenario(path, *, allow_outside: bool = False) -> Scenario:
    """Load and validate a scenario file.

    Parameters
    ----------
    path : str or os.PathLike
        A ``scenarios/*.yaml`` file (a full scenario, or a variant with ``extends``).
    allow_outside : bool
        Let ``extends`` (and component ``*_file`` entries) name files outside this file's
        folder tree; by default they must lie in it.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        When the file is missing, not a regular file, larger than :data:`MAX_FILE_BYTES`,
        not YAML, or breaks the schema or a limit.
    """
    try:
        root = Path(path).resolve().parent
    except (OSError, RuntimeError, ValueError):
        root = None
    try:
        return _load(path, _Context(root, allow_outside, ()))
    except RecursionError:
        raise ScenarioError(
            [
                Problem(
                    str(path),
                    None,
                    "",
                    "the file nests too deeply to be read; a scenario nests at most about 6 levels",
                )
            ]
        ) from None


def dump_yaml(data: dict) -> str:
    """YAML text with Chinese kept readable and keys in the given order."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


#: temp files of :func:`write_atomic` are named ``.<name>.planlib-<pid>-<random>.tmp``
TEMP_PATTERN = ".{name}.planlib-*.tmp"
#: a temp file older than this is removed even if its process id is in use again [s]
STALE_TEMP_SECONDS = 3600


def _remove_stale_temps(path: Path) -> None:
    """Delete temp files a killed writer left beside ``path`` (their process is gone)."""
    _remove_temps(path.parent, TEMP_PATTERN.format(name=glob_escape(path.name)))


def remove_stale_temps(folder) -> int:
    """Delete every temp file a killed planlib writer left in ``folder``; return how many.

    Temp files are ``.<name>.planlib-<pid>-<random>.tmp``; one whose process still runs
    (and is younger than :data:`STALE_TEMP_SECONDS`) is kept. The what-if widget calls
    this for its save folder when it starts.
    """
    return _remove_temps(Path(folder), ".*.planlib-*.tmp")


_TEMP_NAME = re.compile(r"^\..+\.planlib-(\d+)-[0-9a-f]+\.tmp$")


def _remove_temps(folder: Path, pattern: str) -> int:
    try:
        found = list(folder.glob(pattern))
    except OSError:
        return 0
    removed = 0
    for tmp in found:
        m = _TEMP_NAME.match(tmp.name)
        if m is None:
            continue
        try:
            if (
                _process_alive(int(m.group(1)))
                and time.time() - tmp.stat().st_mtime < STALE_TEMP_SECONDS
            ):
                continue  # another writer (or thread) is still at work
            tmp.unlink()
            removed += 1
        except (OSError, ValueError):
            pass
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def glob_escape(name: str) -> str:
    """``name`` with glob wildcards escaped (``[*]``)."""
    import glob

    return glob.escape(name)


def write_atomic(path, content, overwrite: bool = False) -> Path:
    """Write ``content`` to ``path`` atomically (temp file + rename in one directory).

    Parameters
    ----------
    path : str or os.PathLike
        Destination.
    content : str, bytes or callable
        Text (written as UTF-8), bytes, or a function ``write(tmp_path)`` that writes the
        file itself (e.g. ``workbook.save``).
    overwrite : bool
        Replace an existing file (keeping its permission bits); otherwise the file is
        created exclusively (a hard link, so two writers can never both succeed) and an
        existing file raises FileExistsError.

    Returns
    -------
    pathlib.Path
        The written path. On any failure the old file is left intact and the temp file
        removed; temp files a killed writer left (``.<name>.planlib-<pid>-*.tmp``) are
        removed by the next write to the same path. New files get mode 0666 minus the umask.
    """
    path = Path(path)
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    _remove_stale_temps(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode) if overwrite else None
    except FileNotFoundError:
        mode = None
    except OSError:
        mode = None
    tmp = path.parent / f".{path.name}.planlib-{os.getpid()}-{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            if callable(content):
                os.close(fd)
                fd = -1
                content(tmp)
                fd = os.open(tmp, os.O_RDONLY)
            else:
                data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            if fd >= 0:
                os.close(fd)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: create-exclusive, no race
            except FileExistsError:
                raise FileExistsError(f"{path} exists; pass overwrite=True to replace it") from None
            except OSError:  # a file system without hard links: claim the name, then rename
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    return path


class SaveError(PlanlibError):
    """A variant that may not be written where asked (it would destroy data it needs)."""


def scenario_dependencies(scenario: Scenario) -> list[Path]:
    """Files a loaded scenario is read from: its file, the files it extends, component files."""
    out: list[Path] = []
    if scenario.source_path is None:
        return out
    current = Path(scenario.source_path)
    for _ in range(MAX_EXTENDS + 2):
        try:
            current = current.resolve()
        except (OSError, RuntimeError):
            break
        if current in out:
            break
        out.append(current)
        try:
            data = yaml.load(_read_text(current, str(current)), Loader=_YAML_LOADER)
        except (ScenarioError, yaml.YAMLError, RecursionError):
            break
        if not isinstance(data, dict) or not isinstance(data.get("extends"), str):
            break
        current = current.parent / data["extends"]
    for comp in scenario.components:
        for key, value in (comp.model_dump() if hasattr(comp, "model_dump") else {}).items():
            if key.endswith("_file") and isinstance(value, str) and value:
                try:
                    out.append(Path(value).resolve())
                except (OSError, RuntimeError):
                    pass
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a == b or os.path.samefile(a, b)
    except OSError:
        return False


def save_variant(
    base: Scenario,
    path,
    id: str,
    name: str,
    overrides: dict[str, float],
    overwrite: bool = False,
    name_en: str | None = None,
    *,
    allow_outside: bool = False,
) -> Path:
    """Save parameter ``overrides`` as a variant file that ``extends`` ``base``.

    The text is validated by loading it before the file is written, so a bad
    variant never reaches disk; the write is atomic and refuses to overwrite an
    existing file unless ``overwrite`` is True. The variant must lie in the base
    file's folder tree (unless ``allow_outside``) and may never replace a file the
    base is read from (its own file, what it extends, its component files).

    Raises
    ------
    SaveError
        The path is one of the base's own files, or outside its folder.
    FileExistsError
        The file exists and ``overwrite`` is False.
    ScenarioError
        The variant would not load (e.g. a value outside a parameter's bounds).
    """
    if base.source_path is None:
        raise ValueError("the base scenario has no file to extend; load it with load_scenario")
    path = Path(path)
    base_path = Path(base.source_path).resolve()
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise SaveError(f"{abbreviate(str(path), 200)}: a variant file name ends in .yaml")
    try:
        dest = path.parent.resolve() / path.name
    except (OSError, RuntimeError) as exc:
        raise SaveError(f"{abbreviate(str(path), 200)}: cannot use this folder ({exc})") from None
    if not allow_outside and not _inside(dest, base_path.parent):
        raise SaveError(
            f"{abbreviate(str(path), 200)} lies outside the scenario folder "
            f"{abbreviate(str(base_path.parent), 200)}; save the variant in that folder"
        )
    for dep in scenario_dependencies(base):
        if _same_file(dest, dep) or (dest.exists() and _same_file(dest.resolve(), dep)):
            raise SaveError(
                f"{path.name}: the base scenario is read from this file ({dep.name}); "
                "saving would replace it — choose another file name"
            )
    rel = os.path.relpath(base_path, dest.parent)
    meta = {"id": id, "name": name}
    if name_en:
        meta["name_en"] = name_en
    data = {"extends": rel, "meta": meta, "overrides": {k: float(v) for k, v in overrides.items()}}
    text = dump_yaml(data)
    root = base_path.parent if not allow_outside else dest.parent
    parse_scenario(
        text, file=str(dest), _ctx=_Context(root, allow_outside)
    )  # raises before writing
    return write_atomic(dest, text, overwrite=overwrite)

"""What a scenario file may hold: the pydantic models, vocabularies and limits.

A scenario file is *data*: it is read with ``yaml.safe_load`` and validated by these models
with ``extra="forbid"``, so a typo is an error, never a silently ignored key. The models derive
from :class:`planlib._prebuilt.Prebuilt` (their validators are cached beside the bytecode).
Loading lives in :mod:`planlib.scenario`, checks beyond types in :mod:`planlib.validation`.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from ._prebuilt import Prebuilt
from .formula import FormulaError, parse_formula
from .units import get_unit

__all__ = [
    "ATTRIBUTES",
    "CATEGORIES",
    "DIRECTIONS",
    "LEVELS",
    "LINKED_KINDS",
    "OPS",
    "RULE_KINDS",
    "STATUSES",
    "TARGET_KINDS",
    "BaseValue",
    "Check",
    "Correlation",
    "Distribution",
    "HistoryValue",
    "Indicator",
    "Meta",
    "Parameter",
    "ProposalNote",
    "ProposalOption",
    "Rule",
    "Scenario",
    "Source",
    "SuperiorRef",
    "Target",
    "UnitDecl",
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

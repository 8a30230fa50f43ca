"""What makes a scenario invalid beyond its types, each problem with file, line and field.

pydantic's errors are translated into :class:`~planlib.errors.Problem` lines; the semantic
checks (references, units, years, cycles among linked indicators, targets that cannot be read)
run on the validated :class:`~planlib.schema.Scenario`.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .formula import parse_formula
from .schema import RULE_KINDS, YEAR_MAX, YEAR_MIN, Meta, Scenario
from .units import get_unit
from .yamlfile import _LineMap, _path_str, _value_problems

__all__ = [
    "rule_references",
]

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

"""Scenario files: load and validate, resolve variants, expand components.

A scenario file is *data* (see :mod:`planlib.schema`): every rejection names the file, the YAML
line, the field path, the bad value and what is allowed::

    scenarios/x.yaml:23 indicators[2].unit: '亿' is not a unit; use one of 元, 万元, 亿元, …

A *variant* file holds ``extends: other.yaml`` plus parameter ``overrides`` and is resolved into
a full scenario on load. The names of :mod:`planlib.schema` are importable from here too, as are
those of :mod:`planlib.saving` (write_atomic, save_variant, …) for code written before the split.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from .errors import PlanlibError, Problem, ScenarioError, abbreviate
from .schema import (  # the models and vocabularies, importable from here as well
    ATTRIBUTES,
    CATEGORIES,
    DIRECTIONS,
    LEVELS,
    LINKED_KINDS,
    MAX_EXTENDS,
    OPS,
    RULE_KINDS,
    STATUSES,
    TARGET_KINDS,
    Distribution,
    Indicator,
    Meta,
    Parameter,
    Scenario,
    Target,
    UnitDecl,
    _Strict,
)
from .validation import (
    _default_target_ids,
    _problems_from_validation,
    _semantic_problems,
    _shape_problems,
    rule_references,
)
from .yamlfile import _LineMap, _path_str, _read_text, _read_yaml, _value_problems

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
    "Distribution",
    "Indicator",
    "Meta",
    "Parameter",
    "Scenario",
    "Target",
    "load_scenario",
    "parse_scenario",
    "rule_references",
]
#: planlib.saving's names, importable from here too, resolved on first use (saving reads files
#: through this module, so importing it here would be a circle)
_FROM_SAVING = frozenset(
    {
        "SaveError",
        "dump_yaml",
        "remove_stale_temps",
        "save_variant",
        "scenario_dependencies",
        "write_atomic",
    }
)


def __getattr__(name: str):
    """Resolve the writing functions of :mod:`planlib.saving` (no import circle at load)."""
    if name in _FROM_SAVING:
        from . import saving

        return getattr(saving, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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

"""Reading a scenario file safely: YAML with line numbers, within limits.

The text is parsed once (the C loader when available) into the node tree, which gives every
field its line, and the plain data; sizes, nesting, aliases and numbers are checked against the
limits in :mod:`planlib.schema` before anything else reads the data.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ScenarioError, abbreviate
from .schema import (
    MAX_ABS_NUMBER,
    MAX_COMPOSED,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_LIST,
    MAX_NODES,
    YEAR_MAX,
    YEAR_MIN,
)

__all__ = [
]


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

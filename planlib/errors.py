"""planlib's own error types: every rejection says where, what and what is allowed.

Messages are capped so a broken file can never flood a terminal: one problem's
text is abbreviated to :data:`MAX_PROBLEM_CHARS`, an error shows its first
problems up to :data:`MAX_MESSAGE_CHARS` in all and then "… and K more problems".
"""

from __future__ import annotations

__all__ = [
    "PlanlibError",
    "InputError",
    "ScenarioError",
    "Problem",
    "abbreviate",
    "summarise_problems",
    "MAX_MESSAGE_CHARS",
    "MAX_PROBLEM_CHARS",
]

#: longest text of an error message (all problems together) [characters]
MAX_MESSAGE_CHARS = 2000
#: most problems listed in one message (the rest are counted)
MAX_PROBLEMS_SHOWN = 20
#: longest text of one problem [characters]
MAX_PROBLEM_CHARS = 400


def abbreviate(text, limit: int = 80) -> str:
    """Shorten ``text`` to at most ``limit`` characters, keeping its head and tail.

    Examples
    --------
    >>> abbreviate("a" * 100, 20)
    'aaaaaaaaaaa … aaaaaa'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    if limit < 8:
        return text[:limit]
    tail = limit // 3
    head = limit - tail - 3
    return f"{text[:head]} … {text[-tail:]}"


class PlanlibError(Exception):
    """Base class of every error planlib raises on bad input."""

    def __str__(self) -> str:
        return abbreviate(super().__str__(), MAX_MESSAGE_CHARS)


class InputError(PlanlibError, ValueError):
    """Bad input that is not a scenario file (actuals, tables, enterprise lists, sweep tables).

    Also a ValueError, so code that caught ValueError from these readers keeps working.
    """


class Problem:
    """One thing wrong in a file: where it is and what is allowed.

    Parameters
    ----------
    file : str
        Path of the file as the user gave it.
    line : int or None
        1-based YAML line, when known.
    path : str
        Field path, e.g. ``indicators[2].unit``.
    message : str
        What is wrong and what is allowed.
    """

    def __init__(self, file: str, line: int | None, path: str, message: str):
        self.file, self.line, self.path, self.message = file, line, path, message

    def __str__(self) -> str:
        file = abbreviate(self.file, 160)
        where = f"{file}:{self.line}" if self.line else file
        path = abbreviate(self.path, 120)
        text = f"{where} {path}: {self.message}" if path else f"{where}: {self.message}"
        return abbreviate(text, MAX_PROBLEM_CHARS)

    def to_dict(self) -> dict:
        """Return the problem as a JSON-ready dict (texts abbreviated)."""
        return {
            "file": abbreviate(self.file, 160),
            "line": self.line,
            "path": abbreviate(self.path, 120),
            "message": abbreviate(self.message, MAX_PROBLEM_CHARS),
        }


def summarise_problems(problems: list[Problem], omitted: dict[str, int] | None = None) -> str:
    """Return the first problems and a count of the rest by field.

    The first problems take at most :data:`MAX_MESSAGE_CHARS` characters.

    Examples
    --------
    >>> print(summarise_problems([Problem("a.csv", n, "value", "bad") for n in range(2, 40)]))
    ... # doctest: +ELLIPSIS
    a.csv:2 value: bad
    ...
    a.csv:21 value: bad
    … and 18 more problems (value 18)
    """
    shown: list[str] = []
    used = 0
    budget = MAX_MESSAGE_CHARS - 40  # room for "… and K more problems"
    for p in problems:
        text = str(p)
        if shown and (used + len(text) + 1 > budget or len(shown) >= MAX_PROBLEMS_SHOWN):
            break
        shown.append(text)
        used += len(text) + 1
    by_field: dict[str, int] = dict(omitted or {})
    rest = len(problems) - len(shown) + sum(by_field.values())
    if rest:
        for p in problems[len(shown) :]:
            key = abbreviate(p.path, 30) or "file"
            by_field[key] = by_field.get(key, 0) + 1
        top = sorted(by_field.items(), key=lambda kv: -kv[1])[:5]
        fields = "; ".join(f"{k} {v:,}" for k, v in top) + ("; …" if len(by_field) > 5 else "")
        shown.append(f"… and {rest:,} more problem{'s' if rest > 1 else ''} ({fields})")
    return "\n".join(shown)


class ScenarioError(PlanlibError):
    """A scenario file that cannot be loaded; holds one or more :class:`Problem`.

    ``str(error)`` lists the first problems (at most :data:`MAX_MESSAGE_CHARS`
    characters) and counts the rest; ``problems`` keeps them all.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(summarise_problems(self.problems))

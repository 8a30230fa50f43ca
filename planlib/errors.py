"""planlib's own error types: every rejection says where, what and what is allowed."""

from __future__ import annotations

__all__ = ["PlanlibError", "ScenarioError", "Problem"]


class PlanlibError(Exception):
    """Base class of every error planlib raises on bad input."""


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
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def to_dict(self) -> dict:
        """Return the problem as a JSON-ready dict."""
        return {"file": self.file, "line": self.line, "path": self.path, "message": self.message}


class ScenarioError(PlanlibError):
    """A scenario file that cannot be loaded; holds one or more :class:`Problem`."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

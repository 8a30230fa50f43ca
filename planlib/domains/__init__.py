"""Domains: each domain's pure functions beside its scenario component.

``<domain>.py`` holds the pure, vectorised functions of a domain (``land``,
``urbanisation``, ``structure``, ``pipeline``, ``price_basis``, ``programmes``);
``<domain>_component.py`` holds the scenario component that uses them.

Domain components: structured inputs that expand into parameters, indicators, targets and checks.

A scenario file may hold a ``components:`` list. Each entry has a ``kind`` and is
validated by the pydantic class registered for that kind; :meth:`Component.expand`
then turns it into ordinary scenario entries, so audit, solve, tables, charts,
Monte Carlo and review work on it unchanged.

To add a kind, put a module ``<domain>_component.py`` in this package defining a
subclass of :class:`Component` with ``kind: Literal["your_kind"]``; it is discovered
on first use (no central list to edit).
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Mapping

from pydantic import ConfigDict

from .. import _module_names
from .._prebuilt import Prebuilt

__all__ = ["Component", "FileView", "registry"]


class FileView:
    """Read-only look at the scenario file's own indicators and targets, by id.

    A component refers to what the file already states (an indicator's base, a
    target's value) through this view instead of restating the number, so a
    variant that changes the figure changes the component with it.

    Parameters
    ----------
    data : dict
        The scenario mapping as written (before components expand).
    where : callable, optional
        ``where(path_tuple) -> "file:line path"``: names a place in messages.
    """

    def __init__(self, data: dict, where=None):
        self._data = data if isinstance(data, dict) else {}
        self._where = where or (lambda path: ".".join(str(p) for p in path))

    @classmethod
    def of(cls, scenario) -> FileView:
        """Return the view of an already validated :class:`~planlib.scenario.Scenario`."""
        return cls(scenario.model_dump(include={"meta", "indicators", "targets"}))

    def _find(self, section: str, key: str, value: str):
        items = self._data.get(section)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get(key) == value:
                return i, item
        have = (
            [str(x.get(key)) for x in items or [] if isinstance(x, dict)]
            if isinstance(items, list)
            else []
        )
        raise ValueError(
            f"{section} has no {key} {value!r}; have: {', '.join(have[:20]) or 'none'}"
        )

    def indicator(self, id: str) -> dict:
        """Return the indicator ``id`` as written (raises ValueError naming what exists)."""
        return self._find("indicators", "id", id)[1]

    def target(self, id: str) -> dict:
        """Return the target ``id`` as written (raises ValueError naming what exists)."""
        return self._find("targets", "id", id)[1]

    def where_indicator(self, id: str, *field) -> str:
        """``file:line indicators[i].field`` of indicator ``id``."""
        i, _ = self._find("indicators", "id", id)
        return self._where(("indicators", i, *field))

    def where_target(self, id: str, *field) -> str:
        """``file:line targets[i].field`` of target ``id``."""
        i, _ = self._find("targets", "id", id)
        return self._where(("targets", i, *field))

    def base(self, id: str) -> tuple[int, float]:
        """(year, value) of indicator ``id``'s stated base [indicator unit]."""
        base = self.indicator(id).get("base")
        if not isinstance(base, dict) or "year" not in base or "value" not in base:
            raise ValueError(f"indicator {id!r} states no base {{year, value}} to read")
        return int(base["year"]), float(base["value"])


def agree(
    mine: float, theirs: float, what: str, mine_at: str, theirs_at: str, tol: float = 1e-9
) -> None:
    """Raise ValueError naming both places when a component restates a figure differently."""
    if abs(mine - theirs) > tol * max(1.0, abs(theirs)):
        raise ValueError(
            f"{what} {mine:g} contradicts {theirs_at} ({theirs:g}); state it once — "
            f"drop it from {mine_at} and the value is read from the file"
        )


class Component(Prebuilt):
    """Base class of a scenario component (strict: unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def resolve(self, view: FileView) -> Component:
        """Return this component with the figures it reads from the file filled in.

        By default the component itself.

        Called by the loader before :meth:`expand`; a figure the component also states
        must agree with the file (a ValueError naming both places otherwise).
        """
        return self

    def expand(self, meta: dict, view: FileView | None = None) -> dict:
        """Scenario entries this component stands for.

        Parameters
        ----------
        meta : dict
            The scenario's ``meta`` mapping as written (base_year, period …).
        view : FileView, optional
            The file's own indicators and targets, for components that refer to them by id.

        Returns
        -------
        dict
            Optional keys ``parameters``, ``indicators``, ``targets``, ``checks``,
            each a list of plain mappings in scenario-file form.
        """
        raise NotImplementedError

    def report(self, scenario, trajectories) -> dict:
        """Return domain figures beyond the indicators, JSON-ready.

        By default the component's ``findings(scenario, trajectories)`` when it has one,
        else an empty mapping.
        """
        findings = getattr(self, "findings", None)
        return findings(scenario, trajectories) if findings is not None else {}


_REGISTRY: dict[str, type[Component]] | None = None


def _scan() -> dict[str, type[Component]]:
    """Every kind of every ``*_component`` module (imports them all)."""
    found: dict[str, type[Component]] = {}
    for name in _module_names(__path__[0]):
        if name.endswith("_component"):
            found.update(_kinds_in(importlib.import_module(f"{__name__}.{name}")))
    return found


def _kinds_in(module) -> dict[str, type[Component]]:
    found = {}
    for obj in vars(module).values():
        if isinstance(obj, type) and issubclass(obj, Component) and obj is not Component:
            field = obj.model_fields.get("kind")
            if field is not None:
                for kind in typing.get_args(field.annotation):
                    found[kind] = obj
    return found


class _Registry(Mapping):
    """Component kinds, importing a kind's module only when it is used.

    A kind lives in ``<kind>_component.py`` (the convention every module here follows), so a
    scenario with two components builds two pydantic classes, not nine (start-up time). A
    module whose kinds break the convention is still found: then every module is scanned.
    """

    def __init__(self):
        self._names = [
            n.removesuffix("_component")
            for n in _module_names(__path__[0])
            if n.endswith("_component")
        ]
        self._loaded: dict[str, type[Component]] = {}

    def _all(self) -> dict[str, type[Component]]:
        global _REGISTRY
        if _REGISTRY is None:
            _REGISTRY = _scan()
        return _REGISTRY

    def __getitem__(self, kind):
        if kind in self._names:
            if kind not in self._loaded:
                module = importlib.import_module(f"{__name__}.{kind}_component")
                self._loaded.update(_kinds_in(module))
            if kind in self._loaded:
                return self._loaded[kind]
        return self._all()[kind]

    def __contains__(self, kind):
        return kind in self._names or kind in self._all()

    def _keys(self) -> set:
        return set(self._names) | (set(_REGISTRY) if _REGISTRY is not None else set())

    def __iter__(self):
        return iter(sorted(self._keys()))

    def __len__(self):
        return len(self._keys())


_LAZY: _Registry | None = None


def registry() -> Mapping:
    """Map component kind → class; a kind's module is imported on first use."""
    global _LAZY
    if _LAZY is None:
        _LAZY = _Registry()
    return _LAZY

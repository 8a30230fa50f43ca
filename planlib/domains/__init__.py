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
import pkgutil
import typing

from pydantic import BaseModel, ConfigDict

__all__ = ["Component", "registry"]


class Component(BaseModel):
    """Base class of a scenario component (strict: unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def expand(self, meta: dict) -> dict:
        """Scenario entries this component stands for.

        Parameters
        ----------
        meta : dict
            The scenario's ``meta`` mapping as written (base_year, period …).

        Returns
        -------
        dict
            Optional keys ``parameters``, ``indicators``, ``targets``, ``checks``,
            each a list of plain mappings in scenario-file form.
        """
        raise NotImplementedError

    def report(self, scenario, trajectories) -> dict:
        """Domain figures beyond the indicators (optional), JSON-ready."""
        return {}


_REGISTRY: dict[str, type[Component]] | None = None


def registry() -> dict[str, type[Component]]:
    """Map component kind → class, importing every module of this package once."""
    global _REGISTRY
    if _REGISTRY is None:
        found: dict[str, type[Component]] = {}
        for mod in pkgutil.iter_modules(__path__):
            if not mod.name.endswith("_component"):
                continue
            module = importlib.import_module(f"{__name__}.{mod.name}")
            for obj in vars(module).values():
                if isinstance(obj, type) and issubclass(obj, Component) and obj is not Component:
                    field = obj.model_fields.get("kind")
                    if field is not None:
                        for kind in typing.get_args(field.annotation):
                            found[kind] = obj
        _REGISTRY = found
    return _REGISTRY

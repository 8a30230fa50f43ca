"""planlib — 规划工作簿: scenario files, audit, simulation and tracking of local development plans.

Importing planlib is cheap: submodules (pandas, matplotlib, jupyter) load on first use.

>>> import planlib
>>> sc = planlib.load_scenario("scenarios/huangyang-park-14fyp.yaml")  # doctest: +SKIP
>>> planlib.audit(sc).status                                          # doctest: +SKIP
'ok'
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import warnings

# public name -> module that defines it; resolved lazily (PEP 562)
_EXPORTS = {
    "load_scenario": "scenario",
    "parse_scenario": "scenario",
    "save_variant": "saving",
    "Scenario": "scenario",
    "Model": "model",
    "Trajectories": "model",
    "audit": "auditing",
    "AuditReport": "auditing",
    "solve": "solver",
    "indicator_table": "table",
    "write_table": "table",
    "to_iamc": "longformat",
    "convert": "units",
    "PlanlibError": "errors",
    "ScenarioError": "errors",
    "whatif": "workbook.widgets",
    "simulate": "simulation.engine",
    "solve_probability": "simulation.engine",
    "SimulationResult": "simulation.engine",
    "tornado": "simulation.sensitivity",
    "sobol": "simulation.sensitivity",
    "read_actuals": "tracking.actuals",
    "review": "tracking.review",
    "Review": "tracking.review",
    "roll_forward": "tracking.rollforward",
    "score_enterprises": "domains.land",
}
# the kernel and the feature packages (rooms), importable as attributes
_SUBMODULES = {
    "units",
    "growth",
    "price_basis",
    "formula",
    "scenario",
    "schema",
    "yamlfile",
    "validation",
    "saving",
    "model",
    "targets",
    "auditing",
    "solver",
    "table",
    "longformat",
    "formatting",
    "errors",
    "testing",
    "cli",
    "simulation",
    "tracking",
    "domains",
    "workbook",
    "intake",
    "reports",
}

# modules that lived at the top level before the feature packages (2026-12): old name -> new
_MOVED = {
    "simulate": "simulation.engine",
    "sensitivity": "simulation.sensitivity",
    "sweep": "simulation.sweep",
    "actuals": "tracking.actuals",
    "rollforward": "tracking.rollforward",
    "urbanisation": "domains.urbanisation",
    "structure": "domains.structure",
    "pipeline": "domains.pipeline",
    "land": "domains.land",
    "programmes": "domains.programmes",
    "components": "domains",
    "widgets": "workbook.widgets",
    "render": "workbook.render",
    "batch": "workbook.batch",
    "mc_widgets": "workbook.mc_widgets",
    "review_widgets": "workbook.review_widgets",
    "plots": "workbook.charts",
    "review_plots": "workbook.review_charts",
    "structure_plots": "workbook.structure_charts",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def _module_names(folder) -> list[str]:
    """Return the names of the modules in a package folder, sorted.

    What ``pkgutil.iter_modules`` gives for planlib's folders, without its ``inspect`` import
    (~7 ms at start-up).
    """
    import os

    return sorted(
        e.name[:-3]
        for e in os.scandir(folder)
        if e.name.endswith(".py") and e.name != "__init__.py" and e.is_file()
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("planlib")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0+unknown"


def __getattr__(name):
    if name == "__version__":  # importlib.metadata costs ~0.05 s: only when asked for
        value = globals()["__version__"] = _version()
        return value
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _MOVED:
        return importlib.import_module(f"{__name__}.{name}")  # through the finder below
    raise AttributeError(f"module 'planlib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)


class _MovedModules:
    """Deprecation shim: ``import planlib.plots`` gives ``planlib.workbook.charts`` with a warning.

    A meta-path finder and loader by protocol (``find_spec``, ``create_module``,
    ``exec_module``); not subclassing ``importlib.abc`` keeps ``import planlib`` from loading
    ``importlib.resources``.
    """

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, rest = fullname.partition(".")
        if prefix != __name__ or rest.split(".")[0] not in _MOVED:
            return None
        head, _, tail = rest.partition(".")
        new = _MOVED[head] + (
            f".{tail}_component" if head == "components" and tail else f".{tail}" if tail else ""
        )
        return importlib.util.spec_from_loader(fullname, self, origin=f"{__name__}.{new}")

    def create_module(self, spec):
        new = spec.origin
        warnings.warn(
            f"{spec.name} moved to {new}; import it from there", DeprecationWarning, stacklevel=3
        )
        return importlib.import_module(new)

    def exec_module(self, module):
        pass


if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
    sys.meta_path.insert(0, _MovedModules())

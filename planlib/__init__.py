"""planlib — 规划工作簿: scenario files, audit, simulation and tracking of local development plans.

Importing planlib is cheap: submodules (pandas, matplotlib, jupyter) load on first use.

>>> import planlib
>>> sc = planlib.load_scenario("scenarios/huangyang-park-14fyp.yaml")  # doctest: +SKIP
>>> planlib.audit(sc).status                                          # doctest: +SKIP
'ok'
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("planlib")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

# public name -> module that defines it; resolved lazily (PEP 562)
_EXPORTS = {
    "load_scenario": "scenario",
    "parse_scenario": "scenario",
    "save_variant": "scenario",
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
    "whatif": "widgets",
    "solve_probability": "simulate",
    "SimulationResult": "simulate",
    "tornado": "sensitivity",
    "sobol": "sensitivity",
    "read_actuals": "actuals",
    "Review": "review",
    "roll_forward": "rollforward",
    "score_enterprises": "land",
}
_SUBMODULES = {"units", "growth", "formula", "scenario", "model", "targets", "auditing", "solver", "table",
               "longformat", "formatting", "errors", "cli", "testing", "plots", "widgets", "batch", "render",
               "actuals", "review", "rollforward", "review_plots", "review_widgets",
               "components", "programmes", "simulate", "sensitivity", "sweep", "mc_widgets"}
_SUBMODULES |= {"urbanisation", "structure", "price_basis", "pipeline", "land", "structure_plots"}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'planlib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)

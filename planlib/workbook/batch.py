"""Run one notebook for many scenarios with papermill (``planlib batch``)."""

from __future__ import annotations

import glob as _glob
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlanlibError

__all__ = ["BatchResult", "parameter_names", "scenario_files", "run_batch"]


@dataclass(frozen=True)
class BatchResult:
    """Outcome of one scenario.

    Attributes
    ----------
    scenario : pathlib.Path
        Scenario file that was injected.
    output : pathlib.Path
        Executed notebook written (also when a cell failed: papermill keeps the partial run).
    ok : bool
        True when every cell ran.
    error : str
        First line of the error, empty when ``ok``.
    seconds : float
        Wall-clock time [s].
    """

    scenario: Path
    output: Path
    ok: bool
    error: str
    seconds: float


def parameter_names(notebook) -> list[str]:
    """Names assigned in the cell tagged ``parameters`` (what papermill can replace)."""
    import ast

    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(cell.source)
            return [
                t.id
                for node in tree.body
                if isinstance(node, ast.Assign)
                for t in node.targets
                if isinstance(t, ast.Name)
            ]
    raise PlanlibError(
        f"{notebook}: no cell is tagged 'parameters'; tag the cell that sets "
        "scenario_file so papermill can replace it"
    )


def scenario_files(pattern: str) -> list[Path]:
    """Scenario files matching a glob pattern, sorted; error when none match."""
    found = sorted(Path(p) for p in _glob.glob(pattern) if p.endswith((".yaml", ".yml")))
    if not found:
        raise PlanlibError(f"--scenarios {pattern!r}: no .yaml file matches")
    return found


def run_batch(
    notebook,
    pattern: str,
    outdir,
    parameter: str = "scenario_file",
    timeout: int = 600,
    kernel_name: str = "python3",
    progress=None,
) -> list[BatchResult]:
    """Execute ``notebook`` once per scenario file matching ``pattern``.

    Parameters
    ----------
    notebook : str or os.PathLike
        Notebook with a cell tagged ``parameters`` that assigns ``parameter``.
    pattern : str
        Glob of scenario files, e.g. ``'scenarios/*.yaml'`` (relative to the current folder).
    outdir : str or os.PathLike
        Folder for ``<notebook stem>__<scenario stem>.ipynb`` (created if missing).
    parameter : str
        Name of the variable holding the scenario path.
    timeout : int
        Seconds allowed per cell [s].
    progress : callable, optional
        Called with each :class:`BatchResult` as it finishes.

    Returns
    -------
    list of BatchResult
        One per scenario, in file order. Each scenario runs in a fresh kernel, in the
        notebook's folder, with the absolute scenario path injected.
    """
    import papermill as pm

    notebook = Path(notebook)
    if not notebook.is_file():
        raise PlanlibError(f"{notebook}: no such notebook")
    names = parameter_names(notebook)
    if parameter not in names:
        raise PlanlibError(
            f"{notebook}: the parameters cell sets {names or 'nothing'}, not {parameter!r}"
        )
    files = scenario_files(pattern)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    results = []
    for scenario in files:
        out = outdir / f"{notebook.stem}__{scenario.stem}.ipynb"
        t0 = time.perf_counter()
        try:
            pm.execute_notebook(
                str(notebook),
                str(out),
                parameters={parameter: str(scenario.resolve())},
                cwd=str(notebook.parent.resolve()),
                kernel_name=kernel_name,
                progress_bar=False,
                execution_timeout=timeout,
            )
            res = BatchResult(scenario, out, True, "", time.perf_counter() - t0)
        except pm.PapermillExecutionError as exc:
            res = BatchResult(
                scenario,
                out,
                False,
                f"{exc.ename}: {exc.evalue}".splitlines()[0],
                time.perf_counter() - t0,
            )
        results.append(res)
        if progress is not None:
            progress(res)
    return results

"""Many scenarios × regions on Dask: the same Monte Carlo, spread over workers.

Scenario ``k`` of a sweep is simulated with seed ``SeedSequence(seed).spawn(...)[k]``,
so a sweep gives exactly the numbers :func:`planlib.simulation.engine.simulate` gives for
that scenario and seed in process — whatever the cluster, the number of workers
or the order in which tasks finish. By default a ``LocalCluster`` bound to
127.0.0.1 is started and closed; ``scheduler="tcp://host:8786"`` uses an existing
cluster; ``scheduler="inprocess"`` runs without Dask.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence

import numpy as np

from ..errors import InputError, abbreviate
from ..scenario import Scenario

__all__ = ["sweep_seed", "variants_from_table", "summarise", "sweep"]

SUMMARY_COLUMNS = [
    "scenario",
    "region",
    "target",
    "indicator",
    "year",
    "attribute",
    "p_meet",
    "expected_shortfall",
    "shortfall_mean",
    "p_all",
    "p_all_binding",
    "runs",
]


def sweep_seed(seed: int | None, k: int) -> np.random.SeedSequence:
    """Seed of scenario ``k`` in a sweep: the ``k``-th spawned child of ``SeedSequence(seed)``."""
    from .engine import block_seeds

    return block_seeds(seed, range(k, k + 1))[0]


#: most rows (variants) in a sweep table
MAX_SWEEP_ROWS = 100_000
#: largest sweep table file [bytes]
MAX_SWEEP_BYTES = 20_000_000


def read_sweep_table(path):
    """Read a sweep table CSV (id column plus parameter columns) with clear errors.

    Raises
    ------
    InputError
        Missing, not a regular file, larger than :data:`MAX_SWEEP_BYTES`, or not CSV.
    """
    import stat

    import pandas as pd

    shown = abbreviate(str(path), 200)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read the file ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{shown}: not a regular file; name a .csv table")
    if st.st_size > MAX_SWEEP_BYTES:
        raise InputError(
            f"{shown}: {st.st_size:,} bytes; a sweep table has at most {MAX_SWEEP_BYTES:,}"
        )
    try:
        return pd.read_csv(path, dtype={"id": str}, encoding="utf-8-sig")
    except Exception as exc:  # pandas parser, encoding and empty-file errors
        raise InputError(
            f"{shown}: cannot read as CSV ({type(exc).__name__}: {abbreviate(exc, 200)}); "
            "write a UTF-8 CSV with an id column and one column per parameter"
        ) from None


def _with_values(base: Scenario, values: dict) -> Scenario:
    """Copy of ``base`` with parameter defaults replaced; a distribution moves with its default."""
    names = {p.name for p in base.parameters}
    unknown = sorted(set(values) - names)
    if unknown:
        raise KeyError(
            f"table column {unknown[0]!r} is not a parameter of {base.meta.id}; "
            f"have: {', '.join(sorted(names))}"
        )
    params = []
    for p in base.parameters:
        if p.name not in values:
            params.append(p)
            continue
        raw = values[p.name]
        try:
            v = float(raw)
        except (TypeError, ValueError):
            v = math.nan
        lo, hi = p.bounds
        if not math.isfinite(v) or not lo <= v <= hi:
            raise InputError(
                f"column {p.name!r}: {abbreviate(repr(raw), 40)} is not allowed; write a "
                f"number within the bounds [{lo:g}, {hi:g}] of {p.name!r}"
            )
        upd = {"default": v}
        if p.distribution is not None:
            shift = v - p.default
            d = p.distribution
            upd["distribution"] = d.model_copy(
                update={
                    k: getattr(d, k) + shift
                    for k in ("mean", "low", "high", "mode")
                    if getattr(d, k) is not None
                }
            )
        params.append(p.model_copy(update=upd))
    return base.model_copy(update={"parameters": params})


def variants_from_table(base: Scenario, table) -> list[Scenario]:
    """One scenario per row of ``table``.

    Columns: ``id`` (required), ``region``, ``name`` and parameter values.

    Parameters
    ----------
    base : Scenario
        The template plan.
    table : pandas.DataFrame or sequence of dict
        Parameter columns override defaults [parameter unit]; a parameter's distribution
        is shifted by the same amount, so its spread stays.

    Returns
    -------
    list of Scenario
    """
    import pandas as pd

    df = pd.DataFrame(table)
    if "id" not in df.columns:
        raise InputError(
            f"the sweep table needs an 'id' column; has: {', '.join(map(str, df.columns))}"
        )
    if df["id"].duplicated().any():
        dup = df.loc[df["id"].duplicated(), "id"].iloc[0]
        raise InputError(
            f"the sweep table has id {abbreviate(repr(dup), 60)} twice; ids must be unique"
        )
    if len(df) > MAX_SWEEP_ROWS:
        raise InputError(f"the sweep table has {len(df):,} rows; at most {MAX_SWEEP_ROWS:,}")
    out = []
    for n, rec in enumerate(df.to_dict("records"), start=2):
        meta = {"id": str(rec.pop("id"))}
        for key in ("region", "name"):
            if key in rec:
                meta[key] = str(rec.pop(key))
        try:
            sc = _with_values(base, rec)
        except InputError as exc:
            raise InputError(f"row {n} (id {abbreviate(meta['id'], 40)}) {exc}") from None
        out.append(sc.model_copy(update={"meta": sc.meta.model_copy(update=meta)}))
    return out


def summarise(result) -> list[dict]:
    """Rows of the sweep table for one :class:`~planlib.simulation.engine.SimulationResult`."""
    rows = []
    for k, t in enumerate(result.targets):
        rows.append(
            {
                "scenario": result.scenario,
                "region": result.region,
                "target": t["id"],
                "indicator": t["indicator"],
                "year": t["year"],
                "attribute": t["attribute"],
                "p_meet": float(result.p_meet[k]),
                "expected_shortfall": float(result.expected_shortfall[k]),
                "shortfall_mean": float(result.shortfall_mean[k]),
                "p_all": float(result.p_all),
                "p_all_binding": float(result.p_all_binding),
                "runs": result.runs,
            }
        )
    return rows


def _one(scenario: Scenario, k: int, runs: int, seed, percentiles) -> list[dict]:
    from .engine import simulate

    res = simulate(scenario, runs, seed=sweep_seed(seed, k), percentiles=percentiles, threads=1)
    return summarise(res)


def sweep(
    scenarios: Sequence[Scenario],
    runs: int = 10_000,
    seed: int | None = 0,
    scheduler: str | None = None,
    workers: int = 2,
    progress: bool | Callable = False,
    percentiles=(5.0, 50.0, 95.0),
):
    """Monte Carlo of many scenarios, on Dask.

    Parameters
    ----------
    scenarios : sequence of Scenario
        E.g. from :func:`variants_from_table`.
    runs : int
        Runs per scenario.
    seed : int or None
        Root seed; scenario ``k`` uses :func:`sweep_seed` ``(seed, k)``.
    scheduler : str, optional
        None: a LocalCluster of ``workers`` processes on 127.0.0.1, closed at the end;
        ``"inprocess"``: no Dask; otherwise the address of a running scheduler.
    workers : int
        Worker processes of the LocalCluster.
    progress : bool or callable
        True shows a tqdm bar; a callable receives 1 per finished scenario.

    Returns
    -------
    pandas.DataFrame
        One row per scenario and target (columns :data:`SUMMARY_COLUMNS`), in scenario order.
    """
    import pandas as pd

    scenarios = list(scenarios)
    if not scenarios:
        raise ValueError("sweep needs at least one scenario")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)
    bar = None
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(scenarios), unit="scenario", desc="sweep")

    def tick():
        if bar is not None:
            bar.update(1)
        elif callable(progress):
            progress(1)

    results: list = [None] * len(scenarios)
    if scheduler == "inprocess":
        for k, sc in enumerate(scenarios):
            results[k] = _one(sc, k, runs, seed, percentiles)
            tick()
    else:
        from distributed import Client, LocalCluster, as_completed

        cluster = None
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=40,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler)
        try:
            futures = client.map(
                _one,
                scenarios,
                range(len(scenarios)),
                runs=runs,
                seed=seed,
                percentiles=percentiles,
                pure=False,
            )
            index = {f.key: k for k, f in enumerate(futures)}
            for fut in as_completed(futures):
                results[index[fut.key]] = fut.result()
                tick()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    if bar is not None:
        bar.close()
    df = pd.DataFrame([row for rows in results for row in rows], columns=SUMMARY_COLUMNS)
    df.attrs.update(seed=seed, runs=runs)
    return df

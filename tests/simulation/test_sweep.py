"""Sweeps over many scenarios: Dask LocalCluster of 2 workers gives the in-process numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planlib.simulation.engine import simulate
from planlib.simulation.sweep import summarise, sweep, sweep_seed, variants_from_table

TABLE = pd.DataFrame(
    {
        "id": [f"county-{k:02d}" for k in range(6)],
        "region": [f"县{k}" for k in range(6)],
        "output_growth": np.linspace(7, 12, 6),
        "tax_growth": np.linspace(15, 25, 6),
    }
)


@pytest.fixture(scope="module")
def counties(park):
    return variants_from_table(park, TABLE)


def test_variants_take_values_and_shift_distributions(counties, park):
    assert [c.meta.id for c in counties] == list(TABLE.id)
    assert counties[0].meta.region == "县0" and counties[0].meta.name == park.meta.name
    p = counties[0].parameter("output_growth")
    assert p.default == 7.0 and p.distribution.mean == 7.0 and p.distribution.sd == 2.0
    assert counties[5].parameter("tax_growth").distribution.mean == pytest.approx(25.0)


def test_variant_table_errors(park):
    with pytest.raises(ValueError, match="needs an 'id' column"):
        variants_from_table(park, [{"output_growth": 1}])
    with pytest.raises(KeyError, match="'nope' is not a parameter"):
        variants_from_table(park, [{"id": "a", "nope": 1}])
    with pytest.raises(ValueError, match="id 'a' twice"):
        variants_from_table(park, [{"id": "a"}, {"id": "a"}])


def test_inprocess_sweep_equals_simulate_per_scenario(counties):
    df = sweep(counties[:3], runs=3000, seed=7, scheduler="inprocess")
    for k, sc in enumerate(counties[:3]):
        ref = pd.DataFrame(summarise(simulate(sc, 3000, seed=sweep_seed(7, k))))
        got = df[df.scenario == sc.meta.id].reset_index(drop=True)
        pd.testing.assert_frame_equal(got[ref.columns], ref)
    # faster growth assumed → output target more likely
    p = df[df.target == "output_2025"].p_meet.to_numpy()
    assert (np.diff(p) > 0).all()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_dask_localcluster_of_two_workers_gives_the_inprocess_numbers(counties):
    import psutil

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    ticks = []
    dask_df = sweep(counties, runs=2000, seed=3, workers=2, progress=ticks.append)
    local = sweep(counties, runs=2000, seed=3, scheduler="inprocess")
    pd.testing.assert_frame_equal(dask_df, local)
    assert len(ticks) == len(counties)
    # the cluster is closed: no worker process is left behind
    left = [
        p
        for p in psutil.Process().children(recursive=True)
        if p.pid not in before and p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    ]
    left = [
        p for p in left if "resource_tracker" not in " ".join(p.cmdline())
    ]  # lives with pytest itself
    assert not left, [p.cmdline() for p in left]


def test_sweep_needs_scenarios():
    with pytest.raises(ValueError, match="at least one scenario"):
        sweep([], scheduler="inprocess")

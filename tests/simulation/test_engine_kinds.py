"""Every target kind of a real plan reads the same in the vectorised engine paths (issue 13)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from planlib.model import Model
from planlib.scenario import load_scenario
from planlib.simulation.engine import _first_met_counts, _met_by_year
from planlib.targets import compile_targets, implied_value, margin

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "scenarios").is_dir())


def test_met_by_year_agrees_with_the_margin_for_every_kind():
    sc = load_scenario(ROOT / "scenarios" / "county-example-14fyp.yaml")
    m = Model(sc)
    rng = np.random.default_rng(3)
    n = 400
    traj = m.evaluate(
        {
            "gdp_growth": rng.normal(6, 1, n),
            "income_growth": rng.normal(6, 0.8, n),
            "energy_fall": rng.normal(-3, 0.5, n),
        }
    )
    kinds = set()
    for ct in compile_targets(sc, traj):
        if ct.mode != "numeric":
            continue
        kinds.add((ct.target.kind, ct.target.op))
        met = margin(implied_value(traj.values, ct), ct) >= 0
        by_year = _met_by_year(traj.values, ct)
        assert np.array_equal(by_year[:, ct.year], met), ct.target.id
        counts = _first_met_counts(traj.values, ct)
        first = np.where(by_year.any(axis=1), by_year.argmax(axis=1), by_year.shape[1])
        assert np.array_equal(counts, np.bincount(first, minlength=by_year.shape[1] + 1)), (
            ct.target.id
        )
    assert {
        ("reduction", ">="),
        ("relative_growth", ">"),
        ("relative_growth", "~"),
        ("growth", "~"),
        ("level", "<"),
        ("level", ">"),
        ("level", "~"),
    } <= kinds

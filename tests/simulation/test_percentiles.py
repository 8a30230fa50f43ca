"""Exact percentiles from brackets (planlib.simulation.percentiles) against np.percentile.

The engine never holds every run: a pilot brackets each percentile, chunks are scanned
(count below, keep inside), brackets narrow as runs come in (_Tally.refine), and the exact
order statistics are selected at the end. Each path is checked here on small synthetic
cells whose percentiles numpy computes directly.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.simulation.percentiles import _Brackets, _Tally

Q = np.array([5.0, 25.0, 50.0, 75.0, 95.0])


def _cells(n: int, seed: int = 0) -> np.ndarray:
    """Rows of every awkward kind: smooth, constant, a few values, NaN, ties, a late outlier."""
    rng = np.random.default_rng(seed)
    rows = [
        rng.standard_normal(n),  # smooth
        np.full(n, 3.25),  # constant
        rng.integers(0, 3, n).astype(float),  # three values: brackets collapse to lo == hi
        np.where(rng.random(n) < 0.5, 1.0, rng.standard_normal(n)),  # half the runs tied
        rng.lognormal(0, 2, n),  # skewed
        np.full(n, 7.0),  # constant in the pilot, varying later (set below)
        rng.standard_normal(n),  # NaN in the pilot (set below)
        np.where(np.arange(n) % 2 == 0, -0.0, 0.0),  # signed zeros
    ]
    X = np.array(rows)
    X[5, n // 2 :: 7] = rng.standard_normal(len(X[5, n // 2 :: 7]))
    X[6, 3] = np.nan
    return X


def _run(X: np.ndarray, q, pilot: int, chunk: int, refine_every: int | None = None):
    """Bracket from the first ``pilot`` runs, scan in chunks, select: like the engine."""
    runs = X.shape[1]
    br = _Brackets(X[:, :pilot], np.asarray(q) / 100.0, runs)
    tally = _Tally(br)
    newest = br
    for a in range(0, runs, chunk):
        used, part = newest, np.ascontiguousarray(X[:, a : a + chunk])
        tally.add(used.scan(part), used, part.shape[1])
        if refine_every and tally.runs >= refine_every * tally.brackets.m and tally.runs < runs:
            newest = tally.refine()
    out, missed = _finish(tally, X)
    return out, missed, tally


def _finish(tally: _Tally, X: np.ndarray):
    """Select, and recompute what missed from every value of its rows (the second pass)."""
    runs = X.shape[1]
    out, missed = tally.brackets.select(runs, tally.below, tally.inside, tally.kept)
    if missed:
        wide = tally.brackets.widened(missed)
        below, inside, kept = wide.scan(X)
        redo, still = wide.select(runs, below, inside, {k: [v] for k, v in kept.items()})
        assert not still
        for c, j in missed:
            out[c, j] = redo[c, j]
    return out, missed


def _reference(X, q):
    with np.errstate(invalid="ignore"):
        return np.percentile(X, q, axis=1).T


def _check(out, missed, X, q):
    ref = _reference(X, q)
    # only the row constant in the pilot and varying later may miss (a second pass)
    assert {c for c, _ in missed} <= {5}
    nan_rows = np.isnan(X).any(axis=1)
    np.testing.assert_array_equal(out[~nan_rows], ref[~nan_rows])
    assert np.isnan(out[nan_rows]).all()


def test_every_kind_of_cell_equals_numpy():
    X = _cells(60_000)
    out, missed, _ = _run(X, Q, pilot=4096, chunk=10_000)
    _check(out, missed, X, Q)
    assert (5, 0) in missed  # 7.0 in the pilot, lower values later: found by the second pass


def test_narrowed_brackets_keep_fewer_values_and_stay_exact():
    X = _cells(200_000, seed=1)
    wide, _, t_wide = _run(X, Q, pilot=2048, chunk=8192)
    out, missed, t_narrow = _run(X, Q, pilot=2048, chunk=8192, refine_every=4)
    _check(out, missed, X, Q)
    np.testing.assert_array_equal(out, wide)
    kept = {k: sum(len(v) for v in parts) for k, parts in t_narrow.kept.items()}
    kept_wide = {k: sum(len(v) for v in parts) for k, parts in t_wide.kept.items()}
    # the smooth row keeps several times fewer values once the brackets narrow
    assert sum(kept[0, j] for j in range(5)) * 3 < sum(kept_wide[0, j] for j in range(5))
    assert (t_narrow.brackets.hi - t_narrow.brackets.lo)[0].max() < (
        (t_wide.brackets.hi - t_wide.brackets.lo)[0].min()
    )


def test_chunks_scanned_against_older_brackets_are_cut_to_the_newest():
    """A worker may scan with brackets the main thread has since narrowed."""
    X = _cells(120_000, seed=2)
    runs = X.shape[1]
    br = _Brackets(X[:, :4096], Q / 100.0, runs)
    tally = _Tally(br)
    tally.add(br.scan(X[:, :40_000].copy()), br, 40_000)
    late = br.scan(X[:, 80_000:].copy())  # scanned against the pilot's brackets...
    narrow = tally.refine()
    assert (narrow.hi - narrow.lo)[0].sum() < (br.hi - br.lo)[0].sum()
    tally.add(narrow.scan(X[:, 40_000:80_000].copy()), narrow, 40_000)
    tally.add(late, br, runs - 80_000)  # ...and added after the refinement
    _check(*_finish(tally, X), X, Q)


@pytest.mark.parametrize(
    "q",
    [
        (50.0, 50.0, 50.0),  # identical: one shared bracket, scanned once
        (49.99, 50.0, 50.01),  # overlapping brackets
        (0.0, 0.01, 99.99, 100.0),  # the edges: open-ended brackets
        (33.3, 66.7),
    ],
)
def test_adjacent_overlapping_and_edge_percentiles(q):
    X = _cells(50_000, seed=3)
    out, missed, _ = _run(X, q, pilot=4096, chunk=9000, refine_every=2)
    _check(out, missed, X, q)


def test_a_bracket_miss_is_reported_not_guessed():
    X = _cells(50_000, seed=4)
    br = _Brackets(X[:, :4096], Q / 100.0, X.shape[1])
    br.lo[0] += 10.0  # the smooth row's brackets far above its values
    br.hi[0] += 10.0
    br._plans = None
    tally = _Tally(br)
    tally.add(br.scan(X), br, X.shape[1])
    out, missed = br.select(X.shape[1], tally.below, tally.inside, tally.kept)
    assert {(0, j) for j in range(5)} <= missed and {c for c, _ in missed} <= {0, 5}
    assert np.isnan(out[0]).all()
    # the widened brackets of the second pass keep every value of that row only
    wide = br.widened(missed)
    b, i, k = wide.scan(X)
    redo, still = wide.select(X.shape[1], b, i, {key: [v] for key, v in k.items()})
    assert not still and {c for c, _ in k} == {c for c, _ in missed}
    np.testing.assert_array_equal(redo[0], _reference(X, Q)[0])


def test_a_pilot_covering_every_run_keeps_everything():
    X = _cells(3000, seed=5)
    out, missed, tally = _run(X, Q, pilot=3000, chunk=3000)
    _check(out, missed, X, Q)
    assert np.isinf(tally.brackets.lo).all() and np.isinf(tally.brackets.hi).all()


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(2000, 30_000),
    st.sampled_from(["normal", "discrete", "heavy"]),
    st.integers(500, 9000),
)
def test_random_cells_and_chunkings_equal_numpy(seed, n, kind, chunk):
    rng = np.random.default_rng(seed)
    if kind == "normal":
        x = rng.standard_normal((3, n))
    elif kind == "discrete":
        x = rng.integers(0, 5, (3, n)).astype(float)
    else:
        x = rng.standard_cauchy((3, n))
    q = np.sort(rng.uniform(0, 100, 4))
    out, missed, _ = _run(x, q, pilot=min(n, 1024), chunk=chunk, refine_every=2)
    ref = _reference(x, q)
    np.testing.assert_array_equal(out, ref)

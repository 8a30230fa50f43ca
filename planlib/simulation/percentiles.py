"""Exact percentiles over many runs without keeping every run (brackets from a pilot chunk)."""

from __future__ import annotations

import numpy as np

__all__ = ["DEFAULT_PERCENTILES", "exact_percentiles"]

DEFAULT_PERCENTILES = (5.0, 25.0, 50.0, 75.0, 95.0)


def _virtual_index(n: int, q: np.ndarray) -> np.ndarray:
    # numpy's 'linear' method
    return (n - 1) * q


def _lerp(a, b, t):
    # numpy's interpolation, so results equal np.percentile bit for bit
    diff = b - a
    out = a + diff * t
    return np.where(t >= 0.5, b - diff * (1 - t), out)


def exact_percentiles(x: np.ndarray, percentiles) -> np.ndarray:
    """Percentiles of ``x`` equal to ``np.percentile`` (linear method), by selection.

    Parameters
    ----------
    x : numpy.ndarray, shape (n,)
    percentiles : sequence of float
        In [0, 100] [%].
    """
    x = np.asarray(x, dtype=float)
    q = np.asarray(percentiles, dtype=float) / 100.0
    h = _virtual_index(len(x), q)
    lo = np.clip(np.floor(h).astype(np.int64), 0, len(x) - 1)
    hi = np.clip(lo + 1, 0, len(x) - 1)
    if np.isnan(x).any():
        return np.full(len(q), np.nan)
    part = np.partition(x, np.unique(np.concatenate([lo, hi])))
    return _lerp(part[lo], part[hi], h - np.floor(h))


class _Brackets:
    """Per (cell, percentile): count below ``lo``, keep values within [lo, hi]."""

    def __init__(self, pilot: np.ndarray, q: np.ndarray, runs: int, wide: set | None = None):
        C, m = pilot.shape
        self.q = q
        self.lo = np.full((C, len(q)), -np.inf)
        self.hi = np.full((C, len(q)), np.inf)
        self.nan = np.isnan(pilot).any(axis=1)
        wide = wide or set()
        d = 6.0 * np.sqrt(q * (1 - q) / m) + 10.0 / m
        plo, phi = np.clip(q - d, 0, 1), np.clip(q + d, 0, 1)
        if runs <= m or not C:  # the pilot is everything: keep every value
            return
        at_lo = np.floor(plo * (m - 1)).astype(np.int64)
        at_hi = np.ceil(phi * (m - 1)).astype(np.int64)
        flat = np.zeros(C, dtype=bool)
        with np.errstate(invalid="ignore"):
            flat = pilot.min(axis=1) == pilot.max(axis=1)
        for c in np.flatnonzero(flat & ~self.nan):  # constant in the pilot: count equal values
            self.lo[c] = self.hi[c] = pilot[c, 0]
        rows = np.flatnonzero(~flat & ~self.nan)
        # every row's order statistics in one call (the values at the kth positions are exact)
        part = np.partition(pilot[rows], np.unique(np.concatenate([at_lo, at_hi])), axis=1)
        for s, c in zip(part, rows, strict=True):
            for j in range(len(q)):
                if (c, j) in wide:
                    continue
                if plo[j] > 0:
                    self.lo[c, j] = s[at_lo[j]]
                if phi[j] < 1:
                    self.hi[c, j] = s[at_hi[j]]

    def scan(self, X: np.ndarray):
        """Count values below each bracket and keep those inside, for one chunk ``X`` (cells, n)."""
        C, J = self.lo.shape
        below = np.zeros((C, J), dtype=np.int64)
        inside = np.zeros((C, J), dtype=np.int64)
        kept = {}
        lt = np.empty(X.shape[1], dtype=bool)  # x < lo
        le = np.empty(X.shape[1], dtype=bool)  # x <= hi, then lo <= x <= hi
        for c in range(C):  # cell by cell: each row stays in cache for all its brackets
            if self.nan[c]:
                continue
            x = X[c]
            for j in range(J):
                lo, hi = self.lo[c, j], self.hi[c, j]
                if lo == hi:  # a value the pilot never saw vary: count, nothing to keep
                    below[c, j] = np.count_nonzero(np.less(x, lo, out=lt))
                    inside[c, j] = np.count_nonzero(np.equal(x, lo, out=le))
                    continue
                if lo == -np.inf and hi == np.inf:
                    kept[c, j] = x.copy()
                    inside[c, j] = len(x)
                    continue
                below[c, j] = np.count_nonzero(np.less(x, lo, out=lt))
                # lo <= hi, so x < lo implies x <= hi: "inside" is x <= hi but not x < lo
                np.logical_xor(np.less_equal(x, hi, out=le), lt, out=le)
                sel = x.compress(le)  # what x[le] gives, faster
                inside[c, j] = len(sel)
                kept[c, j] = sel
        return below, inside, kept

    def select(self, runs: int, below, inside, kept: dict, pool=None):
        """Exact percentiles (cells, percentiles) and the (cell, j) whose bracket missed.

        Cells are independent: with ``pool`` (an executor) they are selected in parallel.
        """
        C, J = self.lo.shape
        h = _virtual_index(runs, self.q)
        r0 = np.clip(np.floor(h).astype(np.int64), 0, runs - 1)
        r1 = np.clip(r0 + 1, 0, runs - 1)
        out = np.full((C, J), np.nan)
        missed = set()

        def one(c):
            got = []
            for j in range(J):
                a, b = r0[j] - below[c, j], r1[j] - below[c, j]
                if a < 0 or b >= inside[c, j]:
                    got.append(None)
                    continue
                if self.lo[c, j] == self.hi[c, j]:
                    v0 = v1 = self.lo[c, j]
                else:
                    vals = np.concatenate(kept.get((c, j), [np.empty(0)]))  # a fresh array
                    vals.partition(
                        a
                    )  # in place; then the next order statistic is the least above a
                    v0 = vals[a]
                    v1 = v0 if b == a else vals[a + 1 :].min()
                got.append(_lerp(np.float64(v0), np.float64(v1), h[j] - np.floor(h[j])))
            return got

        cells = [c for c in range(C) if not self.nan[c]]
        for c, got in zip(cells, (pool or _Serial()).map(one, cells), strict=True):
            for j, v in enumerate(got):
                if v is None:
                    missed.add((c, j))
                else:
                    out[c, j] = v
        return out, missed


class _Serial:
    """The executor interface, in the calling thread."""

    @staticmethod
    def map(fn, items):
        return map(fn, items)

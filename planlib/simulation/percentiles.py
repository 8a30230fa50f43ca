"""Exact percentiles over many runs without keeping every run.

A pilot chunk brackets each percentile (:class:`_Brackets`); each chunk is scanned against
the brackets (:class:`_Scan`: count the values below, keep those inside); the tally of the
chunks (:class:`_Tally`) narrows the brackets as runs come in, cutting what it kept to
them; the exact order statistics are finally selected from the kept values, equal to
``numpy.percentile`` bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _ranks(q: np.ndarray, m: int):
    """Levels and ranks among ``m`` runs bracketing each level ``q`` with a wide margin.

    The margin is 6 standard errors of a quantile estimated from ``m`` runs, plus 10 runs.
    """
    d = 6.0 * np.sqrt(q * (1 - q) / m) + 10.0 / m
    plo, phi = np.clip(q - d, 0, 1), np.clip(q + d, 0, 1)
    at_lo = np.floor(plo * (m - 1)).astype(np.int64)
    at_hi = np.ceil(phi * (m - 1)).astype(np.int64)
    return plo, phi, at_lo, at_hi


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
    """Per (cell, percentile): count values below ``lo``, keep those within [lo, hi].

    A bracket with ``lo == hi`` (the pilot saw one value around that rank) only counts the
    values below and equal to it; a bracket (−inf, inf) keeps every value.
    """

    def __init__(self, pilot: np.ndarray, q: np.ndarray, runs: int, wide: set | None = None):
        C, m = pilot.shape
        self.q = q
        self.m = m  # runs the brackets were estimated from
        self.lo = np.full((C, len(q)), -np.inf)
        self.hi = np.full((C, len(q)), np.inf)
        self.nan = np.isnan(pilot).any(axis=1)
        self._plans = None
        wide = wide or set()
        plo, phi, at_lo, at_hi = _ranks(q, m)
        if runs <= m or not C:  # the pilot is everything: keep every value
            return
        with np.errstate(invalid="ignore"):
            flat = pilot.min(axis=1) == pilot.max(axis=1)
        for c in np.flatnonzero(flat & ~self.nan):  # constant in the pilot: count equal values
            self.lo[c] = self.hi[c] = pilot[c, 0]
        rows = np.flatnonzero(~flat & ~self.nan)
        # every row's order statistics from a sorted copy (a SIMD sort: faster than a
        # partition at ten positions, and the values at those positions are the same)
        ordered = pilot[rows]
        ordered.sort(axis=1)
        for s, c in zip(ordered, rows, strict=True):
            for j in range(len(q)):
                if (c, j) in wide:
                    continue
                if plo[j] > 0:
                    self.lo[c, j] = s[at_lo[j]]
                if phi[j] < 1:
                    self.hi[c, j] = s[at_hi[j]]

    def widened(self, missed: set) -> _Brackets:
        """Brackets keeping every value of the ``missed`` (cell, j); other cells are skipped."""
        skip = np.ones_like(self.nan)
        out = self._with(self.lo.copy(), self.hi.copy(), skip)
        for c, j in missed:
            out.lo[c, j], out.hi[c, j] = -np.inf, np.inf
            skip[c] = self.nan[c]
        return out

    def _with(self, lo, hi, nan=None, m=None) -> _Brackets:
        """Return brackets for the same percentiles with other bounds."""
        out = _Brackets.__new__(_Brackets)
        out.q, out.lo, out.hi, out._plans = self.q, lo, hi, None
        out.nan = self.nan if nan is None else nan
        out.m = self.m if m is None else m
        return out

    def plans(self) -> list:
        """Per cell: None (not scanned) or its :class:`_CellPlan`.

        Percentiles sharing a bracket (the levels of a constant cell, say) are scanned once.
        Built on first use, from ``lo`` and ``hi`` as they are then.
        """
        if self._plans is None:
            plans = []
            for c in range(self.lo.shape[0]):
                if self.nan[c]:
                    plans.append(None)
                    continue
                groups: dict = {}
                pairs = zip(self.lo[c].tolist(), self.hi[c].tolist(), strict=True)
                for j, key in enumerate(pairs):
                    groups.setdefault(key, []).append(j)
                plans.append(_CellPlan.of(groups))
            self._plans = plans
        return self._plans

    def scanner(self, n: int, work=None) -> _Scan:
        """Start a scan of one chunk of ``n`` runs, fed one cell at a time (see :class:`_Scan`).

        ``work(name, shape, dtype)``, when given, supplies its scratch masks.
        """
        return _Scan(self, n, work)

    def scan(self, X: np.ndarray):
        """Count values below each bracket and keep those inside, for one chunk ``X`` (cells, n)."""
        s = self.scanner(X.shape[1])
        for c in range(X.shape[0]):
            s.cell(c, X[c])
        return s.below, s.inside, s.kept

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


@dataclass(frozen=True)
class _CellPlan:
    """One cell's distinct brackets, laid out for a scan with few numpy calls.

    Rows of ``lo``/``hi`` (shape (k, 1)) are compared with the whole row at once: first the
    ``ranges`` (values kept), then the ``flats`` (lo == hi: counted only). ``whole`` lists
    the percentiles whose bracket is (−inf, inf) (every value kept).
    """

    ranges: tuple  # ((j, ...), ...) of brackets with lo < hi, not both infinite
    flats: tuple  # ((j, ...), ...) of brackets with lo == hi
    whole: tuple  # (j, ...) of brackets (−inf, inf)
    lo: np.ndarray  # (k, 1): the ranges' lower ends, then the flats' values
    hi: np.ndarray
    all_rows: tuple  # ranges + flats
    range_lo: np.ndarray  # (ranges,): the ranges' ends, to slice the sorted kept values
    range_hi: np.ndarray

    @classmethod
    def of(cls, groups: dict) -> _CellPlan:
        """Lay out ``{(lo, hi): [j, ...]}``."""
        ranges = [(a, b, tuple(js)) for (a, b), js in groups.items() if a < b]
        ranges = [r for r in ranges if not (r[0] == -np.inf and r[1] == np.inf)]
        flats = [(a, b, tuple(js)) for (a, b), js in groups.items() if a == b]
        whole = [j for (a, b), js in groups.items() if a == -np.inf and b == np.inf for j in js]
        lo = np.array([a for a, _, _ in ranges + flats], dtype=float).reshape(-1, 1)
        hi = np.array([b for _, b, _ in ranges + flats], dtype=float).reshape(-1, 1)
        r = len(ranges)
        return cls(
            ranges=tuple(js for _, _, js in ranges),
            flats=tuple(js for _, _, js in flats),
            whole=tuple(whole),
            lo=lo,
            hi=hi,
            all_rows=tuple(js for _, _, js in ranges + flats),
            range_lo=lo[:r, 0].copy(),
            range_hi=hi[:r, 0].copy(),
        )


class _Scan:
    """Counts and kept values of one chunk, gathered cell by cell.

    The engine feeds each row while it is in cache for its sums. A row is compared with
    all its brackets in two numpy calls; the values inside any of them are picked out
    once, sorted, and each bracket's kept values are a slice of that sorted array.
    """

    def __init__(self, brackets: _Brackets, n: int, work=None):
        C, J = brackets.lo.shape
        work = work or (lambda name, shape, dtype: np.empty(shape, dtype))
        self.plans = brackets.plans()
        self.below = np.zeros((C, J), dtype=np.int64)
        self.inside = np.zeros((C, J), dtype=np.int64)
        self.kept: dict = {}
        self._lt = work("scan:lt", (J, n), bool)  # x < lo, a row per bracket
        self._in = work("scan:in", (J, n), bool)  # x <= hi, then lo <= x <= hi
        self._any = work("scan:any", (n,), bool)  # inside one of the kept brackets
        self._same: dict = {}  # cell -> the value every run of the chunk has

    def same(self, c: int) -> float | None:
        """Return the value every run of scanned cell ``c`` has, if it was seen to be one."""
        return self._same.get(c)

    def cell(self, c: int, x: np.ndarray) -> None:
        """Scan row ``c`` (its values ``x`` over the chunk's runs)."""
        plan = self.plans[c]
        if plan is None:
            return
        below, inside, kept = self.below, self.inside, self.kept
        for j in plan.whole:
            kept[c, j] = x.copy()
            inside[c, j] = len(x)
        k, r = len(plan.lo), len(plan.ranges)
        if not k:
            return
        lt, ins = self._lt[:k], self._in[:k]
        np.less(x, plan.lo, out=lt)
        # lo <= hi, so x < lo implies x <= hi: "inside" is x <= hi but not x < lo
        np.logical_xor(np.less_equal(x, plan.hi, out=ins), lt, out=ins)
        for i, js in enumerate(plan.all_rows):
            b = np.count_nonzero(lt[i])
            for j in js:
                below[c, j] = b
        for i, js in enumerate(plan.flats, start=r):  # lo == hi: count, nothing to keep
            n_in = np.count_nonzero(ins[i])
            for j in js:
                inside[c, j] = n_in
            if k == 1 and n_in == len(x):  # one bracket, and every value on it
                self._same[c] = float(plan.lo[0, 0])
        if not r:
            return
        mask = ins[0] if r == 1 else np.logical_or.reduce(ins[:r], axis=0, out=self._any)
        values = x.compress(mask)
        values.sort()  # each bracket's values: a slice; NaN is in none
        first = values.searchsorted(plan.range_lo, side="left").tolist()
        last = values.searchsorted(plan.range_hi, side="right").tolist()
        for js, a, b in zip(plan.ranges, first, last, strict=True):
            part = values[a:b]
            for j in js:  # brackets sharing values share the kept array (select copies it)
                inside[c, j] = b - a
                kept[c, j] = part


def _cut(values: np.ndarray, lo: float, hi: float):
    """Count ``values`` below ``lo``; keep those in [lo, hi] (None when lo == hi: count them)."""
    below = int(np.count_nonzero(values < lo))
    if lo == hi:
        return below, None, int(np.count_nonzero(values == lo))
    kept = values[(values >= lo) & (values <= hi)]
    return below, kept, len(kept)


class _Tally:
    """The chunks scanned so far: counts and kept values against the newest brackets.

    Brackets only narrow (:meth:`refine`), so a chunk scanned against older, wider brackets
    is cut to the newest when added: the counts below and inside stay exact, and which
    brackets a chunk met never changes the percentiles selected at the end.
    """

    def __init__(self, brackets: _Brackets):
        C, J = brackets.lo.shape
        self.brackets = brackets
        self.below = np.zeros((C, J), dtype=np.int64)
        self.inside = np.zeros((C, J), dtype=np.int64)
        self.kept: dict = {}  # (cell, j) -> list of arrays
        self.runs = 0

    def add(self, scanned: tuple, used: _Brackets, n: int) -> None:
        """Add the scan of ``n`` runs (``below, inside, kept``) made against ``used``."""
        below, inside, kept = scanned
        new = self.brackets
        if used is not new:
            moved = np.argwhere((used.lo != new.lo) | (used.hi != new.hi))
            for c, j in moved.tolist():
                values = kept.pop((c, j), None)
                if values is None:  # a count-only bracket never narrows; nothing kept here
                    continue
                b, values, inside[c, j] = _cut(values, new.lo[c, j], new.hi[c, j])
                below[c, j] += b
                if values is not None:
                    kept[c, j] = values
        self.below += below
        self.inside += inside
        for key, values in kept.items():
            self.kept.setdefault(key, []).append(values)
        self.runs += n

    def refine(self) -> _Brackets:
        """Narrow the brackets to what the runs tallied so far allow, and cut the tally to them.

        The new brackets are the order statistics of the tallied runs at the ranks the
        pilot rule gives for this many runs (a margin shrinking as 1/sqrt(runs)); a
        bracket whose ranks fall outside its kept values stays as it is.
        """
        old, m = self.brackets, self.runs
        plo, phi, at_lo, at_hi = _ranks(old.q, m)
        lo, hi = old.lo.copy(), old.hi.copy()
        for (c, j), parts in list(self.kept.items()):
            l0, h0 = lo[c, j], hi[c, j]
            if not (np.isfinite(l0) and np.isfinite(h0) and l0 < h0 and 0 < plo[j] < phi[j] < 1):
                continue
            a, b = at_lo[j] - self.below[c, j], at_hi[j] - self.below[c, j]
            if a < 0 or b >= self.inside[c, j]:
                continue
            values = np.concatenate(parts)
            values.partition([a, b] if a < b else a)  # the two order statistics, in place
            nl, nh = values[a], values[b]
            below, kept, self.inside[c, j] = _cut(values, nl, nh)
            self.below[c, j] += below
            if kept is None:  # one value around these ranks: count it from now on
                del self.kept[c, j]
            else:
                self.kept[c, j] = [kept]  # the rest is freed
            lo[c, j], hi[c, j] = nl, nh
        self.brackets = old._with(lo, hi, m=m)
        return self.brackets


class _Serial:
    """The executor interface, in the calling thread."""

    @staticmethod
    def map(fn, *items):
        return map(fn, *items)

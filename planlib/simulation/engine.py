"""Monte Carlo: how likely each target is, given the uncertainty the scenario file states.

Parameters with a ``distribution`` are drawn (constant per run, or each year
with ``per_year: true``), correlated through a Gaussian copula built from
``correlations:``. Runs are drawn in blocks of :data:`BLOCK` runs; a chunk of
blocks is evaluated at once by the compiled :class:`~planlib.model.Model`,
time-major and in place (each indicator-year a contiguous vector of runs), and
statistics are gathered chunk by chunk with sums kept per block, so memory stays
bounded and no Python loop runs over individual runs. Every chunk runs on the
worker threads, the first (the pilot) first; the calling thread gathers. Each
thread reuses its scratch memory from chunk to chunk (draws, Φ, formula
temporaries, the chunk itself), and rows the same in every run are computed once.

Reproducibility: block ``b`` draws from ``SeedSequence(seed).spawn(...)[b]``
(the ``b``-th child), and sums are combined per block in block order, so the
result is bit-for-bit the same whatever the chunk size or the number of threads
or Dask workers.

Exact percentiles without keeping every run: a pilot chunk brackets each
percentile; later chunks only count values below the bracket and keep the few
inside it (scanned while each row is in cache for its sums); the brackets narrow
as runs come in (:data:`NARROW`); the exact order statistics are then selected
from those (``numpy.partition`` on a small array). When a bracket misses — a
rare event — the affected cells are recomputed in a second pass that keeps all
values. Which brackets a chunk met never changes a result.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

import numpy as np

from ..model import Model
from ..scenario import Scenario, rule_references
from ..targets import CompiledTarget, compile_targets, implied_at, implied_value, margin
from .draws import (
    BLOCK,
    _check_runs,
    _draw_blocks,
    _prepare_draws,
    _root_seed,
    block_seeds,
    draw_parameters,
)
from .percentiles import DEFAULT_PERCENTILES, _Brackets, _Serial, _Tally, exact_percentiles
from .results import SimulationResult

__all__ = [
    "BLOCK",
    "DEFAULT_PERCENTILES",
    "SimulationResult",
    "ProbabilitySolveResult",
    "draw_parameters",
    "simulate",
    "solve_probability",
    "exact_percentiles",
    "block_seeds",
]

#: runs of the first chunk used to bracket the percentiles
PILOT = 16384
#: the brackets narrow each time the runs gathered reach this many times those they came from
NARROW = 8
#: blocks whose target statistics are computed together (a default chunk: few, large numpy calls)
STATS_GROUP = 8


# ---- the engine ---------------------------------------------------------------------------
def _met_by_year(values: np.ndarray, ct: CompiledTarget) -> np.ndarray:
    """Whether the target would be met if read in each model year, shape (runs, years)."""
    series = values[:, ct.row, :]
    n, Y = series.shape
    kind = ct.target.kind
    t = np.arange(Y)
    if kind in ("reduction", "relative_growth"):
        implied = np.full((n, Y), np.nan)
        for y in range(ct.start + 1, Y):  # a loop over years, vectorised over runs
            implied[:, y] = implied_at(values, ct, y)
    elif kind == "level":
        implied = series
    elif kind == "cumulative":
        implied = np.full((n, Y), np.nan)
        implied[:, ct.start :] = np.cumsum(series[:, ct.start :], axis=1)
    else:
        start = series[:, ct.start : ct.start + 1]
        span = (t - ct.start).astype(float)
        if kind == "growth":
            return _growth_met_by_year(series, start, span, ct)
        with np.errstate(invalid="ignore"):
            implied = np.where(span > 0, series - start, np.nan)
    with np.errstate(invalid="ignore"):
        return margin(implied, ct) >= 0


def _rate_bounds(t, tol: float) -> tuple[float, float]:
    """Lowest and highest growth rate [%/year] that meet a growth target, as its margin reads it."""
    lo = {">=": t.value - tol, "=": t.value - tol, "~": t.value - tol, ">": t.value + tol}.get(
        t.op, -np.inf
    )
    hi = {"<=": t.value + tol, "=": t.value + tol, "~": t.value + tol, "<": t.value - tol}.get(
        t.op, np.inf
    )
    return lo, hi


def _growth_met_by_year(series, start, span, ct: CompiledTarget) -> np.ndarray:
    """Growth targets read each year, without a power per run.

    A CAGR bound ``r`` over ``s`` years is a bound ``(1 + r/100) ** s`` on the
    ratio end/start, computed once per year instead of once per run and year.
    """
    t = ct.target
    with np.errstate(invalid="ignore", divide="ignore"):
        span = np.where(span > 0, span, np.nan)
        ratio = series / start
        ok = (start > 0) & (series >= 0)
        lo_rate, hi_rate = _rate_bounds(t, ct.tolerance)
        lo = np.power(1.0 + lo_rate / 100.0, span) if np.isfinite(lo_rate) else np.zeros_like(span)
        hi = (
            np.power(1.0 + hi_rate / 100.0, span)
            if np.isfinite(hi_rate)
            else np.full_like(span, np.inf)
        )
        lo = np.where(1.0 + lo_rate / 100.0 > 0, lo, 0.0)
        return ok & (ratio >= lo) & (ratio <= hi) & np.isfinite(span)


def _first_met_counts(values: np.ndarray, ct: CompiledTarget) -> np.ndarray:
    """Count the runs whose target is first met in each year (last: never), shape (years + 1,).

    The same test as :func:`_met_by_year`, read one year at a time on ``values``
    shaped (runs, indicators, years) with runs contiguous (the Monte Carlo block),
    so no (runs, years) table is built.
    """
    series = values[:, ct.row, :]
    n, Y = series.shape
    kind = ct.target.kind
    s0 = max(ct.start, 0)
    nows = []  # (year, met that year) for the years counted
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "level":
            for t in range(s0, Y):
                nows.append((t, margin(series[:, t], ct) >= 0))
        elif kind == "cumulative":
            acc = None
            for t in range(ct.start, Y):  # a running sum: the additions of np.cumsum, in its order
                acc = series[:, t].copy() if acc is None else acc + series[:, t]
                if t >= s0:
                    nows.append((t, margin(acc, ct) >= 0))
        elif kind == "growth":
            tg = ct.target
            span = (np.arange(Y) - ct.start).astype(float)
            span = np.where(span > 0, span, np.nan)
            # bounds on end/start per year, computed exactly as _growth_met_by_year does
            lo_rate, hi_rate = _rate_bounds(tg, ct.tolerance)
            lo = (
                np.power(1.0 + lo_rate / 100.0, span)
                if np.isfinite(lo_rate)
                else np.zeros_like(span)
            )
            hi = (
                np.power(1.0 + hi_rate / 100.0, span)
                if np.isfinite(hi_rate)
                else np.full_like(span, np.inf)
            )
            lo = np.where(1.0 + lo_rate / 100.0 > 0, lo, 0.0)
            start = series[:, ct.start]
            start_ok = start > 0
            for t in range(s0, Y):
                if not np.isfinite(span[t]):
                    continue  # never met in a year without a span
                now = series[:, t] / start
                ok = now >= lo[t]
                if (
                    hi[t] != np.inf
                ):  # ratio <= inf fails only for NaN, which already failed ratio >= lo
                    ok &= now <= hi[t]
                ok &= series[:, t] >= 0
                ok &= start_ok
                nows.append((t, ok))
        elif kind in ("reduction", "relative_growth"):
            for t in range(max(s0, ct.start + 1), Y):
                nows.append((t, margin(implied_at(values, ct, t), ct) >= 0))
        else:  # increment, pp_change: the change since the start year
            start = series[:, ct.start]
            for t in range(s0, Y):
                if t - ct.start > 0:
                    nows.append((t, margin(series[:, t] - start, ct) >= 0))
    counts = np.zeros(Y + 1, dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    new = np.empty(n, dtype=bool)
    for t, now in nows:
        counts[t] = np.count_nonzero(np.greater(now, seen, out=new))  # met this year, never before
        seen |= now
    counts[Y] = n - counts[:Y].sum()
    return counts


class _Engine:
    """Everything fixed for one simulation: model, draws, cells kept, target compilation."""

    def __init__(self, scenario: Scenario, model: Model | None, params: Mapping | None):
        self.scenario = scenario
        self.model = model or Model(scenario)
        self.fixed = dict(params or {})
        self.local = threading.local()  # per-thread scratch buffers of this simulation
        self.invariant: dict = {}  # model rows the same in every run, shared by the chunks
        self.draws, self.chol = _prepare_draws(scenario)
        for name in self.fixed:
            if name not in self.model.parameters:
                raise KeyError(
                    f"unknown parameter {name!r}; have {', '.join(self.model.parameters)}"
                )
        self.Y = len(self.model.years)
        base = self.model.evaluate({k: v for k, v in self.fixed.items() if np.ndim(v) == 0} or None)
        self.base = base.values[0]
        # qualitative and stated-only targets have nothing to draw: Monte Carlo covers the numeric
        # ones
        self.compiled = [ct for ct in compile_targets(scenario, base) if ct.mode == "numeric"]
        # indicators that vary between runs: those reading a drawn parameter, directly or through
        # links
        varying = {d.name for d in self.draws} | {
            k for k, v in self.fixed.items() if np.ndim(v) > 0
        }
        for ind in self.model.order:
            li, names = rule_references(scenario.indicator(ind).rule)
            if varying & set(li + names):
                varying.add(ind)
        # a relative_growth target reads two rows: when one varies, keep both per run
        for ct in self.compiled:
            if ct.ref_row >= 0:
                pair = {self.model.indicators[ct.row], self.model.indicators[ct.ref_row]}
                if varying & pair:
                    varying |= pair
        self.rows = [i for i, k in enumerate(self.model.indicators) if k in varying]
        self.row_ids = [self.model.indicators[i] for i in self.rows]
        self.base_cells = self.base[self.rows].reshape(-1, 1)
        binding = [j for j, ct in enumerate(self.compiled) if ct.attribute == "约束性"]
        self.binding = np.array(binding, dtype=int)
        # targets on run-invariant indicators are read once from the baseline
        self.live = [
            j
            for j, ct in enumerate(self.compiled)
            if ct.row in self.rows or (ct.ref_row >= 0 and ct.ref_row in self.rows)
        ]
        const = [j for j in range(len(self.compiled)) if j not in self.live]
        self.const_met = np.zeros(len(self.compiled), dtype=bool)
        self.const_short = np.zeros(len(self.compiled))
        self.const_first = np.full(len(self.compiled), self.Y)
        for j in const:
            ct = self.compiled[j]
            m = margin(implied_value(base.values[:1], ct), ct)[0]
            self.const_met[j] = m >= 0
            self.const_short[j] = max(-m, 0.0) if not math.isnan(m) else math.nan
            by_year = _met_by_year(base.values[:1], ct)[0]
            self.const_first[j] = int(np.argmax(by_year)) if by_year.any() else self.Y
        self.const = np.array(const, dtype=int)
        # live targets read the (cells, runs) block, where each year of a row is contiguous
        self.live_ct = [
            replace(
                self.compiled[j],
                row=self.rows.index(self.compiled[j].row),
                ref_row=self.rows.index(self.compiled[j].ref_row)
                if self.compiled[j].ref_row >= 0
                else -1,
            )
            for j in self.live
        ]

    def fill(self, blocks: list, out: np.ndarray, fixed: Mapping | None = None) -> None:
        """Draw and evaluate consecutive blocks into ``out`` shaped (cells, runs of the blocks).

        ``blocks`` holds (runs, seed sequence) per block: each block draws from its own
        seed, then all of them are evaluated at once (runs never interact, so this equals
        evaluating block by block). ``fixed`` overrides the engine's fixed values (per-run
        slices for these blocks).
        """
        drawn = _draw_blocks(
            self.draws, self.chol, blocks, self.Y, partial(_scratch, self.local)
        )
        params = {**(self.fixed if fixed is None else fixed), **drawn}
        R, Y, n = len(self.rows), self.Y, out.shape[1]
        block = out.view()
        block.shape = (
            R,
            Y,
            n,
        )  # a view (never a copy): rows of ``out`` are the years of each kept indicator
        if params and R:
            # time-major, written in place; rows the same in every run computed once
            self.model._evaluate_into(
                params, n, self.row_ids, block, self.invariant, partial(_scratch, self.local)
            )
        else:
            np.copyto(block, self.base[self.rows][:, :, None])

    def stats(self, cells: np.ndarray, sizes: list[int], scan=None) -> dict:
        """Partial statistics of consecutive blocks held in ``cells`` (cells, runs).

        Each block has ``sizes`` runs. ``scan`` (a percentile scan, :class:`_Scan`) is fed
        each row while it is in cache for its sums.

        Sums are kept per block, so combining them never depends on how blocks were grouped.
        """
        n = cells.shape[1]
        R, Y, T = len(self.rows), self.Y, len(self.compiled)
        k = len(sizes)
        met = np.zeros((T, n), dtype=bool)  # targets × runs: rows are contiguous
        met[self.const] = self.const_met[self.const, None]
        short = self.const_short[:, None] * np.asarray(sizes, dtype=float)[None, :]
        first = np.zeros((T, Y + 1), dtype=np.int64)
        first[self.const, self.const_first[self.const]] = n
        V = cells.reshape(R, Y, n).transpose(2, 0, 1)  # (runs, rows, years) view, runs contiguous
        for j, ct in zip(self.live, self.live_ct, strict=True):
            m = margin(implied_value(V, ct), ct)
            met[j] = m >= 0
            short[j] = _per_block(np.maximum(-m, 0.0), sizes)
            first[j] = _first_met_counts(V, ct)  # a loop over years, not runs
        all_b = (
            np.count_nonzero(np.logical_and.reduce(met[self.binding], axis=0))
            if len(self.binding)
            else 0
        )
        # deviations from the deterministic path (exact when nothing varies), cell by cell in one
        # scratch row: bounded memory, and each row stays in cache for its sum and sum of squares
        sums = np.empty((2, R * Y, k))  # per cell and block: deviations and their squares
        dev = _scratch(self.local, "dev", (2, n))
        for c in range(R * Y):
            if scan is not None:
                scan.cell(c, cells[c])
                same = scan.same(c)
                if same is not None and same != 0.0 and same == self.base_cells[c, 0]:
                    # every run equals the deterministic path (a nonzero value, so the same
                    # bits): its deviations are exactly zero
                    sums[:, c] = 0.0
                    continue
            np.subtract(cells[c], self.base_cells[c, 0], out=dev[0])
            np.multiply(dev[0], dev[0], out=dev[1])
            sums[:, c] = _per_block(dev, sizes)
        total, squares = sums
        return {
            "sum": total,
            "sumsq": squares,
            "met": np.array(
                [np.count_nonzero(row) for row in met], dtype=np.int64
            ),  # row by row: fast
            "short": short,
            "first": first,
            "all_binding": int(all_b),
            "all": int(np.count_nonzero(np.logical_and.reduce(met, axis=0))),
        }


#: bytes of each block scratch arrays are carved from: at least 4 MB, so numpy asks the
#: kernel for huge pages (a fault per 2 MB instead of per 4 kB)
ARENA_BLOCK = 16 << 20


def _scratch(local: threading.local, name: str, shape: tuple, dtype=float) -> np.ndarray:
    """Return a C-contiguous buffer of ``shape`` reused by the calling thread.

    Fresh memory faults its pages in, one by one: so each name keeps its slot for every
    later call asking for no more bytes (a view of its start), and slots are carved out
    of large blocks backed by huge pages. Its contents are overwritten by the next call
    with the same name in the same thread; the memory lives as long as ``local`` (one
    simulation's engine).
    """
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    slots = getattr(local, "slots", None)
    if slots is None:
        slots = local.slots = {}
        local.block, local.used = None, 0
    slot = slots.get(name)
    if slot is None or len(slot) < nbytes:
        # grown by a quarter at least, so sizes that creep up (Φ's tail) settle quickly
        want = max(nbytes, 0 if slot is None else len(slot) + len(slot) // 4)
        want = -(-want // 64) * 64  # every slot starts 64-byte aligned
        if local.block is None or local.used + want > len(local.block):
            local.block, local.used = np.empty(max(ARENA_BLOCK, want), np.uint8), 0
        slot = slots[name] = local.block[local.used : local.used + want]
        local.used += want
    return slot[:nbytes].view(dtype).reshape(shape)


def _per_block(a: np.ndarray, sizes: list[int]) -> np.ndarray:
    """Sum over the last axis block by block, shape (..., blocks).

    Only the last block may be short.
    """
    full = len(sizes) if sizes[-1] == BLOCK else len(sizes) - 1
    if full == len(sizes):  # whole blocks: one reduction
        return a.reshape(a.shape[:-1] + (full, BLOCK)).sum(axis=-1)
    parts = []
    if full:
        head = a[..., : full * BLOCK]
        parts.append(head.reshape(a.shape[:-1] + (full, BLOCK)).sum(axis=-1))
    if full < len(sizes):
        parts.append(a[..., full * BLOCK :].sum(axis=-1, keepdims=True))
    return np.concatenate(parts, axis=-1)


def _blocks(runs: int) -> list[tuple[int, int, int]]:
    return [(b, b * BLOCK, min(BLOCK, runs - b * BLOCK)) for b in range(-(-runs // BLOCK))]


def simulate(
    scenario: Scenario,
    runs: int = 10_000,
    seed=None,
    percentiles=DEFAULT_PERCENTILES,
    chunk_size: int | None = None,
    threads: int | None = None,
    params: Mapping | None = None,
    model: Model | None = None,
    progress: bool | Callable = False,
) -> SimulationResult:
    """Monte Carlo over the scenario's uncertain parameters.

    Parameters
    ----------
    scenario : Scenario
        Parameters with a ``distribution`` are drawn; the others keep their defaults.
    runs : int
        Number of runs.
    seed : int, SeedSequence or None
        Root seed; None draws fresh entropy (reported in the result).
    percentiles : sequence of float
        Percentile levels [%] computed exactly per indicator and year.
    chunk_size : int, optional
        Runs per unit of work, rounded up to a multiple of :data:`BLOCK`
        (default 8 blocks). Does not change the result.
    threads : int, optional
        Worker threads (default: up to 2). Does not change the result.
    params : mapping, optional
        Fixed values (scalars or per-run arrays of length ``runs``) for parameters that are not
        drawn.
    model : Model, optional
        A compiled model to reuse.
    progress : bool or callable
        True shows a tqdm bar; a callable receives the number of runs done after each chunk.

    Returns
    -------
    SimulationResult
    """
    runs = _check_runs(runs)
    root = _root_seed(seed)
    q = np.asarray([float(p) for p in percentiles])
    if q.ndim != 1 or not len(q) or ((q < 0) | (q > 100)).any():
        raise ValueError(f"percentiles must be numbers in [0, 100], got {list(percentiles)}")
    fixed = dict(params or {})
    for k, v in fixed.items():
        if np.ndim(v) > 0 and np.shape(v)[0] != runs:
            raise ValueError(f"parameter {k!r}: {np.shape(v)[0]} values given for {runs} runs")
    engine = _Engine(scenario, model, fixed)
    per_run = {k: np.asarray(v, dtype=float) for k, v in fixed.items() if np.ndim(v) > 0}
    blocks = _blocks(runs)
    per_chunk = max(1, -(-(chunk_size or 8 * BLOCK) // BLOCK))
    nthreads = max(1, threads or min(2, os.cpu_count() or 1))
    # the first chunk (it brackets the percentiles) is just the pilot; the rest run in parallel
    head = min(len(blocks), max(1, -(-PILOT // BLOCK)), per_chunk)
    count = -(-(len(blocks) - head) // per_chunk)
    if chunk_size is None and nthreads > 1 and count > nthreads:
        count = -(-count // nthreads) * nthreads  # whole rounds: no thread idles at the end
    rest = len(blocks) - head
    sizes = [rest // count + (i < rest % count) for i in range(count)]  # as equal as can be
    starts = [head + sum(sizes[:i]) for i in range(count)]
    chunks = [blocks[:head]] + [blocks[a : a + k] for a, k in zip(starts, sizes, strict=True)]
    seeds = block_seeds(root, range(len(blocks)))

    def run_chunk(chunk, pilot=None, scan=True):
        N = sum(n for _, _, n in chunk)
        # (cells, runs of chunk), reused by this thread: scanned before its next chunk overwrites it
        X = _scratch(engine.local, "chunk", (len(engine.rows) * engine.Y, N))
        first = chunk[0][1]
        # per-run fixed values: this chunk's slice
        fixed = (
            {**engine.fixed, **{k: v[first : first + N] for k, v in per_run.items()}}
            if per_run
            else None
        )
        # one evaluation for the whole chunk
        engine.fill([(n, seeds[b]) for b, _, n in chunk], X, fixed)
        if pilot is not None:  # the first chunk brackets the percentiles before its statistics
            pilot(X)
        # with the brackets ready and one group of statistics, the scan rides along the sums
        used = box.get("brackets") if scan and len(chunk) <= STATS_GROUP else None
        scanner = used.scanner(N, partial(_scratch, engine.local)) if used is not None else None
        parts, at = [], 0
        for g in range(0, len(chunk), STATS_GROUP):  # statistics a few blocks at a time
            sizes = [n for _, _, n in chunk[g : g + STATS_GROUP]]
            parts.append(engine.stats(X[:, at : at + sum(sizes)], sizes, scanner))
            at += sum(sizes)
        if scanner is not None:
            return parts, X, used, (scanner.below, scanner.inside, scanner.kept)
        return parts, X, None, None

    nthreads = min(nthreads, len(chunks))
    bar = _progress_bar(progress, runs)
    ready = threading.Event()  # set once the first chunk has bracketed the percentiles
    box: dict = {}

    def bracket(X):
        box["brackets"] = _Brackets(X[:, :PILOT], q / 100.0, runs)
        box["brackets"].plans()
        ready.set()  # the other chunks' scans may start

    def work(chunk, first=False):
        # draws, evaluation, sums, and the scan when the brackets are ready (the first chunk
        # makes them from its pilot runs before its own sums)
        parts, X, used, scanned = run_chunk(chunk, bracket if first else None)
        if used is None:  # the brackets were not ready for the sums: scan now
            ready.wait()
            used = box["brackets"]  # the newest brackets (they narrow as runs come in)
            scanned = used.scan(X)
        return parts, used, scanned

    pool = ThreadPoolExecutor(nthreads) if nthreads > 1 and len(chunks) > 1 else None
    try:
        # every chunk on the workers, the pilot first; this thread gathers and narrows
        firsts = [True] + [False] * (len(chunks) - 1)
        outs = (pool or _Serial()).map(work, chunks, firsts)
        parts: list = []
        tally = None
        for (chunk_parts, used, scanned), chunk in zip(outs, chunks, strict=True):
            n = sum(n for _, _, n in chunk)
            parts.extend(chunk_parts)
            tally = tally or _Tally(box["brackets"])
            tally.add(scanned, used, n)
            if NARROW * tally.brackets.m <= tally.runs < runs:  # narrower brackets for what is left
                box["brackets"] = tally.refine()
                box["brackets"].plans()
            _tick(bar, progress, n)
        if bar is not None:
            bar.close()
        brackets = tally.brackets
        cellq, missed = brackets.select(runs, tally.below, tally.inside, tally.kept, pool)
    finally:
        ready.set()  # never leave a worker waiting (its scan fails harmlessly if the pilot failed)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    below, inside = tally.below, tally.inside
    del tally
    if missed:  # a bracket missed: second pass keeping every value of those cells
        wide = brackets.widened(missed)
        b2 = np.zeros_like(below)
        i2 = np.zeros_like(inside)
        k2: dict = {}
        for chunk in chunks:
            X = run_chunk(chunk, scan=False)[1]
            bb, ii, kk = wide.scan(X)
            b2 += bb
            i2 += ii
            for key, v in kk.items():
                k2.setdefault(key, []).append(v)
        redo, still = wide.select(runs, b2, i2, k2)
        assert not still, "a full-width bracket cannot miss"
        for c, j in missed:
            cellq[c, j] = redo[c, j]
    return _assemble(engine, scenario, runs, root, q, parts, cellq)


def _progress_bar(progress, runs):
    if progress is True:
        from tqdm.auto import tqdm

        return tqdm(total=runs, unit="run", unit_scale=True, desc="Monte Carlo")
    return None


def _tick(bar, progress, n):
    if bar is not None:
        bar.update(n)
    elif callable(progress):
        progress(n)


def _assemble(
    engine: _Engine, scenario: Scenario, runs: int, root, q, parts, cellq
) -> SimulationResult:
    m = engine.model
    n_ind, Y, R = len(m.indicators), engine.Y, len(engine.rows)
    quant = np.broadcast_to(engine.base, (len(q), n_ind, Y)).copy()
    mean = engine.base.copy()
    std = np.where(np.isnan(engine.base), np.nan, 0.0)
    if R:
        # block sums combined in block order: identical whatever the chunking
        s = np.concatenate([p["sum"] for p in parts], axis=1).sum(axis=1)
        ss = np.concatenate([p["sumsq"] for p in parts], axis=1).sum(axis=1)
        shift = s / runs
        var = np.maximum(ss - s * shift, 0.0) / max(runs - 1, 1)
        mean[engine.rows] = (engine.base_cells[:, 0] + shift).reshape(R, Y)
        std[engine.rows] = np.sqrt(var).reshape(R, Y)
        quant[:, engine.rows, :] = cellq.T.reshape(len(q), R, Y)
    met = np.sum(np.stack([p["met"] for p in parts]), axis=0)
    short = np.concatenate([p["short"] for p in parts], axis=1).sum(axis=1)  # blocks in order
    first = np.sum(np.stack([p["first"] for p in parts]), axis=0)
    missed = runs - met
    targets = tuple(
        {
            "id": ct.target.id,
            "indicator": ct.target.indicator,
            "year": ct.target.year,
            "kind": ct.target.kind,
            "op": ct.target.op,
            "value": ct.target.value,
            "unit": ct.unit,
            "attribute": ct.attribute,
            "wording": ct.target.wording,
        }
        for ct in engine.compiled
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        es = np.where(missed > 0, short / np.maximum(missed, 1), np.nan)
    return SimulationResult(
        scenario=scenario.meta.id,
        region=scenario.meta.region,
        runs=runs,
        seed=int(root.entropy) if isinstance(root.entropy, (int, np.integer)) else root.entropy,
        years=m.years.copy(),
        indicators=m.indicators,
        names=m.names,
        units=m.units,
        percentiles=tuple(float(x) for x in q),
        quantiles=quant,
        mean=mean,
        std=std,
        targets=targets,
        p_meet=met / runs,
        p_all_binding=(sum(p["all_binding"] for p in parts) / runs)
        if len(engine.binding)
        else float("nan"),
        p_all=sum(p["all"] for p in parts) / runs,
        first_met=first / runs,
        shortfall_mean=short / runs,
        expected_shortfall=es,
        stochastic=tuple(d.name for d in engine.draws),
    )


# ---- solve under uncertainty --------------------------------------------------------------
@dataclass(frozen=True)
class ProbabilitySolveResult:
    """Answer of :func:`solve_probability`.

    Attributes
    ----------
    status : {"solved", "met_throughout", "unreachable"}
    value : float or None
        Smallest (or largest, when raising the parameter hurts) value giving
        P(meet) ≥ ``probability``
        [parameter unit].
    achieved : float
        P(meet) at ``value`` (or the best reachable P when unreachable) [-].
    best_param : float
        Parameter value with the highest P(meet) within bounds [parameter unit].
    """

    target: str
    parameter: str
    unit: str
    probability: float
    status: str
    value: float | None
    achieved: float
    best_param: float
    baseline: float
    bounds: tuple
    runs: int
    seed: int
    message: str


def solve_probability(
    scenario: Scenario,
    target: str,
    param: str,
    probability: float = 0.8,
    runs: int = 20_000,
    seed=None,
    model: Model | None = None,
    lang: str = "zh",
    xtol: float = 1e-6,
) -> ProbabilitySolveResult:
    """Find the value of ``param`` at which P(meet ``target``) reaches ``probability``.

    The same draws (common random numbers) are reused for every trial value, so
    P(meet) is a step function of the parameter and bisection finds its edge.
    If ``param`` itself has a distribution, the value searched is the centre of
    that distribution: every draw is shifted by ``value − default``.

    Parameters
    ----------
    scenario : Scenario
    target : str
        Target id.
    param : str
        Parameter name; searched within its ``bounds`` [parameter unit].
    probability : float
        Required P(meet), in (0, 1] [-].
    runs : int
        Monte Carlo runs per trial value.
    seed : int or None
    xtol : float
        Precision of the answer [parameter unit].

    Returns
    -------
    ProbabilitySolveResult
    """
    from ..formatting import fmt_number

    if not 0 < probability <= 1:
        raise ValueError(f"probability must be in (0, 1], got {probability!r}")
    p = scenario.parameter(param)
    model = model or Model(scenario)
    base = model.evaluate()
    compiled = compile_targets(scenario, base)
    ids = [ct.target.id for ct in compiled]
    if target not in ids:
        raise KeyError(f"no target {target!r}; have {', '.join(ids)}")
    ct = compiled[ids.index(target)]
    root = _root_seed(seed)
    drawn = draw_parameters(scenario, runs, root)
    own = drawn.pop(param, None)

    def prob(v: np.ndarray) -> np.ndarray:
        """P(meet) for each trial value in ``v`` (one vectorised evaluation per value)."""
        out = np.empty(len(v))
        for k, x in enumerate(v):
            vals = {**drawn, param: (own + (x - p.default)) if own is not None else x}
            traj = model.evaluate(vals, runs=runs)
            out[k] = np.mean(margin(implied_value(traj.values, ct), ct) >= 0)
        return out

    lo, hi = map(float, p.bounds)
    grid = np.linspace(lo, hi, 21)
    pg = prob(grid)
    ok = pg >= probability
    best = float(grid[np.argmax(pg)])
    seed_out = int(root.entropy) if isinstance(root.entropy, (int, np.integer)) else root.entropy
    zh = lang == "zh"
    name = p.label_zh if zh else (p.label_en or p.name)
    common = dict(
        target=target,
        parameter=param,
        unit=p.unit,
        probability=float(probability),
        baseline=float(p.default),
        bounds=(lo, hi),
        runs=runs,
        seed=seed_out,
        best_param=best,
    )
    if ok.all():
        return ProbabilitySolveResult(
            status="met_throughout",
            value=None,
            achieved=float(pg.min()),
            message=(
                f"{name}在范围内任意取值，{target} 达标概率均不低于"
                f"{fmt_number(100 * probability, 0)}%"
                if zh
                else f"{target} reaches P ≥ {probability:g} anywhere in the bounds"
            ),
            **common,
        )
    if not ok.any():
        return ProbabilitySolveResult(
            status="unreachable",
            value=None,
            achieved=float(pg.max()),
            message=(
                f"{name}在[{fmt_number(lo)}, {fmt_number(hi)}]内，{target} "
                f"达标概率最高为{fmt_number(100 * pg.max())}%（{name}="
                f"{fmt_number(best)}{p.unit}），达不到"
                f"{fmt_number(100 * probability, 0)}%"
                if zh
                else f"unreachable: best P = {pg.max():.4f} at {best:g}"
            ),
            **common,
        )
    increasing = ok[-1] and not ok[0]
    if increasing:
        k = int(np.argmax(ok))
        a, b = grid[k - 1], grid[k]  # fails at a, passes at b
    else:
        k = len(ok) - 1 - int(np.argmax(ok[::-1]))
        a, b = grid[k + 1], grid[k]
    while abs(b - a) > xtol:
        mid = 0.5 * (a + b)
        if prob(np.array([mid]))[0] >= probability:
            b = mid
        else:
            a = mid
    achieved = float(prob(np.array([b]))[0])
    msg = (
        f"{target}：{name}{'至少' if increasing else '至多'}为{fmt_number(b)}{p.unit}时"
        "，达标概率达到"
        f"{fmt_number(100 * achieved)}%（要求{fmt_number(100 * probability, 0)}%，{runs:,}次模拟）"
        if zh
        else f"{target}: {param} {'≥' if increasing else '≤'} {b:.4f} {p.unit} gives P(meet) = "
        f"{achieved:.4f} "
        f"(required {probability:g}, {runs:,} runs)"
    )
    return ProbabilitySolveResult(
        status="solved", value=float(b), achieved=achieved, message=msg, **common
    )

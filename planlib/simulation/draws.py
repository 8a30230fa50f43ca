"""Random draws of the uncertain parameters: seeded blocks, distributions, Gaussian copula.

Block ``b`` of :data:`BLOCK` runs draws from the ``b``-th child of ``SeedSequence(seed)``, so
results do not depend on chunk sizes, threads or Dask workers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import PlanlibError
from ..scenario import Scenario

__all__ = ["BLOCK", "block_seeds", "draw_parameters"]

#: runs per random-number block: the unit of seeding and of partial sums
BLOCK = 8192


def _root_seed(seed) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    return np.random.SeedSequence(seed)


def block_seeds(seed, blocks: range) -> list[np.random.SeedSequence]:
    """Seed sequence of each block: the same children ``SeedSequence(seed).spawn`` gives.

    Parameters
    ----------
    seed : int, SeedSequence or None
    blocks : range
        Block numbers.
    """
    root = _root_seed(seed)
    return [
        np.random.SeedSequence(
            root.entropy, spawn_key=tuple(root.spawn_key) + (b,), pool_size=root.pool_size
        )
        for b in blocks
    ]


@dataclass(frozen=True)
class _Draw:
    name: str
    dist: object
    per_year: bool


def _stochastic(scenario: Scenario) -> list[_Draw]:
    return [
        _Draw(p.name, p.distribution, bool(p.distribution.per_year))
        for p in scenario.parameters
        if p.distribution is not None
    ]


def _where(scenario: Scenario) -> str:
    return scenario.source_path or scenario.meta.id


def _cholesky(scenario: Scenario, names: list[str]):
    """Lower Cholesky factor of the correlation matrix over ``names`` (None when uncorrelated)."""
    k = len(names)
    C = np.eye(k)
    pos = {n: i for i, n in enumerate(names)}
    used = False
    for c in scenario.correlations:
        if c.a in pos and c.b in pos:
            C[pos[c.a], pos[c.b]] = C[pos[c.b], pos[c.a]] = c.rho
            used = True
    if not used:
        return None
    w = np.linalg.eigvalsh(C)
    if w.min() < -1e-12:
        pairs = ", ".join(f"{c.a}~{c.b}={c.rho:g}" for c in scenario.correlations)
        raise PlanlibError(
            f"{_where(scenario)} correlations: the correlation matrix ({pairs}) is not "
            f"positive semi-definite (smallest eigenvalue {w.min():.3g}); "
            f"allowed: correlations that can hold together"
        )
    # a PSD matrix with a zero eigenvalue: nudge it just enough for Cholesky
    return np.linalg.cholesky(C + np.eye(k) * max(0.0, 1e-12 - w.min()))


def _check_correlations(scenario: Scenario, draws: list[_Draw]) -> None:
    kind = {d.name: d.per_year for d in draws}
    for n, c in enumerate(scenario.correlations):
        if c.a in kind and c.b in kind and kind[c.a] != kind[c.b]:
            raise PlanlibError(
                f"{_where(scenario)} correlations[{n}]: {c.a!r} is drawn "
                f"{'each year' if kind[c.a] else 'once per run'} but {c.b!r} "
                f"{'each year' if kind[c.b] else 'once per run'}; allowed: correlations "
                f"between parameters with the same per_year setting"
            )


#: values transformed at once through Φ: its temporaries stay small (heap-recycled, in cache)
PIECE = 8192


def _transform(z: np.ndarray, d, work=None) -> np.ndarray:
    """Map standard normal scores to draws of distribution ``d`` (inverse-CDF, so copulas hold).

    Written over ``z`` (a C-contiguous array) and returned. The in-place steps do the
    operations of the plain formulas in the same order (so the same bits). Distributions
    going through Φ take their scratch arrays from ``work(name, shape, dtype=float)`` (see
    :func:`~planlib.simulation.normal.ndtr`), or without it map :data:`PIECE` values at a
    time, so their temporaries stay small.
    """
    if d.kind == "normal":
        if d.sd <= 0:
            z[...] = float(d.mean)
            return z
        z *= d.sd  # mean + sd·z
        z += d.mean
        return z
    if d.kind == "lognormal":
        if d.sd == 0:
            z[...] = float(d.mean)
            return z
        s2 = math.log1p((d.sd / d.mean) ** 2)
        z *= math.sqrt(s2)  # exp(log(mean) − s2/2 + sqrt(s2)·z)
        z += math.log(d.mean) - s2 / 2
        return np.exp(z, out=z)
    flat = z.reshape(-1)
    if work is not None:
        _through_cdf(flat, d, work)
        return z
    for a in range(0, flat.size, PIECE):
        _through_cdf(flat[a : a + PIECE], d, None)
    return z


def _through_cdf(z: np.ndarray, d, work) -> None:
    """Map scores ``z`` (1-d) in place through u = Φ(z) and the inverse CDF of ``d``."""
    from .normal import _select, ndtr, ndtri

    if d.kind == "truncnormal":
        if d.sd == 0:
            z[...] = float(min(max(d.mean, d.low), d.high))
            return
        fa, fb = ndtr((d.low - d.mean) / d.sd), ndtr((d.high - d.mean) / d.sd)
        x = d.mean + d.sd * ndtri(fa + ndtr(z) * (fb - fa))
        np.clip(x, d.low, d.high, out=z)
        return
    work = work or (lambda name, shape, dtype=float: np.empty(shape, dtype))
    u = ndtr(z, out=work("cdf:u", z.shape), work=work)
    if d.kind == "uniform":
        np.multiply(u, d.high - d.low, out=z)  # low + (high − low)·u
        z += d.low
        return
    # triangular: low + sqrt(u·width·(mode − low)) below the mode's share c, else
    # high − sqrt((1 − u)·width·(high − mode))
    width = d.high - d.low
    c = (d.mode - d.low) / width
    left = np.multiply(u, width, out=work("cdf:left", z.shape))
    left *= d.mode - d.low
    np.sqrt(left, out=left)
    left += d.low
    right = np.subtract(1.0, u, out=z)
    right *= width
    right *= d.high - d.mode
    np.sqrt(right, out=right)
    np.subtract(d.high, right, out=right)
    _select(np.less(u, c, out=work("cdf:below", z.shape, bool)), left, right, right, work)


def _draw_blocks(
    draws: list[_Draw], chol, blocks: list, Y: int, buffer=None
) -> dict[str, np.ndarray]:
    """Draws for consecutive blocks, given as ``(runs, seed sequence)`` pairs.

    Each block draws its standard normal scores from its own seed, straight into one
    array per parameter; the correlation and the transforms then run once over all the
    blocks (they act run by run, so this equals drawing block by block and joining).
    ``buffer(name, shape, dtype=float)``, when given, supplies those arrays and the
    transforms' scratch arrays (memory reused from chunk to chunk).
    """
    N = sum(n for n, _ in blocks)
    new = buffer or (lambda name, shape, dtype=float: np.empty(shape, dtype))
    z = {d.name: new("draw:" + d.name, (N, Y) if d.per_year else (N,)) for d in draws}
    at = 0
    for n, ss in blocks:
        gen = np.random.Generator(np.random.PCG64(ss))
        for d in draws:  # the order of the scenario's parameters: the block's stream
            gen.standard_normal(out=z[d.name][at : at + n])
        at += n
    for per_year, L in chol.items():
        if L is None:
            continue
        names = [d.name for d in draws if d.per_year == per_year]
        raw = [z[k] for k in names]
        for i, k in enumerate(names):  # z_i = Σ_j L_ij·raw_j: a few whole-vector sums, no matmul
            mixed = L[i, 0] * raw[0]
            for j in range(1, i + 1):
                if L[i, j] != 0:
                    mixed = mixed + L[i, j] * raw[j]
            z[k] = mixed
    return {d.name: _transform(z[d.name], d.dist, buffer) for d in draws}


def _prepare_draws(scenario: Scenario):
    draws = _stochastic(scenario)
    _check_correlations(scenario, draws)
    chol = {
        py: _cholesky(scenario, [d.name for d in draws if d.per_year == py]) for py in (False, True)
    }
    return draws, chol


def draw_parameters(scenario: Scenario, runs: int, seed=None) -> dict[str, np.ndarray]:
    """Draw every uncertain parameter exactly as :func:`simulate` does.

    Parameters
    ----------
    scenario : Scenario
    runs : int
        Number of runs.
    seed : int, SeedSequence or None

    Returns
    -------
    dict of str to numpy.ndarray
        Shape ``(runs,)``, or ``(runs, years)`` for ``per_year`` parameters
        [parameter unit].
    """
    runs = _check_runs(runs)
    draws, chol = _prepare_draws(scenario)
    nb = -(-runs // BLOCK)
    sizes = [min(BLOCK, runs - b * BLOCK) for b in range(nb)]
    blocks = list(zip(sizes, block_seeds(seed, range(nb)), strict=True))
    return _draw_blocks(draws, chol, blocks, len(scenario.years))


def _check_runs(runs) -> int:
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ValueError(f"runs must be a positive integer, got {runs!r}")
    return int(runs)

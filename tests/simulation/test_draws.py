"""Draws (planlib.simulation.draws): in-place transforms and chunk-wise drawing change no bit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import MINIMAL

from planlib.scenario import parse_scenario
from planlib.simulation import draws as D
from planlib.simulation.normal import ndtr, ndtri


def _plain(z: np.ndarray, d) -> np.ndarray:
    """Each inverse CDF written as a formula over fresh arrays (the reference)."""
    if d.kind == "normal":
        return d.mean + d.sd * z if d.sd > 0 else np.full(z.shape, float(d.mean))
    if d.kind == "lognormal":
        s2 = math.log1p((d.sd / d.mean) ** 2)
        return np.exp(math.log(d.mean) - s2 / 2 + math.sqrt(s2) * z)
    if d.kind == "truncnormal":
        fa, fb = ndtr((d.low - d.mean) / d.sd), ndtr((d.high - d.mean) / d.sd)
        return np.clip(d.mean + d.sd * ndtri(fa + ndtr(z) * (fb - fa)), d.low, d.high)
    u = ndtr(z)
    if d.kind == "uniform":
        return d.low + (d.high - d.low) * u
    width = d.high - d.low
    c = (d.mode - d.low) / width
    left = d.low + np.sqrt(u * width * (d.mode - d.low))
    right = d.high - np.sqrt((1.0 - u) * width * (d.high - d.mode))
    return np.where(u < c, left, right)


# two drawn parameters, g and h
TWO = MINIMAL.replace(
    '  - {name: g, label_zh: 增速, unit: "%", default: 10, bounds: [0, 20], step: 0.5}',
    '  - {name: g, label_zh: 增速, unit: "%", default: 10, bounds: [0, 20], step: 0.5,\n'
    "     distribution: {kind: normal, mean: 10, sd: 2}}\n"
    '  - {name: h, label_zh: 税收增速, unit: "%", default: 20, bounds: [0, 40], step: 0.5,\n'
    "     distribution: {kind: triangular, low: 10, mode: 20, high: 40}}",
)

DISTS = [
    "{kind: normal, mean: 10, sd: 2}",
    "{kind: normal, mean: 10, sd: 0}",
    "{kind: lognormal, mean: 5, sd: 1.5}",
    "{kind: uniform, low: 2, high: 8}",
    "{kind: triangular, low: 0, mode: 3, high: 9}",
    "{kind: triangular, low: 0.05, mode: 0.1, high: 0.15}",
    "{kind: truncnormal, mean: 10, sd: 2, low: 8, high: 12}",
]


def _scenario(dist: str, per_year: bool = False):
    if per_year:
        dist = dist[:-1] + ", per_year: true}"
    return parse_scenario(
        MINIMAL.replace("step: 0.5}", f"step: 0.5, distribution: {dist}}}"), "m.yaml"
    )


def _workspace():
    """A scratch-array provider like the engine's: one buffer per name, handed out dirty."""
    store = {}

    def work(name, shape, dtype=float):
        if name not in store or store[name].shape != shape or store[name].dtype != dtype:
            store[name] = np.empty(shape, dtype)
        store[name][...] = -7.0 if dtype is float else True
        return store[name]

    return work


@pytest.mark.parametrize("dist", DISTS)
@pytest.mark.parametrize("shape", [(3 * D.PIECE + 77,), (2 * D.PIECE // 6 + 5, 6), (1,)])
@pytest.mark.parametrize("scratch", [False, True])
def test_transform_in_place_equals_the_plain_formula(dist, shape, scratch):
    d = _scenario(dist).parameters[0].distribution
    z = np.random.default_rng(1).standard_normal(shape) * 3
    z.flat[:4] = [0.0, -0.0, 9.5, -40.0]  # Φ's branches: the centre, the far tails
    ref = _plain(z.copy(), d)
    got = D._transform(z, d, _workspace() if scratch else None)
    assert got is z  # written over the scores
    np.testing.assert_array_equal(got, ref)
    assert np.array_equal(np.signbit(got), np.signbit(ref))


@pytest.mark.parametrize(
    "text",
    [
        TWO + "correlations:\n  - {a: g, b: h, rho: 0.6}\n",
        TWO.replace("sd: 2}", "sd: 2, per_year: true}").replace(
            "high: 40}", "high: 40, per_year: true}"
        )
        + "correlations:\n  - {a: g, b: h, rho: -0.5}\n",
        MINIMAL.replace("step: 0.5}", "step: 0.5, distribution: {kind: triangular, low: 0, "
                        "mode: 3, high: 9, per_year: true}}"),
    ],
)
def test_a_chunk_of_blocks_equals_its_blocks_drawn_one_by_one(text):
    """Blocks draw from their own seeds: drawing several at once joins the same numbers."""
    sc = parse_scenario(text, "c.yaml")
    draws, chol = D._prepare_draws(sc)
    Y = len(sc.years)
    sizes = [D.BLOCK, D.BLOCK, 1234]
    blocks = list(zip(sizes, D.block_seeds(3, range(3)), strict=True))
    whole = D._draw_blocks(draws, chol, blocks, Y)
    one = [D._draw_blocks(draws, chol, [b], Y) for b in blocks]
    kept = {}

    def buffer(name, shape, dtype=float):  # scratch memory, as the engine passes
        kept[name] = np.full(shape, np.nan if dtype is float else True, dtype)
        return kept[name]

    reused = D._draw_blocks(draws, chol, blocks, Y, buffer)
    for d in draws:
        joined = np.concatenate([o[d.name] for o in one])
        np.testing.assert_array_equal(whole[d.name], joined)
        np.testing.assert_array_equal(reused[d.name], joined)
    assert kept  # the buffers were used
    params = D.draw_parameters(sc, sum(sizes) + 0, seed=3)  # the public function: the same
    for d in draws:
        np.testing.assert_array_equal(params[d.name][: sum(sizes)], whole[d.name])

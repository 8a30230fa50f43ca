"""numpy-only Φ and Φ⁻¹ (planlib.simulation.normal) against scipy.special."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import ndtr as scipy_ndtr
from scipy.special import ndtri as scipy_ndtri

from planlib.simulation.normal import ndtr, ndtri


def test_cdf_matches_scipy_to_rounding():
    z = np.linspace(-40, 40, 400_001)
    assert np.max(np.abs(ndtr(z) - scipy_ndtr(z))) <= 1e-15
    lower = z[(z < -0.7) & (z > -37)]  # relative accuracy in the lower tail (exp rounding)
    assert np.max(np.abs(ndtr(lower) / scipy_ndtr(lower) - 1)) <= 3e-13
    assert ndtr(0.0) == 0.5 and ndtr(np.inf) == 1.0 and ndtr(-np.inf) == 0.0
    assert np.isnan(ndtr(np.nan))


@pytest.mark.parametrize(("lo", "hi"), [(1e-300, 1e-20), (1e-20, 0.02425), (0.02425, 0.5)])
def test_quantile_matches_scipy_after_halley_steps(lo, hi):
    p = np.geomspace(lo, hi, 50_001)
    p = np.concatenate([p, 1 - p[p > 1e-16]])
    x, ref = ndtri(p), scipy_ndtri(p)
    assert np.max(np.abs(x - ref) / np.maximum(1.0, np.abs(ref))) <= 2e-15


def test_quantile_edges_and_shape():
    assert ndtri(0.0) == -np.inf and ndtri(1.0) == np.inf and ndtri(0.5) == 0.0
    assert np.isnan(ndtri(np.nan))
    p = np.full((3, 4), 0.975)
    assert ndtri(p).shape == (3, 4)
    assert ndtri(0.975) == pytest.approx(1.959963984540054, abs=1e-15)


@given(st.floats(min_value=1e-12, max_value=1 - 1e-12))
def test_quantile_inverts_the_cdf(p):
    assert float(ndtr(ndtri(p))) == pytest.approx(p, rel=1e-13, abs=1e-15)


def test_simulation_does_not_import_scipy():
    """Start-up (issue 12): scipy.special costs more than a million-run simulation."""
    code = (
        "import sys; from planlib.scenario import load_scenario; "
        "from planlib.simulation.engine import simulate; "
        "sc = load_scenario('scenarios/huangyang-park-14fyp.yaml'); simulate(sc, 2000, seed=1); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))"
    )
    from conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_cdf_into_reused_scratch_memory_changes_no_bit():
    """The Monte Carlo engine passes ``out`` and a workspace of dirty, reused arrays."""
    z = np.concatenate([np.linspace(-12, 12, 20_001), [0.0, -0.0, np.nan, np.inf, -np.inf]])
    ref = ndtr(z)
    store = {}

    def work(name, shape, dtype=float):
        buf = store.get(name)
        if buf is None or buf.shape != shape:
            buf = store[name] = np.empty(shape, dtype)
        buf[...] = 3 if dtype is float else True  # dirty, as left by an earlier call
        return buf

    for part in (z, z[:7], z[::-1].copy()):
        out = np.full(part.shape, 5.0)
        got = ndtr(part, out=out, work=work)
        assert got is out
        np.testing.assert_array_equal(got, ndtr(part))
    np.testing.assert_array_equal(ndtr(z[:20_000].reshape(5, -1)).ravel(), ref[:20_000])
    with pytest.raises(ValueError, match="C-contiguous"):
        ndtr(z, out=np.empty(3))


def test_stored_series_is_the_fit():
    """The coefficients kept in the module are what fitting the Mills ratio gives."""
    from planlib.simulation import normal as N

    np.testing.assert_allclose(N._series(), N._fit_series(), rtol=1e-12, atol=1e-18)
    assert len(N._SERIES) == N._DEGREE + 1

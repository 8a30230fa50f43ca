"""Simulation: Monte Carlo draws and engine, percentiles, sensitivity and sweeps.

Every function here feeds parameter rows to the compiled :class:`planlib.model.Model`;
none re-implements evaluation. ``draws`` (seeded blocks, distributions, copula),
``normal`` (Φ and Φ⁻¹ in numpy), ``percentiles`` (exact, bracketed), ``results``
(:class:`SimulationResult`), ``engine`` (``simulate``, ``solve_probability``; re-exports the
public names of the others), ``sensitivity`` (tornado, Sobol), ``sweep`` (many variants on Dask).
"""

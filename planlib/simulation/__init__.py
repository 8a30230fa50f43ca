"""Simulation: Monte Carlo draws and engine, percentiles, sensitivity and sweeps.

Every function here feeds parameter rows to the compiled :class:`planlib.model.Model`;
none re-implements evaluation. ``engine`` (draws, blocks, exact percentiles, P(meet)),
``sensitivity`` (tornado, Sobol), ``sweep`` (many variants on Dask).
"""

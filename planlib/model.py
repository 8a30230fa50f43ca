"""Compile a scenario once into a vectorised evaluator.

``Model(scenario).evaluate(params)`` turns parameter values shaped ``(runs,)``
or ``(runs, years)`` into :class:`Trajectories` shaped
``(runs, indicators, years)``. A deterministic run is one row; a slider move is
one row with one value changed; Monte Carlo is many rows. There is no loop over
runs: only a loop over indicators (in dependency order) and over years.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .formula import WORKSPACE, _apply, _keys, _spare, parse_formula
from .scenario import Scenario, rule_references
from .units import factor, get_unit
from .validation import _find_cycle

__all__ = ["Model", "Trajectories", "dependency_order"]


def dependency_order(scenario: Scenario) -> list[str]:
    """Order indicator ids so that every indicator comes after those it links to."""
    ids = [i.id for i in scenario.indicators]
    deps = {}
    for ind in scenario.indicators:
        li, names = rule_references(ind.rule)
        deps[ind.id] = [x for x in li + names if x in ids and x != ind.id]
    if _find_cycle(deps):
        raise ValueError("link cycle " + " → ".join(_find_cycle(deps)))
    order, done = [], set()

    def visit(u):
        if u in done:
            return
        for v in deps[u]:
            visit(v)
        done.add(u)
        order.append(u)

    for u in ids:
        visit(u)
    return order


@dataclass(frozen=True)
class Trajectories:
    """Indicator values over years for one or many runs.

    Attributes
    ----------
    values : numpy.ndarray, shape (runs, indicators, years)
        Levels, each in its indicator's unit; NaN where unknown.
    indicators : tuple of str
        Indicator ids along axis 1.
    units : tuple of str
        Unit of each indicator.
    years : numpy.ndarray of int
        Years along axis 2.
    scenario : str
        Scenario id.
    region : str
        Region name.
    names : tuple of str
        Chinese names of the indicators.
    """

    values: np.ndarray
    indicators: tuple
    units: tuple
    years: np.ndarray
    scenario: str = ""
    region: str = ""
    names: tuple = field(default=())

    @property
    def runs(self) -> int:
        """Number of runs."""
        return self.values.shape[0]

    def index(self, indicator: str) -> int:
        """Position of ``indicator`` along axis 1."""
        try:
            return self.indicators.index(indicator)
        except ValueError:
            raise KeyError(
                f"no indicator {indicator!r}; have {', '.join(self.indicators)}"
            ) from None

    def year_index(self, year: int) -> int:
        """Position of ``year`` along axis 2."""
        pos = int(year) - int(self.years[0])
        if not 0 <= pos < len(self.years):
            raise KeyError(f"year {year} outside {self.years[0]}–{self.years[-1]}")
        return pos

    def series(self, indicator: str) -> np.ndarray:
        """Values of one indicator, shape (runs, years)."""
        return self.values[:, self.index(indicator), :]

    def at(self, indicator: str, year: int) -> np.ndarray:
        """Values of one indicator in one year, shape (runs,)."""
        return self.values[:, self.index(indicator), self.year_index(year)]

    def to_long(self, run: int | None = 0):
        """Long table: scenario, region, indicator, name, unit, year, value (and run).

        Parameters
        ----------
        run : int or None
            One run (default the first), or None for every run with a ``run`` column.
        """
        import pandas as pd

        vals = self.values if run is None else self.values[[run]]
        r, i, y = np.meshgrid(
            np.arange(vals.shape[0]) if run is None else [run],
            np.arange(vals.shape[1]),
            np.arange(vals.shape[2]),
            indexing="ij",
        )
        df = pd.DataFrame(
            {
                "scenario": self.scenario,
                "region": self.region,
                "indicator": np.asarray(self.indicators, dtype=object)[i.ravel()],
                "name": np.asarray(self.names or self.indicators, dtype=object)[i.ravel()],
                "unit": np.asarray(self.units, dtype=object)[i.ravel()],
                "year": self.years[y.ravel()],
                "value": vals.ravel(),
            }
        )
        if run is None:
            df.insert(0, "run", r.ravel())
        return df.dropna(subset=["value"]).reset_index(drop=True)


class Model:
    """A scenario compiled for fast repeated evaluation.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario (from :func:`planlib.load_scenario`).
    """

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.years = np.array(scenario.years, dtype=int)
        self.indicators = tuple(i.id for i in scenario.indicators)
        self.units = tuple(i.unit for i in scenario.indicators)
        self.names = tuple(i.name_zh for i in scenario.indicators)
        self.parameters = tuple(p.name for p in scenario.parameters)
        self.order = dependency_order(scenario)
        self._steps = [self._compile(scenario.indicator(i)) for i in self.order]
        # names each step reads: a step whose inputs are all the same in every run is computed once
        self._refs = [
            tuple(dict.fromkeys(sum(rule_references(scenario.indicator(i).rule), [])))
            for i in self.order
        ]
        self._plans: dict[tuple, list[int]] = {}  # kept indicators → steps to run (see _needed)

    # ---- public ----------------------------------------------------------------------------
    @property
    def defaults(self) -> dict[str, float]:
        """Baseline parameter values."""
        return self.scenario.defaults

    def evaluate(
        self,
        params: Mapping[str, object] | None = None,
        runs: int | None = None,
        indicators: Sequence[str] | None = None,
    ) -> Trajectories:
        """Evaluate every indicator for every run.

        Parameters
        ----------
        params : mapping of str to float or array_like, optional
            Parameter values overriding the defaults: scalars, arrays shaped
            ``(runs,)`` (one value per run) or ``(runs, years)`` (drawn per year).
        runs : int, optional
            Number of runs when every value is scalar (default 1).
        indicators : sequence of str, optional
            Keep only these indicators, in this order, in the result (only they and the
            indicators they read are computed); Monte Carlo uses it to store only what
            varies between runs.

        Returns
        -------
        Trajectories
        """
        env, n = self._environment(params or {}, runs)
        kept = self.indicators if indicators is None else tuple(indicators)
        unknown = [k for k in kept if k not in self.indicators]
        if unknown:
            raise KeyError(f"no indicator {unknown[0]!r}; have {', '.join(self.indicators)}")
        # computed time-major, (indicators, years, runs); returned in the public layout
        # (runs, indicators, years) as a C-contiguous array, so every consumer's reductions
        # (e.g. a cumulative target's sum over years) see the same memory order as before
        block = np.empty((len(kept), len(self.years), n), dtype=float)  # every kept row is written
        self._run(env, n, kept, block)
        out = np.ascontiguousarray(block.transpose(2, 0, 1))
        at = [self.indicators.index(k) for k in kept]
        return Trajectories(
            out,
            kept,
            tuple(self.units[i] for i in at),
            self.years,
            self.scenario.meta.id,
            self.scenario.meta.region,
            tuple(self.names[i] for i in at),
        )

    def _evaluate_into(
        self,
        params: Mapping[str, object],
        runs: int,
        indicators: Sequence[str],
        out: np.ndarray,
        invariant: dict | None = None,
        work=None,
    ) -> None:
        """Evaluate into ``out`` shaped (indicators, years, runs): the Monte Carlo fast path.

        ``out[i, t]`` must be a contiguous vector of runs; rows of ``out`` need not be adjacent.
        ``invariant``, a dict kept by the caller across calls whose run-invariant parameters
        are the same (the chunks of one simulation), holds the rows that do not vary between
        runs, so they are computed once. ``work(key, shape)`` supplies scratch arrays for
        temporaries (the same memory for the same key each call).
        """
        env, n = self._environment(params, runs)
        if out.shape != (len(indicators), len(self.years), n):
            expected = (len(indicators), len(self.years), n)
            raise ValueError(f"out has shape {out.shape}, expected {expected}")
        self._run(env, n, tuple(indicators), out, invariant, work)

    # ---- internals -------------------------------------------------------------------------
    def _needed(self, kept: tuple) -> list[int]:
        """Positions in ``self.order`` of the kept indicators and of all they read."""
        if kept not in self._plans:
            want, at = set(kept), {k: i for i, k in enumerate(self.order)}
            for i in reversed(range(len(self.order))):  # dependants come after their sources
                if self.order[i] in want:
                    want.update(r for r in self._refs[i] if r in at)
            self._plans[kept] = [i for i, k in enumerate(self.order) if k in want]
        return self._plans[kept]

    def _run(
        self,
        env: dict,
        n: int,
        kept: tuple,
        out: np.ndarray,
        invariant: dict | None = None,
        work=None,
    ) -> None:
        """Step through the indicators in dependency order; rows are (years, runs) blocks.

        Only the kept indicators and what they read are computed: the others cannot change them.
        ``work(key, shape)``, when given, supplies scratch arrays for temporaries.
        """
        if work is not None:
            env[WORKSPACE] = work
        pos = {k: i for i, k in enumerate(kept)}
        for i in self._needed(kept):
            ind_id, step, refs = self.order[i], self._steps[i], self._refs[i]
            varies = any(env[r].shape[1] != 1 for r in refs if r in env)
            if ind_id in pos and varies:
                row = step(env, n, out[pos[ind_id]])  # written in place: no copy
            elif not varies and invariant is not None and ind_id in invariant:
                row = invariant[ind_id]  # the same in every call
                if ind_id in pos:
                    out[pos[ind_id]] = row
            else:
                # run-invariant rows: one column, broadcast on write
                row = step(env, n if varies else 1, None)
                if not varies and invariant is not None:
                    invariant[ind_id] = row
                if ind_id in pos:
                    out[pos[ind_id]] = row
            env[ind_id] = row

    def _environment(self, params: Mapping[str, object], runs: int | None):
        """Parameter values as (years | 1, runs | 1) blocks, and the number of runs."""
        unknown = set(params) - set(self.parameters)
        if unknown:
            raise KeyError(f"unknown parameters {sorted(unknown)}; have {list(self.parameters)}")
        Y = len(self.years)
        arrays = {}
        n = 1 if runs is None else int(runs)
        for name in self.parameters:
            a = np.asarray(params.get(name, self.defaults[name]), dtype=float)
            if a.ndim == 0:
                block = a.reshape(1, 1)
            elif a.ndim == 1:
                block = a[None, :]
            elif a.ndim == 2 and a.shape[1] != Y:
                raise ValueError(
                    f"parameter {name!r}: per-year values need {Y} columns "
                    f"({self.years[0]}–{self.years[-1]}), got {a.shape[1]}"
                )
            elif a.ndim > 2:
                raise ValueError(
                    f"parameter {name!r}: expected shape (runs,) or (runs, years), got {a.shape}"
                )
            else:
                block = np.ascontiguousarray(a.T)  # (years, runs): each year a contiguous vector
            if block.shape[1] != 1:
                if n != 1 and block.shape[1] != n:
                    raise ValueError(f"parameter {name!r} has {block.shape[1]} runs, expected {n}")
                n = block.shape[1]
            arrays[name] = block
        return arrays, n

    def _spec(self, spec):
        """Compile a rule value (number, parameter, per-year mapping) → fn(env, n) → (Y|1, n|1)."""
        Y, years = len(self.years), self.years
        if isinstance(spec, (int, float)):
            const = np.full((Y, 1), float(spec))
            return lambda env, n: const
        if isinstance(spec, str):
            return lambda env, n: env[spec]
        # per-year mapping: each value holds until the next year named
        keys = sorted(spec)
        idx = np.searchsorted(keys, years, side="right") - 1
        idx = np.clip(idx, 0, None)
        parts = [self._spec(spec[k]) for k in keys]

        def per_year(env, n):
            cols = [np.broadcast_to(p(env, n), (Y, max(n, 1))) for p in parts]
            stacked = np.stack(cols, axis=0)  # (keys, Y, n)
            return stacked[idx, np.arange(Y), :]

        return per_year

    def _known_row(self, ind):
        row = np.full(len(self.years), np.nan)
        for y, v in ind.known.items():
            row[y - self.years[0]] = v
        return row

    def _compile(self, ind):
        """One indicator's step: fn(env, n, out) → its (years, n) block, into ``out`` if given."""
        Y, y0 = len(self.years), int(self.years[0])
        known = self._known_row(ind)
        anchor = None if ind.anchor_year is None else ind.anchor_year - y0
        rule = ind.rule

        def start(n, out, upto=Y):
            """Return a (Y, n) block holding the known values in years before ``upto``."""
            row = np.empty((Y, n)) if out is None else out
            row[:upto] = known[:upto, None]
            return row

        if rule is None:
            return lambda env, n, out: start(n, out)
        k = rule.kind
        if k in ("growth", "increment", "pp_change", "level", "hold"):
            spec = {
                "growth": getattr(rule, "rate", None),
                "increment": getattr(rule, "increment", None),
                "pp_change": getattr(rule, "change", None),
                "level": getattr(rule, "value", None),
                "hold": 0.0,
            }[k]
            value = self._spec(spec)
            # a yearly flow without a stated start begins with the plan period
            first = (self.scenario.meta.period[0] - y0) if anchor is None else anchor + 1

            def recur(env, n, out):
                row = start(n, out, max(first, 0))
                raw = value(env, n)  # (years | 1, n | 1)
                if k == "growth":  # growth factor once, on the values before broadcasting
                    raw = 1.0 + raw / 100.0
                same = raw.shape[0] == 1  # (1, n|1): one value for every year, reuse the vector
                for t in range(first, Y):
                    vt = raw[0] if same else raw[t]
                    if t == 0:
                        row[t] = np.nan if k != "level" else vt
                        continue
                    prev = row[t - 1]
                    if k == "growth":
                        np.multiply(prev, vt, out=row[t])
                    elif k == "level":
                        row[t] = vt
                    elif k == "hold":
                        row[t] = prev
                    else:
                        np.add(prev, vt, out=row[t])
                return row

            return recur
        if k == "path":
            pts = {
                y: v for y, v in ind.known.items() if anchor is not None and y <= ind.anchor_year
            }
            specs = {y: self._spec(v) for y, v in rule.values.items()}

            def path(env, n, out):
                ys = sorted(set(pts) | set(specs))
                xs = np.array(ys) - y0
                lo = xs[0]
                begin = max(lo, 0 if anchor is None else anchor + 1)
                row = start(n, out, max(begin, 0))
                cols = [
                    np.broadcast_to(specs[y](env, n), (Y, n))[y - y0]
                    if y in specs
                    else np.full(n, pts[y])
                    for y in ys
                ]
                vals = np.stack(cols, axis=0)  # (points, n)
                for t in range(begin, Y):
                    j = np.searchsorted(xs, t, side="right") - 1
                    if j >= len(xs) - 1:
                        row[t] = vals[-1]
                    else:
                        w = (t - xs[j]) / (xs[j + 1] - xs[j])
                        row[t] = vals[j] * (1 - w) + vals[j + 1] * w
                return row

            return path

        after = 0 if anchor is None else anchor + 1

        def linked(fn):
            """Make a step of ``fn(env, n, into)``, which may write its value into ``into``."""

            def run(env, n, out):
                row = start(n, out, after)
                if after == 0:  # every year computed: straight into the row when it fits
                    got = fn(env, n, row)
                    if got is not row:
                        row[:] = np.broadcast_to(got, (Y, n))
                else:
                    row[after:] = np.broadcast_to(fn(env, n, None), (Y, n))[after:]
                return row

            return run

        if k == "formula":
            f = parse_formula(rule.expr)
            if not f.lags:
                return linked(lambda env, n, into: f.into(env, into))
            me = ind.id

            def recurrence(env, n, out):
                # prev(x) needs last year's value, so this formula steps year by year
                row = start(n, out, max(after, 1))
                for t in range(max(after, 1), Y):
                    step = {}
                    for name in f.names:
                        step[name] = np.broadcast_to(env[name], (Y, n))[t]
                    for name in f.lags:
                        src = row if name == me else np.broadcast_to(env[name], (Y, n))
                        step["prev:" + name] = src[t - 1]
                    row[t] = f(step)
                return row

            return recurrence
        if k == "sum":
            facs = [(s, factor(self.scenario.indicator(s).unit, ind.unit)) for s in rule.of]

            key = next(_keys)

            def total(env, n, into):
                acc = 0  # 0 + a·c_a + b·c_b + …, added as sum() adds, filling ``into``
                for i, (s, c) in enumerate(facs):
                    first, spare = (into if i == 0 else None), _spare(env, (key, i))
                    term = _apply(np.multiply, env[s], c, False, False, first, spare)
                    acc = _apply(np.add, acc, term, i > 0 or acc is into, True, into)
                return acc

            return linked(total)
        if k == "ratio":
            num, den = (
                self.scenario.indicator(rule.numerator),
                self.scenario.indicator(rule.denominator),
            )
            if rule.scale is not None:
                scale = rule.scale
            elif get_unit(ind.unit).dimension == "percent":
                scale = factor(num.unit, den.unit) * 100.0 / get_unit(ind.unit).factor
            else:
                scale = 1.0
            a, b = rule.numerator, rule.denominator

            def ratio(env, n, out):
                row = start(n, out, after)
                part = row[after:]  # a / b · scale, the same two operations, written in place
                with np.errstate(divide="ignore", invalid="ignore"):
                    np.divide(
                        env[a][after:] if len(env[a]) > 1 else env[a],
                        env[b][after:] if len(env[b]) > 1 else env[b],
                        out=part,
                    )
                np.multiply(part, scale, out=part)
                return row

            return ratio
        if k == "share":
            c = factor(self.scenario.indicator(rule.of).unit, ind.unit)
            share = self._spec(rule.share)

            def shared(env, n, into):  # of · c · share / 100, filling ``into``
                part = _apply(np.multiply, env[rule.of], c, False, False, into)
                part = _apply(np.multiply, part, share(env, n), True, False, into)
                return _apply(np.divide, part, 100.0, True, False, into)

            return linked(shared)
        if k == "cumulative":
            c = factor(self.scenario.indicator(rule.of).unit, ind.unit)
            s0 = (rule.start if rule.start is not None else self.scenario.meta.period[0]) - y0

            def cumulative(env, n, into):
                src = np.broadcast_to(env[rule.of], (Y, n))
                row = np.empty((Y, n)) if into is None else into
                row[:] = np.nan
                part = row[s0:]  # initial + cumsum(src · c, axis=0), in place
                np.multiply(src[s0:], c, out=part)
                for t in range(1, len(part)):  # the running sum cumsum adds, a year at a time
                    np.add(part[t - 1], part[t], out=part[t])
                part += rule.initial
                return row

            return linked(cumulative)
        raise ValueError(f"rule kind {k!r} is not compiled")  # guarded by the schema

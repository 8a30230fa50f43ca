"""Land accounts (用地台账), land needed by output targets, and 亩均效益 scoring.

* accounts: acquired = infrastructure + enterprise land; per base, quota used and
  left, with 亩 / 公顷 / 平方公里 conversions (1 公顷 = 15 亩, 1 km² = 1500 亩);
  land never goes negative: :func:`land_left` raises :class:`LandError` naming the base;
* output and land: the land an output needs at a given 亩均产值, and the 亩均产值
  needed to fit the output on the land there is;
* 亩均效益评价: score an enterprise list (CSV or Excel) on configurable indicators
  (亩均税收, 亩均增加值, 单位能耗增加值, 全员劳动生产率, R&D 占比 …) against
  benchmarks with weights, and classify A/B/C/D by rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import PlanlibError
from ..units import convert

__all__ = [
    "LandError",
    "ScoreIndicator",
    "DEFAULT_SCORING",
    "DEFAULT_CLASSES",
    "to_mu",
    "area_table",
    "land_left",
    "check_sum",
    "land_needed",
    "required_output_per_mu",
    "read_enterprises",
    "score_enterprises",
]


#: largest enterprise list read [bytes]
MAX_ENTERPRISE_BYTES = 50_000_000


class LandError(PlanlibError, ValueError):
    """A land account that does not add up or would go negative."""


def to_mu(value, unit: str):
    """Area in 亩 [亩] from ``value`` in ``unit`` (亩, 公顷, 平方公里, 平方米 …)."""
    return convert(value, unit, "亩")


def area_table(values_mu: dict) -> list[dict]:
    """Rows name, 亩, 公顷, 平方公里 for areas given in 亩 (for display)."""
    return [
        {
            "name": k,
            "亩": float(v),
            "公顷": float(convert(v, "亩", "公顷")),
            "平方公里": float(convert(v, "亩", "平方公里")),
        }
        for k, v in values_mu.items()
    ]


def land_left(available, used, base: str = "用地", tol: float = 1e-6):
    """Land left = available − used, refusing to go negative.

    Parameters
    ----------
    available : array_like
        Land available (quota, compliant land) [亩].
    used : array_like
        Land used or needed [亩].
    base : str
        Name of the base or account, used in the error.
    tol : float
        Rounding allowed [亩].

    Returns
    -------
    numpy.ndarray
        Land left [亩], never negative.

    Raises
    ------
    LandError
        When ``used`` exceeds ``available`` by more than ``tol``; the message names the base.
    """
    available = np.asarray(available, dtype=float)
    used = np.asarray(used, dtype=float)
    if np.any(available < -tol) or np.any(used < -tol):
        raise LandError(
            f"{base}: areas must be non-negative (available {available.min():g} 亩, used "
            f"{used.min():g} 亩)"
        )
    left = available - used
    if np.any(left < -tol):
        worst = float(left.min())
        raise LandError(
            f"{base}: used or needed land exceeds what is available by {-worst:.2f} 亩 "
            f"(available {float(np.max(available)):.2f} 亩); land left cannot be negative"
        )
    return np.maximum(left, 0.0)


def check_sum(total: float, parts: dict, name: str, tol: float = 0.005) -> float:
    """Check that ``parts`` add up to ``total`` (e.g. acquired = infrastructure + enterprise) [亩].

    Returns the sum; raises :class:`LandError` naming the account and the difference otherwise.
    """
    s = float(sum(parts.values()))
    if abs(s - total) > tol:
        detail = " + ".join(f"{k} {v:g}" for k, v in parts.items())
        raise LandError(
            f"{name}: {detail} = {s:.2f} 亩, but the account states {total:g} 亩 "
            f"(difference {s - total:+.2f} 亩)"
        )
    return s


def land_needed(output, output_per_mu):
    """Industrial land an output needs at a given 亩均产值.

    Parameters
    ----------
    output : array_like
        Output [亿元].
    output_per_mu : array_like
        Output per 亩 [万元/亩].

    Returns
    -------
    numpy.ndarray
        Land [亩] = output × 10000 / output_per_mu.
    """
    output = np.asarray(output, dtype=float)
    opm = np.asarray(output_per_mu, dtype=float)
    if np.any(opm <= 0):
        raise LandError("亩均产值 must be positive")
    return output * 1e4 / opm


def required_output_per_mu(output, land):
    """亩均产值 needed to produce ``output`` [亿元] on ``land`` [亩] [万元/亩]."""
    land = np.asarray(land, dtype=float)
    if np.any(land <= 0):
        raise LandError("land must be positive to hold any output")
    return np.asarray(output, dtype=float) * 1e4 / land


# ---- 亩均效益评价 ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreIndicator:
    """One scoring indicator.

    Attributes
    ----------
    column : str
        Column of the enterprise table.
    label : str
        Display name.
    benchmark : float
        Value scoring the full weight [column's unit].
    weight : float
        Points at the benchmark [分].
    higher_is_better : bool
        False for indicators such as energy per output (score = benchmark / value).
    cap : float
        Largest multiple of the weight one indicator can score [-].
    """

    column: str
    label: str
    benchmark: float
    weight: float
    higher_is_better: bool = True
    cap: float = 1.5


#: A common provincial scheme (浙江“亩均论英雄”-style), benchmarks are assumptions to edit.
DEFAULT_SCORING = (
    ScoreIndicator("tax_per_mu", "亩均税收（万元/亩）", 15.0, 40),
    ScoreIndicator("va_per_mu", "亩均增加值（万元/亩）", 60.0, 20),
    ScoreIndicator("va_per_energy", "单位能耗增加值（万元/吨标准煤）", 1.5, 15),
    ScoreIndicator("labour_productivity", "全员劳动生产率（万元/人）", 20.0, 15),
    ScoreIndicator("rd_share", "R&D经费占营业收入比重（%）", 2.0, 10),
)
#: share of enterprises in each class, best first (by rank)
DEFAULT_CLASSES = {"A": 0.2, "B": 0.5, "C": 0.2, "D": 0.1}


def read_enterprises(path):
    """Read an enterprise list from CSV or Excel (.xlsx) into a DataFrame."""
    import stat

    import pandas as pd

    from ..errors import abbreviate

    path = Path(path)
    shown = abbreviate(str(path), 200)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
        raise LandError(
            f"{shown}: unsupported file type {abbreviate(path.suffix, 20)!r}; use .csv or .xlsx"
        )
    try:
        st = path.stat()
    except FileNotFoundError:
        raise LandError(f"{shown}: file not found") from None
    except OSError as exc:
        raise LandError(f"{shown}: cannot read the file ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise LandError(f"{shown}: not a regular file; name a .csv or .xlsx file")
    if st.st_size > MAX_ENTERPRISE_BYTES:
        raise LandError(
            f"{shown}: {st.st_size:,} bytes; an enterprise list has at most "
            f"{MAX_ENTERPRISE_BYTES:,}"
        )
    try:
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path, encoding="utf-8-sig")
        return pd.read_excel(path, engine="openpyxl")
    except UnicodeDecodeError:
        raise LandError(
            f"{shown}: not UTF-8 text; save the CSV as UTF-8 (Excel: 'CSV UTF-8')"
        ) from None
    except Exception as exc:  # pandas / openpyxl / zipfile errors on a broken file
        raise LandError(
            f"{shown}: cannot read the table ({type(exc).__name__}: "
            f"{abbreviate(exc, 200)}); save it as CSV (UTF-8) or .xlsx"
        ) from None


def score_enterprises(df, indicators=DEFAULT_SCORING, classes=None, name_column: str = "name"):
    """亩均效益 score and A/B/C/D class of each enterprise.

    Each indicator scores ``weight × min(value / benchmark, cap)`` (or
    ``benchmark / value`` when lower is better); the total ranks the
    enterprises, and classes are given by rank in the shares of ``classes``
    (default A 20 %, B 50 %, C 20 %, D 10 %).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per enterprise with the indicators' columns.
    indicators : sequence of ScoreIndicator
    classes : dict, optional
        Class → share of enterprises [fraction], best first; shares sum to 1.
    name_column : str
        Column naming the enterprise (kept in the result).

    Returns
    -------
    pandas.DataFrame
        Input columns plus one ``score:<column>`` per indicator [分], ``score`` [分],
        ``rank`` (1 = best) and ``class``, sorted by rank.
    """
    import pandas as pd

    classes = dict(DEFAULT_CLASSES if classes is None else classes)
    if abs(sum(classes.values()) - 1.0) > 1e-9 or any(v < 0 for v in classes.values()):
        raise LandError(f"class shares must be non-negative and sum to 1, got {classes}")
    missing = [i.column for i in indicators if i.column not in df.columns]
    if missing:
        raise LandError(
            f"enterprise table lacks column(s) {', '.join(missing)}; has "
            f"{', '.join(map(str, df.columns))}"
        )
    for i in indicators:
        if i.benchmark <= 0 or i.weight < 0:
            raise LandError(f"indicator {i.column}: benchmark must be > 0 and weight >= 0")
    out = df.copy()
    total = np.zeros(len(df))
    for i in indicators:
        v = pd.to_numeric(df[i.column], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(v)):
            where = ~np.isfinite(v)
            bad = (
                df.loc[where, name_column].tolist()
                if name_column in df
                else list(np.nonzero(where)[0])
            )
            more = f" and {len(bad) - 10:,} more" if len(bad) > 10 else ""
            raise LandError(
                f"column {i.column}: missing, non-numeric or infinite values for "
                f"{[str(b)[:40] for b in bad[:10]]}{more}; write a number for each enterprise"
            )
        with np.errstate(divide="ignore"):
            ratio = (
                v / i.benchmark if i.higher_is_better else np.where(v > 0, i.benchmark / v, i.cap)
            )
        s = i.weight * np.clip(ratio, 0.0, i.cap)
        out[f"score:{i.column}"] = s
        total += s
    out["score"] = total
    order = np.argsort(-total, kind="stable")
    rank = np.empty(len(df), dtype=int)
    rank[order] = np.arange(1, len(df) + 1)
    out["rank"] = rank
    bounds = np.cumsum(list(classes.values())) * len(df)
    idx = np.searchsorted(bounds, rank - 0.5, side="right")
    names = list(classes)
    out["class"] = [names[min(k, len(names) - 1)] for k in idx]
    return out.sort_values("rank").reset_index(drop=True)

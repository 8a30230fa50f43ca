"""Community-programme outputs for notebooks and the CLI (issue 6).

The programmes themselves are components (``planlib/domains/service_centres_component.py``,
``community_norms.py``, ``village_consolidation.py``, ``minimum_living.py``); this
module only reads what they produce: each component's ``report()`` as JSON-ready
data or text, and indicator-by-year tables with numbers formatted by
:mod:`planlib.formatting` (never ``np.float64`` reprs).
"""

from __future__ import annotations

import math

__all__ = ["component_reports", "report_text", "year_table", "compliance_frame"]


def component_reports(scenario, trajectories=None) -> list[dict]:
    """``[{"kind": …, "id": …, "report": {…}}]`` for every component of ``scenario``."""
    if trajectories is None:
        from ..model import Model

        trajectories = Model(scenario).evaluate()
    out = []
    for comp in scenario.components:
        out.append(
            {
                "kind": comp.kind,
                "id": getattr(comp, "id", ""),
                "report": _plain(comp.report(scenario, trajectories)),
            }
        )
    return out


def _plain(x):
    """JSON-ready copy: numpy scalars to float, NaN to None, keys to str."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(f):
        return None
    return int(f) if isinstance(x, int) else f


def _num(value, fmt_number) -> str:
    """Format a whole number without decimals, else up to 4 decimals, trailing zeros dropped."""
    v = float(value)
    if abs(v - round(v)) < 1e-9:
        return fmt_number(round(v), 0)
    text = fmt_number(v, 4)
    return text.rstrip("0").rstrip(".") if "." in text else text


def report_text(reports: list[dict]) -> str:
    """Indented text of :func:`component_reports` (whole numbers plain, others up to 4 decimals)."""
    from ..formatting import fmt_number

    lines: list[str] = []

    def emit(key, value, depth):
        pad = "  " * depth
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            for k, v in value.items():
                emit(k, v, depth + 1)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            for i, v in enumerate(value):
                emit(f"- [{i}]", v, depth + 1)
        elif isinstance(value, bool) or value is None or isinstance(value, str):
            lines.append(f"{pad}{key}: {'—' if value is None else value}")
        elif key == "year" or str(key).endswith("_year"):
            lines.append(f"{pad}{key}: {int(value)}")
        else:
            lines.append(f"{pad}{key}: {_num(value, fmt_number)}")

    for r in reports:
        emit(f"{r['kind']}{(' ' + r['id']) if r['id'] else ''}", r["report"], 0)
    return "\n".join(lines) + "\n"


def year_table(
    scenario, trajectories, ids, years=None, run: int = 0, lang: str = "zh", decimals=None
):
    """Format indicators by year as strings (one row per indicator).

    Parameters
    ----------
    scenario : Scenario
    trajectories : Trajectories
        From ``Model(scenario).evaluate(...)``.
    ids : list of str
        Indicator ids, in the order shown.
    years : list of int, optional
        Columns; default every model year.
    run : int
        Which run to show.
    lang : {"zh", "en"}
        Row labels.
    decimals : int or dict, optional
        Decimals for every row, or ``{indicator id: decimals}``; default by unit
        (counts whole, others 2). The seed writes 0.525 亩/户, hence the override.

    Returns
    -------
    pandas.DataFrame
        Index 指标 (with its unit), one column per year, values formatted by
        :func:`planlib.formatting.fmt_value` without the unit ('—' where undefined).
    """
    import pandas as pd  # noqa: PLC0415

    from ..formatting import fmt_number, fmt_value

    all_years = [int(y) for y in trajectories.years]
    years = [int(y) for y in years] if years is not None else all_years
    rows, index = [], []
    for ind_id in ids:
        ind = scenario.indicator(ind_id)
        name = ind.name_zh if lang == "zh" else (ind.name_en or ind.name_zh)
        index.append(f"{name}（{ind.unit}）" if lang == "zh" else f"{name} ({ind.unit})")
        vals = trajectories.series(ind_id)[run]
        dec = decimals.get(ind_id) if isinstance(decimals, dict) else decimals
        cells = []
        for y in years:
            x = vals[all_years.index(y)] if y in all_years else float("nan")
            cells.append(
                fmt_value(x, ind.unit, with_unit=False) if dec is None else fmt_number(x, dec)
            )
        rows.append(cells)
    df = pd.DataFrame(rows, index=index, columns=[str(y) for y in years])
    df.index.name = "指标" if lang == "zh" else "indicator"
    return df


_COMPLIANCE_COLUMNS = {
    "name": "社区",
    "office_area": "办公用房（平方米）",
    "office_gap": "缺口（平方米）",
    "office_cost": "达标所需（万元）",
    "full_time": "专职",
    "part_time": "兼职",
    "police": "警务",
    "staff_gap": "干部缺口",
    "police_gap": "警务缺口",
    "compliant": "达标",
}


def compliance_frame(report: dict):
    """Format the community_norms report's per-community rows as a Chinese table.

    Parameters
    ----------
    report : dict
        ``CommunityNorms.report(...)`` (or the ``report`` of :func:`component_reports`).

    Returns
    -------
    pandas.DataFrame
        社区, 办公用房, 缺口 [平方米], 达标所需 [万元], staff and gaps [名], 达标 (是/否).
    """
    import pandas as pd  # noqa: PLC0415

    from ..formatting import fmt_number

    out = []
    for r in report["communities"]:
        row = {}
        for key, label in _COMPLIANCE_COLUMNS.items():
            v = r.get(key)
            if key == "name":
                row[label] = v
            elif key == "compliant":
                row[label] = "是" if v else "否"
            elif key == "office_cost":
                row[label] = fmt_number(v, 2)
            else:
                row[label] = fmt_number(v, 0)
        out.append(row)
    return pd.DataFrame(out)

"""The draft of the next plan (目标测算草案): its skeleton, the notes, the file.

The draft starts as the scenario itself (a draft for the period) or its roll-forward
(:func:`planlib.tracking.rollforward.roll_forward`); each target then carries its
``proposal`` note (options, P(meet), reason) and the recommended value, and
:func:`write_draft` validates the file before writing it atomically.
"""

from __future__ import annotations

from pathlib import Path

from ..scenario import Scenario, dump_yaml, parse_scenario, write_atomic
from .actuals import Actuals
from .proposal_options import OPTION_ZH
from .proposal_results import Proposal, TargetProposal

__all__ = ["write_draft"]


def _as_file(scenario: Scenario) -> dict:
    """Return a scenario in file form (components already expanded, so not repeated)."""
    out = {
        "meta": scenario.meta.model_dump(exclude_none=True),
        **(
            {"units": [u.model_dump(exclude_none=True) for u in scenario.units]}
            if scenario.units
            else {}
        ),
        "parameters": [p.model_dump(exclude_none=True) for p in scenario.parameters],
        "indicators": [i.model_dump(exclude_none=True) for i in scenario.indicators],
        "targets": [t.model_dump(exclude_none=True) for t in scenario.targets],
        "checks": [c.model_dump(exclude_none=True) for c in scenario.checks],
    }
    if scenario.correlations:
        out["correlations"] = [c.model_dump() for c in scenario.correlations]
    from .rollforward import _plain

    return _plain(out)


def _skeleton(scenario: Scenario, actuals: Actuals, period) -> dict:
    """Return the draft before proposals: the scenario, or its roll-forward to ``period``."""
    last = int(actuals.table["year"].max()) if len(actuals.table) else scenario.meta.base_year
    own = tuple(scenario.meta.period)
    if period is None:
        period = own if own[0] > last else None
    if period is not None and tuple(int(x) for x in period) == own:
        return _as_file(scenario)
    from .rollforward import roll_forward

    return roll_forward(scenario, actuals, period=period)


def _write_notes(draft: dict, rows, superior, runs: int, seed) -> None:
    by_id = {r.target: r for r in rows}
    for d in draft["targets"]:
        r = by_id[d["id"]]
        d["proposal"] = _plainnote(r)
        if r.value is not None and r.value != float(d["value"]):
            d["value"] = r.value
            d.pop("wording", None)
            d["source"] = f"planlib propose 推荐{OPTION_ZH[r.recommended]}方案"
    meta = draft["meta"]
    meta["notes"] = (
        f"目标值由 planlib propose 测算（蒙特卡洛{runs:,}次，种子{seed}）：每项目标列趋势、"
        f"上级指引、冲刺三个方案及达标概率，推荐达标概率不低于阈值的最积极方案，请逐项复核。"
        + (" " + meta["notes"] if meta.get("notes") else "")
    )
    if superior is not None:
        draft["superior"] = {"file": superior.source_path or superior.meta.id}


def _plainnote(r: TargetProposal) -> dict:
    note = r.note()
    return {k: v for k, v in note.items() if v is not None and v != []} | {"reason": r.reason}


def write_draft(path, proposal: Proposal, overwrite: bool = False) -> Path:
    """Write the draft scenario (validated by loading it first, then atomically).

    Parameters
    ----------
    path : str or os.PathLike
    proposal : Proposal
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
    """
    d = proposal.draft
    sup = d.get("superior")
    if sup and Path(sup["file"]).exists():  # the superior file, relative to the draft's folder
        import os

        rel = os.path.relpath(Path(sup["file"]).resolve(), Path(path).resolve().parent)
        d = {**d, "superior": {**sup, "file": Path(rel).as_posix()}}
    head = (
        f"# {d['meta']['name']}（目标测算草案）\n"
        "# 由 planlib propose 生成：每项目标的 proposal 列出趋势、上级指引、冲刺三个方案"
        "及达标概率，"
        "value 为推荐方案，请逐项复核。\n"
    )
    text = head + dump_yaml(d)
    parse_scenario(text, file=str(path))  # raises before anything is written
    return write_atomic(path, text, overwrite=overwrite)

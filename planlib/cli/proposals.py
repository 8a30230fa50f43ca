"""``planlib propose`` (十五五目标测算) and ``planlib check`` (上级规划衔接).

::

    planlib propose scenarios/huangyang-park-14fyp.yaml \
        --actuals scenarios/huangyang-park-14fyp.actuals.csv -o draft.yaml
    planlib propose PLAN.yaml --actuals A.csv --superior S.yaml --period 2026-2030 \
        --runs 100000 --seed 1 -o draft.yaml
    planlib check draft.yaml --superior S.yaml --format xlsx -o 衔接.xlsx

Exit codes: propose 0 (2 for invalid input); check 1 when a 约束性 indicator of the
superior plan is missing or weaker, else 0 (2 for invalid input).
"""

from __future__ import annotations

__all__ = ["register"]

#: the commands register() adds (the parser builds only the one asked for)
COMMANDS = ("propose", "check")


def _pairs(items, what, number=False):
    from . import UsageError

    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"{what} {item!r}: write KEY=VALUE")
        if number:
            try:
                out[key.strip()] = float(value)
            except ValueError:
                raise UsageError(f"{what} {item!r}: {value!r} is not a number") from None
        else:
            out[key.strip()] = value.strip()
    return out


def _period(text):
    from . import UsageError

    if text is None:
        return None
    a, sep, b = text.partition("-")
    try:
        start, end = int(a), int(b)
    except ValueError:
        raise UsageError(f"--period {text!r}: write START-END, e.g. 2026-2030") from None
    if not sep or start > end:
        raise UsageError(f"--period {text!r}: write START-END with START <= END, e.g. 2026-2030")
    return start, end


def _superior(path, scenario):
    from pathlib import Path

    from ..scenario import load_scenario

    if path is None and scenario.superior is not None:
        base = Path(scenario.source_path).parent if scenario.source_path else Path(".")
        path = base / scenario.superior.file
    return None if path is None else load_scenario(path)


def _cmd_propose(args) -> int:
    from ..scenario import load_scenario
    from ..tracking.actuals import read_actuals
    from ..tracking.proposals import propose, write_draft
    from . import UsageError

    sc = load_scenario(args.file)
    act = read_actuals(args.actuals, sc, sheet=args.sheet)
    sup = _superior(args.superior, sc)
    th = {}
    if args.threshold_expected is not None:
        th["预期性"] = args.threshold_expected
    if args.threshold_binding is not None:
        th["约束性"] = args.threshold_binding
    if args.runs < 1:
        raise UsageError(f"--runs {args.runs}: must be a positive number of runs")
    res = propose(
        sc,
        act,
        superior=sup,
        period=_period(args.period),
        runs=args.runs,
        seed=args.seed,
        thresholds=th,
        ambition=_pairs(args.ambition, "--ambition", number=True),
        mapping=_pairs(args.map, "--map"),
    )
    write_draft(args.output, res, overwrite=args.overwrite)
    text = res.to_json() + "\n" if args.format == "json" else res.to_text(args.lang)
    print(text, end="")
    print(args.output)
    return 0


def _cmd_check(args) -> int:
    from pathlib import Path

    from ..scenario import load_scenario, write_atomic
    from ..tracking.superior import check_superior
    from . import UsageError

    sc = load_scenario(args.file)
    sup = _superior(args.superior, sc)
    if sup is None:
        raise UsageError(f"{args.file}: give --superior FILE (the scenario has no superior: field)")
    res = check_superior(sc, sup, _pairs(args.map, "--map"))
    if args.format == "xlsx":
        if not args.output:
            raise UsageError("--format xlsx needs -o FILE.xlsx")
        res.write_xlsx(args.output, overwrite=args.overwrite)
        print(args.output)
        return res.exit_code
    text = res.to_json() + "\n" if args.format == "json" else res.to_text()
    if args.output:
        write_atomic(Path(args.output), text, overwrite=args.overwrite)
        print(args.output)
    else:
        print(text, end="")
    return res.exit_code


def register(subparsers) -> None:
    """Add the ``propose`` and ``check`` subcommands."""
    p = subparsers.add_parser(
        "propose", help="十五五目标测算: trend / guidance / stretch options with P(meet)"
    )
    p.add_argument("file", help="scenario of the plan (the last period's plan, or a draft)")
    p.add_argument("--actuals", required=True, help="actuals (实绩) as .csv or .xlsx")
    p.add_argument("--sheet", help="Excel sheet of the actuals (default: the first)")
    p.add_argument(
        "--superior", help="superior plan as a scenario file (default: the scenario's superior:)"
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="OWN=SUPERIOR",
        help="pair an indicator id with the superior's where names differ (repeatable)",
    )
    p.add_argument("--period", metavar="START-END", help="plan period, e.g. 2026-2030")
    p.add_argument("--runs", type=int, default=100_000, help="Monte Carlo runs (default 100000)")
    p.add_argument("--seed", type=int, help="root seed (the same seed gives the same draft)")
    p.add_argument(
        "--ambition",
        action="append",
        metavar="TARGET=VALUE",
        help="a stated ambition for one target of the draft, used as stretch (repeatable)",
    )
    p.add_argument(
        "--threshold-expected", type=float, help="P(meet) needed for 预期性 (default 0.7)"
    )
    p.add_argument(
        "--threshold-binding", type=float, help="P(meet) needed for 约束性 (default 0.9)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("-o", "--output", required=True, help="draft scenario file (.yaml)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    p.set_defaults(func=_cmd_propose)

    c = subparsers.add_parser(
        "check", help="上级规划衔接: 约束性 indicators present and at least as strict"
    )
    c.add_argument("file", help="scenario of the plan")
    c.add_argument(
        "--superior", help="superior plan as a scenario file (default: the scenario's superior:)"
    )
    c.add_argument(
        "--map",
        action="append",
        metavar="OWN=SUPERIOR",
        help="pair an indicator id with the superior's where names differ (repeatable)",
    )
    c.add_argument("--format", choices=["text", "json", "xlsx"], default="text")
    c.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")
    c.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    c.set_defaults(func=_cmd_check)

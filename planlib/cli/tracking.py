r"""``planlib review`` (规划评估) and ``planlib rollforward`` (滚动编制).

::

    planlib review scenarios/huangyang-park-14fyp.yaml \
        --actuals scenarios/huangyang-park-14fyp.actuals.csv
    planlib review PLAN.yaml --actuals ACTUALS.xlsx --format xlsx -o 评估.xlsx --as-of 2023
    planlib rollforward PLAN.yaml --actuals ACTUALS.csv -o scenarios/next.yaml --rule level=rescale

Exit codes (review): 0, or 1 when a 约束性 target is 未完成 (final review) or, mid-term,
moving away or its year has passed unmet; 2 for invalid input (message names file, row/line, field).
"""

from __future__ import annotations

import sys

__all__ = ["register"]

#: the commands register() adds (the parser builds only the one asked for)
COMMANDS = ("review", "rollforward")


def _pairs(items, what):
    from . import UsageError

    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise UsageError(f"{what} {item!r}: write KEY=VALUE, e.g. level=rescale")
        out[key.strip()] = value.strip()
    return out


def _load(args):
    from ..scenario import load_scenario
    from ..tracking.actuals import read_actuals

    sc = load_scenario(args.file)
    return sc, read_actuals(args.actuals, sc, sheet=args.sheet)


def _cmd_review(args) -> int:
    from pathlib import Path

    from ..scenario import write_atomic
    from ..tracking.review import Thresholds, review
    from . import UsageError

    sc, act = _load(args)
    th = Thresholds(args.on_track, args.acceleration, args.limited)
    rv = review(
        sc, act, as_of=args.as_of, thresholds=th, lang=args.lang, final=True if args.final else None
    )
    for w in act.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.format == "xlsx":
        if not args.output:
            raise UsageError("--format xlsx needs -o FILE.xlsx")
        rv.write_xlsx(args.output, overwrite=True)
        print(args.output)
        return rv.exit_code
    if args.format == "json":
        text = rv.to_json() + "\n"
    elif args.format == "csv":
        frame = (
            rv.completion_frame(args.lang)
            if rv.final
            else rv.to_frame(args.lang).drop(columns=["信号" if args.lang == "zh" else "light"])
        )
        text = "\ufeff" + _safe(frame).to_csv(
            index=False
        )  # BOM: Excel opens the Chinese headers; no emoji
    else:
        text = rv.to_text(args.lang)
    if args.output:
        write_atomic(Path(args.output), text, overwrite=True)
        print(args.output)
    else:
        sys.stdout.write(text)
    return rv.exit_code


def _cmd_rollforward(args) -> int:
    from ..tracking.rollforward import plan_rollforward, write_planned
    from . import UsageError

    sc, act = _load(args)
    values = {}
    for k, v in _pairs(args.value, "--value").items():
        try:
            values[k] = float(v)
        except ValueError:
            raise UsageError(f"--value {k}={v}: {v!r} is not a number") from None
    from pathlib import Path

    if Path(args.output).exists() and not args.overwrite:
        raise UsageError(f"{args.output} exists; add --overwrite")
    rf = plan_rollforward(
        sc,
        act,
        period=tuple(args.period) if args.period else None,
        rules=_pairs(args.rule, "--rule"),
        target_rules=_pairs(args.target_rule, "--target-rule"),
        values=values,
        id=args.id,
        name=args.name,
    )
    try:
        path = write_planned(rf, args.output, sc, act, overwrite=args.overwrite)
    except FileExistsError as exc:
        raise UsageError(f"{exc}; add --overwrite") from None
    print(path)
    sys.stdout.write(rf.to_text())
    return 0


def register(subparsers) -> None:
    """Add the ``review`` and ``rollforward`` subcommands."""

    def common(sp):
        sp.add_argument("file", help="scenario file of the plan under review")
        sp.add_argument(
            "--actuals",
            required=True,
            help="actuals (实绩) as .csv or .xlsx: indicator, year, value, unit, source",
        )
        sp.add_argument("--sheet", help="Excel sheet of the actuals (default: the first)")
        sp.add_argument("--lang", choices=["zh", "en"], default="zh")

    r = subparsers.add_parser(
        "review", help="规划评估: targets against actuals, traffic-light classes"
    )
    common(r)
    r.add_argument("--format", choices=["text", "json", "csv", "xlsx"], default="text")
    r.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")
    r.add_argument("--as-of", type=int, help="use actuals up to this year (mid-term review)")
    r.add_argument(
        "--final",
        action="store_true",
        help="终期评估: judge 完成情况 (完成/未完成…) even before the period's last year "
        "(default: when the review year is the period's end)",
    )
    r.add_argument(
        "--on-track", type=float, default=0.95, help="progress ratio for 进展顺利 (default 0.95)"
    )
    r.add_argument("--acceleration", type=float, default=0.6, help="ratio for 需加快 (default 0.6)")
    r.add_argument("--limited", type=float, default=0.0, help="ratio for 进展有限 (default 0)")
    r.set_defaults(func=_cmd_review)

    f = subparsers.add_parser(
        "rollforward", help="滚动编制: the next period's scenario from a reviewed plan"
    )
    common(f)
    f.add_argument("-o", "--output", required=True, help="new scenario file (.yaml)")
    f.add_argument(
        "--period",
        type=int,
        nargs=2,
        metavar=("START", "END"),
        help="new plan period (default: the next one of equal length)",
    )
    f.add_argument(
        "--rule",
        action="append",
        metavar="KIND=RULE",
        help="rule for a target kind: auto (default), carry, rescale, reset, trend, toward, "
        "drop (repeatable)",
    )
    f.add_argument("--target-rule", action="append", metavar="ID=RULE", help="rule for one target")
    f.add_argument(
        "--value", action="append", metavar="ID=NUMBER", help="a stated value for one target"
    )
    f.add_argument("--id", help="new scenario id")
    f.add_argument("--name", help="new scenario name")
    f.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    f.set_defaults(func=_cmd_rollforward)


def _safe(df):
    """CSV cells a spreadsheet shows as text (formula injection: formatting.spreadsheet_safe)."""
    from ..formatting import spreadsheet_safe_frame

    return spreadsheet_safe_frame(df)

"""``planlib report``: the 主要指标表 (and its 完成情况) as an official Word or Excel document.

::

    planlib report scenarios/huangyang-park-14fyp.yaml -o 主要指标.docx
    planlib report PLAN.yaml --actuals ACTUALS.csv -o 完成情况.docx
    planlib report PLAN.yaml --actuals ACTUALS.csv -o 完成情况.xlsx --final

Exit codes: 0; 1 when a final review finds a 约束性 target 未完成; 2 for invalid input.
"""

from __future__ import annotations

__all__ = ["register"]

#: the commands register() adds (the parser builds only the one asked for)
COMMANDS = ("report",)


def _cmd_report(args) -> int:
    from pathlib import Path

    from ..reports import official_table, write_docx, write_xlsx
    from ..scenario import load_scenario
    from ..tracking.actuals import read_actuals
    from . import UsageError

    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        raise UsageError(f"-o {args.output}: the report is a .docx or .xlsx file")
    if not out.parent.exists():
        raise UsageError(f"-o {args.output}: folder {out.parent} does not exist")
    sc = load_scenario(args.file)
    act = read_actuals(args.actuals, sc, sheet=args.sheet) if args.actuals else None
    if args.final and act is None:
        raise UsageError("--final needs --actuals A (the 实绩 to judge 完成情况 by)")
    table = official_table(sc, act, lang=args.lang, final=True if args.final else None)
    try:
        if suffix == ".docx":
            write_docx(
                table, out, overwrite=args.overwrite, charts=not args.no_charts, lang=args.lang
            )
        else:
            write_xlsx(table, out, overwrite=args.overwrite)
    except FileExistsError as exc:
        raise UsageError(f"{exc}; add --overwrite") from None
    print(out)
    print(table.summary)
    return table.review.exit_code if (table.review is not None and table.final) else 0


def register(subparsers) -> None:
    """Add the ``report`` subcommand."""
    r = subparsers.add_parser(
        "report", help="主要指标表 / 完成情况 as an official Word or Excel document"
    )
    r.add_argument("file", help="scenario file of the plan")
    r.add_argument(
        "--actuals", help="actuals (实绩, .csv or .xlsx): adds 实际 and 完成情况 columns"
    )
    r.add_argument("--sheet", help="Excel sheet of the actuals (default: the first)")
    r.add_argument("-o", "--output", required=True, help="F.docx or F.xlsx (written atomically)")
    r.add_argument(
        "--final",
        action="store_true",
        help="终期评估 even before the period's last year (default: when the actuals reach it)",
    )
    r.add_argument("--lang", choices=["zh", "en"], default="zh")
    r.add_argument(
        "--no-charts", action="store_true", help="leave the per-target charts out of the .docx"
    )
    r.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    r.set_defaults(func=_cmd_report)

"""``planlib import FILE -o plan.yaml``: a plan's 主要指标表 (or prose) in, a scenario out.

The first command a planner runs on their own plan. Reads ``.xlsx``, ``.docx``,
``.pdf`` (the ruled tables of a text-layer PDF, joined over page breaks; its prose
when it holds no 主要指标表), ``.csv``, ``.md``, ``.txt`` (a table pasted as text)
and, with ``--text``, prose in ``.docx``, ``.txt`` or text-layer ``.pdf``. Prints
the import report (text or JSON); writes the scenario atomically, never over an
existing file without ``--force``. The scenario is validated before anything is
written. Exit 2 for bad input (the message names the file and cell); nothing is
written then.
"""

from __future__ import annotations

import json
import re
import sys

__all__ = ["register"]

#: the commands register() adds (the parser builds only the one asked for)
COMMANDS = ("import",)


def _period(text: str | None):
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*[-–~,，至]\s*(\d{4})\s*", text)
    if not m or int(m.group(1)) > int(m.group(2)):
        from . import UsageError  # noqa: PLC0415

        raise UsageError(f"--period {text!r}: write the first and last plan year, e.g. 2021-2025")
    return int(m.group(1)), int(m.group(2))


def _cmd(args) -> int:
    from pathlib import Path  # noqa: PLC0415

    from ..errors import ScenarioError  # noqa: PLC0415
    from ..intake import import_file  # noqa: PLC0415
    from ..scenario import LEVELS, parse_scenario, write_atomic  # noqa: PLC0415
    from . import UsageError  # noqa: PLC0415

    if args.level is not None and args.level not in LEVELS:
        raise UsageError(f"--level {args.level!r} is not a level; use one of {', '.join(LEVELS)}")
    out = Path(args.output) if args.output else None
    if out is not None and out.exists() and not args.force:
        raise UsageError(f"{out} exists; pass --force to replace it (nothing written)")
    result = import_file(
        args.file,
        table=args.table,
        text=args.text,
        region=args.region,
        level=args.level,
        period=_period(args.period),
        base_year=args.base_year,
        encoding=args.encoding,
    )
    target = str(out) if out is not None else f"{Path(args.file).stem}.yaml"
    try:
        parse_scenario(result.yaml, file=target)
    except ScenarioError as exc:
        raise UsageError(
            f"{args.file}: the drafted scenario does not load, nothing written:\n{exc}"
        ) from None
    if out is not None:
        write_atomic(out, result.yaml, overwrite=args.force)
        result.report.output = str(out)
    if args.format == "json":
        report = result.report.to_dict()
        if out is None:  # nothing written: the scenario travels inside the JSON
            report["yaml"] = result.yaml
        print(json.dumps(report, ensure_ascii=False, indent=1))
    elif out is not None:
        sys.stdout.write(result.report.to_text())
    if out is None:
        if args.format != "json":
            sys.stderr.write(result.report.to_text())
            sys.stdout.write(result.yaml)
    return 0


def register(subparsers) -> None:
    """Add ``planlib import``."""
    p = subparsers.add_parser(
        "import",
        help="导入：主要指标表（xlsx/docx/pdf/csv/md/txt）或规划正文（--text）→ 情景文件",
    )
    p.add_argument(
        "file",
        help="the plan: .xlsx, .docx, .pdf, .csv, .md, .txt (table) or .docx/.txt/.pdf with --text",
    )
    p.add_argument(
        "-o",
        "--output",
        help="scenario file to write (atomically); without it the YAML goes to stdout",
    )
    p.add_argument("--table", type=int, help="which table (1, 2 …) when the file holds several")
    p.add_argument(
        "--text", action="store_true", help="draft targets from prose sentences instead of a table"
    )
    p.add_argument("--region", help="地区, e.g. 黄羊县 (default: from the table title)")
    p.add_argument(
        "--level", help="层级: 园区, 乡镇, 街道, 区, 县, 市, 省 (default: from the region name)"
    )
    p.add_argument("--period", help="plan period, e.g. 2021-2025 (default: from the header years)")
    p.add_argument("--base-year", type=int, help="基期年 (default: the latest base column)")
    p.add_argument("--encoding", help="encoding of a CSV/TXT that is not UTF-8, e.g. gbk")
    p.add_argument("--force", action="store_true", help="replace an existing -o file")
    p.add_argument(
        "--format", choices=["text", "json"], default="text", help="import report format"
    )
    p.set_defaults(func=_cmd)

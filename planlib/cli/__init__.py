"""Command line: ``planlib audit|table|solve|run FILE``.

Core commands are defined here; others register themselves from
the other modules of ``planlib/cli/`` (each has ``register(subparsers)`` and imports heavy
libraries only inside its command function).

Exit codes: 0 success (audit: every 约束性 target met), 1 a 约束性 target fails
(audit) or a target is unreachable within bounds (solve), 2 invalid input —
a message naming file, line, field and what is allowed; never a traceback —
3 an internal error (a bug in planlib): one line asking for a report.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["main", "check_finite", "EXIT_INTERNAL"]

#: exit code of an internal error (a bug), distinct from 1 (a binding target missed) and 2
#: (bad input)
EXIT_INTERNAL = 3
REPORT_URL = "the planlib maintainers (issue tracker)"


def check_finite(traj, scenario) -> None:
    """Raise PlanlibError when a deterministic trajectory reaches ±inf (overflow, division by 0).

    NaN stays allowed: it marks years before an indicator's first known value.
    """
    import numpy as np

    from ..errors import PlanlibError

    bad = np.isinf(traj.values)
    if not bad.any():
        return
    _, i, j = (int(x[0]) for x in np.nonzero(bad))
    ind, year = traj.indicators[i], int(traj.years[j])
    where = scenario.source_path or scenario.meta.id
    raise PlanlibError(
        f"{where} indicators.{ind}: the value overflows to infinity in {year} "
        "(a rate or base too large, or a division by zero); use values a plan can "
        "reach"
    )


def _load_model(path, allow_outside: bool = False):
    """Load the scenario and compile its model, checking the trajectories stay finite."""
    from ..model import Model
    from ..scenario import load_scenario

    sc = load_scenario(path, allow_outside=allow_outside)
    model = Model(sc)
    check_finite(model.evaluate(), sc)
    return sc, model


def _load(path, allow_outside: bool = False):
    return _load_model(path, allow_outside)[0]


def _cmd_audit(args) -> int:
    from ..auditing import audit

    sc, model = _load_model(args.file, args.allow_outside)
    report = audit(sc, lang=args.lang, model=model)
    print(report.to_json() if args.format == "json" else report.to_text())
    return report.exit_code


def _cmd_table(args) -> int:
    from ..table import indicator_table, render_table, write_table

    sc = _load(args.file, args.allow_outside)
    df = indicator_table(sc, lang=args.lang)
    title = sc.meta.name if args.lang == "zh" else (sc.meta.name_en or sc.meta.name)
    if args.output:
        write_table(df, args.output, args.format, title=title)
        print(args.output)
        return 0
    if args.format == "xlsx":
        raise _UsageError("--format xlsx needs -o FILE.xlsx")
    sys.stdout.write(render_table(df, args.format, title=title))
    return 0


def _cmd_solve(args) -> int:
    from ..solver import solve

    sc = _load(args.file, args.allow_outside)
    try:
        sc.target(args.target)
    except KeyError as exc:
        raise _UsageError(f"{args.file}: --target {exc.args[0]}") from None
    try:
        sc.parameter(args.param)
    except KeyError as exc:
        raise _UsageError(f"{args.file}: --param {exc.args[0]}") from None
    res = solve(sc, args.target, args.param, lang=args.lang)
    print(
        json.dumps(res.to_dict(), ensure_ascii=False, indent=2)
        if args.format == "json"
        else res.message
    )
    return 1 if res.status == "unreachable" else 0


def _cmd_run(args) -> int:
    from ..longformat import to_iamc, to_long

    sc, model = _load_model(args.file, args.allow_outside)
    traj = model.evaluate()
    df = to_iamc(traj, sc, lang=args.lang) if args.iamc else to_long(traj, sc, lang=args.lang)
    if args.format == "json":
        print(df.to_json(orient="records", force_ascii=False, indent=1))
    else:
        sys.stdout.write(_safe(df).to_csv(index=False, float_format="%.10g"))
    return 0


_CORE = ("audit", "table", "solve", "run")


def _command_modules() -> list:
    """Return the modules of ``planlib/cli/`` that add commands (``register``, ``COMMANDS``)."""
    import importlib

    from .. import _module_names

    found = []
    for name in _module_names(__path__[0]):
        if not name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{name}")
            if hasattr(module, "register"):
                found.append(module)
    return found


class _UsageError(Exception):
    pass


UsageError = _UsageError  # for cmd_* modules: exit 2 with the message, no traceback


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the ``planlib`` argument parser.

    Parameters
    ----------
    command : str, optional
        Build only the parsers this command needs (a quicker start): a core command adds no
        module, another adds its own module; None, or a name nobody declares, builds every
        command, so help and "invalid choice" list them all.
    """
    p = argparse.ArgumentParser(
        prog="planlib",
        description="规划指标审计、主要指标表、求解与推演 — audit, table, solve, run",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp):
        sp.add_argument("file", help="scenario file, e.g. scenarios/huangyang-park-14fyp.yaml")
        sp.add_argument(
            "--lang", choices=["zh", "en"], default="zh", help="language of messages and labels"
        )
        sp.add_argument(
            "--allow-outside",
            action="store_true",
            help="let extends: name files outside the scenario's folder",
        )

    a = sub.add_parser("audit", help="check every target against the scenario's own rules")
    common(a)
    a.add_argument("--format", choices=["text", "json"], default="text")
    a.set_defaults(func=_cmd_audit)

    t = sub.add_parser("table", help="主要指标表 as Markdown, CSV, HTML or Excel")
    common(t)
    t.add_argument("--format", choices=["md", "csv", "html", "xlsx"], default="md")
    t.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")
    t.set_defaults(func=_cmd_table)

    s = sub.add_parser("solve", help="the parameter value that just meets a target")
    common(s)
    s.add_argument("--target", required=True, help="target id (see `planlib audit --format json`)")
    s.add_argument("--param", required=True, help="parameter name")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=_cmd_solve)

    r = sub.add_parser("run", help="deterministic trajectories as a long table")
    common(r)
    r.add_argument("--format", choices=["csv", "json"], default="csv")
    r.add_argument(
        "--iamc",
        action="store_true",
        help="IAMC columns (model, scenario, region, variable, unit, year, value)",
    )
    r.set_defaults(func=_cmd_run)

    # more commands live in the modules of planlib/cli/, each with register(subparsers) and the
    # COMMANDS it adds; found, not listed
    if command in _CORE:
        return p
    modules = _command_modules()
    if not any(command in m.COMMANDS for m in modules):
        command = None
    for module in modules:
        if command is None or command in module.COMMANDS:
            module.register(sub)
    return p


def main(argv=None) -> int:
    """Entry point of the ``planlib`` command."""
    from ..errors import MAX_MESSAGE_CHARS, PlanlibError, abbreviate

    argv = sys.argv[1:] if argv is None else list(argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(first).parse_args(argv)
    try:
        return args.func(args)
    except PlanlibError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except _UsageError as exc:
        print(f"planlib {args.command}: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(abbreviate(f"planlib {args.command}: {exc}", MAX_MESSAGE_CHARS), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"planlib {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line, its own exit code, no traceback
        what = abbreviate(f"{type(exc).__name__}: {exc}", 300).replace("\n", " ")
        print(
            f"planlib {args.command}: internal error ({what}); this is a bug in planlib — please "
            f"report it to {REPORT_URL} with the command and the input file",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _safe(df):
    """CSV cells a spreadsheet shows as text (formula injection: formatting.spreadsheet_safe)."""
    from ..formatting import spreadsheet_safe_frame

    return spreadsheet_safe_frame(df)


if __name__ == "__main__":
    sys.exit(main())

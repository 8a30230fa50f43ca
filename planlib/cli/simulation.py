"""``planlib mc | mc-solve | sensitivity | sweep``: Monte Carlo from the command line.

Heavy libraries (pandas, SALib, Dask) load inside the handlers only.
"""

from __future__ import annotations

import json
import sys

__all__ = ["register"]

#: the commands register() adds (the parser builds only the one asked for)
COMMANDS = ("mc", "mc-solve", "sensitivity", "sweep")

PROGRESS_FROM = 200_000  # runs: show a progress bar on longer runs (stderr, a terminal only)


def _load(path):
    from ..scenario import load_scenario

    return load_scenario(path)


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(float(text)) if float(text).is_integer() else None
    except ValueError:
        value = None
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _percentiles(text: str) -> list[float]:
    import argparse

    try:
        vals = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        vals = []
    if not vals or any(not 0 <= v <= 100 for v in vals):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated numbers in [0, 100], got {text!r}"
        )
    return vals


def _emit(text: str, output: str | None) -> None:
    if output:
        from ..scenario import write_atomic

        write_atomic(output, text, overwrite=True)
        print(output)
    else:
        sys.stdout.write(text)


def _cmd_mc(args) -> int:
    from ..simulation.engine import simulate

    sc = _load(args.file)
    # by default a bar only where someone watches: a log file or a pipe gets no bar
    show = (
        args.progress
        if args.progress is not None
        else args.runs >= PROGRESS_FROM and sys.stderr.isatty()
    )
    res = simulate(
        sc,
        args.runs,
        seed=args.seed,
        percentiles=args.percentiles,
        threads=args.threads,
        chunk_size=args.chunk_size,
        progress=show,
    )
    if args.format == "json":
        text = json.dumps(res.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        df = res.to_long() if args.long else res.target_table()
        text = _safe(df).to_csv(index=False, float_format="%.10g")
    else:
        text = res.to_text(args.lang)
    _emit(text, args.output)
    return 0


def _cmd_mc_solve(args) -> int:
    from ..simulation.engine import solve_probability
    from . import UsageError

    sc = _load(args.file)
    try:
        sc.target(args.target)
        sc.parameter(args.param)
    except KeyError as exc:
        raise UsageError(f"{args.file}: {exc.args[0]}") from None
    if not 0 < args.probability <= 1:
        raise UsageError(f"--probability must be in (0, 1], got {args.probability}")
    r = solve_probability(
        sc,
        args.target,
        args.param,
        probability=args.probability,
        runs=args.runs,
        seed=args.seed,
        lang=args.lang,
    )
    if args.format == "json":
        from dataclasses import asdict

        d = asdict(r)
        d["bounds"] = list(r.bounds)
        print(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        print(r.message)
    return 1 if r.status == "unreachable" else 0


def _cmd_sensitivity(args) -> int:
    from ..formatting import fmt_number
    from ..simulation.sensitivity import sobol, tornado
    from . import UsageError

    sc = _load(args.file)
    targets = [t.id for t in sc.targets]
    target = args.target or (targets[0] if targets else None)
    if target not in targets:
        raise UsageError(
            f"{args.file}: --target {target!r} is not a target; have: {', '.join(targets)}"
        )
    params = args.params.split(",") if args.params else None
    try:
        if args.method == "sobol":
            df = sobol(sc, target, n=args.n, params=params, seed=args.seed)
        else:
            df = tornado(sc, target, params=params)
    except KeyError as exc:
        raise UsageError(f"{args.file}: --params {exc.args[0]}") from None
    if args.format == "csv":
        _emit(_safe(df).to_csv(index=False, float_format="%.10g"), args.output)
    elif args.format == "json":
        _emit(df.to_json(orient="records", force_ascii=False, indent=1) + "\n", args.output)
    else:
        lines = [
            f"{sc.meta.id} {target} ({'Sobol' if args.method == 'sobol' else '龙卷风图 tornado'})"
        ]
        for rec in df.to_dict("records"):
            if args.method == "sobol":
                lines.append(
                    f"  {rec['parameter']:<28} S1={fmt_number(rec['S1'], 3):>6}  "
                    f"ST={fmt_number(rec['ST'], 3):>6}"
                    f"  {rec['label']}"
                )
            else:
                lines.append(
                    f"  {rec['parameter']:<28} {fmt_number(rec['value_low'])} … "
                    f"{fmt_number(rec['value_high'])}"
                    f"  (swing {fmt_number(rec['swing'])})  {rec['label']}"
                )
        _emit("\n".join(lines) + "\n", args.output)
    return 0


def _cmd_sweep(args) -> int:
    from ..simulation.sweep import read_sweep_table, sweep, variants_from_table
    from . import UsageError

    sc = _load(args.file)
    table = read_sweep_table(args.table)
    try:
        scenarios = variants_from_table(sc, table)
    except (KeyError, ValueError) as exc:
        raise UsageError(f"{args.table}: {exc.args[0]}") from None
    df = sweep(
        scenarios,
        runs=args.runs,
        seed=args.seed,
        scheduler=args.scheduler,
        workers=args.workers,
        progress=not args.no_progress,
    )
    if args.format == "json":
        text = df.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    else:
        text = _safe(df).to_csv(index=False, float_format="%.10g")
    _emit(text, args.output)
    return 0


def register(sub) -> None:
    """Add ``mc``, ``mc-solve``, ``sensitivity`` and ``sweep`` to the ``planlib`` parser."""

    def common(sp):
        sp.add_argument("file", help="scenario file, e.g. scenarios/huangyang-park-14fyp.yaml")
        sp.add_argument("--lang", choices=["zh", "en"], default="zh")
        sp.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    m = sub.add_parser("mc", help="Monte Carlo: probability of meeting each target")
    common(m)
    m.add_argument("--runs", type=_positive, default=100_000)
    m.add_argument("--format", choices=["text", "csv", "json"], default="text")
    m.add_argument(
        "--long", action="store_true", help="csv: percentiles per indicator and year (long table)"
    )
    m.add_argument(
        "--percentiles",
        type=_percentiles,
        default=[5.0, 25.0, 50.0, 75.0, 95.0],
        help="comma-separated, e.g. 5,50,95",
    )
    m.add_argument("--threads", type=_positive, default=None)
    m.add_argument("--chunk-size", type=_positive, default=None)
    m.add_argument(
        "--progress", action="store_true", default=None, help="always show a progress bar"
    )
    m.add_argument("--no-progress", dest="progress", action="store_false")
    m.add_argument("-o", "--output", help="write to this file (atomically)")
    m.set_defaults(func=_cmd_mc)

    s = sub.add_parser("mc-solve", help="parameter value giving P(meet target) ≥ p")
    common(s)
    s.add_argument("--target", required=True)
    s.add_argument("--param", required=True)
    s.add_argument("--probability", type=float, default=0.8)
    s.add_argument("--runs", type=_positive, default=20_000)
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=_cmd_mc_solve)

    t = sub.add_parser("sensitivity", help="tornado (one at a time) or Sobol indices for a target")
    common(t)
    t.add_argument("--target", help="target id (default: the first)")
    t.add_argument("--method", choices=["tornado", "sobol"], default="tornado")
    t.add_argument("--params", help="comma-separated parameters (default: those the target reads)")
    t.add_argument("--n", type=_positive, default=1024, help="Sobol base sample (power of two)")
    t.add_argument("--format", choices=["text", "csv", "json"], default="text")
    t.add_argument("-o", "--output")
    t.set_defaults(func=_cmd_sensitivity)

    w = sub.add_parser("sweep", help="Monte Carlo of many variants (rows of a CSV) on Dask")
    common(w)
    w.add_argument("--table", required=True, help="CSV: id, region, name and parameter columns")
    w.add_argument("--runs", type=_positive, default=10_000)
    w.add_argument(
        "--scheduler",
        default=None,
        help="address of a running Dask scheduler, or 'inprocess' (default: a LocalCluster)",
    )
    w.add_argument("--workers", type=_positive, default=2)
    w.add_argument("--format", choices=["csv", "json"], default="csv")
    w.add_argument("--no-progress", action="store_true")
    w.add_argument("-o", "--output")
    w.set_defaults(func=_cmd_sweep)


def _safe(df):
    """CSV cells a spreadsheet shows as text (formula injection: formatting.spreadsheet_safe)."""
    from ..formatting import spreadsheet_safe_frame

    return spreadsheet_safe_frame(df)

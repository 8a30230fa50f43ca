"""Workbook commands: ``planlib batch``, ``planlib render`` and ``planlib voila``.

``batch`` runs papermill over scenarios, ``render`` writes self-contained HTML, ``voila``
serves a notebook as an app without CDN stylesheets.
"""

from __future__ import annotations

__all__ = ["register"]

#: the commands register() adds (the parser builds only the one asked for)
COMMANDS = ("batch", "render", "voila")


def register(subparsers) -> None:
    """Add the ``batch`` and ``render`` subcommands."""
    b = subparsers.add_parser(
        "batch",
        help="run a notebook for every scenario (papermill)",
        description="Run NOTEBOOK once per scenario file; executed copies go to OUTDIR.",
    )
    b.add_argument(
        "notebook", help="notebook with a cell tagged 'parameters' setting scenario_file"
    )
    b.add_argument(
        "--scenarios", default="scenarios/*.yaml", help="glob of scenario files (quote it)"
    )
    b.add_argument("-o", "--outdir", required=True, help="folder for the executed notebooks")
    b.add_argument(
        "--parameter", default="scenario_file", help="variable that holds the scenario path"
    )
    b.add_argument(
        "--html", action="store_true", help="also write a self-contained HTML file per scenario"
    )
    b.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    b.set_defaults(func=_batch)

    r = subparsers.add_parser(
        "render",
        help="write one self-contained offline HTML file",
        description="Execute NOTEBOOK (what-ifs as static tables) and write one HTML "
        "file with all JavaScript inlined (no CDN).",
    )
    r.add_argument("notebook")
    r.add_argument("-o", "--output", required=True, help="FILE.html")
    r.add_argument("--scenario", help="scenario file injected as scenario_file (papermill)")
    r.add_argument("--with-code", action="store_true", help="keep the code cells")
    r.add_argument(
        "--no-execute", action="store_true", help="export stored outputs without running"
    )
    r.add_argument(
        "--live",
        action="store_true",
        help="the live what-if page (planlib share) of the scenario named in the notebook's "
        "parameters cell (or --scenario) instead of the executed notebook",
    )
    r.add_argument("--force", action="store_true", help="with --live: replace an existing file")
    r.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="with --live: language of the page (default zh)",
    )
    r.set_defaults(func=_render)

    v = subparsers.add_parser(
        "voila",
        help="serve a notebook as a voila app (no CDN)",
        description="Run voila on NOTEBOOK with planlib's template, which loads nothing from "
        "the network; other arguments go to voila unchanged.",
    )
    v.add_argument("notebook", help="notebook or folder")
    v.add_argument("voila_args", nargs="*", help="voila options (after --)")
    v.set_defaults(func=_voila)


def _batch(args) -> int:
    from pathlib import Path

    from ..workbook.batch import run_batch
    from ..workbook.render import render

    def report(res):
        status = "完成" if res.ok else f"失败：{res.error}"
        print(f"{res.scenario} → {res.output}（{res.seconds:.1f} 秒）{status}", flush=True)

    results = run_batch(
        args.notebook,
        args.scenarios,
        args.outdir,
        parameter=args.parameter,
        timeout=args.timeout,
        progress=report,
    )
    if args.html:
        for res in results:
            if res.ok:
                html = Path(args.outdir) / f"{res.output.stem}.html"
                render(
                    args.notebook,
                    html,
                    parameters={args.parameter: str(Path(res.scenario).resolve())},
                    timeout=args.timeout,
                )
                print(f"{res.scenario} → {html}", flush=True)
    failed = [r for r in results if not r.ok]
    print(f"{len(results) - len(failed)}/{len(results)} 个情景运行成功")
    return 1 if failed else 0


def _render(args) -> int:
    from pathlib import Path

    from ..workbook.render import render

    if args.live:
        from ..scenario import load_scenario
        from ..workbook.share import scenario_of_notebook, share
        from .share import report

        path = Path(args.scenario) if args.scenario else scenario_of_notebook(args.notebook)
        out, live = share(
            load_scenario(path), args.output, overwrite=args.force, lang=args.lang
        )
        report(out, live, args.lang)
        return 0
    if args.lang != "zh":
        from . import UsageError

        raise UsageError("--lang en needs --live (an executed notebook is written as it is)")
    params = {"scenario_file": str(Path(args.scenario).resolve())} if args.scenario else None
    out = render(
        args.notebook,
        args.output,
        parameters=params,
        execute=not args.no_execute,
        with_code=args.with_code,
    )
    print(f"已写入 {out}（{out.stat().st_size / 1e6:.1f} MB，离线可用）")
    return 0


def _voila(args) -> int:
    import subprocess

    from ..workbook.voila import voila_command, voila_env

    try:
        return subprocess.call(voila_command(args.notebook, *args.voila_args), env=voila_env())
    except KeyboardInterrupt:
        return 0

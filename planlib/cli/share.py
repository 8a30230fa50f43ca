"""``planlib share SCENARIO -o F.html``: the live what-if as one offline HTML file."""

from __future__ import annotations

__all__ = ["register"]

#: the commands register() adds (the parser builds only the one asked for)
COMMANDS = ("share",)


def register(subparsers) -> None:
    """Add the ``share`` subcommand."""
    s = subparsers.add_parser(
        "share",
        help="一个离线 HTML 文件，滑块在浏览器内重算 / one offline HTML file, live sliders",
        description="Write one self-contained HTML file (no network, no Python needed) whose "
        "sliders "
        "recompute the trajectories, the targets table and the charts in the browser.",
    )
    s.add_argument("file", help="scenario file, e.g. scenarios/huangyang-park-14fyp.yaml")
    s.add_argument("-o", "--output", required=True, help="FILE.html")
    s.add_argument("--force", action="store_true", help="replace an existing output file")
    s.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="language of the page (default zh)"
    )
    s.set_defaults(func=_share)


def report(out, live: bool, lang: str = "zh") -> None:
    """Print what was written (and say so when the page fell back to static)."""
    import sys

    size = out.stat().st_size / 1e6
    if lang == "en":
        state = "works offline, live sliders" if live else "static: see the notice on the page"
        print(f"wrote {out} ({size:.2f} MB, {state})")
    elif live:
        print(f"已写入 {out}（{size:.2f} MB，离线可用，滑块可在浏览器中推演）")
    else:
        print(
            f"已写入 {out}（{size:.2f} MB，静态版本：此情景含浏览器推演尚不支持的内容，"
            "页面上有说明）"
        )
    if not live:
        print("planlib share: the page is static (see the notice on the page)", file=sys.stderr)


def _share(args) -> int:
    from ..scenario import load_scenario
    from ..workbook.share import share

    out, live = share(load_scenario(args.file), args.output, overwrite=args.force, lang=args.lang)
    report(out, live, args.lang)
    return 0

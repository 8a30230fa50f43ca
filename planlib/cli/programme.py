"""``planlib programme FILE``: the domain figures of a scenario's components.

Indicators of a component come out of ``planlib run``/``table``/``audit``; what
is not a time series (a calibration, a compliance table, the seed's worked
example, limits) comes from each component's ``report()`` and is printed here,
as JSON or as indented text with numbers formatted by :mod:`planlib.formatting`.
"""

from __future__ import annotations

import json

__all__ = ["register"]

#: the commands register() adds (the parser builds only the one asked for)
COMMANDS = ("programme",)


def _cmd(args) -> int:
    from ..scenario import load_scenario
    from . import UsageError

    sc = load_scenario(args.file)
    if not sc.components:
        raise UsageError(
            f"{args.file}: the scenario has no components; programme reports need a components: "
            "entry (service_centres, community_norms, village_consolidation, minimum_living …)"
        )
    from ..domains.programmes import component_reports, report_text

    reports = component_reports(sc)
    if args.format == "json":
        print(json.dumps(reports, ensure_ascii=False, indent=1))
    else:
        print(report_text(reports), end="")
    return 0


def register(subparsers) -> None:
    """Add ``planlib programme``."""
    p = subparsers.add_parser(
        "programme",
        help="domain figures of the scenario's components (calibration, "
        "compliance table, worked example, limits)",
    )
    p.add_argument(
        "file", help="scenario file with components:, e.g. scenarios/xishan-service-centres.yaml"
    )
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd)

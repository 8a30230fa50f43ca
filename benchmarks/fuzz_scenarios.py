"""Fuzz the scenario loader (and what runs on an accepted file) with 10,000 mutated files.

Run: ``.venv/bin/python benchmarks/fuzz_scenarios.py [-n 10000] [--seed S] [--actuals 2000]``

Each case is one bundled scenario with one to three mutations (see ``tests/_fuzz.py``),
written to a temp folder beside copies of the bundled files and loaded with
``load_scenario``; an accepted file then goes through the deterministic run, ``audit``
(JSON parsed strictly: no NaN/Infinity) and the 主要指标表. Printed: accepted, rejected
(a PlanlibError with file:line field: message), uncaught (anything else), over 10 s,
the longest message, NaN/inf cases and how they ended. Exit 1 when any case is uncaught,
over 10 s or has a message over 2,000 characters (the issue-11 floors).
"""

from __future__ import annotations

import argparse
import collections
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


from _fuzz import (  # noqa: E402
    Outcome,
    actuals_cases,
    prepare_folder,
    run_actuals_case,
    run_scenario_case,
    scenario_cases,
)

LIMIT_SECONDS = 10.0
LIMIT_MESSAGE = 2000


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _run(fn, *args) -> Outcome:
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, LIMIT_SECONDS + 5)
    t0 = time.perf_counter()
    try:
        return fn(*args)
    except _Timeout:
        return Outcome("timeout", time.perf_counter() - t0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="scenario cases")
    ap.add_argument("--actuals", type=int, default=2_000, help="actuals cases")
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--show", type=int, default=10, help="uncaught cases to print")
    args = ap.parse_args(argv)

    from planlib.scenario import load_scenario

    counts: collections.Counter = collections.Counter()
    nonfinite: collections.Counter = collections.Counter()
    over, longest, uncaught = 0, (0, ""), []
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="planlib-fuzz-") as tmp:
        folder = prepare_folder(Path(tmp))
        for case in scenario_cases(args.n, args.seed):
            out = _run(run_scenario_case, case, folder)
            counts[out.status] += 1
            if out.seconds > LIMIT_SECONDS or out.status == "timeout":
                over += 1
            if len(out.message) > longest[0]:
                longest = (len(out.message), f"case {case.number} {case.labels}")
            if out.status == "uncaught":
                uncaught.append((case.number, case.source, case.labels, out.detail))
            if any(x in case.text.lower() for x in (".nan", ".inf")):
                nonfinite[out.status] += 1
        scenario_time = time.perf_counter() - t_start
        park = load_scenario(folder / "huangyang-park-14fyp.yaml")
        act_counts: collections.Counter = collections.Counter()
        for case in actuals_cases(args.actuals, args.seed):
            out = _run(run_actuals_case, case, folder, park)
            act_counts[out.status] += 1
            if out.seconds > LIMIT_SECONDS or out.status == "timeout":
                over += 1
            if len(out.message) > longest[0]:
                longest = (len(out.message), f"actuals case {case.number} {case.labels}")
            if out.status == "uncaught":
                uncaught.append((case.number, "actuals", case.labels, out.detail))
    print(f"scenario cases: {args.n:,} in {scenario_time:.1f} s (seed {args.seed})")
    print(f"  accepted {counts['accepted']:,}  rejected {counts['rejected']:,}  "
          f"uncaught {counts['uncaught']:,}  timeout {counts['timeout']:,}")
    print(f"  cases with NaN/inf written: {sum(nonfinite.values()):,} "
          f"(rejected {nonfinite['rejected']:,}, accepted {nonfinite['accepted']:,}, uncaught "
          f"{nonfinite['uncaught']:,})")
    print(f"actuals cases: {args.actuals:,}: accepted {act_counts['accepted']:,}  "
          f"rejected {act_counts['rejected']:,}  uncaught {act_counts['uncaught']:,}  "
          f"timeout {act_counts['timeout']:,}")
    print(f"over {LIMIT_SECONDS:g} s: {over}")
    print(f"longest message: {longest[0]:,} characters ({longest[1]})")
    for number, source, labels, detail in uncaught[: args.show]:
        print(f"  uncaught #{number} {source} {labels}: {detail}")
    bad = counts["uncaught"] + act_counts["uncaught"] + over + (longest[0] > LIMIT_MESSAGE)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

"""Import benchmark: a 60-row 主要指标表 (.xlsx) → scenario YAML, timed as a whole process.

Run: ``.venv/bin/python benchmarks/bench_import.py`` (``--repeat N``, default 5;
``--file tests/intake/data/sample.pdf`` times that file instead, e.g. a PDF).

Floor (issue 14): ``planlib import table60.xlsx -o plan.yaml`` in ≤ 1 s wall time for the
whole process (interpreter start, imports, reading, drafting, validating the scenario,
writing it atomically). The 60 rows are the 20-row sample of tests/intake three times,
with names numbered so every row is its own indicator. Prints the median and the best
wall time, the process's CPU time (user + sys: on a machine shared with other jobs the
wall time includes waiting for a core) and the per-phase time inside one process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "intake"))
sys.path.insert(0, str(ROOT))


def make_table(path: Path, copies: int = 3) -> int:
    """Write the 20-row sample ``copies`` times into one sheet; return the row count."""
    from make_fixtures import ROWS, write_xlsx

    rows = []
    for k in range(copies):
        for r in ROWS:
            name, unit = r[1].rsplit("（", 1)
            rows.append([r[0], f"{name}{k + 1}（{unit}", *r[2:]])
    write_xlsx(path, rows)
    return len(rows)


def main() -> None:
    """Time the import of a 60-row table, whole process and in-process phases."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--file", type=Path, help="time this file instead of the 60-row xlsx")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.file is not None:
            table, n = args.file.resolve(), None
        else:
            table = tmp / "table60.xlsx"
            n = make_table(table)
        planlib = [sys.executable, "-m", "planlib.cli"]
        walls, cpus = [], []
        for i in range(args.repeat):
            out = tmp / f"plan{i}.yaml"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.run(
                [*planlib, "import", str(table), "-o", str(out)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            )
            walls.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if proc.returncode != 0:
                raise SystemExit(f"import failed: {proc.stderr}")
        first = proc.stdout.splitlines()[0]
        # in-process phases
        t0 = time.perf_counter()
        from planlib.intake import import_file
        from planlib.scenario import parse_scenario

        t1 = time.perf_counter()
        res = import_file(table)
        t2 = time.perf_counter()
        parse_scenario(res.yaml, "plan.yaml")
        t3 = time.perf_counter()
    median = statistics.median(walls)
    what = table.name if n is None else f"a {n}-row table (.xlsx)"
    print(
        f"import of {what}, whole process: median {median:.3f} s, "
        f"best {min(walls):.3f} s over {args.repeat} runs "
        f"(floor 1 s: {'met' if median <= 1 else 'MISSED'})"
    )
    print(
        f"  CPU time of the process (user + sys; what an idle machine's wall time approaches): "
        f"median {statistics.median(cpus):.3f} s"
    )
    print(
        f"  in one process: imports {t1 - t0:.3f} s, read+draft {t2 - t1:.3f} s, "
        f"validate {t3 - t2:.3f} s"
    )
    print(f"  {first}")


if __name__ == "__main__":
    main()

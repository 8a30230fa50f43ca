"""Start-up benchmark (issue 12): whole-process wall time of planlib commands, hyperfine-style.

Run: ``.venv/bin/python benchmarks/bench_startup.py`` (``--repeat N``, default 9).

Each command runs ``N`` times in a fresh process, interleaved (A B C, A B C, …) so that load
from other jobs on the machine hits every command alike; the median and the minimum are
reported. Floors (issue 12):

- ``planlib audit`` on the park ≤ 1.5 × ``python -c "import numpy, yaml, pydantic"``
  (the libraries any scenario file needs), compared on the medians of the same run;
- ``planlib mc --runs 1000000`` on the full park (components included) ≤ 1.0 s.

Before timing, planlib is brought to the state an installed copy is in: its bytecode compiled
(``compileall``, what pip does for a wheel) and its prebuilt validators current
(``python -m planlib._prebuilt``, what the first run writes where bytecode writing is on) — the
libraries it is compared with have theirs from ``pip install``. ``--cold`` skips this and
removes both, to show a first run after an edit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARK = ROOT / "scenarios" / "huangyang-park-14fyp.yaml"
PLANLIB = [sys.executable, "-m", "planlib.cli"]

COMMANDS = {
    "import numpy, yaml, pydantic": [sys.executable, "-c", "import numpy, yaml, pydantic"],
    "import planlib": [sys.executable, "-c", "import planlib"],
    # reference, not a floor: what any program with one pydantic model pays before its own work
    "one pydantic model": [
        sys.executable,
        "-c",
        "import numpy, yaml\nfrom pydantic import BaseModel, Field\n"
        "class A(BaseModel):\n    x: int = Field(1)\nA(x=2)",
    ],
    "planlib audit (park)": [*PLANLIB, "audit", str(PARK)],
    "planlib mc --runs 1000000 (full park)": [*PLANLIB, "mc", str(PARK), "--runs", "1000000",
                                              "--seed", "1"],
}
AUDIT_RATIO_FLOOR = 1.5
MC_FLOOR = 1.0


def wall(cmd: list[str], env: dict) -> float:
    """Seconds of one whole-process run (output discarded; a failure is an error)."""
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--cold", action="store_true", help="no bytecode, no prebuilt validators")
    args = ap.parse_args(argv)
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    if args.cold:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PLANLIB_MODEL_CACHE"] = "off"
        for pyc in (ROOT / "planlib").rglob("__pycache__/*"):
            pyc.unlink()
    else:
        subprocess.run([sys.executable, "-m", "compileall", "-q", "planlib"], cwd=ROOT, check=True)
        subprocess.run([sys.executable, "-m", "planlib._prebuilt"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    for cmd in COMMANDS.values():  # warm the file cache; a command that fails stops the run
        code = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode
        if code not in (0, 1):  # 1 = a binding target missed, still a full run
            raise SystemExit(f"{' '.join(cmd)} exited with {code}")
    times: dict[str, list[float]] = {k: [] for k in COMMANDS}
    for _ in range(args.repeat):
        for name, cmd in COMMANDS.items():
            times[name].append(wall(cmd, env))
    load = os.getloadavg()[0]
    state = "cold: no bytecode, validators built each run" if args.cold else "installed state"
    print(f"whole-process wall time, {args.repeat} runs each, interleaved; "
          f"load average {load:.1f}; {state}")
    print(f"{'command':<42} {'median':>8} {'min':>8}")
    for name, ts in times.items():
        print(f"{name:<42} {statistics.median(ts):8.3f} {min(ts):8.3f}")
    floor = statistics.median(times["import numpy, yaml, pydantic"])
    audit = statistics.median(times["planlib audit (park)"])
    mc = statistics.median(times["planlib mc --runs 1000000 (full park)"])
    ratio = audit / floor
    ok_audit, ok_mc = ratio <= AUDIT_RATIO_FLOOR, mc <= MC_FLOOR
    print(f"audit / import floor = {ratio:.2f} (floor ≤ {AUDIT_RATIO_FLOOR}): "
          f"{'met' if ok_audit else 'NOT met'}")
    print(f"mc 1e6 full park = {mc:.3f} s (floor ≤ {MC_FLOOR} s): {'met' if ok_mc else 'NOT met'}")
    return 0 if ok_audit and ok_mc else 1


if __name__ == "__main__":
    sys.exit(main())

"""Package-level contracts: cheap import, README commands, CI entry point."""

import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_is_cheap_and_loads_nothing_heavy():
    code = (
        "import sys, time; t = time.perf_counter(); import planlib; dt = time.perf_counter() - t; "
        "heavy = [m for m in ('pandas', 'matplotlib', 'jupyterlab', 'ipywidgets', 'pydantic', "
        "'yaml') if m in sys.modules]; print(dt, ','.join(heavy))"
    )
    times = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        dt, heavy = out.stdout.split(" ") if " " in out.stdout else (out.stdout, "")
        times.append(float(dt))
        assert heavy.strip() == ""
    assert statistics.median(times) <= 0.7


def test_lazy_attributes_resolve():
    import planlib

    assert callable(planlib.load_scenario) and callable(planlib.audit) and callable(planlib.solve)
    assert planlib.growth.cagr(1, 2, 1) == 1.0


def test_readme_has_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"[\u4e00-\u9fff]", readme.split("\n\n")[1]), "first paragraph must be Chinese"
    assert "./dev lab" in readme and "./dev test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\s*(exec\s+)?\./dev test\s*$", ci, re.M)


def test_environment_yml_mirrors_pyproject():
    import tomllib

    import yaml

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))

    def names(reqs):
        return {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower() for r in reqs}

    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["test"])
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    have = names(conda + [p for p in pip if not p.startswith("-")]) - {"python", "pip"}
    assert wanted == have, (wanted - have, have - wanted)

"""Fuzz: 2,000 mutated scenario files and 400 mutated actuals tables (seeded, reproducible).

Only planlib's own error may escape, always as ``file[:line] [field]: message`` of at most
2,000 characters; each case (load, and for an accepted file the deterministic run, audit
with strict JSON and the 主要指标表 without NaN/inf) takes at most 2 s of CPU time (wall
time, which other processes inflate, at most 10 s). The mutations are in
``tests/_fuzz.py``; ``benchmarks/fuzz_scenarios.py`` runs 10,000 of them.
"""

import pytest
from _fuzz import (
    actuals_cases,
    prepare_folder,
    run_actuals_case,
    run_scenario_case,
    scenario_cases,
)

from planlib.errors import MAX_MESSAGE_CHARS
from planlib.scenario import load_scenario

SCENARIO_CASES = 2000
CHUNK = 250
ACTUALS_CASES = 400
LIMIT_SECONDS = 2.0  # CPU time of one case [s]
WALL_SECONDS = 10.0  # wall time of one case on a loaded machine [s]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = prepare_folder(tmp_path_factory.mktemp("fuzz"))
    for path in sorted(folder.glob("*.yaml")):  # warm up imports so timings are per case
        load_scenario(path)
    return folder


@pytest.fixture(scope="module")
def cases():
    return list(scenario_cases(SCENARIO_CASES))


def _check(case, out, failures):
    if out.status == "uncaught":
        failures.append(f"case {case.number} ({case.source}, {case.labels}): {out.detail}")
    elif out.cpu > LIMIT_SECONDS or out.seconds > WALL_SECONDS:
        failures.append(
            f"case {case.number} ({case.source}, {case.labels}): {out.cpu:.2f} s CPU, "
            f"{out.seconds:.2f} s wall"
        )
    elif out.status == "rejected":
        if len(out.message) > MAX_MESSAGE_CHARS:
            failures.append(f"case {case.number}: message of {len(out.message)} characters")
        if "case." not in out.message.split(":", 1)[0] and "case." not in out.message[:300]:
            failures.append(
                f"case {case.number}: message does not name the file: {out.message[:200]}"
            )


@pytest.mark.parametrize("chunk", range(SCENARIO_CASES // CHUNK))
def test_mutated_scenarios_raise_only_planlib_errors(folder, cases, chunk):
    failures, statuses = [], []
    cases = cases[chunk * CHUNK : (chunk + 1) * CHUNK]
    for case in cases:
        out = run_scenario_case(case, folder)
        statuses.append(out.status)
        _check(case, out, failures)
    assert not failures, "\n".join(failures[:20])
    assert statuses.count("rejected") > len(cases) / 3  # the mutations do break files


def test_mutated_actuals_raise_only_planlib_errors(folder):
    park = load_scenario(folder / "huangyang-park-14fyp.yaml")
    failures, statuses = [], []
    for case in actuals_cases(ACTUALS_CASES):
        out = run_actuals_case(case, folder, park)
        statuses.append(out.status)
        _check(case, out, failures)
    assert not failures, "\n".join(failures[:20])
    assert statuses.count("accepted") > 20 and statuses.count("rejected") > 100

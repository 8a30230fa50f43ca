"""A seeded mutator of the bundled scenarios and actuals (used by tests/test_fuzz.py and
benchmarks/fuzz_scenarios.py).

Each case takes one bundled file and applies one to three mutations drawn from what a
careless edit, a hostile upload or a broken export produces: deleted keys, values of the
wrong type, NaN / ±inf, huge and tiny numbers, years of ±1e9, one-element and string
periods, deep nesting, recursive aliases, alias bombs, ``extends`` to odd paths (devices,
system files, itself, very long names) and unicode junk. The same seed gives the same
cases, so a failure is reproducible with its number.
"""

from __future__ import annotations

import copy
import random
import re
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
ACTUALS = sorted((ROOT / "scenarios").glob("*.actuals.csv"))
#: the actuals table mutated by :func:`actuals_cases` (it belongs to the park plan)
PARK_ACTUALS = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"

JUNK_VALUES = [
    None,
    "",
    "abc",
    [],
    {},
    0,
    -1,
    1,
    0.5,
    1e9,
    -1e9,
    1e308,
    -1e308,
    1e-300,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    10**30,
    "x" * 5000,
    "\u202e\u0000\ufffd名称\U0001f600",
    [2021],
    [2030, 2021],
    "2021-2025",
    [1e9, 2e9],
    {"a": 1},
    -5e8,
    2.5,
    "1e999",
    [None],
    {2021: float("nan")},
    {-1000000000: 1},
    "<img src=x onerror=alert(1)>",
    "=1+1",
]
EXTENDS_VALUES = [
    "/dev/zero",
    "/dev/stdin",
    "/dev/null",
    "/etc/passwd",
    "/etc/hostname",
    "../../../etc/passwd",
    "x" * 5000 + ".yaml",
    "",
    ".",
    "..",
    "nonexistent.yaml",
    "case.yaml",
    "/proc/self/environ",
    "sub/../case.yaml",
    "base.yaml",
    "base.yml",
    12,
    None,
    ["base.yaml"],
    "base.yaml\x00.txt",
]


def _paths(x, loc=()):
    """Every (path, value) in a nested structure."""
    out = [(loc, x)]
    if isinstance(x, dict):
        for k, v in x.items():
            out += _paths(v, loc + (k,))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            out += _paths(v, loc + (i,))
    return out


def _get(data, loc):
    for k in loc:
        data = data[k]
    return data


def _set(data, loc, value):
    _get(data, loc[:-1])[loc[-1]] = value


def _delete(data, loc):
    parent = _get(data, loc[:-1])
    del parent[loc[-1]]


def mutate_data(data, rng: random.Random) -> str | None:
    """Apply one structural mutation in place; return a label."""
    paths = [p for p, _ in _paths(data) if p]
    if not paths:
        return None
    loc = rng.choice(paths)
    op = rng.randrange(7)
    if op == 0:
        _delete(data, loc)
        return "delete"
    if op == 1:
        _set(data, loc, rng.choice(JUNK_VALUES))
        return "junk"
    if op == 2:  # a number nearby or absurd
        old = _get(data, loc)
        if isinstance(old, (int, float)) and not isinstance(old, bool):
            new = rng.choice(
                [
                    old * 1e9,
                    -old,
                    old + 1,
                    old - 1,
                    0,
                    float("nan"),
                    float("inf"),
                    int(old) + 10**9 if isinstance(old, int) else old * -1e300,
                ]
            )
            _set(data, loc, new)
            return "number"
        _set(data, loc, rng.choice(JUNK_VALUES))
        return "junk"
    if op == 3:  # year-ish: period / base_year / history years
        meta = data.get("meta") if isinstance(data, dict) else None
        if isinstance(meta, dict):
            key = rng.choice(["period", "base_year", "period", "id"])
            meta[key] = rng.choice(
                [
                    [2021],
                    "2021-2025",
                    [2021, 10**9],
                    [-(10**9), 2025],
                    10**9,
                    -(10**9),
                    [2025, 2021],
                    [2021, 2025, 2030],
                    2100,
                    [2100, 2100],
                ]
            )
            return "meta"
        _set(data, loc, rng.choice(JUNK_VALUES))
        return "junk"
    if op == 4:  # duplicate a list entry (ids twice)
        parent = _get(data, loc[:-1])
        if isinstance(parent, list) and parent:
            parent.append(parent[loc[-1]])
            return "duplicate"
        _delete(data, loc)
        return "delete"
    if op == 5:  # a history/path year far away
        parent = _get(data, loc[:-1])
        if isinstance(parent, dict):
            parent[rng.choice([10**9, -(10**9), 0, 3000, 1800, 2.5])] = rng.choice(
                [1, float("nan")]
            )
            return "year-key"
        _set(data, loc, rng.choice(JUNK_VALUES))
        return "junk"
    # op 6: swap two subtrees
    other = rng.choice(paths)
    if loc[: len(other)] == other or other[: len(loc)] == loc:
        return None  # one holds the other
    try:
        a, b = _get(data, loc), _get(data, other)
        _set(data, loc, b)
        _set(data, other, a)
    except (KeyError, IndexError, TypeError):
        pass
    return "swap"


def _deep(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def mutate_text(text: str, rng: random.Random) -> tuple[str, str]:
    """Text-level mutations that a structure cannot express."""
    op = rng.randrange(9)
    if op == 0:
        return alias_bomb(rng.choice([4, 6, 9, 12])) + text, "alias-bomb"
    if op == 1:
        return "loop: &r [*r]\n" + text.replace(
            "meta:", "meta2:", 1
        ) + "\nmeta: &m {x: *m}\n", "recursive"
    if op == 2:
        return text + f"\ndeep: {_deep(rng.choice([50, 500, 5000, 50000]))}\n", "deep"
    if op == 3:
        cut = rng.randrange(len(text))
        return text[:cut], "truncate"
    if op == 4:
        chars = list(text)
        for _ in range(rng.randrange(1, 20)):
            i = rng.randrange(len(chars))
            chars[i] = rng.choice(
                [
                    "\t",
                    ":",
                    "-",
                    "&",
                    "*",
                    "!",
                    "%",
                    "\u3000",
                    "\ufeff",
                    "\x00",
                    "{",
                    "[",
                    "'",
                    '"',
                    "\n",
                    "#",
                    "|",
                    "名",
                ]
            )
        return "".join(chars), "bytes"
    if op == 5:
        value = rng.choice(EXTENDS_VALUES)
        variant = {
            "extends": value,
            "meta": {"id": "v", "name": "变体"},
            "overrides": rng.choice([{}, {"x": 1}, {"output_growth": float("nan")}]),
        }
        return yaml.safe_dump(variant, allow_unicode=True), "extends"
    if op == 6:
        return text.replace("\n", "\n" + " " * rng.randrange(1, 4), rng.randrange(1, 5)), "indent"
    if op == 7:
        return text + "\n" + "\n".join(
            f"k{i}: {i}" for i in range(rng.choice([10, 1000, 30000]))
        ), "keys"
    big = "[" + ", ".join(["1"] * rng.choice([100, 30000])) + "]"
    return text.replace("history:", f"junk_list: {big}\n    history:", 1), "long-list"


@dataclass
class Case:
    """One fuzz case: the text written to ``case.yaml`` and how it was made."""

    number: int
    source: str
    labels: list[str] = field(default_factory=list)
    text: str = ""


def scenario_cases(n: int, seed: int = 20261202):
    """Yield ``n`` mutated scenario files (deterministic for a seed)."""
    rng = random.Random(seed)
    originals = {p.name: p.read_text(encoding="utf-8") for p in SCENARIOS}
    parsed = {
        k: yaml.load(v, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for k, v in originals.items()
    }
    for i in range(n):
        name = rng.choice(sorted(originals))
        case = Case(i, name)
        if rng.random() < 0.25:
            case.text, label = mutate_text(originals[name], rng)
            case.labels.append(label)
        else:
            data = copy.deepcopy(parsed[name])
            for _ in range(rng.randrange(1, 4)):
                label = mutate_data(data, rng)
                if label:
                    case.labels.append(label)
            case.text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
        yield case


def actuals_cases(n: int, seed: int = 7):
    """Yield ``n`` mutated actuals CSV texts."""
    rng = random.Random(seed)
    original = PARK_ACTUALS.read_text(encoding="utf-8")
    rows = original.splitlines()
    for i in range(n):
        lines = list(rows)
        labels = []
        for _ in range(rng.randrange(1, 4)):
            j = rng.randrange(1, len(lines))
            cells = lines[j].split(",")
            k = rng.randrange(len(cells))
            op = rng.randrange(6)
            if op == 0:
                cells[k] = rng.choice(
                    [
                        "nan",
                        "inf",
                        "-inf",
                        "",
                        "abc",
                        "1e999",
                        "=1+1",
                        "1e9",
                        "-1e9",
                        "2021.5",
                        "10000000000",
                        "名",
                    ]
                )
                labels.append("cell")
            elif op == 1:
                del cells[k]
                labels.append("drop-cell")
            elif op == 2:
                lines.insert(j, lines[j])
                labels.append("dup-row")
            elif op == 3:
                lines[0] = lines[0].replace(rng.choice(lines[0].split(",")), "x", 1)
                labels.append("header")
            elif op == 4:
                lines = lines[:j]
                labels.append("truncate")
                break
            else:
                cells.append("extra")
                labels.append("extra-cell")
            if j < len(lines):
                lines[j] = ",".join(cells)
        yield Case(i, PARK_ACTUALS.name, labels, "\n".join(lines) + "\n")


@dataclass
class Outcome:
    """What one case did: 'accepted', 'rejected' or 'uncaught'; seconds; message length."""

    status: str
    seconds: float
    message: str = ""
    detail: str = ""
    cpu: float = 0.0


def _finite_output(sc) -> None:
    """Run audit, table and run on an accepted scenario; NaN/inf must not reach any output."""
    import json

    from planlib.auditing import audit
    from planlib.model import Model
    from planlib.table import indicator_table, render_table

    traj = Model(sc).evaluate()
    try:
        from planlib.cli import check_finite
    except ImportError:  # an older planlib (the "before" count)
        pass
    else:
        check_finite(traj, sc)
    report = audit(sc)
    json.loads(report.to_json(), parse_constant=_no_constant)
    text = report.to_text()
    md = render_table(indicator_table(sc), "md")
    for out in (text, md):
        found = _BAD_NUMBER.search(out)
        if found:
            raise AssertionError(f"{found.group(0)!r} reached the output")


_BAD_NUMBER = re.compile(r"(?i)(?<![A-Za-z])[-+]?(nan|inf|infinity)(?![A-Za-z])|∞")


def _no_constant(name):
    raise AssertionError(f"invalid JSON constant {name}")


def _timed(fn):
    """Add the case's CPU time to its Outcome (wall time counts other processes' load too)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        c0 = time.process_time()
        out = fn(*args, **kwargs)
        out.cpu = time.process_time() - c0
        return out

    return wrapper


@_timed
def run_scenario_case(case: Case, folder: Path, deep: bool = True) -> Outcome:
    """Write the case to ``folder/case.yaml`` beside copies of the bundled files and load it."""
    from planlib.errors import PlanlibError
    from planlib.scenario import load_scenario

    path = folder / "case.yaml"
    path.write_text(case.text, encoding="utf-8", errors="surrogatepass")
    t0 = time.perf_counter()
    try:
        sc = load_scenario(path)
        if deep:
            _finite_output(sc)
    except PlanlibError as exc:
        return Outcome("rejected", time.perf_counter() - t0, str(exc))
    except Exception as exc:  # noqa: BLE001 — counted, that is the point
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        tb = traceback.extract_tb(exc.__traceback__)[-3:]
        detail += " @ " + "; ".join(f"{Path(f.filename).name}:{f.lineno}" for f in tb)
        return Outcome("uncaught", time.perf_counter() - t0, "", detail[:500])
    return Outcome("accepted", time.perf_counter() - t0)


@_timed
def run_actuals_case(case: Case, folder: Path, scenario) -> Outcome:
    """Read a mutated actuals CSV against ``scenario`` and review it."""
    from planlib.errors import PlanlibError
    from planlib.tracking.actuals import read_actuals

    path = folder / "case.actuals.csv"
    path.write_text(case.text, encoding="utf-8")
    t0 = time.perf_counter()
    try:
        act = read_actuals(path, scenario)
        from planlib.tracking.review import review

        rv = review(scenario, act)
        import json

        json.loads(rv.to_json(), parse_constant=_no_constant)
    except PlanlibError as exc:
        return Outcome("rejected", time.perf_counter() - t0, str(exc))
    except Exception as exc:  # noqa: BLE001
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        tb = traceback.extract_tb(exc.__traceback__)[-3:]
        detail += " @ " + "; ".join(f"{Path(f.filename).name}:{f.lineno}" for f in tb)
        return Outcome("uncaught", time.perf_counter() - t0, "", detail[:500])
    return Outcome("accepted", time.perf_counter() - t0)


def prepare_folder(folder: Path) -> Path:
    """Copies of the bundled scenarios (and a base.yaml) so relative ``extends`` resolve."""
    for p in SCENARIOS + ACTUALS:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "base.yaml").write_bytes(SCENARIOS[0].read_bytes())
    (folder / "sub").mkdir(exist_ok=True)
    return folder


__all__ = [
    "Case",
    "Outcome",
    "actuals_cases",
    "alias_bomb",
    "prepare_folder",
    "run_actuals_case",
    "run_scenario_case",
    "scenario_cases",
]

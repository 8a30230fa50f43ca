"""The start-up cache of prebuilt validators (planlib._prebuilt) changes speed, never results."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))

# Loads every bundled scenario and a set of broken variants; prints what a user would see (the
# validated data, every error message) and how many classes pydantic had to build.
PROBE = r"""
import json, sys
import pydantic._internal._model_construction as mc
built = []
_complete = mc.complete_model_class
def counting(cls, *a, **k):
    built.append(cls.__qualname__)
    return _complete(cls, *a, **k)
mc.complete_model_class = counting
import yaml
from planlib.errors import ScenarioError
from planlib.scenario import load_scenario, parse_scenario
out = {"scenarios": {}, "errors": []}
for path in sys.argv[1:]:
    sc = load_scenario(path)
    out["scenarios"][path] = [
        sc.model_dump(mode="json", exclude={"components", "source_path"}),
        [c.model_dump(mode="json") for c in sc.components],
        [t.id for t in sc.targets],
    ]
park = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
def broken(edit):
    data = json.loads(json.dumps(park))
    edit(data)
    try:
        parse_scenario(yaml.safe_dump(data, allow_unicode=True), "broken.yaml")
    except ScenarioError as exc:
        return str(exc)
    return "accepted"
edits = [
    lambda d: d["indicators"][0].update(unit="亿美圆"),
    lambda d: d["parameters"][0].update(default=-150),
    lambda d: d["indicators"][0].pop("id"),
    lambda d: d["targets"][0].update(colour="red"),
    lambda d: d["targets"][0].update(value="fifty"),
    lambda d: d["meta"].update(base_year="2020年"),
    lambda d: d["components"][0].update(population=-5),
    lambda d: d["components"][0].update(unknown_knob=1),
]
out["errors"] = [broken(e) for e in edits]
out["built"] = built
print(json.dumps(out, ensure_ascii=False, sort_keys=True))
"""


def _run(env_extra: dict, *args: str, code: str = PROBE, bytecode: bool = False):
    env = {k: v for k, v in os.environ.items() if k != "PLANLIB_MODEL_CACHE"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(env_extra)
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _probe(env_extra: dict) -> dict:
    park = str(ROOT / "scenarios" / "huangyang-park-14fyp.yaml")
    return json.loads(_run(env_extra, park, *[s for s in SCENARIOS if s != park]))


def _warm(cache: Path) -> None:
    _run({"PLANLIB_MODEL_CACHE": str(cache)}, code="import planlib._prebuilt as p; p.warm()")


@pytest.fixture(scope="module")
def fresh():
    """Everything built by pydantic itself, no cache."""
    return _probe({"PLANLIB_MODEL_CACHE": "off"})


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    path = tmp_path_factory.mktemp("prebuilt") / "models.pickle"
    _warm(path)
    return path


def test_cached_validators_give_the_same_data_and_messages(fresh, cache):
    cached = _probe({"PLANLIB_MODEL_CACHE": str(cache)})
    assert len(fresh["scenarios"]) == len(SCENARIOS) >= 7
    assert cached["scenarios"] == fresh["scenarios"]
    assert cached["errors"] == fresh["errors"]
    # the broken variants are refused, each naming the file and the field
    assert all(e != "accepted" and "broken.yaml" in e for e in fresh["errors"]), fresh["errors"]
    assert "亿美圆" in fresh["errors"][0]
    # pydantic built the models itself without the cache, and built none with it
    assert len(fresh["built"]) >= 8
    assert cached["built"] == []


def test_every_model_is_cached(cache):
    code = (
        "import importlib, pkgutil, sys\n"
        "import planlib, planlib._prebuilt as p\n"
        "from pydantic import BaseModel\n"
        "for m in pkgutil.walk_packages(planlib.__path__, 'planlib.'):\n"
        "    if m.name.split('.')[-1] not in ('__main__',) and 'workbook' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "def subs(c):\n"
        "    for s in c.__subclasses__():\n"
        "        yield s\n"
        "        yield from subs(s)\n"
        "ours = {f'{c.__module__}.{c.__qualname__}' for c in subs(BaseModel)\n"
        "        if c.__module__.startswith('planlib.')}\n"
        "pre = {p._key(c) for c in p._subclasses()}\n"
        "print(sorted(ours - pre - {p._key(p.Prebuilt)}))\n"
        "print(sorted(pre - set(p._entries())))\n"
    )
    not_prebuilt, not_cached = _run({"PLANLIB_MODEL_CACHE": str(cache)}, code=code).splitlines()
    assert not_prebuilt == "[]", (
        f"models not deriving from planlib._prebuilt.Prebuilt: {not_prebuilt}"
    )
    # a lambda default or validator cannot be pickled: name the function instead
    assert not_cached == "[]", f"models missing from the cache: {not_cached}"


@pytest.mark.parametrize("content", [b"not a pickle", "stale"])
def test_a_stale_or_unreadable_cache_is_ignored(fresh, cache, tmp_path, content):
    bad = tmp_path / "models.pickle"
    if content == "stale":  # the real entries under another fingerprint (another planlib source)
        _, entries = pickle.loads(cache.read_bytes())
        bad.write_bytes(pickle.dumps(("another planlib", entries)))
    else:
        bad.write_bytes(content)
    before = bad.read_bytes()
    got = _probe({"PLANLIB_MODEL_CACHE": str(bad)})
    assert got["scenarios"] == fresh["scenarios"]
    assert got["errors"] == fresh["errors"]
    assert len(got["built"]) >= 8  # built by pydantic, not read from the bad file
    assert bad.read_bytes() == before  # bytecode writing is off: the file is left alone


def test_written_at_exit_like_bytecode(tmp_path):
    path = tmp_path / "sub" / "models.pickle"
    load = (
        "from planlib.scenario import load_scenario\n"
        "load_scenario('scenarios/county-example-14fyp.yaml')"
    )
    _run({"PLANLIB_MODEL_CACHE": str(path)}, code=load)  # PYTHONDONTWRITEBYTECODE=1: nothing
    assert not path.exists()
    _run({"PLANLIB_MODEL_CACHE": str(path)}, code=load, bytecode=True)
    stamp, entries = pickle.loads(path.read_bytes())
    assert "planlib.schema.Scenario" in entries and "planlib.schema.Indicator" in entries
    assert not list(path.parent.glob(".*.tmp"))  # written atomically, no temp file left
    # the next process reads it: nothing to build
    probe = (
        "import pydantic._internal._model_construction as mc\n"
        "built = []\n"
        "_c = mc.complete_model_class\n"
        "mc.complete_model_class = lambda cls, *a, **k: built.append(cls) or _c(cls, *a, **k)\n"
        + load
        + "\nprint(len(built))"
    )
    assert _run({"PLANLIB_MODEL_CACHE": str(path)}, code=probe).strip() == "0"


def test_off_writes_nothing(tmp_path):
    env = {"PLANLIB_MODEL_CACHE": "off", "HOME": str(tmp_path)}
    code = "import planlib._prebuilt as p; print(p.cache_path(), p.warm())"
    assert _run(env, code=code, bytecode=True).split() == ["None", "None"]

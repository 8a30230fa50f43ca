"""Helpers shared by the community-programme tests (issue 6): run the CLI in-process."""

from __future__ import annotations

import json
from pathlib import Path

from planlib.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


def cli(capsys, *args):
    """Run ``planlib *args`` in-process; return (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def run_values(capsys, path) -> dict:
    """``{(indicator, year): value}`` from ``planlib run FILE --format json``."""
    code, out, err = cli(capsys, "run", path, "--format", "json")
    assert code == 0, err
    return {(r["indicator"], int(r["year"])): r["value"] for r in json.loads(out)}


def audit_rows(capsys, path) -> tuple[int, dict]:
    """Exit code and ``{target id: row}`` from ``planlib audit FILE --format json``."""
    code, out, err = cli(capsys, "audit", path, "--format", "json")
    assert code in (0, 1), err
    return code, {r["id"]: r for r in json.loads(out)["rows"]}


def programme(capsys, path) -> dict:
    """The first component's report from ``planlib programme FILE --format json``."""
    code, out, err = cli(capsys, "programme", path, "--format", "json")
    assert code == 0, err
    return json.loads(out)[0]["report"]


def edited(tmp_path, src: Path, *replacements, name="edited.yaml") -> Path:
    """Copy ``src`` with text replacements (each must occur) into ``tmp_path``."""
    text = src.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"test setup: {old!r} not in {src.name}"
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")

"""Shared fixtures: the seed scenario, and a helper that writes edited copies of it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
PARK = SCENARIOS / "huangyang-park-14fyp.yaml"


@pytest.fixture(scope="session")
def park_path() -> Path:
    return PARK


@pytest.fixture(scope="session")
def park():
    from planlib.scenario import load_scenario

    return load_scenario(PARK)


@pytest.fixture
def edited(tmp_path):
    """Write a copy of the park scenario with text replacements; return its path."""

    def make(*replacements, name="edited.yaml", text=None):
        src = PARK.read_text(encoding="utf-8") if text is None else text
        for old, new in replacements:
            assert old in src, f"test setup: {old!r} not in the scenario text"
            src = src.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(src, encoding="utf-8")
        return path

    return make


MINIMAL = """\
meta:
  id: mini
  name: 测试
  region: 测试镇
  level: 乡镇
  base_year: 2020
  period: [2021, 2025]
parameters:
  - {name: g, label_zh: 增速, unit: "%", default: 10, bounds: [0, 20], step: 0.5}
indicators:
  - id: output
    name_zh: 产值
    unit: 亿元
    category: 经济发展
    base: {year: 2020, value: 10}
    rule: {kind: growth, rate: g}
targets:
  - {id: out, indicator: output, year: 2025, value: 16}
"""


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL

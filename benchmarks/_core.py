"""The benchmark model: the seed park plan's own indicators over 2021–2030 (no components)."""

from __future__ import annotations

from pathlib import Path

import yaml

from planlib.scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[1]
PARK = ROOT / "scenarios" / "huangyang-park-14fyp.yaml"


def core_park(end: int = 2030):
    """The seed park scenario without ``components:``, its period extended to ``end``."""
    data = yaml.safe_load(PARK.read_text(encoding="utf-8"))
    data.pop("components", None)
    data["meta"]["period"] = [2021, end]
    return parse_scenario(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), str(PARK) + " (core)"
    )

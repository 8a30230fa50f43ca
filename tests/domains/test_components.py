"""The components hook: a component kind expands into ordinary scenario entries."""

from typing import Literal

import pytest

import planlib.domains as comps
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import parse_scenario


class Doubling(comps.Component):
    kind: Literal["doubling_test"]
    id: str
    start: float
    years: int = 5

    def expand(self, meta, view=None):
        if self.start <= 0:
            raise ValueError(f"start must be > 0, got {self.start}")
        return {
            "parameters": [
                {
                    "name": f"{self.id}_rate",
                    "label_zh": "增速",
                    "unit": "%",
                    "default": 14.87,
                    "bounds": [0, 50],
                }
            ],
            "indicators": [
                {
                    "id": self.id,
                    "name_zh": "翻番指标",
                    "unit": "亿元",
                    "category": "经济发展",
                    "base": {"year": meta["base_year"], "value": self.start},
                    "rule": {"kind": "growth", "rate": f"{self.id}_rate"},
                }
            ],
            "targets": [
                {
                    "id": f"{self.id}_double",
                    "indicator": self.id,
                    "year": meta["base_year"] + self.years,
                    "value": 2 * self.start,
                }
            ],
        }


@pytest.fixture
def with_test_kind(monkeypatch):
    monkeypatch.setattr(comps, "_REGISTRY", {**comps.registry(), "doubling_test": Doubling})


TEXT = """\
meta: {id: c, name: 组件, region: 某镇, level: 乡镇, base_year: 2020, period: [2021, 2025]}
indicators:
  - {id: other, name_zh: 其他, unit: 个, base: {year: 2020, value: 1}, rule: {kind: hold}}
components:
  - {kind: doubling_test, id: tax, start: 1}
"""


def test_component_expands_into_the_scenario(with_test_kind):
    sc = parse_scenario(TEXT, "c.yaml")
    assert [i.id for i in sc.indicators] == ["other", "tax"]
    assert sc.target("tax_double").value == 2
    assert isinstance(sc.components[0], Doubling)
    assert Model(sc).evaluate().at("tax", 2025)[0] == pytest.approx(2.0, rel=1e-3)


def test_component_errors_name_the_line(with_test_kind):
    with pytest.raises(
        ScenarioError,
        match=r"c\.yaml:5 components\[0\]\.colour: unknown key 'colour'; allowed keys here: kind, "
        r"id, start, years",
    ):
        parse_scenario(TEXT.replace("start: 1}", "start: 1, colour: red}"), "c.yaml")
    with pytest.raises(ScenarioError, match=r"c\.yaml:5 components\[0\]: start must be > 0"):
        parse_scenario(TEXT.replace("start: 1}", "start: -1}"), "c.yaml")
    with pytest.raises(
        ScenarioError, match=r"components\[0\]\.kind: 'nope' is not a component kind"
    ):
        parse_scenario(TEXT.replace("kind: doubling_test", "kind: nope"), "c.yaml")

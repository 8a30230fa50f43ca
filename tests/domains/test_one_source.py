"""One home for every number: components read bases and targets from the file itself."""

from pathlib import Path

import pytest

from planlib.auditing import audit
from planlib.errors import ScenarioError
from planlib.model import Model
from planlib.scenario import parse_scenario

PARK = Path(__file__).resolve().parents[2] / "scenarios" / "huangyang-park-14fyp.yaml"
ENTERPRISE_MU, LEFT_MU = (
    7121.9,
    82 + 1108.28,
)  # the park's 企业用地 and 剩余用地 as stated in the file


def park_text(**replacements) -> str:
    text = PARK.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def variant_42_58():
    """The park with 2021 output 42 亿元 (not 35) and a 2025 target of 58 亿元 (not 50)."""
    text = park_text(
        **{
            "base: {year: 2021, value: 35}\n    rule: {kind: growth, rate: output_growth}": "base: "
            "{year: 2021, value: 42}\n    rule: {kind: growth, rate: output_growth}",
            'kind: level\n    op: ">="\n    value: 50\n': 'kind: level\n    op: ">="\n    value: '
            "58\n",
        }
    )
    return parse_scenario(text, str(PARK))


def component(sc, kind):
    return next(c for c in sc.components if c.kind == kind)


def test_park_file_states_output_base_and_target_once():
    text = PARK.read_text(encoding="utf-8")
    land = text[text.index("- kind: land") :]
    assert "output_base" not in land and "value: 50" not in land
    assert "output_target: output_2025" in land


def test_land_report_follows_a_variant_of_the_output_figures():
    sc = variant_42_58()
    assert sc.target("output_2025").value == 58
    traj = Model(sc).evaluate()
    land = component(sc, "land")
    f = land.findings(sc, traj)
    # hand arithmetic: 亩均产值 = 产值 [亿元] × 10^4 / 亩
    assert f["base_output"] == 42
    assert f["base_output_per_mu"] == pytest.approx(42e4 / ENTERPRISE_MU)
    assert f["output"] == 58 and f["year"] == 2025
    need = 58e4 / (ENTERPRISE_MU + LEFT_MU)
    assert f["required_output_per_mu"] == pytest.approx(need)
    assert f["required_output_per_mu_growth"] == pytest.approx(
        ((need / (42e4 / ENTERPRISE_MU)) ** (1 / 4) - 1) * 100
    )
    # the expanded 亩均 target is derived from 58, not from the old 50
    assert sc.target("output_per_mu_needed").value == pytest.approx(round(need, 2))
    text = "\n".join(c["message"] for c in audit(sc).to_dict()["checks"])
    assert "2025年产值 58.00亿元" in text and "50.00亿元" not in text
    assert "60.15" not in text  # the stale 亩均 target of the 50 亿元 plan


def test_pipeline_report_follows_a_variant_of_the_output_figures():
    sc = variant_42_58()
    traj = Model(sc).evaluate()
    f = component(sc, "pipeline").findings(sc, traj)
    level_2025 = 42 * 1.10**4  # output_growth default 10 % a year from 2021
    assert float(traj.at("industrial_output", 2025)[0]) == pytest.approx(level_2025)
    assert f["output_share_of_industrial_output"] == pytest.approx(
        f["output_added"] / level_2025 * 100
    )


def test_restated_figure_that_contradicts_the_file_names_both_places():
    text = park_text(
        **{"- kind: land\n": "- kind: land\n    output_base: {year: 2021, value: 30}\n"}
    )
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, "park.yaml")
    msg = str(err.value)
    assert "components[3]" in msg and "indicators[" in msg and "base" in msg
    assert "30" in msg and "35" in msg


def test_urbanisation_rate_restated_differently_is_a_load_error():
    text = park_text(**{"    population: 5.0\n": "    population: 5.0\n    rate: 60\n"})
    with pytest.raises(
        ScenarioError,
        match=r"park\.yaml:\d+ components\[0\]: rate 60 contradicts "
        r"park\.yaml:\d+ indicators\[\d+\]\.base\.value \(55\)",
    ):
        parse_scenario(text, "park.yaml")


def test_restating_the_same_figure_is_allowed():
    text = park_text(**{"    population: 5.0\n": "    population: 5.0\n    rate: 55\n"})
    sc = parse_scenario(text, "park.yaml")
    assert component(sc, "urbanisation").rate == 55


def test_structure_target_read_from_the_plans_target():
    sc = parse_scenario(
        park_text(
            **{
                "    value: 30\n    wording: 提高30个百分点": "    value: 25\n    wording: "
                "提高25个百分点"
            }
        ),
        "park.yaml",
    )
    assert component(sc, "structure").target_pp == 25
    assert sc.target("tertiary_structure_pp").value == 25
    assert component(sc, "urbanisation").target_pp == 9

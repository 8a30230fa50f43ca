"""The shared vocabulary of real 主要指标表 rows (coord/VOCABULARY.md):
provenance, units, variants."""

from __future__ import annotations

import pytest

from planlib.errors import ScenarioError
from planlib.scenario import load_scenario, parse_scenario

BASE = """\
meta: {id: v, name: 词汇, region: 某县, level: 县, base_year: 2020, period: [2021, 2025]}
units:
  - {name: 标箱, name_en: TEU}
  - {name: 万标箱, to: 标箱, factor: 10000}
parameters:
  - {name: g, label_zh: 增速, unit: "%", default: 6, bounds: [0, 12]}
indicators:
  - {id: gdp, name_zh: 地区生产总值, unit: 亿元, category: 经济发展,
     base: {year: 2020, value: 4000000, unit: 万元, status: 预计}, rule: {kind: growth, rate: g}}
  - {id: life, name_zh: 人均预期寿命, unit: 岁, category: 民生福祉,
     base: {year: 2020, value: 77.3, data_year: 2019}, rule: {kind: increment, increment: 0.2},
     history: {2018: {value: 76.8, status: 估算}, 2019: 77.0}}
  - {id: port, name_zh: 集装箱吞吐量, unit: 万标箱, category: 经济发展,
     base: {year: 2020, value: 120000, unit: 标箱}}
  - {id: rd, name_zh: 研发经费投入增长, unit: "%", category: 创新驱动}
targets:
  - {id: gdp_lv, indicator: gdp, year: 2025, value: 535}
  - {id: life_up, indicator: life, year: 2025, kind: increment, value: 1}
  - {id: rd_up, indicator: rd, year: 2025, kind: level, op: ">", value: 7}
"""


def test_provenance_units_and_rate_only_rows(tmp_path):
    sc = parse_scenario(BASE, "v.yaml")
    gdp = sc.indicator("gdp")
    assert gdp.known[2020] == pytest.approx(400.0)  # 4000000 万元 = 400 亿元
    assert gdp.provenance == {2020: ("预计", None)}
    life = sc.indicator("life")
    assert life.known == {2018: 76.8, 2019: 77.0, 2020: 77.3}
    assert life.provenance == {2018: ("估算", None), 2020: ("统计", 2019)}
    assert sc.indicator("port").known[2020] == pytest.approx(12.0)  # declared 万标箱 = 10000 标箱
    from planlib.auditing import audit

    r = audit(sc).row("rd_up")
    assert r["status"] == "info" and "无测算依据" in r["message"]


def test_base_unit_of_another_kind_is_rejected():
    bad = BASE.replace("value: 4000000, unit: 万元", "value: 4000000, unit: 万人")
    with pytest.raises(ScenarioError, match="base unit '万人' does not convert"):
        parse_scenario(bad, "v.yaml")


def test_unknown_unit_suggests_declaring_it():
    bad = BASE.replace("unit: 万标箱, category", "unit: 万吨箱, category")
    with pytest.raises(
        ScenarioError, match=r"'万吨箱' is not a unit.*nearest: .*declare it under units"
    ):
        parse_scenario(bad, "v.yaml")


def _variant(tmp_path, overrides: str):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    path = tmp_path / "var.yaml"
    path.write_text(
        "extends: base.yaml\nmeta: {id: var, name: 变体}\noverrides:\n" + overrides,
        encoding="utf-8",
    )
    return path


def test_variant_overrides_any_field_by_id(tmp_path):
    sc = load_scenario(
        _variant(
            tmp_path,
            """\
  g: 5
  indicators.gdp.base.value: 4200000
  indicators.gdp.base.status: 统计
  targets.gdp_lv.value: 560
  targets.gdp_lv.attribute: 约束性
  indicators.life.rule.increment: 0.3
  indicators.life.history.2018.value: 76.9
""",
        )
    )
    assert sc.parameter("g").default == 5 and sc.meta.id == "var"
    assert (
        sc.indicator("gdp").known[2020] == pytest.approx(420.0)
        and sc.indicator("gdp").provenance == {}
    )
    t = sc.target("gdp_lv")
    assert t.value == 560 and t.attribute == "约束性"
    assert sc.indicator("life").rule.increment == 0.3 and sc.indicator("life").known[2018] == 76.9
    from planlib.auditing import audit

    r = audit(sc).row("gdp_lv")
    assert r["implied"] == pytest.approx(420 * 1.05**5) and r["status"] == "error"  # 536.0 < 560


@pytest.mark.parametrize(
    "line, message",
    [
        ("  indicators.gdpx.base.value: 1\n", "no indicator 'gdpx'; have: gdp, life, port, rd"),
        ("  targets.gdp_lv.op: '>>'\n", "after the overrides"),
        ("  rules.gdp: 1\n", "a dotted override starts with meta, indicators"),
        ("  indicators.gdp.rule.rate: 250\n", None),
        ("  g: abc\n", "is not a number"),
    ],
)
def test_variant_override_errors_name_the_line(tmp_path, line, message):
    path = _variant(tmp_path, line)
    if message is None:  # a valid override: a number where a parameter name was
        assert load_scenario(path).indicator("gdp").rule.rate == 250
        return
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    text = str(exc.value)
    assert "var.yaml:4" in text and message in text


def test_a_declared_unit_is_local_to_its_file():
    parse_scenario(BASE, "v.yaml")  # declares 标箱 and 万标箱
    other = (
        BASE.split("units:")[0] + "indicators:" + BASE.split("indicators:")[1].split("targets:")[0]
    )
    with pytest.raises(ScenarioError, match="unit '万标箱' is not declared in this file"):
        parse_scenario(other, "w.yaml")


def test_a_target_marked_as_an_assumption_is_marked_in_the_table():
    from planlib.table import indicator_table, render_table

    sc = parse_scenario(
        BASE.replace(
            "{id: gdp_lv, indicator: gdp, year: 2025, value: 535}",
            "{id: gdp_lv, indicator: gdp, year: 2025, value: 535, status: 假设}",
        ),
        "v.yaml",
    )
    md = render_table(indicator_table(sc), "md")
    assert "| 400.00（预计） | 2025 | 535.00（假设） |" in md
    assert "（预计）为预计数" in md and "（假设）为假设数" in md

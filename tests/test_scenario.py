import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlib.errors import ScenarioError
from planlib.scenario import load_scenario, parse_scenario, save_variant, write_atomic

SCENARIO_FILES = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_bundled_scenario_loads_and_round_trips(path):
    sc = load_scenario(path)
    assert sc.indicators
    # to_dict / from_dict round trip (what save/extends rely on)
    again = type(sc).model_validate(sc.model_dump(exclude={"source_path"}))
    assert again.model_dump() == sc.model_copy(update={"source_path": None}).model_dump()


def test_park_scenario_holds_the_seed_numbers(park):
    assert park.meta.level == "园区" and park.meta.period == (2021, 2025)
    assert park.indicator("industrial_output").base.value == 35
    assert park.indicator("above_scale_enterprises").known == {2020: 15}
    assert park.parameter("output_growth").default == 10
    assert {t.id for t in park.targets} >= {
        "output_2025",
        "tax_2025",
        "above_scale_2025",
        "projects_cumulative",
    }
    # every assumed number says why
    for ind in park.indicators:
        if ind.id in ("tertiary_share", "urbanisation_rate"):
            assert ind.assumption


def _problem(excinfo):
    return str(excinfo.value)


@pytest.mark.parametrize(
    "replacement, line_text, field, allowed",
    [
        (
            (
                "unit: 亿元\n    category: 经济发展\n    base: {year: 2021, value: 35}",
                "unit: 亿\n    category: 经济发展\n    base: {year: 2021, value: 35}",
            ),
            "unit: 亿",
            r"indicators\[3\]\.unit",
            r"'亿' is not a unit; use one of 元, 万元, 亿元",
        ),
        (
            (
                "    category: 经济发展\n    base: {year: 2021, value: 35}",
                "    categry: 经济发展\n    base: {year: 2021, value: 35}",
            ),
            "categry: 经济发展",
            r"indicators\[3\]\.categry",
            r"unknown key 'categry'; allowed keys here: id, name_zh",
        ),
        (
            ("rule: {kind: growth, rate: output_growth}", "rule: {kind: growth, rate: -150}"),
            "rule: {kind: growth, rate: -150}",
            r"indicators\[3\]\.rule\.rate",
            r"must be > -100 %",
        ),
        (
            (
                '    year: 2025\n    kind: level\n    op: ">="\n    value: 50',
                '    year: 2020\n    kind: level\n    op: ">="\n    value: 50',
            ),
            "year: 2020",
            r"targets\[2\]\.year",
            r"before the plan period 2021–2025",
        ),
        (
            ("level: 园区", "level: 村"),
            "level: 村",
            r"meta\.level",
            r"'村' is not allowed; use '园区'",
        ),
        (
            (
                "    category: 经济发展\n    base: {year: 2021, value: 1}",
                "    category: 经济发展\n    attribute: 预计性\n    base: {year: 2021, value: 1}",
            ),
            "attribute: 预计性",
            r"indicators\[4\]\.attribute",
            r"use '预期性' or '约束性'",
        ),
        (
            ("rule: {kind: growth, rate: tax_growth}", "rule: {kind: grow, rate: tax_growth}"),
            "rule: {kind: grow, rate: tax_growth}",
            r"indicators\[4\]\.rule",
            r"rule kind 'grow' is unknown; use one of growth",
        ),
        (
            ("rule: {kind: growth, rate: tax_growth}", "rule: {kind: growth, rate: tax_grwth}"),
            "rule: {kind: growth, rate: tax_grwth}",
            r"indicators\[4\]\.rule",
            r"'tax_grwth' is not a parameter",
        ),
        (
            ("    default: 10\n    bounds: [0, 20]", "    default: 30\n    bounds: [0, 20]"),
            "default: 30",
            r"parameters\[0\]",
            r"default 30(\.0)? lies outside bounds",
        ),
    ],
)
def test_rejections_name_file_line_field_and_allowed(
    edited, replacement, line_text, field, allowed
):
    path = edited(replacement)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    text = _problem(exc)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i + 1 for i, s in enumerate(lines) if s.strip() == line_text)
    assert f"{path}:" in text
    assert re.search(rf"{re.escape(str(path))}:(\d+) {field}", text), text
    got_line = int(re.search(rf"{re.escape(str(path))}:(\d+)", text).group(1))
    assert got_line == line, (got_line, line, text)
    assert re.search(allowed, text), text


def test_malformed_yaml_names_the_line(edited):
    path = edited(("  region: 黄羊工业园区", "  region: [黄羊工业园区"))
    with pytest.raises(ScenarioError, match=rf"{re.escape(str(path))}:\d+: malformed YAML"):
        load_scenario(path)


def test_link_cycle_is_named(edited):
    path = edited(
        (
            "rule: {kind: ratio, numerator: tax, denominator: industrial_output}",
            "rule: {kind: formula, expr: 'tax / industrial_output * 100'}",
        ),
        (
            "rule: {kind: growth, rate: tax_growth}",
            "rule: {kind: formula, expr: 'tax_output_ratio * industrial_output / 100'}",
        ),
    )
    with pytest.raises(
        ScenarioError,
        match=(
            r"link cycle (tax → tax_output_ratio → tax|tax_output_ratio → tax → "
            r"tax_output_ratio)"
        ),
    ):
        load_scenario(path)


def test_duplicate_keys_are_errors(edited):
    path = edited(("  region: 黄羊工业园区", "  region: 黄羊工业园区\n  region: 别处"))
    with pytest.raises(ScenarioError, match="duplicate key 'region'"):
        load_scenario(path)


def test_formula_cannot_smuggle_code(edited):
    path = edited(
        (
            "rule: {kind: ratio, numerator: tax, denominator: industrial_output}",
            "rule: {kind: formula, expr: \"__import__('os').getcwd()\"}",
        )
    )
    with pytest.raises(
        ScenarioError, match=r"indicators\[5\]\.rule\.expr: formula .* allowed: names, numbers"
    ):
        load_scenario(path)


def test_missing_file_and_non_mapping(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")
    p = tmp_path / "list.yaml"
    p.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="must be a YAML mapping"):
        load_scenario(p)


def test_python_tags_are_not_executed(tmp_path, minimal_text):
    p = tmp_path / "evil.yaml"
    p.write_text(
        minimal_text.replace("name: 测试", "name: !!python/object/apply:os.system ['true']"),
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="malformed YAML"):
        load_scenario(p)


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["meta", "parameters", "indicators", "targets", "checks", "extends", "x"]),
        yaml_values,
        max_size=5,
    )
)
def test_arbitrary_yaml_raises_only_scenario_error(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        parse_scenario(text, file="fuzz.yaml")
    except ScenarioError as exc:
        assert "fuzz.yaml" in str(exc)


@settings(max_examples=100)
@given(st.text(max_size=200))
def test_arbitrary_text_raises_only_scenario_error(text):
    try:
        parse_scenario(text, file="fuzz.yaml")
    except ScenarioError:
        pass


def test_variant_extends_and_overrides(tmp_path, park_path):
    shutil.copy(park_path, tmp_path / "park.yaml")
    variant = tmp_path / "park-low.yaml"
    variant.write_text(
        "extends: park.yaml\nmeta: {id: park-low, name: 低增长}\noverrides: {output_growth: 8}\n",
        encoding="utf-8",
    )
    sc = load_scenario(variant)
    assert sc.meta.id == "park-low" and sc.meta.region == "黄羊工业园区"
    assert sc.parameter("output_growth").default == 8
    assert sc.overrides == {"output_growth": 8}


@pytest.mark.parametrize(
    "body, message",
    [
        ("overrides: {output_grwth: 8}", "'output_grwth' is not a parameter"),
        ("overrides: {output_growth: 80}", r"80 lies outside the bounds \[0, 20\]"),
        (
            "overrides: {output_growth: 8}\nindicators: []",
            "unknown key 'indicators'; a variant file allows: extends, meta, overrides",
        ),
    ],
)
def test_variant_errors(tmp_path, park_path, body, message):
    shutil.copy(park_path, tmp_path / "park.yaml")
    variant = tmp_path / "v.yaml"
    variant.write_text(f"extends: park.yaml\nmeta: {{id: v, name: v}}\n{body}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        load_scenario(variant)


def test_save_variant_is_atomic_and_never_overwrites_silently(tmp_path, park_path):
    shutil.copy(park_path, tmp_path / "park.yaml")
    park = load_scenario(tmp_path / "park.yaml")
    out = tmp_path / "optimistic.yaml"
    save_variant(park, out, id="opt", name="乐观", overrides={"output_growth": 12})
    assert load_scenario(out).parameter("output_growth").default == 12
    before = out.read_text(encoding="utf-8")
    with pytest.raises(FileExistsError):
        save_variant(park, out, id="opt", name="乐观", overrides={"output_growth": 13})
    # an invalid variant is refused before anything is written, and the old file stays
    with pytest.raises(ScenarioError):
        save_variant(
            park, out, id="opt", name="乐观", overrides={"output_growth": 99}, overwrite=True
        )
    assert out.read_text(encoding="utf-8") == before
    save_variant(park, out, id="opt", name="乐观", overrides={"output_growth": 13}, overwrite=True)
    assert load_scenario(out).parameter("output_growth").default == 13
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "optimistic.yaml",
        "park.yaml",
    ]  # no temps


def test_write_atomic_keeps_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "a.yaml"
    target.write_text("old", encoding="utf-8")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr("planlib.scenario.os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new", overwrite=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARK = ROOT / "scenarios" / "huangyang-park-14fyp.yaml"


def planlib(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "planlib.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_audit_json_reports_the_seed_figures():
    out = planlib("audit", PARK, "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)["rows"]}
    assert round(rows["output_2025"]["implied"], 2) == 51.24
    assert round(rows["output_2025"]["required_rate"], 2) == 9.33
    assert round(rows["tax_2025"]["implied"], 2) == 2.07
    assert round(rows["tax_2025"]["required_rate"], 2) == 18.92


def test_audit_text_in_both_languages():
    zh = planlib("audit", PARK)
    assert zh.returncode == 0 and "规上工业产值 2025年 隐含 51.24亿元" in zh.stdout
    en = planlib("audit", PARK, "--lang", "en")
    assert en.returncode == 0 and "implied 51.24亿元" in en.stdout


def test_copy_with_8_percent_reports_the_miss(edited):
    path = edited(("    default: 10\n    bounds: [0, 20]", "    default: 8\n    bounds: [0, 20]"))
    out = planlib("audit", path, "--format", "json")
    assert out.returncode == 0  # indicative target: warning
    row = next(r for r in json.loads(out.stdout)["rows"] if r["id"] == "output_2025")
    assert row["status"] == "warning" and round(row["required_rate"], 2) == 9.33


def test_binding_miss_exits_1(edited):
    path = edited(
        (
            "    value: 50\n    wording: 期末实现50亿元",
            "    value: 50\n    attribute: 约束性\n    wording: 期末实现50亿元",
        ),
        ("    default: 10\n    bounds: [0, 20]", "    default: 8\n    bounds: [0, 20]"),
    )
    out = planlib("audit", path)
    assert out.returncode == 1 and "未达标（约束性）" in out.stdout


BAD = {
    "malformed": (("  region: 黄羊工业园区", "  region: [黄羊工业园区"), r"malformed YAML"),
    "unknown unit": (
        (
            "unit: 亿元\n    category: 经济发展\n    base: {year: 2021, value: 35}",
            "unit: 亿\n    category: 经济发展\n    base: {year: 2021, value: 35}",
        ),
        "indicators[3].unit: '亿' is not a unit; use one of",
    ),
    "unknown key": (
        ("  base_year: 2020", "  base_yaer: 2020"),
        "meta.base_yaer: unknown key 'base_yaer'; allowed keys here:",
    ),
    "growth -150 %": (
        ("rule: {kind: growth, rate: output_growth}", "rule: {kind: growth, rate: -150}"),
        "indicators[3].rule.rate: growth rate -150 % is not allowed",
    ),
    "link cycle": (
        (
            "rule: {kind: ratio, numerator: tax, denominator: industrial_output}",
            "rule: {kind: formula, expr: 'tax_output_ratio2 + 1'}\n  - {id: tax_output_ratio2, "
            "name_zh: 环, unit: '%', rule: {kind: formula, expr: 'tax_output_ratio * 2'}}",
        ),
        "link cycle",
    ),
    "target year": (
        (
            '    year: 2025\n    kind: level\n    op: ">="\n    value: 50',
            '    year: 2020\n    kind: level\n    op: ">="\n    value: 50',
        ),
        "targets[2].year: target year 2020 is before the plan period 2021–2025",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_invalid_input_exits_2_with_location_and_no_traceback(edited, case):
    replacement, expected = BAD[case]
    path = edited(replacement)
    for cmd in (
        ["audit", path],
        ["table", path],
        ["run", path],
        ["solve", path, "--target", "tax_2025", "--param", "tax_growth"],
    ):
        out = planlib(*cmd)
        assert out.returncode == 2, (cmd, out.stdout, out.stderr)
        assert "Traceback" not in out.stderr
        assert f"{path}:" in out.stderr and expected in out.stderr, out.stderr
        assert out.stdout == ""


def test_missing_file_exits_2(tmp_path):
    out = planlib("audit", tmp_path / "none.yaml")
    assert out.returncode == 2 and "file not found" in out.stderr and "Traceback" not in out.stderr


def test_solve_cli():
    out = planlib(
        "solve", PARK, "--target", "output_2025", "--param", "output_growth", "--format", "json"
    )
    assert out.returncode == 0
    assert round(json.loads(out.stdout)["value"], 2) == 9.33
    bad = planlib("solve", PARK, "--target", "nope", "--param", "output_growth")
    assert bad.returncode == 2 and "no target 'nope'" in bad.stderr


def test_solve_unreachable_exits_1(edited):
    path = edited(
        (
            "    value: 50\n    wording: 期末实现50亿元",
            "    value: 500\n    wording: 期末实现500亿元",
        )
    )
    out = planlib("solve", path, "--target", "output_2025", "--param", "output_growth")
    assert out.returncode == 1 and "无法达到" in out.stdout


def test_run_long_format():
    out = planlib("run", PARK)
    assert out.returncode == 0
    assert out.stdout.splitlines()[0] == "scenario,region,indicator,name,unit,year,value,provenance"
    county = planlib("run", str(Path(PARK).parent / "county-example-14fyp.yaml")).stdout
    marked = [line for line in county.splitlines() if not line.endswith(",无")]
    assert marked[0].endswith(",provenance") and len(marked) > 1  # the county marks values
    js = json.loads(planlib("run", PARK, "--format", "json", "--iamc").stdout)
    columns = {"model", "scenario", "region", "variable", "unit", "year", "value", "provenance"}
    assert set(js[0]) == columns
    assert {r["provenance"] for r in js} == {"无"}  # the park file marks no value


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "xlsx"])
def test_table_formats(tmp_path, fmt):
    target = tmp_path / f"t.{fmt}"
    out = planlib("table", PARK, "--format", fmt, "-o", target)
    assert out.returncode == 0, out.stderr
    assert target.stat().st_size > 200
    if fmt != "xlsx":
        assert "规上工业产值" in target.read_text(encoding="utf-8-sig")


def test_table_xlsx_needs_output():
    out = planlib("table", PARK, "--format", "xlsx")
    assert out.returncode == 2 and "needs -o" in out.stderr


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("planlib")
    out = subprocess.run([exe, "audit", PARK], capture_output=True, text=True)
    assert out.returncode == 0 and "规划审计" in out.stdout

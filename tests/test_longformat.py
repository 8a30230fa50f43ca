import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planlib.longformat import IAMC_COLUMNS, NO_MARK, PROVENANCE, to_iamc, to_long
from planlib.model import Model
from planlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
PYAM_VENV = ROOT / ".cache" / "pyam-venv"
COUNTY = ROOT / "scenarios" / "county-example-14fyp.yaml"


def test_iamc_columns(park):
    df = to_iamc(Model(park).evaluate(), park)
    assert list(df.columns) == IAMC_COLUMNS + [PROVENANCE]
    row = df[(df.variable == "经济发展|规上工业产值") & (df.year == 2025)]
    assert row.value.iloc[0] == pytest.approx(51.2435) and row.unit.iloc[0] == "亿元"
    assert set(to_iamc(Model(park).evaluate(), park, lang="id").variable) >= {"industrial_output"}


# ---- provenance: a marked value keeps its mark in the long tables ------------------------------
def _county_marked_text(tmp_path, base_extra: str, history: str = "") -> Path:
    """The county example with the GDP base (400 亿元, 2020) edited; returns the new file."""
    text = COUNTY.read_text(encoding="utf-8")
    old = "    base: {year: 2020, value: 400}\n"
    assert text.count(old) == 1, "test setup: the GDP base line changed"
    path = tmp_path / "county.yaml"
    new = f"    base: {{year: 2020, value: 400{base_extra}}}\n{history}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_marked_values_carry_their_mark_and_no_other_row_does():
    """county-example: 人均预期寿命 77.3 is the 2019 figure (77.3*), 养老床位 30 is 预计."""
    sc = load_scenario(COUNTY)
    traj = Model(sc).evaluate()
    for lang, words in (
        ("zh", {"life_expectancy": "2019年数据", "elderly_beds": "预计"}),
        ("en", {"life_expectancy": "figure for 2019", "elderly_beds": "expected"}),
    ):
        long = to_long(traj, sc, lang=lang)
        marked = long[long[PROVENANCE] != NO_MARK[lang]]
        cells = zip(marked.indicator, marked.year, marked.value, marked[PROVENANCE], strict=True)
        assert sorted(cells) == [
            ("elderly_beds", 2020, 30.0, words["elderly_beds"]),
            ("life_expectancy", 2020, 77.3, words["life_expectancy"]),
        ]
        assert len(long) - len(marked) > 100  # every other row says: no mark
        assert (long[PROVENANCE] != "").all()  # never an empty cell (pyam refuses those)
        iamc = to_iamc(traj, sc, lang=lang)
        rows = iamc[iamc[PROVENANCE] == words["elderly_beds"]]
        assert rows.variable.tolist() == [
            "民生福祉|每千名老年人口养老床位数" if lang == "zh" else "民生福祉|elderly_beds"
        ] and rows.year.tolist() == [2020] and rows.value.tolist() == [30.0]
        assert (iamc[PROVENANCE] != NO_MARK[lang]).sum() == 2
        # the long and the IAMC table hold the same rows in the same order
        assert iamc[PROVENANCE].tolist() == long[PROVENANCE].tolist()


def test_marks_follow_the_file(tmp_path):
    """Both marks joined; history values keep theirs; a plain 统计 figure has none; all runs."""
    path = _county_marked_text(
        tmp_path,
        ", status: 估算, data_year: 2019",
        "    history: {2018: {value: 360, status: 假设}, 2019: 380}\n",
    )
    sc = load_scenario(path)
    traj = Model(sc).evaluate({"gdp_growth": [6.0, 7.0]})
    long = to_long(traj, sc, run=None)
    gdp = long[(long.indicator == "gdp")]
    marks = {(r, y): m for r, y, m in zip(gdp.run, gdp.year, gdp[PROVENANCE], strict=True)}
    assert marks[(0, 2020)] == marks[(1, 2020)] == "2019年数据，估算"
    assert marks[(0, 2018)] == marks[(1, 2018)] == "假设"
    assert marks[(0, 2019)] == marks[(1, 2019)] == marks[(1, 2025)] == "无"
    en = to_long(traj, sc, run=1, lang="en")
    assert en[(en.indicator == "gdp") & (en.year == 2020)][PROVENANCE].tolist() == [
        "figure for 2019, estimate"
    ]
    # the park file marks nothing: one value everywhere
    park = load_scenario(ROOT / "scenarios" / "huangyang-park-14fyp.yaml")
    assert set(to_iamc(Model(park).evaluate(), park)[PROVENANCE]) == {"无"}


def test_planlib_run_iamc_writes_the_marks(capsys):
    """``planlib run --iamc`` (CSV) carries the column; each marked row once."""
    import csv
    import io

    from planlib.cli import main

    assert main(["run", str(COUNTY), "--iamc"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == IAMC_COLUMNS + [PROVENANCE]
    marked = [(r["variable"], r["year"], r["value"], r[PROVENANCE]) for r in rows
              if r[PROVENANCE] != "无"]
    assert marked == [
        ("民生福祉|人均预期寿命", "2020", "77.3", "2019年数据"),
        ("民生福祉|每千名老年人口养老床位数", "2020", "30", "预计"),
    ]


def _pyam_python() -> Path:
    """A cached virtualenv with pyam (kept out of planlib's own dependencies)."""
    py = PYAM_VENV / "bin" / "python"
    if not py.exists() or subprocess.run([py, "-c", "import pyam"], capture_output=True).returncode:
        subprocess.run([sys.executable, "-m", "venv", PYAM_VENV], check=True)
        # ixmp4 (pulled by pyam) breaks on SQLAlchemy 2.1
        subprocess.run(
            [py, "-m", "pip", "install", "-q", "pyam-iamc", "sqlalchemy<2.1"],
            check=True,
            timeout=900,
        )
    return py


@pytest.mark.slow
def test_pyam_reads_the_marks_and_converts_units(tmp_path):
    """pyam reads ``planlib run --iamc`` back from CSV with the marks as an extra column, and
    converts units through planlib's definitions (register_units' lines, defined in pyam's
    registry)."""
    from planlib.longformat import pint_definitions

    sc = load_scenario(COUNTY)
    path = tmp_path / "county.csv"
    to_iamc(Model(sc).evaluate(), sc).to_csv(path, index=False)
    script = textwrap.dedent(f"""
        import json, iam_units, pyam
        for line in {pint_definitions()!r}:
            if line.split("=")[0].strip() not in iam_units.registry:
                iam_units.registry.define(line)
        df = pyam.IamDataFrame({str(path)!r})
        marked = df.filter(provenance=["预计", "2019年数据"]).data
        gdp = df.filter(variable="经济发展|地区生产总值", year=2020)
        wan = gdp.convert_unit("亿元", to="万元").data
        print(json.dumps({{
            "extra": df.extra_cols, "n": len(df.data),
            "marked": sorted(zip(marked.variable, marked.year.tolist(), marked.value.tolist(),
                                 marked.provenance)),
            "wan": [wan.unit[0], wan.value[0], wan.provenance[0]],
        }}, ensure_ascii=False))
    """)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    out = subprocess.run(
        [_pyam_python(), "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["extra"] == ["provenance"]
    assert got["n"] == len(to_iamc(Model(sc).evaluate(), sc))
    assert got["marked"] == [
        ["民生福祉|人均预期寿命", 2020, 77.3, "2019年数据"],
        ["民生福祉|每千名老年人口养老床位数", 2020, 30.0, "预计"],
    ]
    # hand value: 400 亿元 = 400 × 10⁴ 万元
    assert got["wan"][0] == "万元" and got["wan"][2] == "无"
    assert got["wan"][1] == pytest.approx(400 * 1e4)


@pytest.mark.slow
def test_pyam_reads_the_export(park, tmp_path):
    path = tmp_path / "park.csv"
    to_iamc(Model(park).evaluate(), park).to_csv(path, index=False)
    script = textwrap.dedent(f"""
        import pandas as pd, pyam
        df = pyam.IamDataFrame(pd.read_csv({str(path)!r}))
        v = df.filter(variable="经济发展|规上工业产值", year=2025).data["value"].iloc[0]
        print(df.model[0], df.scenario[0], df.region[0], round(v, 4), len(df.data))
    """)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    out = subprocess.run(
        [_pyam_python(), "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    model, scenario, region, value, n = out.stdout.split()
    assert (model, scenario, region) == ("planlib", "huangyang-park-14fyp", "黄羊工业园区")
    assert float(value) == pytest.approx(51.2435)
    assert int(n) == len(to_iamc(Model(park).evaluate(), park))


# ---- issue 12: pyam's unit registry knows planlib's units ------------------------------------
def test_every_planlib_unit_converts_in_pint_as_planlib_says():
    """Each pair of units of one dimension converts in pint by planlib.units.factor."""
    import itertools

    import pint

    from planlib.longformat import register_units
    from planlib.units import UNITS, factor

    ureg = register_units(pint.UnitRegistry())
    by_dim = {}
    for u in UNITS.values():
        by_dim.setdefault(u.dimension, []).append(u.name)
    checked = 0
    for names in by_dim.values():
        for a, b in itertools.permutations(names, 2):
            got = ureg.Quantity(1.0, a).to(b).magnitude
            assert got == pytest.approx(factor(a, b), rel=1e-12), (a, b)
            checked += 1
    assert checked > 30
    # hand values: 1 亿元 = 10000 万元; 1 平方公里 = 1500 亩; 3 万元/亩 = 45 元/平方米
    assert ureg.Quantity(1, "亿元").to("万元").magnitude == pytest.approx(1e4)
    assert ureg.Quantity(1, "平方公里").to("亩").magnitude == pytest.approx(1500)
    assert ureg.Quantity(3, "万元/亩").to("元/平方米").magnitude == pytest.approx(45)


def test_different_things_never_convert_in_pint():
    import pint

    from planlib.longformat import register_units

    ureg = register_units(pint.UnitRegistry())
    for a, b in [("户", "个"), ("百分点", "%"), ("人", "名"), ("米", "平方米"), ("元", "人")]:
        with pytest.raises(pint.DimensionalityError):
            ureg.Quantity(1, a).to(b)


def test_registering_in_pyams_registry_is_idempotent():
    """pyam's IamDataFrame.convert_unit uses iam_units.registry (pyam itself is not a test
    dependency: it pulls ixmp4 and a database stack)."""
    import iam_units

    from planlib.longformat import register_units

    assert register_units() is iam_units.registry
    register_units()  # a second call leaves the definitions alone
    assert iam_units.registry.Quantity(1, "亿元").to("万元").magnitude == pytest.approx(1e4)

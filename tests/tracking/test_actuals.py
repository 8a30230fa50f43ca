"""Actuals (实绩): reading, validation with row-accurate errors, Excel and IAMC/pyam interchange."""

import os
import subprocess
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planlib.tracking.actuals import (
    ACTUALS_COLUMNS,
    ActualsError,
    actuals_from_frame,
    actuals_to_iamc,
    read_actuals,
    write_actuals,
)
from planlib.units import convert

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"
HEADER = "indicator,year,value,unit,source\n"


@pytest.fixture(scope="module")
def sample(park):
    return read_actuals(SAMPLE, park)


def write(tmp_path, body, name="a.csv"):
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


def test_sample_is_labelled_synthetic_and_reads_clean(sample):
    head = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert "合成" in head and "SYNTHETIC" in head
    assert sample.warnings == ()
    assert set(sample.table["source"]) == {"合成数据（synthetic）"}
    assert sample.series("industrial_output") == {
        2021: 35,
        2022: 37.5,
        2023: 41,
        2024: 44,
        2025: 47.5,
    }


def test_units_convert_to_the_indicator_unit(sample):
    tax = sample.series("tax")
    assert tax[2025] == pytest.approx(convert(20500, "万元", "亿元"))
    row = sample.table[(sample.table.indicator == "tax") & (sample.table.year == 2025)].iloc[0]
    assert (row.unit, row.unit_given, row.value_given) == ("亿元", "万元", 20500)


def test_matrix_shape_and_nan(sample, park):
    from planlib.model import Model

    traj = Model(park).evaluate()
    m = sample.matrix(traj.indicators, traj.years)
    assert m.shape == (len(traj.indicators), len(traj.years))
    i = traj.index("industrial_output")
    assert np.isnan(m[i, 0]) and m[i, -1] == 47.5
    assert np.isnan(m[traj.index("projects_total")]).all()


def test_row_numbers_are_file_lines_and_every_problem_is_listed(tmp_path, park):
    p = write(
        tmp_path,
        "# comment line\n" + HEADER + "industrial_output,2021,35,亿元,x\n"
        "outptu,2022,37,亿元,x\n"  # line 4: unknown indicator
        "industrial_output,2023,41,亿,x\n"  # line 5: not a unit
        "industrial_output,2024,44,户,x\n"  # line 6: wrong dimension
        "industrial_output,2025,四十七,亿元,x\n"  # line 7: not a number
        "tax,20x1,1,亿元,x\n"  # line 8: bad year
        "industrial_output,2021,36,亿元,x\n",
    )  # line 9: duplicate of line 3
    with pytest.raises(ActualsError) as err:
        read_actuals(p, park)
    by_line = {pr.line: pr for pr in err.value.problems}
    assert set(by_line) == {4, 5, 6, 7, 8, 9}
    assert by_line[4].path == "indicator" and "'outptu'" in by_line[4].message
    assert "industrial_output" in by_line[4].message  # lists the known ones
    assert (
        by_line[5].path == "unit" and "'亿'" in by_line[5].message and "亿元" in by_line[5].message
    )
    assert "does not convert" in by_line[6].message and "万元" in by_line[6].message
    assert by_line[7].path == "value" and "四十七" in by_line[7].message
    assert by_line[8].path == "year" and "20x1" in by_line[8].message
    assert "duplicate" in by_line[9].message and "row 3" in by_line[9].message
    assert str(by_line[4]).startswith(f"{p}:4 indicator:")


def test_missing_columns_named(tmp_path, park):
    p = write(tmp_path, "indicator,year,value\nindustrial_output,2021,35\n")
    with pytest.raises(ActualsError, match="missing column.*unit"):
        read_actuals(p, park)


@pytest.mark.parametrize(
    "body, match",
    [
        ("", "is empty"),
        (HEADER, "no data rows"),
        (HEADER + "industrial_output,2021,,亿元,x\n", "value: is empty"),
        (
            HEADER + "industrial_output,2021,35,,x\n",
            "unit: is empty; 'industrial_output' is in '亿元'",
        ),
    ],
)
def test_empty_things(tmp_path, park, body, match):
    with pytest.raises(ActualsError, match=match):
        read_actuals(write(tmp_path, body), park)


def test_file_errors(tmp_path, park):
    with pytest.raises(ActualsError, match="file not found"):
        read_actuals(tmp_path / "none.csv", park)
    with pytest.raises(ActualsError, match="unknown file type '.json'"):
        read_actuals(write(tmp_path, "{}", "a.json"), park)
    with pytest.raises(ActualsError, match="not UTF-8"):
        (tmp_path / "gbk.csv").write_bytes(("指标,年份\n").encode("gbk"))
        read_actuals(tmp_path / "gbk.csv", park)
    with pytest.raises(ActualsError, match="cannot read as an Excel"):
        read_actuals(write(tmp_path, "not a zip", "a.xlsx"), park)


def test_gaps_are_warnings(tmp_path, park):
    p = write(
        tmp_path, HEADER + "industrial_output,2021,35,亿元,x\nindustrial_output,2024,44,亿元,x\n"
    )
    act = read_actuals(p, park)
    assert len(act.warnings) == 1
    assert act.warnings[0].path == "industrial_output" and "2022, 2023" in act.warnings[0].message


def test_chinese_headers_and_names(tmp_path, park):
    p = write(
        tmp_path,
        '指标,年份,数值,单位,来源\n规上工业产值,2021,"350,000",万元,统计局\n'
        "经济发展|税收,2021,1,亿元,税务\n",
    )
    act = read_actuals(p, park)
    assert act.series("industrial_output") == {2021: 35.0}
    assert act.series("tax") == {2021: 1.0}


def test_csv_and_excel_round_trip(sample, park, tmp_path):
    for name in ("out.csv", "out.xlsx"):
        path = write_actuals(sample, tmp_path / name)
        back = read_actuals(path, park)
        pd.testing.assert_frame_equal(back.to_frame(), sample.to_frame(), check_dtype=False)
        with pytest.raises(FileExistsError):
            write_actuals(sample, path)
    assert sorted(os.listdir(tmp_path)) == ["out.csv", "out.xlsx"]  # no temp files left


def test_excel_sheet_and_row_numbers(park, tmp_path):
    path = tmp_path / "a.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"x": [1]}).to_excel(xw, sheet_name="封面", index=False)
        pd.DataFrame(
            [["tax", 2021, 1, "亿元", "s"], ["tax", 2022, 1.2, "美元", "s"]],
            columns=ACTUALS_COLUMNS,
        ).to_excel(xw, sheet_name="实绩", index=False)
    with pytest.raises(ActualsError) as err:
        read_actuals(path, park, sheet="实绩")
    assert [(p.line, p.path) for p in err.value.problems] == [(3, "unit")]
    with pytest.raises(ActualsError, match="no sheet '无'; the workbook has 封面, 实绩"):
        read_actuals(path, park, sheet="无")


def test_iamc_long_and_wide_read_back(sample, park, tmp_path):
    long = actuals_to_iamc(sample, park)
    assert list(long.columns) == [
        "model",
        "scenario",
        "region",
        "variable",
        "unit",
        "year",
        "value",
    ]
    long.to_csv(tmp_path / "long.csv", index=False)
    back = read_actuals(tmp_path / "long.csv", park)
    assert np.allclose(back.to_frame()["value"], sample.to_frame()["value"])
    wide = long.pivot_table(
        index=["model", "scenario", "region", "variable", "unit"], columns="year", values="value"
    ).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    back = actuals_from_frame(wide, park, "wide")
    assert back.series("industrial_output") == sample.series("industrial_output")
    assert back.series("tax") == pytest.approx(sample.series("tax"))


@pytest.mark.slow
def test_pyam_both_ways(sample, park, tmp_path):
    from test_longformat import _pyam_python

    src = tmp_path / "actuals_iamc.csv"
    actuals_to_iamc(sample, park).to_csv(src, index=False)
    out = tmp_path / "from_pyam.xlsx"
    script = textwrap.dedent(f"""
        import pandas as pd, pyam
        df = pyam.IamDataFrame(pd.read_csv({str(src)!r}))
        v = df.filter(variable="经济发展|规上工业产值", year=2025).data["value"].iloc[0]
        df = df.rename(model={{"actuals": "pyam"}})
        df.to_excel({str(out)!r})
        print(round(v, 4), len(df.data))
    """)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    res = subprocess.run(
        [_pyam_python(), "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert res.returncode == 0, res.stderr[-2000:]
    value, n = res.stdout.split()
    assert float(value) == 47.5 and int(n) == len(sample.table)
    back = read_actuals(out, park)  # pyam writes IAMC wide: one column per year
    assert back.series("tax") == pytest.approx(sample.series("tax"))
    assert len(back.table) == len(sample.table)


# ---- issue 13: status and reported real growth columns; unit slips ----------------------------
def test_status_and_real_growth_columns(tmp_path, park):
    from planlib.tracking.actuals import read_actuals

    sc = park
    path = tmp_path / "a.csv"
    path.write_text(
        "指标,年份,数值,单位,来源,数据状态,可比价增速\n"
        "industrial_output,2022,38,亿元,快报,预计,7.5\n"
        "industrial_output,2023,41,亿元,年报,,\n",
        encoding="utf-8",
    )
    act = read_actuals(path, sc)
    assert act.real_growth("industrial_output") == {2022: 7.5}
    assert act.status("industrial_output") == {2022: "预计"}
    assert list(act.to_frame().columns)[-2:] == ["status", "real_growth"]
    path.write_text(
        "indicator,year,value,unit,status,real_growth\nindustrial_output,2022,38,亿元,猜的,x\n",
        encoding="utf-8",
    )
    with pytest.raises(ActualsError) as exc:
        read_actuals(path, sc)
    msg = str(exc.value)
    assert "status: '猜的' is not allowed" in msg and "real_growth: 'x' is not a growth rate" in msg


def test_a_unit_slip_is_flagged_in_the_review(park):
    from planlib.tracking.review import review

    # 350000 in the 亿元 column: 10⁴ times the plan's ~38.5 亿元 — someone wrote 万元
    act = actuals_from_frame(
        pd.DataFrame(
            {
                "indicator": ["industrial_output"],
                "year": [2022],
                "value": [385000.0],
                "unit": ["亿元"],
            }
        ),
        park,
    )
    row = next(r for r in review(park, act).rows if r["indicator"] == "industrial_output")
    assert row["unit_suspect"] and "疑似元/万元/亿元单位混用" in row["message"]
    act = actuals_from_frame(
        pd.DataFrame(
            {"indicator": ["industrial_output"], "year": [2022], "value": [38.5], "unit": ["亿元"]}
        ),
        park,
    )
    row = next(r for r in review(park, act).rows if r["indicator"] == "industrial_output")
    assert not row["unit_suspect"]

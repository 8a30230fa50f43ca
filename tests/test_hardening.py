"""Regression tests for issue 11: no data loss, no injection, no crash, no hang, no NaN output.

Each test reproduces one case found from outside (see the issue) and failed before the fix.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from planlib.cli import main
from planlib.errors import MAX_MESSAGE_CHARS, PlanlibError, ScenarioError
from planlib.scenario import load_scenario, parse_scenario, save_variant, write_atomic

ROOT = Path(__file__).resolve().parents[1]
PARK = ROOT / "scenarios" / "huangyang-park-14fyp.yaml"
ACTUALS = ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv"
XSS = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","点击")'


@pytest.fixture
def folder(tmp_path):
    """A scenarios folder holding a copy of the park plan as park.yaml."""
    shutil.copy(PARK, tmp_path / "park.yaml")
    return tmp_path


def _park_with(folder, old, new, name="park.yaml"):
    text = PARK.read_text(encoding="utf-8")
    assert old in text
    path = folder / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _variant(folder, extends, name="v.yaml"):
    path = folder / name
    path.write_text(
        yaml.safe_dump(
            {
                "extends": extends,
                "meta": {"id": "v", "name": "变体"},
                "overrides": {"output_growth": 8},
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return path


# ---- data loss -------------------------------------------------------------------------------
def test_whatif_save_over_the_base_file_is_refused_and_the_plan_survives(folder):
    from planlib.workbook.widgets import whatif

    base = folder / "park.yaml"
    before = base.read_bytes()
    wi = whatif(base)
    _ = wi.widget
    wi.set(output_growth=12)
    wi._ui["fname"].value = "park.yaml"
    wi._on_save(overwrite=False)
    wi._on_save(overwrite=True)  # 确认覆盖
    assert "未保存" in wi._ui["status"].value and "park.yaml" in wi._ui["status"].value
    assert base.read_bytes() == before
    assert load_scenario(base).meta.id == "huangyang-park-14fyp"


def test_save_variant_never_replaces_a_file_the_base_depends_on(folder):
    base = load_scenario(folder / "park.yaml")
    with pytest.raises(PlanlibError, match="read from this file"):
        save_variant(base, folder / "park.yaml", "v", "变体", {"output_growth": 12}, overwrite=True)
    # a variant of a variant: neither the variant nor the file it extends may be replaced
    mid = save_variant(base, folder / "mid.yaml", "mid", "中间", {"output_growth": 12})
    var = load_scenario(mid)
    for target in ("park.yaml", "mid.yaml"):
        with pytest.raises(PlanlibError, match="read from this file"):
            save_variant(var, folder / target, "x", "x", {"tax_growth": 9}, overwrite=True)
    # a symlink or hard link to the base is the base
    os.link(folder / "park.yaml", folder / "alias.yaml")
    with pytest.raises(PlanlibError, match="read from this file"):
        save_variant(base, folder / "alias.yaml", "v", "变体", {}, overwrite=True)
    assert load_scenario(folder / "park.yaml").meta.id == "huangyang-park-14fyp"


@pytest.mark.parametrize(
    "name",
    ["/tmp/planlib-evil.yaml", "../evil.yaml", "sub/../../evil.yaml", "evil.txt", "..\\evil.yaml"],
)
def test_whatif_saves_only_relative_names_under_the_scenario_folder(folder, name):
    from planlib.workbook.widgets import whatif

    inner = folder / "scenarios"
    inner.mkdir()
    shutil.copy(folder / "park.yaml", inner / "park.yaml")
    wi = whatif(inner / "park.yaml")
    _ = wi.widget
    wi.set(output_growth=12)
    wi._ui["fname"].value = name
    wi._on_save(overwrite=True)
    assert "未保存" in wi._ui["status"].value
    assert not (folder / "evil.yaml").exists() and not Path("/tmp/planlib-evil.yaml").exists()
    assert sorted(p.name for p in inner.iterdir()) == ["park.yaml"]


def test_save_variant_refuses_paths_outside_the_base_folder(folder, tmp_path_factory):
    base = load_scenario(folder / "park.yaml")
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "v.yaml"
    with pytest.raises(PlanlibError, match="outside the scenario folder"):
        save_variant(base, elsewhere, "v", "变体", {"output_growth": 12})
    assert not elsewhere.exists()


def test_create_exclusive_has_no_race(tmp_path):
    target = tmp_path / "new.yaml"
    ok, refused = [], []
    barrier = threading.Barrier(16)

    def create(i):
        barrier.wait()
        try:
            write_atomic(target, f"writer {i}\n" * 20000)
            ok.append(i)
        except FileExistsError:
            refused.append(i)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ok) == 1 and len(refused) == 15
    assert target.read_text().startswith(f"writer {ok[0]}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]


def test_temp_files_of_a_killed_writer_are_removed_by_the_next_save(tmp_path):
    target = tmp_path / "plan.yaml"
    target.write_text("old\n", encoding="utf-8")
    code = (
        "import os, sys, time\n"
        "import planlib.scenario as s\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    real(fd); print('writing', flush=True); time.sleep(60)\n"
        "s.os.fsync = slow\n"
        f"s.write_atomic({str(target)!r}, 'x' * 1_000_000, overwrite=True)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env)
    try:
        assert proc.stdout.readline().strip() == b"writing"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    left = [p.name for p in tmp_path.iterdir() if p.name != "plan.yaml"]
    assert len(left) == 1 and left[0].startswith(".plan.yaml.planlib-")  # recognisable
    assert target.read_text(encoding="utf-8") == "old\n"  # never corrupted
    write_atomic(target, "new\n", overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]
    assert target.read_text(encoding="utf-8") == "new\n"


def test_whatif_start_removes_temps_left_in_the_scenario_folder(folder):
    from planlib.workbook.widgets import whatif

    dead = folder / ".park.yaml.planlib-999999999-0a1b2c.tmp"  # no such process
    dead.write_text("half a file", encoding="utf-8")
    other = folder / ".notes.txt"
    other.write_text("not ours", encoding="utf-8")
    whatif(folder / "park.yaml")
    assert not dead.exists() and other.exists()


def test_modes_follow_the_umask_and_an_overwritten_file_keeps_its_mode(tmp_path):
    old = os.umask(0o002)
    try:
        fresh = write_atomic(tmp_path / "fresh.yaml", "a\n")
        assert fresh.stat().st_mode & 0o777 == 0o664
        kept = tmp_path / "kept.yaml"
        kept.write_text("a\n")
        os.chmod(kept, 0o640)
        write_atomic(kept, "b\n", overwrite=True)
        assert kept.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


# ---- extends: only scenario files, inside the folder, never echoed -----------------------------
@pytest.mark.parametrize(
    "target, message",
    [
        ("/etc/passwd", "is not a scenario file"),
        ("/dev/zero", "is not a scenario file"),
        ("/dev/stdin", "is not a scenario file"),
        ("../outside.yaml", "lies outside the scenario folder"),
        ("sub", "is not a scenario file"),
        ("x" * 5000 + ".yaml", "not a usable file name"),
        ("missing.yaml", "does not exist"),
        ("v.yaml", "extends forms a loop"),
    ],
)
def test_extends_reads_only_scenario_files_in_the_folder(folder, target, message):
    (folder / "sub").mkdir()
    (folder.parent / "outside.yaml").write_bytes(PARK.read_bytes())
    path = _variant(folder, target)
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError, match=message) as err:
        load_scenario(path)
    assert time.perf_counter() - t0 < 2
    text = str(err.value)
    assert "root:" not in text and len(text) <= MAX_MESSAGE_CHARS
    assert text.startswith(f"{path}:1 extends: ")


def test_extends_outside_the_folder_with_allow_outside(folder):
    (folder / "inner").mkdir()
    path = _variant(folder / "inner", "../park.yaml")
    with pytest.raises(ScenarioError, match="outside the scenario folder"):
        load_scenario(path)
    assert load_scenario(path, allow_outside=True).parameter("output_growth").default == 8
    assert main(["audit", str(path), "--allow-outside"]) in (0, 1)


def test_a_yaml_file_that_is_not_a_scenario_is_not_echoed(folder):
    (folder / "secret.yaml").write_text("password: hunter2\ntoken: abc\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(_variant(folder, "secret.yaml"))
    assert "hunter2" not in str(err.value)


# ---- HTML and spreadsheet injection ------------------------------------------------------------
def test_review_dashboard_escapes_the_plan_name_and_messages(folder):
    from planlib.tracking.actuals import read_actuals
    from planlib.workbook.review_widgets import ReviewDashboard

    path = _park_with(folder, "黄羊工业园区“十四五”发展主要指标", XSS)
    sc = load_scenario(path)
    dash = ReviewDashboard(sc, read_actuals(ACTUALS, sc))
    html_texts = [
        w.value for w in dash.widget.children if hasattr(w, "value") and isinstance(w.value, str)
    ]
    assert all("<img" not in t for t in html_texts)
    assert any("&lt;img src=x" in t for t in html_texts)


def test_whatif_and_table_html_escape_names(folder):
    from planlib.table import indicator_table, render_table
    from planlib.workbook.widgets import whatif

    path = _park_with(folder, "name_zh: 新引进项目", f"name_zh: '{XSS}'")
    sc = load_scenario(path)
    out = render_table(indicator_table(sc), "html") + whatif(sc).static_html()
    assert "<img src=x" not in out and "&lt;img src=x" in out


def test_excel_exports_neutralise_formulas(folder):
    from openpyxl import load_workbook

    from planlib.table import indicator_table, write_table
    from planlib.tracking.actuals import read_actuals
    from planlib.tracking.review import review

    path = _park_with(folder, "name_zh: 新引进项目", f"name_zh: '{FORMULA}'")
    sc = load_scenario(path)
    write_table(indicator_table(sc), folder / "t.xlsx")
    review(sc, read_actuals(ACTUALS, sc)).write_xlsx(folder / "r.xlsx")
    for book in ("t.xlsx", "r.xlsx"):
        wb = load_workbook(folder / book)
        cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        texts = [c for c in cells if isinstance(c, str)]
        assert not [c for c in texts if c.startswith(("=", "+", "@"))], book
        assert f"'{FORMULA}" in texts, book
        assert any(isinstance(c, (int, float)) and c < 0 for c in cells) or book == "t.xlsx"
    import csv

    with open(write_table(indicator_table(sc), folder / "t.csv"), encoding="utf-8-sig") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert f"'{FORMULA}" in cells and not [c for c in cells if c.startswith(("=", "@"))]


def test_spreadsheet_safe_keeps_numbers():
    from planlib.formatting import spreadsheet_safe

    assert spreadsheet_safe("-3.5") == "-3.5" and spreadsheet_safe(-3.5) == -3.5
    assert spreadsheet_safe("+12") == "+12"
    for bad in ("=1+1", "+A1", "-A1", "@SUM(A1)", "\t=1", "＝1", "-inf", "+nan"):
        assert spreadsheet_safe(bad) == "'" + bad
    assert spreadsheet_safe("园区") == "园区" and spreadsheet_safe("") == ""


# ---- NaN / inf never accepted, never printed --------------------------------------------------
@pytest.mark.parametrize(
    "old, new",
    [
        ("rate: output_growth", "rate: .nan"),
        ("base: {year: 2020, value: 15}", "base: {year: 2020, value: .inf}"),
        ("base: {year: 2021, value: 35}", "base: {year: 2021, value: -.inf}"),
        ("default: 10", "default: .nan"),
    ],
)
def test_nan_and_inf_are_rejected_with_the_line(folder, old, new):
    if old not in PARK.read_text(encoding="utf-8"):
        pytest.skip(f"{old!r} not in the park file")
    path = _park_with(folder, old, new)
    line = next(
        i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in t
    )
    with pytest.raises(
        ScenarioError, match=rf"park\.yaml:{line} .*is not allowed; write a finite number"
    ):
        load_scenario(path)


def test_a_nan_target_is_rejected_not_a_crash(folder, capsys):
    text = (folder / "park.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["targets"][1]["value"] = float("nan")
    path = folder / "nan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["audit", str(path)]) == 2
    err = capsys.readouterr().err
    assert "targets[1].value" in err and "finite" in err and "Traceback" not in err


def test_overflow_never_reaches_output(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_text(
        "meta: {id: x, name: 溢出, region: 某区, level: 区, base_year: 2020,"
        " period: [2021, 2100]}\n"
        "indicators:\n"
        "  - {id: a, name_zh: 产值, unit: 亿元, base: {year: 2020, value: 1.0e+14},\n"
        "     rule: {kind: growth, rate: 1.0e+14}}\n"
        "targets: [{indicator: a, year: 2100, value: 1}]\n",
        encoding="utf-8",
    )
    for cmd in (["run", str(path), "--format", "json"], ["table", str(path)], ["audit", str(path)]):
        code = main(cmd)
        out = capsys.readouterr()
        assert code == 2, cmd
        assert "overflows to infinity" in out.err and "inf" not in out.out.lower()


def test_run_json_is_valid_json(capsys):
    assert main(["run", str(PARK), "--format", "json"]) == 0
    json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"JSON has {c}"))


# ---- limits: no hang, no huge memory, short messages -----------------------------------------
@pytest.mark.parametrize(
    "text, message",
    [
        ("a: &a [*a]\n", "refers to the mapping or list that contains it"),
        (
            "".join(
                f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n"
                if i
                else "l0: &l0 [x, x, x]\n"
                for i in range(12)
            ),
            "expands to more than",
        ),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "nest more than"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nest"),
        ("meta: {base_year: 2020, period: [2021]}\n", "meta.period"),
        ("meta: {base_year: 2020, period: '2021-2025'}\n", "meta.period"),
        (
            "meta: {id: x, name: x, region: x, level: 区, base_year: 2020,"
            " period: [2021, 1000000000]}\n"
            "indicators: [{id: a, name_zh: a, unit: 亿元, base: {year: 2020, value: 1}}]\n",
            "meta.period",
        ),
        (
            "meta: {id: x, name: x, region: x, level: 区, base_year: 2020, period: [2021, 2025]}\n"
            "indicators: [{id: a, name_zh: a, unit: 亿元, history: {-1000000000: 1}}]\n",
            "is a year in 1949–2100",
        ),
        (
            "meta: {id: x, name: x, region: x, level: 区, base_year: 2020, period: [2021, 2025]}\n"
            "indicators: [{id: a, name_zh: a, unit: 亿元, base: {year: 2020, value: 1e300}}]\n",
            "too large",
        ),
        (
            "meta: {id: x, name: x, region: x, level: 区, base_year: 2020, period: [2021, 2025]}\n"
            "indicators: [{id: a, name_zh: a, unit: 亿元, base: {year: 2020, value: nan}}]\n",
            "finite",
        ),
        (
            "meta: {id: x, name: x, region: x, level: 区, base_year: 2020, period: [2021, 2025]}\n"
            "indicators: [{id: a, name_zh: a, unit: 亿元, base: {year: 2020, value: '-inf'}}]\n",
            "finite",
        ),
        (
            "meta: {id: x, name: x, region: x, level: 区, base_year: 2020, period: [2021, 2025]}\n"
            "components: [{kind: pipeline}]\nindicators: 5\n",
            "must be a list",
        ),
        ("meta: [1]\ncomponents: [{kind: urbanisation}]\n", "meta: must be a mapping"),
        ("x: " + "9" * 5000 + "\n", "write numbers of at most 15 digits"),
    ],
)
def test_limits_reject_fast_with_a_short_message(text, message):
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError, match=message) as err:
        parse_scenario(text, file="bad.yaml")
    assert time.perf_counter() - t0 < 2
    assert len(str(err.value)) <= MAX_MESSAGE_CHARS


def test_components_wait_for_a_valid_meta():
    # before: KeyError 'base_year' from a component expanding first
    text = PARK.read_text(encoding="utf-8").replace("base_year: 2020", "base_yr: 2020", 1)
    with pytest.raises(ScenarioError, match="meta.base_year: is required"):
        parse_scenario(text, file="p.yaml")


def test_many_problems_are_summarised():
    text = "meta: {id: x, name: x, region: x, level: 区, base_year: 2020, period: [2021, 2025]}\n"
    text += "indicators:\n" + "".join(
        f"  - {{id: a{i}, name_zh: {'长' * 300}, unit: 亿}}\n" for i in range(500)
    )
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, file="many.yaml")
    msg = str(err.value)
    assert len(msg) <= MAX_MESSAGE_CHARS and "more problems" in msg
    assert len(err.value.problems) >= 500


def test_devices_and_big_files_are_not_read(tmp_path):
    for dev in ("/dev/zero", "/dev/stdin", "/dev/null"):
        with pytest.raises(ScenarioError, match="not a regular file"):
            load_scenario(dev)
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(3_000_000)
    with pytest.raises(ScenarioError, match="at most 512,000"):
        load_scenario(big)
    with pytest.raises(ScenarioError, match="cannot open"):
        load_scenario(tmp_path / ("x" * 5000 + ".yaml"))
    with pytest.raises(ScenarioError, match="not a regular file"):
        load_scenario(tmp_path)


def test_huge_actuals_are_summarised(tmp_path, capsys):
    rows = ["indicator,year,value,unit,source"]
    rows += [f"output,{2021 + i % 5},{'abc' if i % 3 == 0 else i},亿,x" for i in range(20000)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    assert main(["review", str(PARK), "--actuals", str(path)]) == 2
    assert time.perf_counter() - t0 < 30
    err = capsys.readouterr().err
    assert len(err) <= MAX_MESSAGE_CHARS + 100
    assert "more problems" in err and "indicator" in err and "value" in err


def test_actuals_with_too_many_rows_stop_early(tmp_path):
    from openpyxl import Workbook

    from planlib.tracking.actuals import MAX_ACTUALS_ROWS, ActualsError, read_actuals

    park = load_scenario(PARK)
    rows = ["indicator,year,value,unit,source"] + ["tax,2021,1,亿元,x"] * (MAX_ACTUALS_ROWS + 5)
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r.split(","))
    wb.save(tmp_path / "big.xlsx")
    for name in ("big.csv", "big.xlsx"):
        t0 = time.perf_counter()
        with pytest.raises(ActualsError, match=f"{name}: has more than 50,000 data rows"):
            read_actuals(tmp_path / name, park)
        assert time.perf_counter() - t0 < 30


def test_enterprise_lists_and_sweep_tables_give_clean_errors(tmp_path):
    import pandas as pd

    from planlib.domains.land import LandError, read_enterprises, score_enterprises
    from planlib.errors import InputError
    from planlib.simulation.sweep import read_sweep_table, variants_from_table

    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(LandError, match="not a regular file"):
        read_enterprises(tmp_path / "folder.csv")
    broken = tmp_path / "e.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(LandError, match="cannot read the table"):
        read_enterprises(broken)
    df = pd.DataFrame({"name": list("abc"), "tax_per_mu": [1, np.inf, 2]})
    from planlib.domains.land import ScoreIndicator

    with pytest.raises(LandError, match="infinite"):
        score_enterprises(df, [ScoreIndicator("tax_per_mu", "税", 1.0, 1.0)], {"A": 0.5, "B": 0.5})
    park = load_scenario(PARK)
    for bad in ("abc", float("nan"), float("inf"), 1e9):
        with pytest.raises(InputError, match=r"row 2 .*output_growth"):
            variants_from_table(park, [{"id": "a", "output_growth": bad}])
    with pytest.raises(InputError, match="not a regular file"):
        read_sweep_table(tmp_path)


def test_an_internal_error_exits_3_with_one_line(monkeypatch, capsys):
    def boom(*a, **k):
        raise TypeError("unsupported operand")

    monkeypatch.setattr("planlib.auditing.audit", boom)
    assert main(["audit", str(PARK)]) == 3
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "internal error" in err and "report" in err

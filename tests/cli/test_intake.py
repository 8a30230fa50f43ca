"""``planlib import``: exit codes, messages naming the file, nothing written, no overwrite."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planlib.cli import main
from planlib.scenario import load_scenario

DATA = Path(__file__).resolve().parents[1] / "intake" / "data"


def _run(capsys, *argv):
    code = main(["import", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("corrupt.xlsx", "cannot read the Excel file"),
        ("corrupt.docx", "cannot read the Word file"),
        ("protected.xlsx", "password-protected"),
        ("protected.docx", "password-protected"),
        ("empty.csv", "the file is empty"),
        ("noheader.csv", "no 主要指标表 found"),
        ("gbk.csv", "GBK/GB18030-encoded, not UTF-8"),
        ("gbk.txt", "GBK/GB18030-encoded, not UTF-8"),
        ("scanned.pdf", "no text layer (a scanned document"),
        ("corrupt.pdf", "cannot read the PDF"),
        ("protected.pdf", "password-protected"),
    ],
)
def test_bad_input_exits_2_names_the_file_writes_nothing(capsys, tmp_path, name, message):
    """Bad input exits 2 names the file writes nothing."""
    out = tmp_path / "plan.yaml"
    code, stdout, err = _run(capsys, DATA / name, "-o", out)
    assert code == 2
    assert str(DATA / name) in err and message in err
    assert "Traceback" not in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temp file left either


def test_gbk_with_encoding_option_imports(capsys, tmp_path):
    """Gbk with encoding option imports."""
    out = tmp_path / "plan.yaml"
    code, stdout, err = _run(capsys, DATA / "gbk.csv", "-o", out, "--encoding", "gbk")
    assert code == 0, err
    assert len(load_scenario(out).indicators) == 20


def test_import_writes_a_loadable_scenario_and_the_report(capsys, tmp_path):
    """Import writes a loadable scenario and the report."""
    out = tmp_path / "plan.yaml"
    code, stdout, err = _run(capsys, DATA / "sample.xlsx", "-o", out)
    assert code == 0, err
    sc = load_scenario(out)
    assert len(sc.indicators) == 20 and len(sc.targets) == 24
    assert stdout.startswith("导入 sample.xlsx（主要指标表）：读入 20 行 → 20 个指标、24 个目标")
    assert f"已写入 {out}" in stdout
    assert main(["audit", str(out)]) == 0
    capsys.readouterr()
    assert main(["table", str(out)]) == 0
    rows = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("| ")]
    assert len(rows) == 1 + 20  # header + the 20 rows of the imported table
    first = "| 经济发展 | 地区生产总值 | 亿元 | 2020 | 300 | 2025 | 420 | 7左右 |"  # as written
    assert rows[1].startswith(first)


def test_never_overwrites_without_force(capsys, tmp_path):
    """Never overwrites without force."""
    out = tmp_path / "plan.yaml"
    out.write_text("mine\n", encoding="utf-8")
    code, stdout, err = _run(capsys, DATA / "sample.csv", "-o", out)
    assert code == 2 and "exists; pass --force" in err
    assert out.read_text(encoding="utf-8") == "mine\n"
    code, stdout, err = _run(capsys, DATA / "sample.csv", "-o", out, "--force")
    assert code == 0
    assert load_scenario(out).meta.region == "黄羊县"


def test_json_report(capsys, tmp_path):
    """Json report."""
    out = tmp_path / "plan.yaml"
    code, stdout, err = _run(capsys, DATA / "sample.docx", "-o", out, "--format", "json")
    assert code == 0
    rep = json.loads(stdout)
    assert rep["counts"] == {
        "rows": 20,
        "indicators": 20,
        "targets": 24,
        "qualitative": 1,
        "guesses": rep["counts"]["guesses"],
        "skipped": 0,
    }
    where = {ln["where"]: ln for ln in rep["lines"]}
    # the Word table starts at its header (row 1); the title is a paragraph above it
    assert where["表1!E4"]["text"] == "保持在合理区间" and where["表1!E4"]["level"] == "qualitative"


def test_without_output_yaml_goes_to_stdout(capsys):
    """Without output yaml goes to stdout."""
    code, stdout, err = _run(capsys, DATA / "sample.txt")
    assert code == 0
    assert stdout.startswith("# 由 planlib import 从 sample.txt 导入")
    assert err.startswith("导入 sample.txt")


def test_text_mode_on_the_seed(capsys, tmp_path):
    """Text mode on the seed."""
    out = tmp_path / "park.yaml"
    code, stdout, err = _run(
        capsys, DATA / "seed000_part1.txt", "--text", "-o", out, "--region", "黄羊工业园区"
    )
    assert code == 0, err
    sc = load_scenario(out)
    assert sc.meta.level == "园区" and sc.meta.period == (2021, 2025)
    assert any(t.kind == "pp_change" and t.value == 30 for t in sc.targets)


def test_bad_options(capsys, tmp_path):
    """Bad options."""
    code, _, err = _run(capsys, DATA / "sample.csv", "--period", "2025-2021")
    assert code == 2 and "--period" in err
    code, _, err = _run(capsys, DATA / "sample.csv", "--level", "村")
    assert code == 2 and "--level '村'" in err
    code, _, err = _run(capsys, tmp_path / "missing.xlsx")
    assert code == 2 and "file not found" in err


def test_text_pdf_import(capsys, tmp_path):
    """A text-layer PDF goes through pdfplumber (written here with matplotlib's PDF backend)."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pdf = tmp_path / "plan.pdf"
    fig = plt.figure(figsize=(6, 2))
    fig.text(0.05, 0.5, "By 2025 output 50 yi yuan")  # ASCII text layer
    fig.savefig(pdf)
    plt.close(fig)
    code, _, err = _run(capsys, pdf, "--text")
    assert code == 2 and "no target sentences" in err  # read, but no Chinese target sentence in it
    code, _, err = _run(capsys, pdf)  # no ruled table either: both reasons, one message
    assert code == 2 and f"{pdf}: no 主要指标表 found in the PDF — it has no ruled table" in err
    assert "; and its text: no target sentences found" in err
    shutil.copy(DATA / "scanned.pdf", tmp_path / "s.pdf")
    code, _, err = _run(capsys, tmp_path / "s.pdf", "--text")
    assert code == 2 and "no text layer" in err


def test_json_without_output_carries_the_yaml(capsys):
    """Json without output carries the yaml."""
    code, stdout, err = _run(capsys, DATA / "sample.csv", "--format", "json")
    assert code == 0
    rep = json.loads(stdout)
    assert rep["output"] is None
    assert rep["yaml"].startswith("# 由 planlib import 从 sample.csv 导入")


def _table_rows(capsys, scenario):
    assert main(["table", str(scenario)]) == 0
    return [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("| ")]


@pytest.mark.parametrize(
    ("name", "extra"),
    [("sample.pdf", []), ("sample-2pages.pdf", []), ("sample-narrow.pdf", ["--table", "1"])],
)
def test_pdf_import_audits_and_tables_like_the_xlsx(capsys, tmp_path, name, extra):
    """A text PDF's 主要指标表: 20 rows, 24 targets, audit exit 0, the same table as the xlsx."""
    out = tmp_path / "plan.yaml"
    code, stdout, err = _run(capsys, DATA / name, "-o", out, *extra)
    assert code == 0, err
    assert stdout.startswith(f"导入 {name}（主要指标表）：读入 20 行 → 20 个指标、24 个目标")
    sc = load_scenario(out)
    assert len(sc.indicators) == 20 and len(sc.targets) == 24
    assert all(t.source.startswith(f"{name} 表1!第") for t in sc.targets)
    assert main(["audit", str(out)]) == 0
    capsys.readouterr()
    rows = _table_rows(capsys, out)
    ref = tmp_path / "ref.yaml"
    assert _run(capsys, DATA / "sample.xlsx", "-o", ref)[0] == 0
    assert rows == _table_rows(capsys, ref)
    assert len(rows) == 1 + 20
    first = "| 经济发展 | 地区生产总值 | 亿元 | 2020 | 300 | 2025 | 420 | 7左右 |"
    assert rows[1].startswith(first)


def test_pdf_with_two_tables_asks_which(capsys, tmp_path):
    """Two tables in a PDF: exit 2 listing both, nothing written; --table 2 reads the second."""
    out = tmp_path / "plan.yaml"
    code, _, err = _run(capsys, DATA / "sample-narrow.pdf", "-o", out)
    assert code == 2 and "2 tables found" in err and "choose one with --table N" in err
    assert not out.exists()
    code, stdout, err = _run(capsys, DATA / "sample-narrow.pdf", "-o", out, "--table", "2")
    assert code == 0, err
    assert [i.id for i in load_scenario(out).indicators] == ["fdi", "hukou_urbanisation_rate"]


def test_pdf_without_table_falls_back_to_prose(capsys, tmp_path):
    """No 主要指标表 in the PDF: its prose is read, and the report says so in one line."""
    out = tmp_path / "plan.yaml"
    code, stdout, err = _run(capsys, DATA / "prose.pdf", "-o", out)
    assert code == 0, err
    notes = [ln for ln in stdout.splitlines() if "改为从正文起草目标" in ln]
    assert len(notes) == 1 and notes[0].startswith("prose.pdf")
    assert stdout.startswith("导入 prose.pdf（正文）")
    assert any(t.indicator == "gdp" and t.value == 420 for t in load_scenario(out).targets)

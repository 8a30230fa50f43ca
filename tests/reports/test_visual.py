"""Visual check: the Word report rendered by LibreOffice;
page 1 as PNG in .cache/ for a person to look at."""

import shutil
import subprocess
from pathlib import Path

import pytest

from planlib.reports import write_report
from planlib.reports.word import MARGIN_CM, PAGE_WIDTH_CM
from planlib.scenario import load_scenario
from planlib.tracking.actuals import read_actuals

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CACHE = ROOT / ".cache"
PT_PER_CM = 72 / 2.54

pytestmark = pytest.mark.slow


def _render(docx: Path, out: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        pytest.skip(
            "needs Debian libreoffice-writer-nogui and poppler-utils (./dev test installs them as "
            "root)"
        )
    profile = out / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (docx.stem + ".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


@pytest.mark.parametrize("name, actuals", [("county-14fyp", True), ("county-14fyp", False)])
def test_docx_page1_table_fits_the_page(tmp_path, name, actuals):
    import pdfplumber

    sc = load_scenario(DATA / f"{name}.yaml")
    act = read_actuals(DATA / f"{name}.actuals.csv", sc) if actuals else None
    docx = write_report(tmp_path / "report.docx", sc, act, charts=actuals)
    pdf = _render(docx, tmp_path)
    CACHE.mkdir(exist_ok=True)
    stem = CACHE / f"report-{name}-{'final' if actuals else 'plan'}-page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    png = stem.with_suffix(".png")
    assert png.exists() and png.stat().st_size > 10_000
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        assert page.width == pytest.approx(PAGE_WIDTH_CM * PT_PER_CM, abs=1)  # A4 portrait
        tables = page.find_tables()
        assert tables, "no ruled table found on page 1"
        x0, top, x1, bottom = max(
            tables, key=lambda t: (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1])
        ).bbox
        margin = MARGIN_CM * PT_PER_CM
        # the table lies within the text width (a little slack for border widths),
        # not cut at the edge
        assert x0 >= margin - 6 and x1 <= page.width - margin + 6, (x0, x1, page.width)
        assert x1 - x0 >= 0.9 * (page.width - 2 * margin)  # and uses the width it has
        text = page.extract_text() or ""
        assert "示范县" in text and "完成情况" in text if actuals else "主要指标" in text
        header_row = tables[0].extract()[0]
        assert header_row[0] == "类别" and (
            header_row[-1] == "完成情况" if actuals else header_row[-1] == "属性"
        )

"""What a planner sees (issue 12): charts stored as images, no emoji anywhere.

Emoji (✅🟢🟡🔴 …) show as empty boxes on most office PCs and servers, which have no emoji font;
status is coloured text or CSS instead. ✓ ✗ · are ordinary symbols in CJK fonts and allowed.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path

import nbformat
import pytest
import regex

import planlib.workbook.charts as charts
import planlib.workbook.review_charts as review_charts
import planlib.workbook.structure_charts as structure_charts

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: characters shown as (colour) emoji by default, and the emoji variation selector; text-style
#: symbols such as ✓ ↔ © ™ are in ordinary fonts and allowed
EMOJI = regex.compile(r"[\p{Emoji_Presentation}\uFE0F]")
FIGURE_FUNCTIONS = sorted(
    name
    for mod in (charts, review_charts, structure_charts)
    for name in getattr(mod, "__all__", dir(mod))
    if re.search(r"(_figure|_chart)$|^plot_", name)
)


def _emoji(text: str) -> list[str]:
    return sorted(set(EMOJI.findall(text)))


def test_the_emoji_pattern_finds_the_old_lights_and_spares_plain_symbols():
    assert _emoji("✅🟢🟡🟠🔴⚪ ok") == sorted(set("✅🟢🟡🟠🔴⚪"))
    assert _emoji("✓ [达标] ✗ · ！ ≥ ≤ — 〔30〕 © ™ ↔") == []
    assert _emoji("⚠️") == ["\ufe0f"]


def test_figure_functions_are_found():
    expected = {"trajectory_figure", "fan_chart", "plot_target", "plot_ratios", "structure_figure"}
    assert expected <= set(FIGURE_FUNCTIONS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_cell_stores_a_png(path):
    """09's review charts printed ``<Figure size 700x400 with 1 Axes>`` instead of a picture."""
    nb = nbformat.read(path, as_version=4)
    calls = re.compile(r"\b(" + "|".join(FIGURE_FUNCTIONS) + r")\(")
    chart_cells = 0
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        text = json.dumps(cell.get("outputs", []), ensure_ascii=False)
        assert "<Figure size" not in text, f"cell {k} stores a figure's repr, not its image"
        # a cell that draws (not one that only imports the functions)
        body = "\n".join(line for line in cell.source.splitlines()
                         if not line.lstrip().startswith(("from ", "import ")))
        if calls.search(body):
            chart_cells += 1
            pngs = [o for o in cell.outputs if "image/png" in o.get("data", {})]
            assert pngs, f"cell {k} draws a chart but stores no PNG"
    if "figure" in path.read_text(encoding="utf-8"):
        assert chart_cells > 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_emoji_in_notebooks(path):
    """Sources, outputs and widget state (what JupyterLab, voila and HTML pages show)."""
    assert _emoji(path.read_text(encoding="utf-8")) == []


def test_no_emoji_in_planlib_source_strings():
    found = {}
    for py in sorted((ROOT / "planlib").rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(py.read_text(encoding="utf-8")).readline)
        for tok in tokens:
            kinds = (tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", -1))
            if tok.type in kinds:
                if _emoji(tok.string):
                    found.setdefault(str(py.relative_to(ROOT)), []).append(tok.start[0])
    for data in sorted((ROOT / "planlib" / "data").rglob("*")):
        if data.suffix in (".j2", ".json", ".html", ".css", ".txt", ".yaml"):
            if _emoji(data.read_text(encoding="utf-8")):
                found[str(data.relative_to(ROOT))] = [0]
    assert found == {}


def test_no_emoji_in_exports(tmp_path, park):
    """Excel (review, 主要指标表), JSON and text exports of the park with its sample actuals."""
    from openpyxl import load_workbook

    from planlib.auditing import audit
    from planlib.table import indicator_table, write_table
    from planlib.tracking.actuals import read_actuals
    from planlib.tracking.review import review

    actuals = read_actuals(ROOT / "scenarios" / "huangyang-park-14fyp.actuals.csv", park)
    rev = review(park, actuals)
    texts = [rev.to_text(), rev.to_json(), rev.to_html(), rev.to_frame().to_string(),
             audit(park).to_text(), audit(park).to_json()]
    books = [rev.write_xlsx(tmp_path / "评估.xlsx")]
    books.append(write_table(indicator_table(park), tmp_path / "主要指标表.xlsx", "xlsx")
                 or tmp_path / "主要指标表.xlsx")
    for book in books:
        wb = load_workbook(book)
        texts += [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                  if c.value is not None]
    assert len(texts) > 100
    assert _emoji("\n".join(texts)) == []

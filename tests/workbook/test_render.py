"""planlib render: one self-contained HTML file that works offline and shows no dead controls."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from planlib.errors import PlanlibError
from planlib.workbook.render import REQUIRE_JS, WIDGET_JS, _vendored, external_resources, render

ROOT = Path(__file__).resolve().parents[2]
WHATIF = ROOT / "notebooks" / "02_whatif.ipynb"


@pytest.fixture(scope="module")
def whatif_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("render") / "whatif.html"
    return render(WHATIF, out)


@pytest.fixture(scope="module")
def widget_html(tmp_path_factory):
    """A notebook whose output is a live widget: proves the inlined widget JavaScript works."""
    d = tmp_path_factory.mktemp("widgetnb")
    nb = new_notebook(
        cells=[
            new_code_cell(
                "import ipywidgets as W\nW.HTML(\"<b class='planlib-probe'>离线部件 offline "
                'widget</b>")'
            )
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    path = d / "w.ipynb"
    nbformat.write(nb, path)
    return render(path, d / "w.html")


def test_vendored_javascript_is_present_and_complete():
    assert "define(" in _vendored(WIDGET_JS) and "@jupyter-widgets/html-manager" in _vendored(
        WIDGET_JS
    )
    assert "requirejs" in _vendored(REQUIRE_JS)


def test_whatif_page_has_tables_chart_and_no_controls(whatif_html):
    text = whatif_html.read_text(encoding="utf-8")
    assert external_resources(text) == []
    assert "planlib-static" in text and "planlib-targets-table" in text and "单参数情景表" in text
    assert "data:image/png;base64," in text
    assert "widget-view+json" not in text  # no widget views → nothing that looks live
    assert not re.search(r"<input\b|<button\b|<select\b", text)
    assert "scenario_file =" not in text  # code hidden for readers by default


def test_whatif_page_does_not_describe_sliders_or_repeat_the_grid(whatif_html):
    """Issue 12: the intro described sliders on a page without any, and the 41-row
    单参数情景表 appeared twice (the static what-if shows it; the notebook's own copy is
    tagged ``interactive``)."""
    text = whatif_html.read_text(encoding="utf-8")
    assert text.count("planlib-grid-table") == 1
    assert text.count("单参数情景表") == 1
    assert "每个参数一根滑块" not in text and "移动滑块" not in text


def test_interactive_cells_stay_in_the_live_notebook():
    nb = nbformat.read(WHATIF, as_version=4)
    tagged = [c for c in nb.cells if "interactive" in c.metadata.get("tags", [])]
    assert len(tagged) == 3 and any("parameter_grid(" in c.source for c in tagged)


def test_widget_page_inlines_the_widget_javascript(widget_html):
    text = widget_html.read_text(encoding="utf-8")
    assert external_resources(text) == []
    assert "application/vnd.jupyter.widget-view+json" in text
    assert "@jupyter-widgets/html-manager" in text and "cdn.jsdelivr" not in text.split("<body")[0]


def test_external_resources_are_found():
    assert external_resources('<script src="https://cdn.x/y.js"></script>')
    assert external_resources('<link rel="stylesheet" href="//cdn.x/y.css">')
    assert not external_resources(
        '<a href="https://example.org">link</a><img src="data:image/png;base64,AA">'
    )


def test_bad_output_names_are_rejected(tmp_path):
    with pytest.raises(PlanlibError, match=r"must end in \.html"):
        render(WHATIF, tmp_path / "x.pdf", execute=False)
    with pytest.raises(PlanlibError, match="does not exist"):
        render(WHATIF, tmp_path / "missing" / "x.html", execute=False)
    with pytest.raises(PlanlibError, match="no such notebook"):
        render(tmp_path / "nope.ipynb", tmp_path / "x.html")


def test_cli_render_with_another_scenario(tmp_path):
    out = tmp_path / "o.html"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "planlib.cli",
            "render",
            str(WHATIF),
            "-o",
            str(out),
            "--scenario",
            str(ROOT / "scenarios" / "huangyang-park-14fyp.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert out.exists() and "离线可用" in res.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "planlib.cli", "render", str(WHATIF), "-o", "x.txt"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and ".html" in bad.stderr

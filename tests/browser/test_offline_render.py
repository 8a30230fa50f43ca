"""The rendered HTML opened in Chromium with the network cut: tables and chart, no dead controls."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from planlib.workbook.render import render

from .harness import ROOT, SCREENSHOTS, assert_no_page_errors, watch_page_errors

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def pages(tmp_path_factory, browser_root):  # browser_root: skips when chromium/fonts are missing
    d = tmp_path_factory.mktemp("offline")
    whatif = render(ROOT / "notebooks" / "02_whatif.ipynb", d / "whatif.html")
    nb = new_notebook(
        cells=[
            new_code_cell(
                "import ipywidgets as W\nW.HTML(\"<b class='planlib-probe'>离线部件</b>\")"
            )
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, d / "w.ipynb")
    return whatif, render(d / "w.ipynb", d / "w.html")


def _offline(chromium):
    context = chromium.new_context(offline=True, viewport={"width": 1200, "height": 900})
    requested = []

    def block(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    return context, requested


def test_whatif_page_offline_shows_tables_and_chart_and_no_controls(pages, chromium):
    whatif, _ = pages
    context, requested = _offline(chromium)
    try:
        page = context.new_page()
        errors = watch_page_errors(page)
        page.goto(Path(whatif).as_uri())
        page.locator(".planlib-targets-table").first.wait_for(timeout=20000)
        assert page.locator(".planlib-targets-table td").count() > 10
        assert page.locator(".planlib-indicators, .planlib-grid-table").count() >= 1
        assert page.locator("img.planlib-chart").evaluate("im => im.naturalWidth") > 500
        assert page.locator("input, button, select, .widget-slider").count() == 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "render-02_whatif-offline.png"), full_page=True)
        assert_no_page_errors(errors)
    finally:
        context.close()
    assert requested == []


def test_inlined_widget_javascript_renders_widgets_offline(pages, chromium):
    _, widget_page = pages
    context, requested = _offline(chromium)
    try:
        page = context.new_page()
        errors = watch_page_errors(page)
        page.goto(Path(widget_page).as_uri())
        page.locator(".planlib-probe").wait_for(timeout=20000)  # drawn by the inlined html-manager
        assert "离线部件" in page.locator(".widget-html").first.inner_text()
        assert_no_page_errors(errors)
    finally:
        context.close()
    assert requested == []

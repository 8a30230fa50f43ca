"""Every notebook with ``metadata.planlib.browser`` is run in JupyterLab and in voila.

See README.md.
"""

from __future__ import annotations

import pytest

from .harness import (
    SCREENSHOTS,
    assert_no_page_errors,
    browser_notebooks,
    observe,
    open_in_voila,
    press,
    run_all_in_lab,
    wait_changed,
    watch_page_errors,
)

SPECS = browser_notebooks()

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _ids(specs):
    return [s.notebook.stem for s in specs]


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors = watch_page_errors(page)
    yield page
    context.close()
    assert_no_page_errors(errors)  # any uncaught JavaScript error fails the test


def _exercise(page, spec, tag):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if not spec.has_slider:  # a notebook without controls: its content must be there
        for sel in spec.text:
            assert page.locator(sel).first.inner_text().strip(), sel
        page.screenshot(path=str(SCREENSHOTS / f"{spec.notebook.stem}-{tag}.png"), full_page=True)
        return {}, {}
    before = observe(page, spec)
    page.screenshot(
        path=str(SCREENSHOTS / f"{spec.notebook.stem}-{tag}-before.png"), full_page=True
    )
    press(page, spec)
    after = wait_changed(page, spec, before)
    page.screenshot(path=str(SCREENSHOTS / f"{spec.notebook.stem}-{tag}-after.png"), full_page=True)
    for k, sel in enumerate(spec.text + ([spec.image] if spec.image else [])):
        page.locator(sel).first.screenshot(
            path=str(SCREENSHOTS / f"{spec.notebook.stem}-{tag}-after-{k}.png")
        )
    return before, after


def test_discovery_finds_the_whatif_notebook():
    assert any(s.notebook.name.startswith("02_") for s in SPECS), [s.notebook.name for s in SPECS]


@pytest.mark.parametrize("spec", SPECS, ids=_ids(SPECS))
def test_notebook_in_jupyterlab(spec, lab, page):
    run_all_in_lab(page, lab, spec)
    before, after = _exercise(page, spec, "lab")
    if spec.has_slider and spec.readout:
        assert before["readout"] != after["readout"]
    notebook_text = page.locator(".jp-Notebook").inner_text()
    assert "Traceback" not in notebook_text and "\ufffd" not in notebook_text
    lab.delete_sessions()


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if s.voila], ids=_ids([s for s in SPECS if s.voila])
)
def test_notebook_in_voila(spec, voila, page):
    open_in_voila(page, voila, spec)
    _exercise(page, spec, "voila")


def test_voila_culls_idle_kernels(browser_root, tmp_path, chromium):
    """The README's voila command culls idle kernels: a closed page's kernel goes away."""
    import time

    from .harness import open_in_voila, start_voila

    spec = next(s for s in SPECS if s.notebook.name.startswith("02_"))
    server = start_voila(browser_root, tmp_path, cull_idle=3)
    try:
        context = chromium.new_context()
        page = context.new_page()
        errors = watch_page_errors(page)
        open_in_voila(page, server, spec)
        assert len(server.kernel_pids()) == 1
        context.close()
        assert_no_page_errors(errors)
        deadline = time.monotonic() + 30
        while server.kernel_pids() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert server.kernel_pids() == []
    finally:
        server.stop()

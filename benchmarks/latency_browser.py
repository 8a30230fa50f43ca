"""Browser latency of the what-if: key press → new chart image in Chromium (median of ≥ 30 presses).

Starts JupyterLab on 127.0.0.1 (free port) with a stripped copy of notebooks/02_whatif.ipynb, runs
all cells, focuses the slider named in the notebook's planlib.browser metadata and times, on the
browser clock, each ArrowRight/ArrowLeft until the chart image's src changes. Stops the server.

Run: .venv/bin/python benchmarks/latency_browser.py [--presses 30]
Floor (issue 3): median ≤ 400 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
FLOOR_MS = 400.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--notebook", default="02_whatif.ipynb")
    ap.add_argument("--presses", type=int, default=30)
    args = ap.parse_args(argv)

    from browser.harness import (
        browser_notebooks,
        keypress_to_image_ms,
        launch_browser,
        prepare_root,
        run_all_in_lab,
        start_lab,
    )
    from playwright.sync_api import sync_playwright

    spec = next(s for s in browser_notebooks() if s.notebook.name == args.notebook)
    with tempfile.TemporaryDirectory() as tmp:
        root = prepare_root(Path(tmp) / "root", [spec])
        lab = start_lab(root, Path(tmp) / "state")
        try:
            with sync_playwright() as p:
                browser = launch_browser(p)
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                run_all_in_lab(page, lab, spec)
                page.locator(spec.image).first.scroll_into_view_if_needed()
                times = keypress_to_image_ms(page, spec, args.presses)
                browser.close()
        finally:
            lab.delete_sessions()
            lab.stop()
    med = statistics.median(times)
    print(
        f"browser latency (key press → new chart image, Chromium + JupyterLab): median {med:.0f} "
        f"ms over {len(times)} presses (min {min(times):.0f}, max {max(times):.0f}; floor "
        f"{FLOOR_MS:.0f} ms)"
    )
    return 0 if med <= FLOOR_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

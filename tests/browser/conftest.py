"""Session fixtures: one JupyterLab, one voila and one chromium for all browser tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .harness import (
    CHROMIUM,
    browser_notebooks,
    launch_browser,
    prepare_root,
    start_lab,
    start_voila,
)

SPECS = browser_notebooks()


def browser_required() -> bool:
    """True in CI (``CI`` set to 1/true) or with ``PLANLIB_REQUIRE_BROWSER=1``: no silent skip."""
    ci = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
    return ci or os.environ.get("PLANLIB_REQUIRE_BROWSER", "") == "1"


def _skip_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return (
            f"{CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei (./dev test "
            "does it as root)"
        )
    if (
        shutil.which("fc-list")
        and "WenQuanYi"
        not in __import__("subprocess").run(["fc-list"], capture_output=True, text=True).stdout
    ):
        return "fonts-wqy-microhei is missing (Chinese UI text would show boxes)"
    return None


@pytest.fixture(scope="session")
def browser_root(tmp_path_factory):
    """Server root with stripped copies of every browser notebook."""
    reason = _skip_reason()
    if reason:
        if browser_required():
            pytest.fail(
                f"{reason}; CI=1 or PLANLIB_REQUIRE_BROWSER=1 says the browser tests must run"
            )
        pytest.skip(reason)
    return prepare_root(tmp_path_factory.mktemp("lab-root"), SPECS)


@pytest.fixture(scope="session")
def lab(browser_root, tmp_path_factory):
    """One JupyterLab server for the session; stopped with its kernels at the end."""
    server = start_lab(browser_root, tmp_path_factory.mktemp("lab-state"))
    yield server
    server.delete_sessions()
    server.stop()


@pytest.fixture(scope="session")
def voila(browser_root, tmp_path_factory):
    """One voila server (tree mode, idle kernels culled) for the session."""
    server = start_voila(browser_root, tmp_path_factory.mktemp("voila-state"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        yield browser
        browser.close()

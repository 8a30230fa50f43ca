"""Playwright + Debian chromium harness for widget notebooks (see README.md in this folder).

Used by ``tests/browser/test_notebooks.py`` and ``benchmarks/latency_browser.py``. Servers bind
127.0.0.1 on a free port, run in their own process group and are stopped (group-killed) at the end;
kernels are deleted through the REST API before that.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = os.environ.get("PLANLIB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("PLANLIB_SCREENSHOTS", ROOT / ".cache" / "screenshots"))
#: folders copied next to the stripped notebooks so relative paths keep working
COPIED_DIRS = ("scenarios", "data")

DEFAULTS = {
    "param": None,
    "slider": 0,
    "presses": 2,
    "key": "ArrowRight",
    "readout": True,
    "text": [".planlib-targets"],
    "image": ".planlib-chart",
    "voila": True,
    "timeout": 120,
}


@dataclass
class Spec:
    """A notebook's ``metadata.planlib.browser`` entry with defaults filled in."""

    notebook: Path
    param: str | None = None
    slider: int | None = 0
    presses: int = 2
    key: str = "ArrowRight"
    readout: bool = True
    text: list = field(default_factory=lambda: [".planlib-targets"])
    image: str | None = ".planlib-chart"
    voila: bool = True
    timeout: float = 120

    @property
    def has_slider(self) -> bool:
        """False for notebooks without controls (``"slider": null``).

        Those are run, checked and screenshot only.
        """
        return self.param is not None or self.slider is not None

    @property
    def ready_selector(self) -> str:
        """What must be on the page once all cells ran."""
        return self.slider_selector if self.has_slider else self.text[0]

    @property
    def slider_selector(self) -> str:
        """CSS selector of the slider to move."""
        if self.param:
            return f".planlib-param-{self.param} .widget-slider"
        return ".widget-slider"

    @property
    def index(self) -> int:
        """Which match of :attr:`slider_selector` (0 when ``param`` names the row)."""
        return 0 if self.param or self.slider is None else int(self.slider)


def browser_notebooks(folder: Path = NOTEBOOKS) -> list[Spec]:
    """Every notebook in ``folder`` (by glob) whose metadata has ``planlib`` → ``browser``."""
    specs = []
    for path in sorted(folder.glob("*.ipynb")):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        entry = meta.get("planlib", {}).get("browser")
        if entry is None or entry is False:
            continue
        entry = {} if entry is True else dict(entry)
        unknown = set(entry) - set(DEFAULTS)
        if unknown:
            raise ValueError(
                f"{path.name}: metadata.planlib.browser has unknown fields {sorted(unknown)};"
                f" allowed: {sorted(DEFAULTS)}"
            )
        merged = {**copy.deepcopy(DEFAULTS), **entry}
        if isinstance(merged["text"], str):
            merged["text"] = [merged["text"]]
        specs.append(Spec(path, **merged))
    return specs


def strip_notebook(src: Path, dst: Path) -> Path:
    """Copy a notebook without outputs, execution counts or widget state."""
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    dst.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dst)
    return dst


def prepare_root(tmp: Path, specs: list[Spec]) -> Path:
    """A server root mirroring the repo.

    Stripped notebooks under notebooks/, data folders copied.
    """
    for name in COPIED_DIRS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tmp / name, dirs_exist_ok=True)
    for spec in specs:
        strip_notebook(spec.notebook, tmp / "notebooks" / spec.notebook.name)
    for extra in NOTEBOOKS.iterdir():
        if extra.is_file() and extra.suffix != ".ipynb":
            shutil.copy2(extra, tmp / "notebooks" / extra.name)
    return tmp


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s: {log.read_text()[-2000:]}")


@dataclass
class Server:
    """A started JupyterLab or voila process."""

    proc: subprocess.Popen
    url: str
    token: str
    log: Path

    def api(self, method: str, path: str):
        """Call the Jupyter REST API; returns decoded JSON or None."""
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def delete_sessions(self) -> None:
        """Shut down every kernel session (so kernels do not outlive the test)."""
        with contextlib.suppress(OSError):
            for s in self.api("GET", "/api/sessions") or []:
                with contextlib.suppress(OSError):
                    self.api("DELETE", f"/api/sessions/{s['id']}")
            for k in self.api("GET", "/api/kernels") or []:
                with contextlib.suppress(OSError):
                    self.api("DELETE", f"/api/kernels/{k['id']}")

    def kernel_pids(self) -> list[int]:
        """Kernel processes started by this server.

        Kernels get their own session, not our group.
        """
        out = subprocess.run(
            ["ps", "-eo", "pid=,ppid=,args="], capture_output=True, text=True
        ).stdout
        pids = []
        for line in out.splitlines():
            pid, ppid, args = line.split(None, 2)
            if int(ppid) == self.proc.pid and "ipykernel" in args:
                pids.append(int(pid))
        return pids

    def stop(self) -> None:
        """Terminate the server's process group, then any kernel it started, and wait."""
        kernels = self.kernel_pids() if self.proc.poll() is None else []
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        with contextlib.suppress(ProcessLookupError):  # anything left in the group
            os.killpg(self.proc.pid, signal.SIGKILL)
        for pid in kernels:  # the server normally shuts its kernels down; make sure
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def start_lab(root: Path, state: Path) -> Server:
    """Start JupyterLab on a free 127.0.0.1 port with flake-free settings (ECOSYSTEM.md)."""
    port, token = free_port(), "planlib-browser-test"
    settings = state / "settings"
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True, exist_ok=True)
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True, exist_ok=True)
    (
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    ).write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"})
    )
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        f"--LabApp.user_settings_dir={settings}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.port_retries=0",
    ]
    if _is_root():
        cmd.append("--allow-root")
    return _spawn(cmd, port, token, state / "lab.log", "/api/status", root)


def start_voila(root: Path, state: Path, cull_idle: int = 60) -> Server:
    """Start voila serving ``root`` (tree mode) on a free 127.0.0.1 port.

    Idle kernels are culled.
    """
    from planlib.workbook.voila import voila_command, voila_env

    port = free_port()
    cmd = voila_command(  # planlib's template: nothing loaded from a CDN
        root,
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={min(30, max(1, cull_idle))}",
        "--Voila.port_retries=0",
    )
    return _spawn(cmd, port, "", state / "voila.log", "/", root, env=voila_env())


def _spawn(cmd, port, token, log: Path, probe: str, cwd: Path, env=None) -> Server:
    log.parent.mkdir(parents=True, exist_ok=True)
    fh = open(log, "w")  # noqa: SIM115 — lives as long as the server
    env = {**(env or os.environ), "PYTHONUNBUFFERED": "1", "JUPYTER_PLATFORM_DIRS": "1"}
    env.pop("PLANLIB_STATIC", None)
    proc = subprocess.Popen(
        cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=cwd, env=env, start_new_session=True
    )
    server = Server(proc, f"http://127.0.0.1:{port}", token, log)
    try:
        _wait_http(server.url + probe + (f"?token={token}" if token else ""), proc, log)
    except BaseException:
        server.stop()
        raise
    return server


def launch_browser(playwright):
    """Debian chromium through Playwright (``playwright install`` is not needed)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


# ---- page actions ----------------------------------------------------------------------------
IMG_SRC = "el => el.tagName === 'IMG' ? el.src : ((el.querySelector('img') || {}).src || '')"


def wait_idle(page, timeout: float = 120) -> None:
    """Wait for JupyterLab's status bar to read 'Idle' for the kernel."""
    page.get_by_text("| Idle").first.wait_for(timeout=timeout * 1000)


def run_all_in_lab(page, server: Server, spec: Spec) -> None:
    """Open the stripped notebook in JupyterLab, wait for the kernel, run all cells."""
    name = urllib.parse.quote(spec.notebook.name)
    page.goto(
        f"{server.url}/lab/workspaces/{spec.notebook.stem}/tree/notebooks/{name}?token={server.token}"
    )
    wait_idle(page, spec.timeout)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
    page.locator(spec.ready_selector).nth(spec.index).wait_for(timeout=spec.timeout * 1000)
    wait_idle(page, spec.timeout)


def open_in_voila(page, server: Server, spec: Spec) -> None:
    """Open the notebook as a voila app and wait for its slider."""
    page.goto(f"{server.url}/voila/render/notebooks/{urllib.parse.quote(spec.notebook.name)}")
    page.locator(spec.ready_selector).nth(spec.index).wait_for(timeout=spec.timeout * 1000)


def observe(page, spec: Spec) -> dict:
    """What the harness compares before and after the key presses."""
    state = {}
    if spec.has_slider and spec.readout:
        slider = page.locator(spec.slider_selector).nth(spec.index)
        state["readout"] = slider.locator("xpath=..").locator(".widget-readout").first.inner_text()
    for sel in spec.text:
        state[sel] = page.locator(sel).first.inner_text()
    if spec.image:
        state["image"] = page.locator(spec.image).first.evaluate(IMG_SRC)
    return state


def press(page, spec: Spec, presses: int | None = None) -> None:
    """Focus the slider handle and press the key."""
    handle = page.locator(spec.slider_selector).nth(spec.index).locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(presses or spec.presses):
        page.keyboard.press(spec.key)


def wait_changed(page, spec: Spec, before: dict, timeout: float = 30) -> dict:
    """Poll until every observed item differs from ``before``; return the new state."""
    deadline = time.monotonic() + timeout
    after = observe(page, spec)
    while time.monotonic() < deadline:
        after = observe(page, spec)
        if all(after[k] != before[k] for k in before):
            return after
        time.sleep(0.1)
    same = [k for k in before if after[k] == before[k]]
    raise AssertionError(
        f"{spec.notebook.name}: after {spec.presses}×{spec.key} these did not change: {same}"
    )


def keypress_to_image_ms(page, spec: Spec, n: int = 30) -> list[float]:
    """Milliseconds from a real key press to a new chart image ``src`` (browser clock), ``n`` times.

    Direction alternates every 5 presses so the slider stays inside its bounds.
    """
    handle = page.locator(spec.slider_selector).nth(spec.index).locator(".noUi-handle").first
    handle.focus()
    sel = json.dumps(spec.image)
    page.evaluate(f"""() => {{
        const el = document.querySelector({sel});
        window.__planlibImg = el.tagName === 'IMG' ? el : el.querySelector('img');
        document.addEventListener('keydown', () => {{ window.__t0 = performance.now(); }}, true);
        new MutationObserver(() => {{ window.__t1 = performance.now(); }})
            .observe(window.__planlibImg, {{attributes: true, attributeFilter: ['src']}});
    }}""")
    back = "ArrowLeft" if spec.key == "ArrowRight" else "ArrowRight"
    out = []
    for k in range(n):
        page.evaluate("() => { window.__t1 = null; }")
        page.keyboard.press(spec.key if (k // 5) % 2 == 0 else back)
        page.wait_for_function("() => window.__t1 !== null", timeout=10000)
        out.append(page.evaluate("() => window.__t1 - window.__t0"))
        page.wait_for_timeout(150)  # let the image settle before the next press
    return out


def watch_page_errors(page) -> list[str]:
    """Collect the page's uncaught JavaScript errors (``pageerror``).

    Tests assert it stays empty.
    """
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def assert_no_page_errors(errors: list[str]) -> None:
    """Fail with the page's JavaScript errors, if any."""
    assert not errors, "JavaScript errors on the page:\n" + "\n".join(e[:500] for e in errors[:10])

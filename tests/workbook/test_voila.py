"""planlib voila: the served page loads nothing from the network (issue 12: FontAwesome CDN)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from planlib.workbook.voila import TEMPLATE, jupyter_data_dir, voila_command, voila_env

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|import\(\s*["']https?://""", re.I)


def test_template_is_shipped_and_found_through_jupyter_path():
    folder = jupyter_data_dir() / "voila" / "templates" / TEMPLATE
    assert (folder / "conf.json").is_file() and (folder / "index.html.j2").is_file()
    env = voila_env({"JUPYTER_PATH": "/x"})
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(jupyter_data_dir()), "/x"]
    assert f"--template={TEMPLATE}" in voila_command("nb.ipynb")


def _serve(cmd, env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [*cmd, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    env = {**env, "JUPYTER_PLATFORM_DIRS": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True,
                            cwd=ROOT / "notebooks")
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=170) as r:
                    return r.read().decode("utf-8")
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)


@pytest.mark.slow
def test_voila_page_loads_nothing_from_a_cdn():
    nb = str(ROOT / "notebooks" / "01_indicators_audit.ipynb")
    page = _serve(voila_command(nb), voila_env())
    assert "主要指标表" in page  # the notebook really rendered
    assert "fontawesome" not in page.lower()
    assert URL.findall(page) == []
    # voila's own lab template does load FontAwesome from cdn.jsdelivr.net (what the fix removes)
    lab = [c for c in voila_command(nb) if not c.startswith("--template")]
    plain = _serve(lab, dict(os.environ))
    assert "cdn.jsdelivr.net/npm/@fortawesome" in plain


def test_cli_passes_voila_options_after_a_double_dash(monkeypatch):
    import planlib.cli.workbook as cw
    from planlib.cli import build_parser

    seen = {}
    monkeypatch.setattr("subprocess.call", lambda cmd, env: seen.update(cmd=cmd, env=env) or 0)
    args = build_parser().parse_args(["voila", "nb.ipynb", "--", "--no-browser", "--port=8866"])
    assert cw._voila(args) == 0
    assert seen["cmd"][-4:] == ["nb.ipynb", "--template=planlib", "--no-browser", "--port=8866"]
    assert seen["env"]["JUPYTER_PATH"].startswith(str(jupyter_data_dir()))

"""Serve a notebook as a voila app that needs no network (``planlib voila``).

voila's ``lab`` template loads FontAwesome from cdn.jsdelivr.net; planlib ships a template
``planlib`` (``planlib/data/jupyter/voila/templates/planlib``) that extends it without those
stylesheets. :func:`voila_env` puts that folder on ``JUPYTER_PATH`` so voila finds it, and
:func:`voila_command` adds ``--template=planlib``.
"""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

__all__ = ["TEMPLATE", "jupyter_data_dir", "voila_env", "voila_command"]

#: name of planlib's voila template
TEMPLATE = "planlib"


def jupyter_data_dir() -> Path:
    """Return the folder holding ``voila/templates/planlib`` (goes on ``JUPYTER_PATH``)."""
    return Path(str(files("planlib") / "data" / "jupyter"))


def voila_env(environ: dict | None = None) -> dict:
    """Return ``environ`` (default ``os.environ``) with planlib's template on ``JUPYTER_PATH``."""
    env = dict(os.environ if environ is None else environ)
    given = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    parts = [str(jupyter_data_dir()), *given]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(parts))
    return env


def voila_command(target: str, *extra: str) -> list[str]:
    """Return the voila command for ``target`` (a notebook or folder) with planlib's template."""
    return [sys.executable, "-m", "voila", str(target), f"--template={TEMPLATE}", *extra]

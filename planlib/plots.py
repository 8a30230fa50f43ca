"""Charts with Chinese labels that render as glyphs, never boxes.

The bundled font is zhplot's Noto Sans SC (OFL), registered with
``font_manager.fontManager.addfont`` — zhplot itself is never imported, since
its import changes rcParams as a side effect. Output is deterministic: fixed SVG
hash salt and no dates in metadata.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["FONT_FAMILY", "font_path", "setup_fonts", "new_figure", "savefig_deterministic"]

FONT_FAMILY = "Noto Sans SC"
_READY = False


def font_path() -> Path:
    """Path of the bundled Noto Sans SC font file (from the zhplot wheel)."""
    spec = importlib.util.find_spec("zhplot")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the zhplot package (Chinese font) is not installed; pip install zhplot")
    base = Path(list(spec.submodule_search_locations)[0])
    path = base / "fonts" / "NotoSansSC-Regular.ttf"
    if not path.exists():
        found = sorted(base.rglob("NotoSansSC*.ttf")) or sorted(base.rglob("*.[ot]tf"))
        if not found:
            raise RuntimeError(f"no font file found in {base}")
        path = found[0]
    return path


def setup_fonts() -> None:
    """Register the Chinese font and make it matplotlib's sans-serif (idempotent)."""
    global _READY
    if _READY:
        return
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [FONT_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.hashsalt"] = "planlib"
    matplotlib.rcParams["svg.fonttype"] = "path"
    _READY = True


def new_figure(width: float = 7.0, height: float = 4.0, **kwargs):
    """A matplotlib Figure (not registered with pyplot) with fonts set up.

    Returns
    -------
    matplotlib.figure.Figure
    """
    setup_fonts()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def savefig_deterministic(fig, path, fmt: str | None = None) -> Path:
    """Save ``fig`` without dates or random ids, so identical input gives identical bytes."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".")
    meta = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
            "png": {"Software": None}}.get(fmt, {})
    fig.savefig(path, format=fmt, metadata=meta)
    return path

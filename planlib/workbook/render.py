"""One self-contained HTML file from a notebook, for colleagues without Jupyter.

See ``planlib render``.

The notebook is executed with ``PLANLIB_STATIC=1``, so :mod:`planlib.workbook.widgets` what-ifs show
static scenario tables and charts instead of sliders that would do nothing on a static page;
cells tagged ``interactive`` (prose that describes sliders, a table the static what-if already
shows) are left out.
Any other widget is still rendered offline: the widget JavaScript (``@jupyter-widgets/html-manager``
``embed-amd.js`` and ``require.js``, vendored gzipped under ``planlib/data/`` from the npm
packages) is inlined, and no CDN is referenced.
"""

from __future__ import annotations

import gzip
import os
import re
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from ..errors import PlanlibError

__all__ = [
    "render",
    "execute_notebook",
    "external_resources",
    "WIDGET_JS",
    "REQUIRE_JS",
    "vendor_widget_js",
    "INTERACTIVE_TAG",
]

#: cell tag: shown in JupyterLab and voila, left out of the static page
INTERACTIVE_TAG = "interactive"

#: vendored npm files (name in planlib/data, npm package@version, file inside the package)
WIDGET_JS = (
    "html-manager-1.0.15-embed-amd.js.gz",
    "@jupyter-widgets/html-manager@1.0.15",
    "dist/embed-amd.js",
)
REQUIRE_JS = ("requirejs-2.3.8-require.js.gz", "requirejs@2.3.8", "require.js")

_REQUIRE_PLACEHOLDER = "planlib-inline-require-js"
_EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]+",
    re.IGNORECASE,
)


def _vendored(entry) -> str:
    data = files("planlib") / "data" / entry[0]
    try:
        return gzip.decompress(data.read_bytes()).decode("utf-8")
    except FileNotFoundError:
        raise PlanlibError(
            f"vendored widget JavaScript {entry[0]} is missing from planlib/data; "
            "restore it with planlib.workbook.render.vendor_widget_js()"
        ) from None


def vendor_widget_js(dest=None) -> list[Path]:
    """Fetch the widget JavaScript with ``npm pack`` and store it gzipped (maintainers only).

    Parameters
    ----------
    dest : str or os.PathLike, optional
        Folder to write into; default ``planlib/data`` of this source tree.
    """
    import subprocess
    import tarfile
    import tempfile

    dest = Path(dest) if dest else Path(__file__).parent.parent / "data"
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec, inner in (WIDGET_JS, REQUIRE_JS):
            res = subprocess.run(
                ["npm", "pack", spec, "--silent"],
                cwd=tmp,
                capture_output=True,
                text=True,
                check=True,
            )
            tgz = Path(tmp) / res.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as tar:
                text = tar.extractfile(f"package/{inner}").read()
            path = dest / name
            path.write_bytes(gzip.compress(text, 9, mtime=0))
            out.append(path)
    return out


@contextmanager
def _env(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute_notebook(
    notebook,
    parameters: dict | None = None,
    static: bool = False,
    timeout: int = 600,
    kernel_name: str = "python3",
    drop_tags: tuple[str, ...] = (),
):
    """Execute a notebook in its own folder and return the executed ``NotebookNode``.

    Parameters
    ----------
    notebook : str or os.PathLike
    parameters : dict, optional
        Values injected after the cell tagged ``parameters`` (papermill's rules).
    static : bool
        Set ``PLANLIB_STATIC=1`` for the kernel (widgets render as static HTML).
    timeout : int
        Seconds allowed per cell [s].
    drop_tags : tuple of str
        Leave out cells carrying any of these tags (e.g. ``interactive``).
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(notebook)
    if not path.is_file():
        raise PlanlibError(f"{path}: no such notebook")
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # stale state from the stored run must not reach the page
    if drop_tags:
        nb.cells = [
            c for c in nb.cells if not set(drop_tags) & set(c.get("metadata", {}).get("tags", []))
        ]
    if parameters:
        _inject_parameters(nb, parameters, path)
    with _env(PLANLIB_STATIC="1" if static else "0"):
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=kernel_name,
            store_widget_state=True,
            resources={"metadata": {"path": str(path.parent.resolve())}},
        ).execute()
    return nb


def _inject_parameters(nb, parameters: dict, path: Path) -> None:
    """Insert an ``injected-parameters`` cell after the cell tagged ``parameters``.

    This is papermill's rule.
    """
    from nbformat.v4 import new_code_cell

    tagged = [
        k for k, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if not tagged:
        raise PlanlibError(
            f"{path}: no cell is tagged 'parameters', so {sorted(parameters)} cannot be set"
        )
    source = "# Injected parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
    cell = new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(tagged[0] + 1, cell)


def external_resources(html_text: str) -> list[str]:
    """Scripts, styles, images or frames an HTML page would fetch from the network."""
    return [m.group(0)[:120] for m in _EXTERNAL.finditer(html_text)]


def render(
    notebook,
    output,
    parameters: dict | None = None,
    execute: bool = True,
    with_code: bool = False,
    timeout: int = 600,
) -> Path:
    """Write one self-contained HTML file for ``notebook``.

    Parameters
    ----------
    notebook : str or os.PathLike
        The notebook (executed first unless ``execute`` is False).
    output : str or os.PathLike
        The ``.html`` file to write (atomically; replaced if it exists).
    parameters : dict, optional
        Papermill parameters, e.g. ``{"scenario_file": "../scenarios/x.yaml"}``.
    execute : bool
        Execute with ``PLANLIB_STATIC=1`` before exporting (default), leaving out cells tagged
        ``interactive`` (prose about sliders, tables the static what-if already shows). With
        False the stored outputs are exported as they are.
    with_code : bool
        Keep code cells (default: outputs and prose only, for readers).
    timeout : int
        Seconds allowed per cell [s].

    Returns
    -------
    pathlib.Path
    """
    import nbformat
    from nbconvert import HTMLExporter

    from ..scenario import write_atomic

    output = Path(output)
    if output.suffix.lower() not in (".html", ".htm"):
        raise PlanlibError(f"output {str(output)!r}: the file name must end in .html")
    if not output.parent.is_dir():
        raise PlanlibError(f"output {str(output)!r}: folder {output.parent} does not exist")
    if execute:
        nb = execute_notebook(
            notebook, parameters, static=True, timeout=timeout, drop_tags=(INTERACTIVE_TAG,)
        )
    else:
        if not Path(notebook).is_file():
            raise PlanlibError(f"{notebook}: no such notebook")
        nb = nbformat.read(notebook, as_version=4)
    exporter = HTMLExporter(
        template_name="lab",
        require_js_url=_REQUIRE_PLACEHOLDER,
        widget_renderer_url="data:text/javascript,",
        mathjax_url="",
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": Path(notebook).stem}})
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    body = _inline_scripts(body, widgets=bool(state.get("state")))
    leftovers = external_resources(body)
    if leftovers:
        raise PlanlibError(
            f"{notebook}: the page would still load from the network: {leftovers[:3]}"
        )
    return write_atomic(output, body, overwrite=True)


def _inline_scripts(body: str, widgets: bool) -> str:
    tag = f'<script src="{_REQUIRE_PLACEHOLDER}"></script>'
    if tag not in body:
        raise PlanlibError(
            "nbconvert's lab template changed: cannot find the require.js tag to inline"
        )
    require = _vendored(REQUIRE_JS)
    body = body.replace(tag, f"<script>{_script_safe(require)}</script>", 1)
    body = re.sub(r'<script src="">\s*</script>', "", body)  # MathJax, disabled (no network)
    if widgets:
        embed = _vendored(WIDGET_JS)
        body = body.replace("</body>", f"<script>{_script_safe(embed)}</script>\n</body>", 1)
    return body


def _script_safe(js: str) -> str:
    return js.replace("</script", "<\\/script")

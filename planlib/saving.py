"""Writing files: atomic writes that never leave a half-written file, and saving variants."""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path

import yaml

from .errors import PlanlibError, ScenarioError, abbreviate
from .scenario import _Context, _inside, parse_scenario
from .schema import MAX_EXTENDS, Scenario
from .yamlfile import _YAML_LOADER, _read_text

__all__ = [
    "SaveError",
    "dump_yaml",
    "remove_stale_temps",
    "save_variant",
    "scenario_dependencies",
    "write_atomic",
]


def dump_yaml(data: dict) -> str:
    """YAML text with Chinese kept readable and keys in the given order."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


#: temp files of :func:`write_atomic` are named ``.<name>.planlib-<pid>-<random>.tmp``
TEMP_PATTERN = ".{name}.planlib-*.tmp"
#: a temp file older than this is removed even if its process id is in use again [s]
STALE_TEMP_SECONDS = 3600


def _remove_stale_temps(path: Path) -> None:
    """Delete temp files a killed writer left beside ``path`` (their process is gone)."""
    _remove_temps(path.parent, TEMP_PATTERN.format(name=glob_escape(path.name)))


def remove_stale_temps(folder) -> int:
    """Delete every temp file a killed planlib writer left in ``folder``; return how many.

    Temp files are ``.<name>.planlib-<pid>-<random>.tmp``; one whose process still runs
    (and is younger than :data:`STALE_TEMP_SECONDS`) is kept. The what-if widget calls
    this for its save folder when it starts.
    """
    return _remove_temps(Path(folder), ".*.planlib-*.tmp")


_TEMP_NAME = re.compile(r"^\..+\.planlib-(\d+)-[0-9a-f]+\.tmp$")


def _remove_temps(folder: Path, pattern: str) -> int:
    try:
        found = list(folder.glob(pattern))
    except OSError:
        return 0
    removed = 0
    for tmp in found:
        m = _TEMP_NAME.match(tmp.name)
        if m is None:
            continue
        try:
            if (
                _process_alive(int(m.group(1)))
                and time.time() - tmp.stat().st_mtime < STALE_TEMP_SECONDS
            ):
                continue  # another writer (or thread) is still at work
            tmp.unlink()
            removed += 1
        except (OSError, ValueError):
            pass
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def glob_escape(name: str) -> str:
    """``name`` with glob wildcards escaped (``[*]``)."""
    import glob

    return glob.escape(name)


def write_atomic(path, content, overwrite: bool = False) -> Path:
    """Write ``content`` to ``path`` atomically (temp file + rename in one directory).

    Parameters
    ----------
    path : str or os.PathLike
        Destination.
    content : str, bytes or callable
        Text (written as UTF-8), bytes, or a function ``write(tmp_path)`` that writes the
        file itself (e.g. ``workbook.save``).
    overwrite : bool
        Replace an existing file (keeping its permission bits); otherwise the file is
        created exclusively (a hard link, so two writers can never both succeed) and an
        existing file raises FileExistsError.

    Returns
    -------
    pathlib.Path
        The written path. On any failure the old file is left intact and the temp file
        removed; temp files a killed writer left (``.<name>.planlib-<pid>-*.tmp``) are
        removed by the next write to the same path. New files get mode 0666 minus the umask.
    """
    path = Path(path)
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    _remove_stale_temps(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode) if overwrite else None
    except FileNotFoundError:
        mode = None
    except OSError:
        mode = None
    tmp = path.parent / f".{path.name}.planlib-{os.getpid()}-{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            if callable(content):
                os.close(fd)
                fd = -1
                content(tmp)
                fd = os.open(tmp, os.O_RDONLY)
            else:
                data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            if fd >= 0:
                os.close(fd)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: create-exclusive, no race
            except FileExistsError:
                raise FileExistsError(f"{path} exists; pass overwrite=True to replace it") from None
            except OSError:  # a file system without hard links: claim the name, then rename
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    return path


class SaveError(PlanlibError):
    """A variant that may not be written where asked (it would destroy data it needs)."""


def scenario_dependencies(scenario: Scenario) -> list[Path]:
    """Files a loaded scenario is read from: its file, the files it extends, component files."""
    out: list[Path] = []
    if scenario.source_path is None:
        return out
    current = Path(scenario.source_path)
    for _ in range(MAX_EXTENDS + 2):
        try:
            current = current.resolve()
        except (OSError, RuntimeError):
            break
        if current in out:
            break
        out.append(current)
        try:
            data = yaml.load(_read_text(current, str(current)), Loader=_YAML_LOADER)
        except (ScenarioError, yaml.YAMLError, RecursionError):
            break
        if not isinstance(data, dict) or not isinstance(data.get("extends"), str):
            break
        current = current.parent / data["extends"]
    for comp in scenario.components:
        for key, value in (comp.model_dump() if hasattr(comp, "model_dump") else {}).items():
            if key.endswith("_file") and isinstance(value, str) and value:
                try:
                    out.append(Path(value).resolve())
                except (OSError, RuntimeError):
                    pass
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a == b or os.path.samefile(a, b)
    except OSError:
        return False


def save_variant(
    base: Scenario,
    path,
    id: str,
    name: str,
    overrides: dict[str, float],
    overwrite: bool = False,
    name_en: str | None = None,
    *,
    allow_outside: bool = False,
) -> Path:
    """Save parameter ``overrides`` as a variant file that ``extends`` ``base``.

    The text is validated by loading it before the file is written, so a bad
    variant never reaches disk; the write is atomic and refuses to overwrite an
    existing file unless ``overwrite`` is True. The variant must lie in the base
    file's folder tree (unless ``allow_outside``) and may never replace a file the
    base is read from (its own file, what it extends, its component files).

    Raises
    ------
    SaveError
        The path is one of the base's own files, or outside its folder.
    FileExistsError
        The file exists and ``overwrite`` is False.
    ScenarioError
        The variant would not load (e.g. a value outside a parameter's bounds).
    """
    if base.source_path is None:
        raise ValueError("the base scenario has no file to extend; load it with load_scenario")
    path = Path(path)
    base_path = Path(base.source_path).resolve()
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise SaveError(f"{abbreviate(str(path), 200)}: a variant file name ends in .yaml")
    try:
        dest = path.parent.resolve() / path.name
    except (OSError, RuntimeError) as exc:
        raise SaveError(f"{abbreviate(str(path), 200)}: cannot use this folder ({exc})") from None
    if not allow_outside and not _inside(dest, base_path.parent):
        raise SaveError(
            f"{abbreviate(str(path), 200)} lies outside the scenario folder "
            f"{abbreviate(str(base_path.parent), 200)}; save the variant in that folder"
        )
    for dep in scenario_dependencies(base):
        if _same_file(dest, dep) or (dest.exists() and _same_file(dest.resolve(), dep)):
            raise SaveError(
                f"{path.name}: the base scenario is read from this file ({dep.name}); "
                "saving would replace it — choose another file name"
            )
    rel = os.path.relpath(base_path, dest.parent)
    meta = {"id": id, "name": name}
    if name_en:
        meta["name_en"] = name_en
    data = {"extends": rel, "meta": meta, "overrides": {k: float(v) for k, v in overrides.items()}}
    text = dump_yaml(data)
    root = base_path.parent if not allow_outside else dest.parent
    parse_scenario(
        text, file=str(dest), _ctx=_Context(root, allow_outside)
    )  # raises before writing
    return write_atomic(dest, text, overwrite=overwrite)

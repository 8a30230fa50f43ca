"""Prebuilt validators for planlib's pydantic models: a start-up cache beside the bytecode.

pydantic builds a validator for every model class when the class is created: a walk over the
annotations in Python, about 1 ms a class, some 40 ms for the scenario schema and the components,
paid by every ``planlib`` command before it reads a file. The result depends only on planlib's
source and the versions of Python and pydantic, so, like bytecode, it is kept in
``planlib/__pycache__`` and reused while none of them changes.

How: every model derives from :class:`Prebuilt` (``defer_build=True``: creating the class builds
nothing). The first time a class is used, pydantic asks it to build; :meth:`Prebuilt.model_rebuild`
first looks in the cache — the class's own core schema, validator and serializer, pickled — and
only builds when the entry is missing or stale. A process that had to build writes the cache when
it exits, unless bytecode writing is off (``python -B``, ``PYTHONDONTWRITEBYTECODE``); then
:func:`warm` writes it on request (``./dev`` does, after ``compileall``).

The cache holds no scenario data: a scenario file is validated in full on every load, by the very
validators pydantic built. A cache from another planlib source, Python or pydantic is ignored; so is
an unreadable one. ``PLANLIB_MODEL_CACHE`` names another file, or ``off`` to build every time.
The file is trusted like the ``.pyc`` files beside it (whoever can write it can change planlib).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
import sys
import threading
from pathlib import Path

from pydantic import BaseModel, ConfigDict

__all__ = ["Prebuilt", "cache_path", "warm"]

_PACKAGE = Path(__file__).resolve().parent
_lock = threading.Lock()
_state: dict = {"entries": None, "built": False, "hooked": False}


class Prebuilt(BaseModel):
    """A pydantic model whose validator comes from the start-up cache when it can."""

    model_config = ConfigDict(defer_build=True)

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace=None,
    ):
        """Complete the class from the cache, else build it as pydantic does (then cache it)."""
        if not force and not cls.__pydantic_complete__ and _install(cls):
            return True
        done = super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth + 1,
            _types_namespace=_types_namespace,
        )
        if done and cls is not Prebuilt:
            _note_built()
        return done


def cache_path() -> Path | None:
    """Return the cache file in use, or None when ``PLANLIB_MODEL_CACHE=off``."""
    chosen = os.environ.get("PLANLIB_MODEL_CACHE", "")
    if chosen.lower() in ("off", "0", "no"):
        return None
    if chosen:
        return Path(chosen)
    return _PACKAGE / "__pycache__" / f"prebuilt-models.{sys.implementation.cache_tag}.pickle"


def _stamp() -> str:
    """Fingerprint what the validators depend on: versions, every planlib source (size, mtime)."""
    import pydantic
    import pydantic_core

    h = hashlib.sha256()
    h.update(f"{sys.version}|{pydantic.VERSION}|{pydantic_core.__version__}".encode())
    stack = [_PACKAGE]
    files = []
    while stack:
        for entry in os.scandir(stack.pop()):
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__" and not entry.name.startswith("."):
                    stack.append(Path(entry.path))
            elif entry.name.endswith(".py"):
                st = entry.stat()
                files.append(
                    f"{os.path.relpath(entry.path, _PACKAGE)}|{st.st_size}|{st.st_mtime_ns}"
                )
    h.update("\n".join(sorted(files)).encode())
    return h.hexdigest()


def _key(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _entries() -> dict:
    """Return the cache's pickled entries (class key -> bytes), read once; {} if absent or stale."""
    with _lock:
        if _state["entries"] is None:
            _state["entries"] = {}
            path = cache_path()
            try:
                if path is not None and path.is_file():
                    stamp, entries = pickle.loads(path.read_bytes())
                    if stamp == _stamp() and isinstance(entries, dict):
                        _state["entries"] = entries
            except Exception:  # noqa: BLE001 — an unreadable cache is no cache: build instead
                _state["entries"] = {}
        return _state["entries"]


def _install(cls) -> bool:
    """Give ``cls`` its cached schema, validator and serializer; False when there is none."""
    blob = _entries().get(_key(cls))
    if blob is None:
        return False
    try:
        schema, validator, serializer = pickle.loads(blob)
    except Exception:  # noqa: BLE001 — e.g. a validator function renamed: build instead
        return False
    cls.__pydantic_core_schema__ = schema
    cls.__pydantic_validator__ = validator
    cls.__pydantic_serializer__ = serializer
    cls.__pydantic_computed_fields__ = {
        k: v.info for k, v in cls.__pydantic_decorators__.computed_fields.items()
    }
    cls.__pydantic_complete__ = True
    return True


def _note_built() -> None:
    """Remember a class was built: write the cache at exit (when bytecode is written)."""
    with _lock:
        _state["built"] = True
        if not _state["hooked"] and not sys.dont_write_bytecode and cache_path() is not None:
            _state["hooked"] = True
            atexit.register(_save_quietly)


def _subclasses(cls=Prebuilt):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _save_quietly() -> None:
    if not _state["built"]:
        return
    try:
        save()
    except Exception:  # noqa: BLE001, S110 — a cache that cannot be written is only slower
        pass


def save() -> Path | None:
    """Build every model class defined so far and write the cache (atomically); its path.

    Entries of classes this process never imported (components it did not use) are kept from the
    existing cache when that cache is current.
    """
    path = cache_path()
    if path is None:
        return None
    current = _entries()
    entries = dict(current)
    for cls in list(_subclasses()):
        if not cls.__pydantic_complete__:
            cls.model_rebuild(raise_errors=False)
        if not cls.__pydantic_complete__ or _key(cls) in entries:
            continue
        try:
            entries[_key(cls)] = pickle.dumps(
                (
                    cls.__pydantic_core_schema__,
                    cls.__pydantic_validator__,
                    cls.__pydantic_serializer__,
                ),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        except Exception:  # noqa: BLE001, S112 — e.g. a plugin-wrapped validator: not cached
            continue
    if current and entries.keys() == current.keys():
        _state["built"] = False
        return path  # the file is current and holds every class: nothing to write
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pickle.dumps((_stamp(), entries), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    with _lock:
        _state["entries"] = entries
        _state["built"] = False
    return path


def warm() -> Path | None:
    """Import every module that defines models, build them all and write the cache; its path."""
    import importlib

    from . import _module_names, domains, scenario  # noqa: F401

    for name in _module_names(domains.__path__[0]):
        importlib.import_module(f"{domains.__name__}.{name}")
    with _lock:
        _state["entries"] = None  # re-read: what is current is kept, the rest rebuilt
    return save()


if __name__ == "__main__":  # python -m planlib._prebuilt: this file runs as __main__, so use the
    from planlib._prebuilt import warm as _warm  # imported module, the one the models derive from

    print(_warm() or "PLANLIB_MODEL_CACHE=off: nothing written")

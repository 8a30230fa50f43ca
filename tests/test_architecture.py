"""The house (ARCHITECTURE.md): module-level imports form no circle, and rooms point down."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "planlib"

# floors from ARCHITECTURE.md: a module may import its own floor or lower ones, never higher
FLOORS = {"cli": 3, "workbook": 3, "reports": 3, "simulation": 2, "tracking": 2, "intake": 2}
KERNEL_FLOOR = 1  # top-level modules; domains/ is a feature room the loader reaches lazily


def _module_name(path: Path, package: Path) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(package: Path) -> dict[str, Path]:
    return {
        _module_name(p, package): p for p in package.rglob("*.py") if "__pycache__" not in p.parts
    }


def _top_level_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """planlib modules imported when ``name`` is imported (not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()

    def visit(body):
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for h in getattr(node, "handlers", []):
                    visit(h.body)
            elif isinstance(node, ast.Import):
                out.update(a.name for a in node.names if a.name in known)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                subs = {f"{mod}.{a.name}" for a in node.names} & known  # `from . import x`
                out.update(subs)
                if mod in known and len(subs) < len(node.names):
                    out.add(mod)

    visit(tree.body)
    out.discard(name)
    return out


def _graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    mods = _modules(package)
    known = set(mods)
    return {name: _top_level_imports(name, path, known) for name, path in mods.items()}


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph`` (a → b → … → a), or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(n):
        state[n] = 1
        path.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return path[path.index(m) :] + [m]
            if state.get(m) is None and (found := visit(m)):
                return found
        path.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if state.get(n) is None and (found := visit(n)):
            return found
    return None


def test_no_import_circle():
    graph = _graph()
    assert len(graph) > 60  # every module was read
    assert graph["planlib.saving"] >= {"planlib.scenario", "planlib.schema"}
    assert _circle(graph) is None


def _floor(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 2 and parts[1] not in FLOORS and parts[1] != "domains":
        return KERNEL_FLOOR
    return FLOORS.get(parts[1], 2) if len(parts) > 1 else 4


def test_imports_point_down():
    bad = [
        f"{a} imports {b}"
        for a, targets in _graph().items()
        for b in targets
        if a.count(".") and b.count(".") and _floor(b) > _floor(a)
    ]
    assert bad == []


def test_the_check_sees_a_circle(tmp_path):
    """The circle test can fail: two modules importing each other are found."""
    pkg = tmp_path / "planlib"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import x\n")
    (pkg / "b.py").write_text("from . import a\n\n\ndef later():\n    from .c import y\n")
    (pkg / "c.py").write_text("from .a import z\n")
    graph = _graph(pkg)
    assert graph["planlib.a"] == {"planlib.b"} and graph["planlib.b"] == {"planlib.a"}
    assert graph["planlib.c"] == {"planlib.a"}  # an import inside a function is not counted
    assert _circle(graph) == ["planlib.a", "planlib.b", "planlib.a"]

"""The tracking modules: every exported name resolves, and no two import each other in a circle."""

import ast
import importlib
from pathlib import Path

import pytest
from test_architecture import _circle  # the whole-package check's circle finder

import planlib.tracking

TRACKING = Path(planlib.tracking.__file__).parent
MODULES = sorted(p.stem for p in TRACKING.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", MODULES)
def test_every_name_in_all_resolves(name):
    module = importlib.import_module(f"planlib.tracking.{name}")
    assert module.__all__, f"{name} declares no __all__"
    assert len(set(module.__all__)) == len(module.__all__), f"{name}.__all__ repeats a name"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == [], f"{name}.__all__ names what it does not hold: {missing}"


@pytest.mark.parametrize(
    ("entry", "concepts"),
    [
        ("review", ["review_progress", "review_completion", "review_result"]),
        (
            "proposals",
            [
                "proposal_trends",
                "proposal_options",
                "proposal_engine",
                "proposal_recommend",
                "proposal_results",
                "proposal_draft",
            ],
        ),
    ],
)
def test_entry_point_exports_the_concepts_names(entry, concepts):
    """``from planlib.tracking.review import X`` gives the very object its concept module holds."""
    module = importlib.import_module(f"planlib.tracking.{entry}")
    for concept in concepts:
        inner = importlib.import_module(f"planlib.tracking.{concept}")
        for n in inner.__all__:
            assert n in module.__all__, f"{entry}.__all__ lacks {concept}.{n}"
            assert getattr(module, n) is getattr(inner, n)


def test_private_names_other_rooms_import_stay_importable():
    from planlib.tracking.proposal_options import _sense as sense
    from planlib.tracking.proposals import _sense
    from planlib.tracking.review import _stated, _written_decimals
    from planlib.tracking.review_completion import _written_decimals as written
    from planlib.tracking.review_text import _stated as stated

    assert (_sense, _stated, _written_decimals) == (sense, stated, written)


def _imports(path: Path, modules) -> set[str]:
    """Sibling modules a tracking module imports, at module level or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
    return out & set(modules)


def test_no_import_circle_between_tracking_modules():
    graph = {name: _imports(TRACKING / f"{name}.py", MODULES) for name in MODULES}
    assert _circle(graph) is None, "import circle: " + " → ".join(_circle(graph))
    # the graph is read, not empty: the entry points import their concept modules
    assert {"review_progress", "review_result"} <= graph["review"]
    assert {"proposal_engine", "proposal_trends"} <= graph["proposals"]


def test_the_circle_check_finds_a_planted_circle(tmp_path):
    (tmp_path / "a.py").write_text("from .b import x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from .a import y\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("from . import a\n", encoding="utf-8")
    graph = {n: _imports(tmp_path / f"{n}.py", ["a", "b", "c"]) for n in ("a", "b", "c")}
    assert graph == {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert _circle(graph) == ["a", "b", "a"]
    assert _circle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None

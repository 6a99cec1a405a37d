"""Dependencies point one way (lessons -> playground -> nn_core), the engine needs nothing but numpy, and
playground's rooms depend on each other only as docs/architecture.md draws them."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The rooms of playground/ and the rooms each may import (its own always); anything not listed is refused.
ALLOWED = {
    "core": set(),
    "widgets": {"core", "figures.save"},
    "browser": {"core", "widgets"},
    "sandbox": {"core", "widgets"},
    "mnist": {"core", "widgets"},
    "figures": {"core", "sandbox", "mnist"},
    "lessons": {"core", "widgets", "sandbox", "mnist", "figures"},
    # The apps put a page together: their room, the shared pieces and the figures of Save figure.
    "sandbox.app": {"core", "widgets", "sandbox", "figures"},
    "mnist.app": {"core", "widgets", "mnist", "figures"},
    "lessons.app": {"core", "widgets", "lessons", "sandbox.app", "mnist.app"},
    "pages": set(),
    "cli": {"pages", "lessons", "figures", "export_command"},
    "export_command": {"core", "sandbox", "mnist"},  # the `export` command: a page's session for a model file
    "jupyter": {"core", "sandbox.app", "mnist.app"},  # the pages for Python (docs/jupyter.md)
    "__main__": {"cli"},
    "__init__": set(),
}
PANEL = {"panel", "bokeh"}  # the page libraries: only in views, apps, widgets and the browser start


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path) -> set[str]:
    """Every module a file imports, absolute, wherever the statement is (also inside functions)."""
    package = module_name(path, root) if path.name == "__init__.py" else module_name(path, root).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}  # `from package import module`
    return found


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """{module: the modules of `package` it imports} for every module of the package under root."""
    modules = {module_name(path, root): path for path in (root / package).rglob("*.py")}
    return {name: {m for m in imports_of(path, root) if m in modules} for name, path in modules.items()}


def imported_top_level_modules(package: str, root: Path = ROOT) -> dict[str, set[str]]:
    """{top-level module name: files importing it} for every absolute import in a package's source."""
    found: dict[str, set[str]] = {}
    for path in (root / package).rglob("*.py"):
        for name in imports_of(path, root):
            if not name.startswith(package):
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(root)))
    return found


def room(module: str) -> str:
    """playground.sandbox.views.network_view -> "sandbox", playground.sandbox.app -> "sandbox.app"."""
    parts = module.split(".")
    if len(parts) == 3 and parts[2] == "app":
        return f"{parts[1]}.app"
    return parts[1] if len(parts) > 1 else "__init__"


def room_violations(root: Path = ROOT) -> list[str]:
    problems = []
    for module, imported in sorted(import_graph(root, "playground").items()):
        here = room(module)
        for other in sorted(imported):
            there = room(other)
            allowed = ALLOWED.get(here, set())
            if there != here and there not in allowed and other.removeprefix("playground.") not in allowed:
                problems.append(f"{module} imports {other}: {here} may import only {sorted(allowed) or 'nothing'}")
    return problems


def panel_violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted((root / "playground").rglob("*.py")):
        module = module_name(path, root)
        parts = module.split(".")
        if "views" in parts or parts[-1] == "app" or room(module) in ("widgets", "browser"):
            continue
        for name in sorted(imports_of(path, root)):
            if name.split(".")[0] in PANEL:
                problems.append(f"{module} imports {name}")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of a graph (each found once, by depth-first search), shortest first."""
    found, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if state.get(other) == "open":
                found.append(stack[stack.index(other) :] + [other])
            elif other not in state:
                visit(other, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return sorted(found, key=len)


def package_imports(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A module's import of `a.b.c` also runs `a/__init__` and `a/b/__init__` (unless they hold the module itself,
    then they are already running): the graph with those edges, and without a package's imports of itself."""
    return {
        m: {p for i in imported for p in [i, *_parents(i)] if p in graph and p != m and p not in _parents(m)}
        for m, imported in graph.items()
    }


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts))]


def test_nn_core_imports_only_numpy_and_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"numpy", "nn_core"}
    foreign = {m: files for m, files in imported_top_level_modules("nn_core").items() if m not in allowed}
    assert foreign == {}, f"nn_core must import numpy and the standard library only, found {foreign}"


def test_the_engine_does_not_import_the_views_or_the_site_builder():
    engine_imports = imported_top_level_modules("nn_core")
    assert "playground" not in engine_imports and "web" not in engine_imports


def test_only_the_command_line_entry_reaches_the_site_builder():
    # The views never depend on the builder; the `nn-playground build` command is the one bridge.
    assert imported_top_level_modules("playground").get("web", set()) <= {"playground/cli.py"}


def test_playground_rooms_import_only_the_rooms_they_may():
    assert room_violations() == []


def test_the_page_libraries_are_imported_only_by_views_apps_widgets_and_the_browser_start():
    assert panel_violations() == []


def test_no_import_cycle_in_playground_not_even_through_a_function_level_import():
    assert cycles(package_imports(import_graph(ROOT, "playground"))) == []


# -- the checks see what they must refuse ---------------------------------------------------------------------


@pytest.fixture
def planted(tmp_path):
    """A copy of playground/ to plant violations in."""

    def plant(files: dict[str, str]) -> Path:
        for source in (ROOT / "playground").rglob("*.py"):
            target = tmp_path / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text())
        for name, text in files.items():
            (tmp_path / name).write_text(text)
        return tmp_path

    return plant


def test_the_check_sees_a_forbidden_import(tmp_path):
    (tmp_path / "nn_core").mkdir()
    (tmp_path / "nn_core" / "bad.py").write_text("import numpy\nfrom panel import widgets\n")
    assert imported_top_level_modules("nn_core", tmp_path) == {"numpy": {"nn_core/bad.py"}, "panel": {"nn_core/bad.py"}}


def test_the_room_check_sees_core_importing_the_sandbox_inside_a_function(planted):
    root = planted({"playground/core/planted.py": "def f():\n    from ..sandbox.state import SETTINGS\n"})
    assert room_violations(root) == [
        "playground.core.planted imports playground.sandbox.state: core may import only nothing"
    ]


def test_the_room_check_sees_the_mnist_lab_importing_the_sandbox(planted):
    root = planted({"playground/mnist/planted.py": "from playground.sandbox import diagram\n"})
    assert [p.split(":")[0] for p in room_violations(root)] == [
        "playground.mnist.planted imports playground.sandbox",
        "playground.mnist.planted imports playground.sandbox.diagram",
    ]


def test_the_panel_check_sees_panel_in_a_session(planted):
    root = planted({"playground/sandbox/planted.py": "import panel as pn\n"})
    assert panel_violations(root) == ["playground.sandbox.planted imports panel"]


def test_the_cycle_check_sees_a_cycle_through_a_function_level_import(planted):
    root = planted(
        {
            "playground/core/planted_a.py": "from playground.core import planted_b\n",
            "playground/core/planted_b.py": "def f():\n    from . import planted_a\n",
        }
    )
    assert ["playground.core.planted_a", "playground.core.planted_b", "playground.core.planted_a"] in cycles(
        package_imports(import_graph(root, "playground"))
    )

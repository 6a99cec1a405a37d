"""Dependencies point one way, and the engine needs nothing but numpy."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_top_level_modules(package: str) -> dict[str, set[str]]:
    """{module name: files importing it} for every absolute import in a package's source."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_nn_core_imports_only_numpy_and_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"numpy", "nn_core"}
    foreign = {m: files for m, files in imported_top_level_modules("nn_core").items() if m not in allowed}
    assert foreign == {}, f"nn_core must import numpy and the standard library only, found {foreign}"


def test_the_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    (tmp_path / "nn_core").mkdir()
    (tmp_path / "nn_core" / "bad.py").write_text("import numpy\nfrom panel import widgets\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert imported_top_level_modules("nn_core") == {"numpy": {"nn_core/bad.py"}, "panel": {"nn_core/bad.py"}}


def test_the_engine_does_not_import_the_views_or_the_site_builder():
    engine_imports = imported_top_level_modules("nn_core")
    assert "playground" not in engine_imports and "web" not in engine_imports


def test_only_the_command_line_entry_reaches_the_site_builder():
    # The views never depend on the builder; the `nn-playground build` command is the one bridge.
    assert imported_top_level_modules("playground").get("web", set()) <= {"playground/cli.py"}

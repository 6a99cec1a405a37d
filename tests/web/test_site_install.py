"""`pip install 'nn-playground[site]'` is enough for `nn-playground build` (README): every package the project's code
imports comes with the base install or the `site` extra, none with the development tools only."""

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from web.pins import canonical, required_distributions

ROOT = Path(__file__).resolve().parents[2]
OURS = {"nn_core", "playground", "web"}
PYODIDE_ONLY = {"js", "pyodide", "pyodide_js"}  # the browser's Python: imported only where it runs in Pyodide


def site_install() -> set[str]:
    """Every distribution `pip install 'nn-playground[site]'` installs, from pyproject.toml (not the installed
    metadata, which is as old as the last install)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = set()
    for text in [*project["dependencies"], *project["optional-dependencies"]["site"]]:
        requirement = Requirement(text)
        found |= {canonical(requirement.name)} | required_distributions(requirement.name, tuple(requirement.extras))
    return found


def imported_packages() -> dict[str, str]:
    """{top-level module: a file importing it} for every module outside the standard library and the project."""
    found = {}
    for package in OURS:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                names += [node.module] if isinstance(node, ast.ImportFrom) and not node.level else []
                for name in names:
                    found.setdefault(name.partition(".")[0], str(path.relative_to(ROOT)))
    return {name: path for name, path in found.items() if name not in sys.stdlib_module_names | OURS | PYODIDE_ONLY}


def test_the_site_install_has_every_package_the_code_imports():
    installed, distributions = site_install(), metadata.packages_distributions()
    missing = {
        name: path
        for name, path in imported_packages().items()
        if not {canonical(d) for d in distributions.get(name, [])} & installed
    }
    assert missing == {}, "imported, but not in the base install or the `site` extra of pyproject.toml"
    assert "pyodide-lock" in installed and not {"pytest", "playwright", "ruff"} & installed

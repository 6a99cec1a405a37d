"""Every version pin of the project, read from pins.toml (the one reviewed place for them).

The browser build reads them here; CPython (development and CI) installs every PyPI package pinned in
pins.toml at its pin: `make install` hands pip the output of `python -m web.pins --constraints`.
`python -m web.pins --check` names every place that states a version other than the pins
(pyproject.toml, the Makefile, the README) and every installed package that is not at its pin.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

PINS_FILE = Path(__file__).with_name("pins.toml")
PROJECT = Path(__file__).resolve().parent.parent
# Files whose prose states the Pyodide release ("Pyodide 0.27.7"): checked against the pin. docs/benchmarks.md
# is left out on purpose: it records what was measured with earlier releases too.
PROSE_FILES = ("Makefile", "README.md")
# The sections of pins.toml that pin PyPI packages (name = [version, ...] or name = version).
PACKAGE_SECTIONS = ("site_wheels", "pure_builds", "test_wheels", "cpython")


def canonical(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503): `PyYAML`, `pyyaml` and `py_yaml` are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Pinned:
    """A PyPI package at an exact version."""

    name: str
    version: str

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


@dataclass(frozen=True)
class PinnedWheel(Pinned):
    """A pure wheel fetched from PyPI by exact version and checked by sha256."""

    sha256: str


@dataclass(frozen=True)
class PureBuild(Pinned):
    """A package built as a pure wheel from its pinned sdist; `content_sha256` checks the built files."""

    sdist_sha256: str
    content_sha256: str


@dataclass(frozen=True)
class Pins:
    pyodide_version: str
    npm_package: str
    npm_sha256: str
    core_files: tuple[str, ...]
    cdn_url: str
    default_wasm_source: str
    default_wasm_source_sha256: str
    site_packages: tuple[str, ...]
    site_dropped: tuple[str, ...]
    site_wheels: tuple[PinnedWheel, ...]
    pure_builds: tuple[PureBuild, ...]
    test_packages: tuple[str, ...]
    test_wheels: tuple[PinnedWheel, ...]
    site_on_demand: tuple[str, ...] = ()  # in the site's lock, loaded by a page on first use
    site_on_import: tuple[str, ...] = ()  # served and declared, installed when Python first imports them
    cpython: tuple[Pinned, ...] = ()  # pinned for CPython only (development and CI), beside the wheels above

    @property
    def exact_versions(self) -> dict[str, str]:
        """{canonical name: version} of every PyPI package pinned: what CPython installs too."""
        every = (*self.site_wheels, *self.pure_builds, *self.test_wheels, *self.cpython)
        return {canonical(p.name): p.version for p in every}

    def version(self, name: str) -> str:
        """The pinned version of a PyPI package (KeyError if it has no pin)."""
        return self.exact_versions[canonical(name)]

    @property
    def served_packages(self) -> tuple[str, ...]:
        """The official packages the site's distribution holds: those pages load at start and on demand."""
        return (*self.site_packages, *self.site_on_demand)


@cache
def load_pins(path: Path = PINS_FILE) -> Pins:
    """Read pins.toml into a Pins record (once)."""
    return read_pins(path)


def read_pins(path: Path) -> Pins:
    """Read a pins.toml into a Pins record, as it is now."""
    raw = tomllib.loads(path.read_text())
    pyodide, wasm = raw["pyodide"], raw["wasm_packages"]
    return Pins(
        pyodide_version=pyodide["version"],
        npm_package=pyodide["npm_package"],
        npm_sha256=pyodide["npm_sha256"],
        core_files=tuple(pyodide["core_files"]),
        cdn_url=pyodide["cdn_url"],
        default_wasm_source=wasm["default_source"],
        default_wasm_source_sha256=wasm["default_source_sha256"],
        site_packages=tuple(raw["site"]["packages"]),
        site_dropped=tuple(raw["site"]["dropped"]),
        site_wheels=_wheels(raw["site_wheels"]),
        pure_builds=tuple(PureBuild(name, *fields) for name, fields in raw["pure_builds"].items()),
        test_packages=tuple(raw["test_packages"]["packages"]),
        test_wheels=_wheels(raw["test_wheels"]),
        site_on_demand=tuple(raw["site"].get("on_demand", ())),
        site_on_import=tuple(raw["site"].get("on_import", ())),
        cpython=tuple(Pinned(name, version) for name, version in raw.get("cpython", {}).items()),
    )


def _wheels(table: dict) -> tuple[PinnedWheel, ...]:
    return tuple(PinnedWheel(name, version, sha) for name, (version, sha) in table.items())


def constraints(pins: Pins) -> str:
    """pip's constraints file: every PyPI package pinned, at its pin."""
    lines = ["# Generated from web/pins.toml by `python -m web.pins --constraints`: change the pins there."]
    lines += [f"{name}=={version}" for name, version in sorted(pins.exact_versions.items())]
    return "\n".join(lines) + "\n"


def check_places(root: Path = PROJECT) -> list[str]:
    """Every place under `root` that states a version other than root/web/pins.toml's, one line each.

    pins.toml itself (a package pinned twice, the Pyodide npm package and CDN URL against its version, an npm
    package without an exact version and sha256),
    pyproject.toml (a requirement on a pinned package that excludes the pin; an exact pin of a package pins.toml
    does not pin), the Makefile (installs with the constraints generated from the pins, re-run when they change)
    and the prose of PROSE_FILES ("Pyodide X.Y.Z").
    """
    from packaging.requirements import Requirement  # here: the site build, which imports this module, never needs it

    problems: list[str] = []
    raw = tomllib.loads((root / "web" / "pins.toml").read_text())
    pins = read_pins(root / "web" / "pins.toml")
    where: dict[str, list[str]] = {}
    for section in PACKAGE_SECTIONS:
        for name in raw.get(section, {}):
            where.setdefault(canonical(name), []).append(section)
    problems += [
        f"web/pins.toml: {name} is pinned in more than one section ({', '.join(sections)})"
        for name, sections in where.items()
        if len(sections) > 1
    ]
    version = pins.pyodide_version
    if pins.npm_package != f"pyodide@{version}":
        problems.append(f"web/pins.toml: npm_package {pins.npm_package!r}, the pinned release is {version}")
    if f"/v{version}/" not in pins.cdn_url:
        problems.append(f"web/pins.toml: cdn_url {pins.cdn_url!r}, the pinned release is {version}")
    for section, table in raw.items():  # npm packages ([pyodide], [katex], [axe_core]): exact and checked
        if isinstance(table, dict) and "npm_package" in table:
            exact = re.fullmatch(r"(@[\w.-]+/)?[\w.-]+@\d+\.\d+\.\d+", table["npm_package"])
            if not exact or not re.fullmatch(r"[0-9a-f]{64}", table.get("npm_sha256", "")):
                problems.append(
                    f"web/pins.toml: [{section}] npm_package {table['npm_package']!r} needs an exact version"
                    " (name@X.Y.Z) and npm_sha256, the sha256 of its tarball"
                )

    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    requirements = [*project.get("dependencies", [])]
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    for text in requirements:
        requirement = Requirement(text)
        name = canonical(requirement.name)
        if name in pins.exact_versions:
            pinned = pins.exact_versions[name]
            if not requirement.specifier.contains(pinned, prereleases=True):
                problems.append(f"pyproject.toml: {text!r}, web/pins.toml pins {requirement.name} {pinned}")
        elif any(spec.operator in ("==", "===") for spec in requirement.specifier):
            problems.append(f"pyproject.toml: {text!r} pins a version web/pins.toml does not (pin it there)")

    makefile = (root / "Makefile").read_text()
    rule = re.search(r"^\$\(VENV\)/\.installed:(.*)\n((?:\t.*\n)*)", makefile, re.MULTILINE)
    generated = rule and re.search(r"-m web\.pins --constraints > (\S+)", rule[2])
    installs = [line for line in rule[2].splitlines() if "pip install" in line] if rule else []
    if not (
        generated
        and "web/pins.toml" in rule[1].split()
        and installs
        and all(f"-c {generated[1]}" in line for line in installs)
    ):
        problems.append(
            "Makefile: $(VENV)/.installed must depend on web/pins.toml and pip install with the"
            " constraints `python -m web.pins --constraints` writes"
        )

    for name in PROSE_FILES:
        for line_number, line in enumerate((root / name).read_text().splitlines(), 1):
            problems += [
                f"{name}:{line_number}: Pyodide {stated}, web/pins.toml pins {version}"
                for stated in re.findall(r"Pyodide (\d+\.\d+\.\d+)", line)
                if stated != version
            ]
    return problems


def required_distributions(project: str = "nn-playground", extras: tuple[str, ...] = ("dev",)) -> set[str]:
    """The canonical names of every installed distribution the project's install (with `extras`) pulls in."""
    from packaging.requirements import Requirement

    found: set[str] = set()
    todo, seen = [(project, extras)], set()
    while todo:
        name, wanted = todo.pop()
        if (canonical(name), wanted) in seen:
            continue
        seen.add((canonical(name), wanted))
        found.add(canonical(name))
        try:
            declared = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # reported by the version check when pinned
        for text in declared:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in ("", *wanted)):
                todo.append((requirement.name, tuple(sorted(requirement.extras))))
    return found - {canonical(project)}


def installed_versions(pins: Pins, version: Callable[[str], str] = metadata.version) -> dict[str, tuple[str, str]]:
    """{name: (pinned, installed or "not installed")} for every pinned package the development install needs."""
    result = {}
    for name in sorted(required_distributions() & pins.exact_versions.keys()):
        try:
            result[name] = (pins.exact_versions[name], version(name))
        except metadata.PackageNotFoundError:
            result[name] = (pins.exact_versions[name], "not installed")
    return result


def check_installed(pins: Pins, version: Callable[[str], str] = metadata.version) -> list[str]:
    """Every pinned package of the development install that is not installed at its pin, one line each. A local
    version label is the pin's release as pip's `==` takes it (torch 2.13.0+cpu for 2.13.0)."""
    from packaging.specifiers import SpecifierSet  # here, as Requirement above

    return [
        f"{name} {installed} installed, web/pins.toml pins {pinned} (run `make install`)"
        for name, (pinned, installed) in installed_versions(pins, version).items()
        if installed == "not installed" or not SpecifierSet(f"=={pinned}").contains(installed, prereleases=True)
    ]


def check_release(pins: Pins, lock: dict) -> list[str]:
    """CPython-only pins of packages the Pyodide release ships (numpy) must be the release's versions."""
    shipped = {canonical(entry["name"]): entry["version"] for entry in lock["packages"].values()}
    return [
        f"web/pins.toml: [cpython] {p.name} {p.version}, Pyodide {pins.pyodide_version} ships"
        f" {shipped[canonical(p.name)]}"
        for p in pins.cpython
        if canonical(p.name) in shipped and shipped[canonical(p.name)] != p.version
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.pins", description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--constraints", action="store_true", help="print pip's constraints for every PyPI pin")
    group.add_argument(
        "--check", action="store_true", help="report versions stated elsewhere, or installed, that differ from the pins"
    )
    args = parser.parse_args(argv)
    if args.constraints:
        sys.stdout.write(constraints(load_pins()))
        return 0
    problems = check_places() + check_installed(load_pins())
    print("\n".join(problems) or "every version agrees with web/pins.toml")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

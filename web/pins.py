"""The browser build's pins, read from pins.toml (the one reviewed place for them)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PINS_FILE = Path(__file__).with_name("pins.toml")


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

    @property
    def served_packages(self) -> tuple[str, ...]:
        """The official packages the site's distribution holds: those pages load at start and on demand."""
        return (*self.site_packages, *self.site_on_demand)


@cache
def load_pins(path: Path = PINS_FILE) -> Pins:
    """Read pins.toml into a Pins record."""
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
    )


def _wheels(table: dict) -> tuple[PinnedWheel, ...]:
    return tuple(PinnedWheel(name, version, sha) for name, (version, sha) in table.items())

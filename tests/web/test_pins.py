"""web/pins.toml is the one source of every version pin: what is installed, and every other place, agrees."""

import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from web.pins import (
    PINS_FILE,
    PROSE_FILES,
    check_installed,
    check_places,
    check_release,
    constraints,
    installed_versions,
    load_pins,
    main,
)

PROJECT = Path(__file__).resolve().parents[2]
CHECKED_FILES = ("pyproject.toml", "web/pins.toml", "Makefile", *PROSE_FILES)


def test_the_installed_packages_are_at_their_pins():
    pins = load_pins()
    checked = installed_versions(pins)
    # Both sides: the browser's wheels, the test wheels, and CPython's own pins; never an empty check.
    assert {"panel", "bokeh", "param", "numpy", "pytest", "pyyaml", "playwright", "pyodide-lock"} <= checked.keys()
    assert check_installed(pins) == []


def test_every_place_that_states_a_version_agrees_with_the_pins():
    assert check_places(PROJECT) == []


def test_the_cpython_numpy_is_the_pyodide_releases(release):
    pins = load_pins()
    assert pins.version("numpy") == release.lock["packages"]["numpy"]["version"]
    assert check_release(pins, release.lock) == []


def test_the_constraints_hold_every_pin_and_come_from_the_command_the_makefile_runs():
    printed = subprocess.run(
        [sys.executable, "-m", "web.pins", "--constraints"], cwd=PROJECT, check=True, capture_output=True, text=True
    ).stdout
    assert printed == constraints(load_pins())
    lines = [line for line in printed.splitlines() if not line.startswith("#")]
    assert dict(line.split("==") for line in lines) == load_pins().exact_versions
    assert f"numpy=={load_pins().version('numpy')}" in lines and f"panel=={load_pins().version('panel')}" in lines


def test_the_check_command_passes_here(capsys):
    assert main(["--check"]) == 0
    assert "agrees" in capsys.readouterr().out


@pytest.fixture
def copy(tmp_path):
    """The checked files of the project in a folder of their own, which check_places finds in order."""
    for name in CHECKED_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / name, tmp_path / name)
    assert check_places(tmp_path) == []
    return tmp_path


def plant(root: Path, name: str, old: str, new: str) -> None:
    text = (root / name).read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {name}: the planted violation would not be planted"
    (root / name).write_text(text.replace(old, new))


def _violations():
    pins = load_pins()
    panel, bokeh, numpy, pytest_pin = (pins.version(n) for n in ("panel", "bokeh", "numpy", "pytest"))
    pyodide = pins.pyodide_version
    axe_core = tomllib.loads(PINS_FILE.read_text())["axe_core"]["npm_package"]  # the tests' npm pin
    return {
        # what: (file, text there, planted text, what the one problem reported must say)
        "pyproject-other-version": (
            "pyproject.toml",
            f'"panel=={panel}"',
            '"panel==0.0.1"',
            "'panel==0.0.1', web/pins.toml pins panel",
        ),
        "pyproject-range-excludes-pin": (
            "pyproject.toml",
            '"numpy>=',
            '"numpy>=99.0,<100", "numpy>=',
            f"'numpy>=99.0,<100', web/pins.toml pins numpy {numpy}",
        ),
        "pyproject-exact-pin-of-its-own": (
            "pyproject.toml",
            '"hypothesis>=6.100"',
            '"hypothesis==6.100.0"',
            "'hypothesis==6.100.0' pins a version web/pins.toml does not",
        ),
        "pin-changed-but-not-pyproject": (
            "web/pins.toml",
            f'bokeh = ["{bokeh}"',
            'bokeh = ["0.0.1"',
            f"'bokeh=={bokeh}', web/pins.toml pins bokeh 0.0.1",
        ),
        "pinned-twice": (
            "web/pins.toml",
            f'numpy = "{numpy}"',
            f'numpy = "{numpy}"\npytest = "{pytest_pin}"',
            "pytest is pinned in more than one section (test_wheels, cpython)",
        ),
        "cdn-of-another-release": ("web/pins.toml", f"pyodide/v{pyodide}/full/", "pyodide/v0.0.1/full/", "cdn_url"),
        "npm-of-another-release": ("web/pins.toml", f'"pyodide@{pyodide}"', '"pyodide@0.0.1"', "npm_package"),
        "npm-without-exact-version": (
            "web/pins.toml",
            f'"{axe_core}"',
            f'"{axe_core.rpartition("@")[0]}@^4"',
            "[axe_core] npm_package",
        ),
        "makefile-hand-written-constraints": (
            "Makefile",
            "-c $(VENV)/constraints.txt",
            "-c constraints.txt",
            "Makefile: $(VENV)/.installed",
        ),
        "makefile-installs-unconstrained": (
            "Makefile",
            "-c $(VENV)/constraints.txt -e",
            "-e",
            "Makefile: $(VENV)/.installed",
        ),
        "makefile-not-rerun-on-pins": (
            "Makefile",
            "pyproject.toml web/pins.toml",
            "pyproject.toml",
            "Makefile: $(VENV)/.installed",
        ),
        "readme-other-release": (
            "README.md",
            f"Pyodide {pyodide} on Node",
            "Pyodide 0.0.1 on Node",
            f"Pyodide 0.0.1, web/pins.toml pins {pyodide}",
        ),
    }


@pytest.mark.parametrize(("name", "old", "new", "named"), _violations().values(), ids=_violations().keys())
def test_a_planted_disagreement_is_reported(copy, name, old, new, named):
    plant(copy, name, old, new)
    problems = check_places(copy)
    assert len(problems) == 1 and named in problems[0], problems


def test_a_package_installed_at_another_version_is_reported():
    pins = load_pins()

    def wrong_bokeh(name):
        return "0.0.1" if name == "bokeh" else metadata.version(name)

    assert check_installed(pins, wrong_bokeh) == [
        f"bokeh 0.0.1 installed, web/pins.toml pins {pins.version('bokeh')} (run `make install`)"
    ]


def test_a_pinned_package_missing_from_the_install_is_reported():
    def no_numpy(name):
        if name == "numpy":
            raise metadata.PackageNotFoundError(name)
        return metadata.version(name)

    assert [p for p in check_installed(load_pins(), no_numpy) if p.startswith("numpy not installed")]


def test_a_cpython_pin_other_than_the_releases_is_reported():
    pins = load_pins()
    lock = {"packages": {"numpy": {"name": "numpy", "version": "0.0.1"}}}
    assert check_release(pins, lock) == [
        f"web/pins.toml: [cpython] numpy {pins.version('numpy')}, Pyodide {pins.pyodide_version} ships 0.0.1"
    ]


def test_a_local_build_of_the_pinned_release_is_at_its_pin_and_another_release_is_not():
    pins = load_pins()

    def torch(release):
        return lambda name: release if name == "torch" else metadata.version(name)

    assert check_installed(pins, torch("2.13.0+cpu")) == []  # as pip's ==2.13.0 installs it
    assert check_installed(pins, torch("2.14.1+cpu")) == [
        "torch 2.14.1+cpu installed, web/pins.toml pins 2.13.0 (run `make install`)"
    ]

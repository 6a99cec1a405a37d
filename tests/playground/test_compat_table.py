"""docs/compat.md stays true: every guard test it names exists, every file it names exists, its versions are the
pinned ones (so a pin update fails here until someone has checked the rows and changed them), and every private
name the code looks up through playground/browser/compat.py or python_start.js's list has a row."""

import re
from pathlib import Path

import pytest

from web.pins import load_pins

ROOT = Path(__file__).resolve().parents[2]
TABLE = (ROOT / "docs" / "compat.md").read_text()
SHORT = {"test_app_page": "tests/browser/test_app_page.py", "test_compat_boot": "tests/web/test_compat_boot.py"}


def named_tests():
    """(file, test) for every `file::test` in the table, short names expanded."""
    for file, test in re.findall(r"`([\w/.]+)::(\w+)`", TABLE):
        yield SHORT.get(file, file), test


def test_every_guard_test_named_in_the_table_exists():
    tests = sorted(set(named_tests()))
    assert len(tests) > 30
    missing = [
        f"{file}::{test}"
        for file, test in tests
        if not (ROOT / file).is_file() or not re.search(rf"^def {test}\(", (ROOT / file).read_text(), re.M)
    ]
    assert missing == [], missing


def test_every_row_has_a_guard_and_every_file_named_exists():
    rows = [line for line in TABLE.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) >= 30
    assert [row for row in rows if "::" not in row.split(" | ")[-1]] == []
    files = set(re.findall(r"`((?:playground|web|tests)/[\w/.]+\.(?:py|js|mjs|toml))`", TABLE))
    assert [file for file in sorted(files) if not (ROOT / file).is_file()] == []


def test_the_versions_in_the_table_are_the_pinned_ones():
    pins = load_pins()
    pinned = {
        "Bokeh": pins.version("bokeh"),
        "BokehJS": pins.version("bokeh"),
        "Panel": pins.version("panel"),
        "param": pins.version("param"),
        "pyodide-http": pins.version("pyodide-http"),
        "Pyodide": pins.pyodide_version,
    }
    stated = re.findall(r"\b(BokehJS|Bokeh|Panel|param|pyodide-http|Pyodide) (\d+\.\d+\.\d+)", TABLE)
    assert {name for name, _ in stated} == set(pinned)
    wrong = sorted(
        {f"{name} {version} (pinned: {pinned[name]})" for name, version in stated if version != pinned[name]}
    )
    assert wrong == [], f"check those rows of docs/compat.md against the new release, then update them: {wrong}"


def private_lookups():
    """Every name the Python side looks up through compat.private/optional/warn, and python_start.js's list."""
    for path in [*sorted((ROOT / "playground").rglob("*.py")), ROOT / "web" / "static" / "boot.py"]:
        for name in re.findall(r"\b(?:private|optional|warn)\(\s*[\w.]+,\s*\"(\w+)\"", path.read_text()):
            yield path.relative_to(ROOT).as_posix(), name
    script = (ROOT / "web" / "static" / "python_start.js").read_text()
    internals = script[script.index("const EMSCRIPTEN_INTERNALS") : script.index("};", script.index("EMSCRIPTEN"))]
    for name in re.findall(r"^\s+\"?([\w.]+)\"?: \(M\)", internals, re.M):
        yield "web/static/python_start.js", name


@pytest.mark.parametrize("where, name", sorted(set(private_lookups())))
def test_every_private_name_the_code_looks_up_has_a_row(where, name):
    rows = [line for line in TABLE.splitlines() if re.match(r"\| \d+ \|", line) and name in line]
    assert rows, f"{where} looks up {name}: give it a row in docs/compat.md"


def test_the_lookups_are_found():
    """The scan above sees the code's lookups (a changed call style would leave it checking nothing)."""
    found = {name for _, name in private_lookups()}
    assert {
        "_compute_datetime_types",
        "_get_parser",
        "_new_models",
        "_schedule_on_load",
        "LDSO.loadedLibsByHandle",
        "wasmTable",
    } <= found

"""Precompiled wheels: every module becomes sourceless bytecode that imports, what does not compile stays, RECORD
matches, the same wheel gives the same bytes; the built site ships them, with bytecode only for the start-up
modules of the packages every page loads (its own code stays as source)."""

import base64
import hashlib
import importlib
import importlib.util
import json
import sys
import zipfile
from pathlib import Path

import pytest

from web import startup_modules
from web.start_packages import page_packages

COMPILER = Path(__file__).resolve().parents[2] / "web" / "node" / "compile_wheels.py"


@pytest.fixture(scope="module")
def compiler():
    # The compiler runs inside Pyodide for the site; here CPython runs it, so the bytecode is this Python's.
    spec = importlib.util.spec_from_file_location("compile_wheels", COMPILER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def wheel(tmp_path):
    path = tmp_path / "in" / "tiny-1.0-py3-none-any.whl"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("tiny/__init__.py", "from .core import answer\n")
        zf.writestr("tiny/core.py", "def answer():\n    '''The answer.'''\n    return 6 * 7\n")
        zf.writestr("tiny/template.py", "{% if name %}{{ name }}{% endif %}\n")
        zf.writestr("tiny/data.txt", "kept\n")
        zf.writestr("tiny-1.0.dist-info/METADATA", "Name: tiny\nVersion: 1.0\n")
        zf.writestr("tiny-1.0.dist-info/RECORD", "stale\n")
    return path


def test_modules_become_sourceless_bytecode_that_imports(compiler, wheel, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    compiler.main(str(wheel.parent), str(out))
    compiled = out / wheel.name
    names = set(zipfile.ZipFile(compiled).namelist())
    assert {"tiny/__init__.pyc", "tiny/core.pyc", "tiny/template.py", "tiny/data.txt"} <= names
    assert not {"tiny/__init__.py", "tiny/core.py"} & names
    monkeypatch.syspath_prepend(str(compiled))
    tiny = importlib.import_module("tiny")
    assert tiny.answer() == 42 and tiny.__file__.endswith("__init__.pyc")
    monkeypatch.delitem(sys.modules, "tiny")
    monkeypatch.delitem(sys.modules, "tiny.core")


def test_only_the_named_modules_are_compiled_the_rest_stay_source(compiler, wheel, tmp_path):
    target = tmp_path / "compiled.whl"
    compiler.compile_wheel(wheel, target, only=frozenset({"tiny/__init__.py"}))
    names = set(zipfile.ZipFile(target).namelist())
    assert {"tiny/__init__.pyc", "tiny/core.py", "tiny/template.py"} <= names and "tiny/core.pyc" not in names


def test_record_lists_every_member_with_its_hash(compiler, wheel, tmp_path):
    target = tmp_path / "compiled.whl"
    compiler.compile_wheel(wheel, target)
    with zipfile.ZipFile(target) as zf:
        lines = zf.read("tiny-1.0.dist-info/RECORD").decode().splitlines()
        listed = {line.split(",")[0]: line.split(",")[1] for line in lines}
        assert set(listed) == set(zf.namelist())
        for name, digest in listed.items():
            if name.endswith("RECORD"):
                assert digest == ""
                continue
            expected = base64.urlsafe_b64encode(hashlib.sha256(zf.read(name)).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={expected}"


def test_the_same_wheel_gives_the_same_bytes(compiler, wheel, tmp_path):
    compiler.compile_wheel(wheel, tmp_path / "a.whl")
    compiler.compile_wheel(wheel, tmp_path / "b.whl")
    assert (tmp_path / "a.whl").read_bytes() == (tmp_path / "b.whl").read_bytes()


def test_the_site_ships_bytecode_for_start_up_modules_and_its_own_code_as_source(demo_site):
    lock = json.loads((demo_site / "pyodide" / "pyodide-lock.json").read_text())
    at_start, startup = page_packages(lock), startup_modules.load()
    for name, entry in lock["packages"].items():
        members = zipfile.ZipFile(demo_site / "pyodide" / entry["file_name"]).namelist()
        compiled = {m[:-1] for m in members if m.endswith(".pyc")}
        source = {m for m in members if m.endswith(".py") and ".dist-info/" not in m}
        if name == "nn-playground":
            assert "playground/__init__.py" in source and not compiled
        elif name in at_start:  # bytecode exactly where a page imports it at start
            assert compiled == startup & (compiled | source), name
        else:  # loaded on demand (matplotlib for a saved figure): compiled whole
            assert compiled, name
    panel = zipfile.ZipFile(demo_site / "pyodide" / lock["packages"]["panel"]["file_name"]).namelist()
    assert "panel/__init__.pyc" in panel and "panel/__init__.py" not in panel
    assert "panel/io/convert.py" in panel and "panel/io/convert.py" not in startup  # not imported at start
    matplotlib = zipfile.ZipFile(demo_site / "pyodide" / lock["packages"]["matplotlib"]["file_name"]).namelist()
    assert "matplotlib/pyplot.pyc" in matplotlib and "matplotlib/pyplot.py" not in matplotlib


def test_a_wheel_compiled_whole_and_one_with_no_start_up_modules_are_cached_apart():
    from web.bytecode import _cached

    assert _cached("0" * 64, "pandas.whl", None) != _cached("0" * 64, "pandas.whl", [])

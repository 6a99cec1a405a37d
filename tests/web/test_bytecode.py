"""Precompiled wheels: every module becomes sourceless bytecode that imports, what does not compile stays, RECORD
matches, the same wheel gives the same bytes; the built site ships them (its own code stays as source)."""

import base64
import hashlib
import importlib
import importlib.util
import json
import sys
import zipfile
from pathlib import Path

import pytest

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


def test_the_site_ships_compiled_wheels_and_its_own_code_as_source(demo_site):
    lock = json.loads((demo_site / "pyodide" / "pyodide-lock.json").read_text())
    for name, entry in lock["packages"].items():
        members = zipfile.ZipFile(demo_site / "pyodide" / entry["file_name"]).namelist()
        modules = [m for m in members if m.endswith((".py", ".pyc")) and ".dist-info/" not in m]
        if name == "nn-playground":
            assert "playground/__init__.py" in members and not any(m.endswith(".pyc") for m in members)
        else:
            assert any(m.endswith(".pyc") for m in modules), name
    panel = zipfile.ZipFile(demo_site / "pyodide" / lock["packages"]["panel"]["file_name"])
    assert "panel/__init__.pyc" in panel.namelist() and "panel/__init__.py" not in panel.namelist()

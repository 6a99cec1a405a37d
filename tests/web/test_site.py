"""The static site build: complete, self-contained and reproducible."""

import json
import zipfile

import pytest

import nn_core
from web.fetch import sha256_of
from web.project_wheel import build_wheel
from web.site import build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(out)
    return out


def test_the_site_has_its_page_and_a_self_hosted_runtime(site):
    for name in ["index.html", "loader.js", "site.css", "pyodide/pyodide.js", "pyodide/pyodide.asm.wasm"]:
        assert (site / name).is_file(), name


def test_the_project_wheel_is_registered_with_numpy_as_its_dependency(site):
    lock = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["nn-playground"]
    assert entry["version"] == nn_core.__version__
    assert entry["depends"] == ["numpy"]
    assert (site / "pyodide" / entry["file_name"]).is_file()


def test_every_file_the_lock_names_is_on_the_site(site):
    lock = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())
    for entry in lock["packages"].values():
        assert sha256_of(site / "pyodide" / entry["file_name"]) == entry["sha256"]


def test_the_project_wheel_is_byte_for_byte_reproducible(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    assert sha256_of(build_wheel(first, ["numpy"])) == sha256_of(build_wheel(second, ["numpy"]))


def test_the_project_wheel_carries_the_engine_but_not_the_builder(tmp_path):
    names = zipfile.ZipFile(build_wheel(tmp_path, ["numpy"])).namelist()
    assert "nn_core/__init__.py" in names
    assert not any(n.startswith("web/") or "__pycache__" in n for n in names)

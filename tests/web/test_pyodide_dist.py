"""The self-hosted Pyodide distribution: only verified files, only what the site needs."""

import json
import re
import shutil
import threading
import zipfile

import pytest

from web.fetch import FetchError
from web.pins import load_pins
from web.pyodide_dist import DistError, assemble
from web.serve import make_server
from web.wasm_source import open_source


@pytest.fixture(scope="module")
def numpy_source(tmp_path_factory, release):
    """A folder holding the numpy wheel of the release, copied from the default (pinned) source."""
    folder = tmp_path_factory.mktemp("source")
    file_name = release.lock["packages"]["numpy"]["file_name"]
    (folder / file_name).write_bytes(open_source(None, load_pins()).read(file_name))
    return folder, file_name


def test_the_distribution_holds_the_core_and_only_the_requested_packages(tmp_path, numpy_source):
    folder, numpy_wheel = numpy_source
    lock_path = assemble(tmp_path / "dist", ["numpy"], packages_from=str(folder))
    files = {p.name for p in lock_path.parent.iterdir()}
    assert files == {*load_pins().core_files, numpy_wheel, "pyodide-lock.json"}
    lock = json.loads(lock_path.read_text())
    assert lock["info"]["version"] == load_pins().pyodide_version
    assert list(lock["packages"]) == ["numpy"]


def test_dependencies_follow_the_requested_packages(release):
    assert release.closure(["micropip"]) == ["micropip", "packaging"]


def test_a_tampered_wheel_fails_the_build_naming_the_file(tmp_path, numpy_source):
    folder, numpy_wheel = numpy_source
    tampered = tmp_path / "tampered"
    shutil.copytree(folder, tampered)
    data = bytearray((tampered / numpy_wheel).read_bytes())
    data[len(data) // 2] ^= 0x01  # one byte changed
    (tampered / numpy_wheel).write_bytes(bytes(data))
    with pytest.raises(DistError, match=rf"{numpy_wheel}: sha256 mismatch"):
        assemble(tmp_path / "dist", ["numpy"], packages_from=str(tampered))


def test_a_missing_wheel_fails_the_build_naming_the_file_and_the_source(tmp_path, release):
    empty = tmp_path / "empty"
    empty.mkdir()
    numpy_wheel = release.lock["packages"]["numpy"]["file_name"]
    with pytest.raises(DistError, match=rf"{numpy_wheel}: missing from folder .*empty"):
        assemble(tmp_path / "dist", ["numpy"], packages_from=str(empty))


def test_an_unknown_package_is_named(tmp_path, numpy_source):
    pyodide = re.escape(load_pins().pyodide_version)
    with pytest.raises(DistError, match=f"'tensorflow' is not part of Pyodide {pyodide}"):
        assemble(tmp_path / "dist", ["tensorflow"], packages_from=str(numpy_source[0]))


def test_an_archive_with_a_folder_inside_is_a_source(tmp_path, numpy_source):
    folder, numpy_wheel = numpy_source
    archive = tmp_path / "packages.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(folder / numpy_wheel, f"release/full/{numpy_wheel}")
    lock_path = assemble(tmp_path / "dist", ["numpy"], packages_from=f"{archive}#release/full")
    assert (lock_path.parent / numpy_wheel).is_file()


def test_a_web_folder_is_a_source(tmp_path, numpy_source, monkeypatch):
    """A URL source (the official CDN when online) is downloaded once into the cache."""
    monkeypatch.setattr("web.wasm_source.cache_dir", lambda: tmp_path)
    folder, numpy_wheel = numpy_source
    server = make_server(folder, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        lock_path = assemble(tmp_path / "dist", ["numpy"], packages_from=url)
    finally:
        server.shutdown()
    assert (lock_path.parent / numpy_wheel).is_file()
    assert [p.name for p in (tmp_path / "url").rglob("*.whl")] == [numpy_wheel]


def test_a_source_that_does_not_exist_is_explained():
    with pytest.raises(FetchError, match="no such folder or archive"):
        open_source("/nowhere/at/all", load_pins())

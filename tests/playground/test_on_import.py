"""playground/browser/on_import.py: a package left out of the start is installed the first time it is imported."""

import io
import sys
import zipfile

import pytest

from playground.browser.on_import import InstallOnImport


def wheel(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


WHEELS = {
    "site/later-1.0.whl": wheel(
        {
            "later_pkg_t/__init__.py": "import later_dep_t\nVALUE = later_dep_t.VALUE + 1\n",
            "later_pkg-1.0.dist-info/METADATA": "Name: later-pkg\n",
        }
    ),
    "site/dep-1.0.whl": wheel({"later_dep_t.py": "VALUE = 41\n"}),
}
MODULES = {
    "later_pkg_t": [("later-pkg", "site/later-1.0.whl"), ("later-dep", "site/dep-1.0.whl")],
    "later_dep_t": [("later-dep", "site/dep-1.0.whl")],
}


@pytest.fixture
def finder(tmp_path):
    fetched, loaded = [], set()

    def fetch(url):
        fetched.append(url)
        if url not in WHEELS:
            raise OSError(f"{url.rsplit('/', 1)[-1]} failed to load (HTTP 404)")
        return WHEELS[url]

    finder = InstallOnImport(dict(MODULES), fetch, tmp_path, loaded.__contains__, loaded.add)
    finder.fetched, finder.loaded = fetched, loaded
    sys.path.append(str(tmp_path))
    sys.meta_path.append(finder)
    yield finder
    sys.meta_path.remove(finder)
    sys.path.remove(str(tmp_path))
    for name in ("later_pkg_t", "later_dep_t", "missing_t"):
        sys.modules.pop(name, None)


def test_importing_a_package_left_out_of_the_start_installs_it_and_what_it_needs(finder, tmp_path):
    import later_pkg_t

    assert later_pkg_t.VALUE == 42
    assert finder.installed == ["later-pkg", "later-dep"] and finder.loaded == {"later-pkg", "later-dep"}
    assert (tmp_path / "later_pkg-1.0.dist-info" / "METADATA").is_file()
    del sys.modules["later_pkg_t"]
    import later_pkg_t  # noqa: F811 (again: found on disk now, nothing fetched)

    assert len(finder.fetched) == 2


def test_a_package_the_runtime_already_loaded_is_not_fetched_again(finder):
    finder.loaded.add("later-dep")  # as when matplotlib's loadPackage brought it
    (finder.target / "later_dep_t.py").write_text("VALUE = 41\n")
    import later_pkg_t

    assert later_pkg_t.VALUE == 42 and finder.fetched == ["site/later-1.0.whl"]


def test_other_modules_and_submodules_are_left_to_python(finder):
    with pytest.raises(ModuleNotFoundError):
        import missing_t  # noqa: F401
    assert finder.find_spec("later_pkg_t.sub", path=["somewhere"]) is None
    assert finder.fetched == []


def test_a_wheel_that_fails_to_load_gives_an_import_error_naming_the_file(finder):
    finder.modules["later_pkg_t"] = [("later-pkg", "site/gone-1.0.whl")]
    with pytest.raises(
        ImportError,
        match="later_pkg_t is not loaded at start and could not be fetched now: gone-1.0.whl failed to load",
    ):
        import later_pkg_t  # noqa: F401
    assert finder.loaded == set()

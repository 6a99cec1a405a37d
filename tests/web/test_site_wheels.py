"""The Panel stack's wheels: pure builds checked, slimming exact, undeclared dependencies caught."""

import zipfile

import pytest

from web.fetch import FetchError
from web.pins import PureBuild, load_pins
from web.pyodide_dist import DistError, register_wheels
from web.site_wheels import content_sha256, pure_build, slim


def test_pyyaml_and_markupsafe_are_built_pure_and_match_their_pinned_content():
    for build in load_pins().pure_builds:
        wheel = pure_build(build)
        assert wheel.name.endswith("-py3-none-any.whl")
        assert content_sha256(wheel) == build.content_sha256


def test_a_pure_build_whose_content_differs_stops_the_build():
    pinned = load_pins().pure_builds[0]
    with pytest.raises(FetchError, match="content sha256"):
        pure_build(PureBuild(pinned.name, pinned.version, pinned.sdist_sha256, "0" * 64))


def test_slimming_drops_the_chosen_members_and_their_record_lines(tmp_path):
    wheel = tmp_path / "src" / "demo-1.0-py3-none-any.whl"
    wheel.parent.mkdir()
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("demo/__init__.py", "")
        zf.writestr("demo/static/big.js", "x" * 1000)
        zf.writestr("demo-1.0.dist-info/RECORD", "demo/__init__.py,,\ndemo/static/big.js,,\n")
    slimmed = zipfile.ZipFile(slim(wheel, tmp_path, lambda name: name.endswith(".js")))
    assert slimmed.namelist() == ["demo/__init__.py", "demo-1.0.dist-info/RECORD"]
    assert slimmed.read("demo-1.0.dist-info/RECORD").decode() == "demo/__init__.py,,\n"


def test_a_dependency_neither_shipped_nor_dropped_is_named(tmp_path, release):
    import json

    lock_path = tmp_path / "pyodide-lock.json"
    lock_path.write_text(json.dumps({**release.lock, "packages": {}}))
    wheel = tmp_path / "needy-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("needy/__init__.py", "")
        zf.writestr(
            "needy-1.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: needy\nVersion: 1.0\nRequires-Dist: requests\nRequires-Dist: tqdm\n",
        )
        zf.writestr("needy-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        zf.writestr("needy-1.0.dist-info/RECORD", "")
    with pytest.raises(DistError, match="needy needs requests"):
        register_wheels(lock_path, [wheel], dropped={"tqdm"})
    register_wheels(lock_path, [wheel], dropped={"tqdm", "requests"})
    assert json.loads(lock_path.read_text())["packages"]["needy"]["depends"] == []

"""The Panel stack's pure wheels for the site: pinned downloads, pure builds from sdists, and slimmed
Bokeh/Panel wheels whose JavaScript and CSS are copied out to be served as plain files instead.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from web.fetch import FetchError, cached_file, pip_download, pip_sdist, run_tool
from web.pins import Pins, PureBuild

# Pure builds: no C compiler and no libyaml, so setuptools falls back to the pure-Python modules;
# a fixed SOURCE_DATE_EPOCH makes the wheel reproducible.
PURE_BUILD_ENV = {"CC": "/bin/false", "PYYAML_FORCE_LIBYAML": "0", "SOURCE_DATE_EPOCH": "315532800"}
COMPILED_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")

# Which files of the full wheels go to the site as static assets (prefix in wheel -> folder on the site).
BOKEH_JS = "bokeh/server/static/js/"
PANEL_DIST = "panel/dist/"
PANEL_KEPT_IN_WHEEL = ("panel/dist/css/", "panel/dist/assets/", "panel/dist/images/")
# Font Awesome (10 MB) is left out: no Panel widget of ours requests it.
PANEL_ASSETS = (*PANEL_KEPT_IN_WHEEL, "panel/dist/bundled/theme/")
# The BokehJS bundles a Panel page loads, in load order.
BOKEH_BUNDLES = ("bokeh", "bokeh-gl", "bokeh-widgets", "bokeh-tables")


def content_sha256(wheel: Path) -> str:
    """sha256 over the wheel's files outside .dist-info (sorted name and bytes): what the code is."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(n for n in zf.namelist() if ".dist-info/" not in n):
            digest.update(name.encode() + b"\0" + zf.read(name))
    return digest.hexdigest()


def pure_build(build: PureBuild) -> Path:
    """The pure wheel of `build`, built once from its pinned sdist and cached; checked at every call."""

    def make(tmp: Path) -> Path:
        sdist = pip_sdist(build.requirement, build.sdist_sha256)
        cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp), str(sdist)]
        run_tool(cmd, tmp, f"pure build of {build.requirement}", env={**os.environ, **PURE_BUILD_ENV})
        return next(tmp.glob("*.whl"))

    wheel = cached_file(f"pure/{build.requirement}", None, make)
    names = zipfile.ZipFile(wheel).namelist()
    if not wheel.name.endswith("-py3-none-any.whl") or any(n.endswith(COMPILED_SUFFIXES) for n in names):
        raise FetchError(f"pure build of {build.requirement} produced a compiled wheel {wheel.name}; delete {wheel}")
    actual = content_sha256(wheel)
    if actual != build.content_sha256:
        raise FetchError(
            f"pure build of {build.requirement}: content sha256 {actual}, pins say "
            f"{build.content_sha256}; delete {wheel.parent} and build again"
        )
    return wheel


def slim(wheel: Path, out: Path, drop: Callable[[str], bool]) -> Path:
    """Copy `wheel` into folder `out` without the members `drop` selects (RECORD rewritten to match)."""
    target = out / wheel.name
    with zipfile.ZipFile(wheel) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        kept = [info for info in zin.infolist() if not drop(info.filename)]
        names = {info.filename for info in kept}
        for info in kept:
            data = zin.read(info.filename)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines()
                data = "".join(line + "\n" for line in lines if line.split(",")[0] in names).encode()
            zout.writestr(info, data)
    return target


def _bokeh_js_dropped(name: str) -> bool:
    return name.startswith(BOKEH_JS)


def _panel_js_dropped(name: str) -> bool:
    return name.startswith(PANEL_DIST) and not name.startswith(PANEL_KEPT_IN_WHEEL)


SLIMMED = {"bokeh": _bokeh_js_dropped, "panel": _panel_js_dropped}


def site_wheels(pins: Pins, out: Path) -> list[Path]:
    """Write every pure wheel the site serves into `out` (Bokeh and Panel slimmed) and return them."""
    wheels = []
    for pin in pins.site_wheels:
        wheel = pip_download(pin.requirement, pin.sha256)
        drop = SLIMMED.get(pin.name)
        wheels.append(slim(wheel, out, drop) if drop else Path(shutil.copyfile(wheel, out / wheel.name)))
    wheels += [Path(shutil.copyfile(w, out / w.name)) for w in map(pure_build, pins.pure_builds)]
    return wheels


def copy_assets(pins: Pins, out: Path) -> None:
    """Copy BokehJS's bundles and Panel's JS/CSS out of the full wheels into `out`/bokeh and `out`/panel."""
    by_name = {pin.name: pip_download(pin.requirement, pin.sha256) for pin in pins.site_wheels}
    bundles = {f"{BOKEH_JS}{name}.min.js" for name in BOKEH_BUNDLES}
    _extract(by_name["bokeh"], BOKEH_JS, out / "bokeh", lambda n: n in bundles)
    _extract(
        by_name["panel"],
        PANEL_DIST,
        out / "panel",
        lambda n: n == f"{PANEL_DIST}panel.min.js" or n.startswith(PANEL_ASSETS),
    )


def _extract(wheel: Path, prefix: str, dest: Path, keep: Callable[[str], bool]) -> None:
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(zf.namelist()):
            if name.startswith(prefix) and not name.endswith("/") and keep(name):
                path = dest / name[len(prefix) :]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(zf.read(name))

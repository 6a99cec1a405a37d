"""KaTeX for the lessons' maths, served by the site itself: the pinned npm package's script, stylesheet and
woff2 fonts (every browser that runs Pyodide reads woff2), copied into static/katex/."""

from __future__ import annotations

import tarfile
import tomllib
from pathlib import Path

from web.fetch import npm_pack
from web.pins import PINS_FILE

FILES = ("katex.min.js", "katex.min.css")


def copy_katex(dest: Path) -> list[Path]:
    """Copies KaTeX into `dest` from the package pinned in pins.toml ([katex]); returns the files written."""
    pin = tomllib.loads(PINS_FILE.read_text())["katex"]
    written = []
    with tarfile.open(npm_pack(pin["npm_package"], pin["npm_sha256"])) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/dist/")
            if member.isfile() and (name in FILES or (name.startswith("fonts/") and name.endswith(".woff2"))):
                target = dest / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(member).read())
                written.append(target)
    return written

"""Build the static site: pages, the self-hosted Pyodide distribution and the project's own wheel."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from web.pins import load_pins
from web.project_wheel import build_wheel
from web.pyodide_dist import assemble

STATIC = Path(__file__).with_name("static")


def build_site(out: Path, packages_from: str | None = None) -> list[Path]:
    """Write the whole site into `out` (replacing it) and return the files written."""
    pins = load_pins()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp), requires=list(pins.site_packages))
        assemble(out / "pyodide", pins.site_packages, packages_from=packages_from, extra_wheels=[wheel], pins=pins)
    shutil.copytree(STATIC, out, dirs_exist_ok=True)
    return sorted(p for p in out.rglob("*") if p.is_file())

"""How a page starts: which of the site's packages it loads, which wait until Python first imports them, and
the snapshot of Python's start it restores.

Bokeh and Panel declare pandas, but no page imports it at start (playground/browser/without_pandas.py keeps Bokeh from
it): the pins' `[site] on_import` packages are served and kept in the lock, left out of the start, and installed
by the worker the first time something imports them (playground/browser/on_import.py). The site's `pyodide/start.json`
tells the worker all three:

    {"on_import": ["pandas"],                             edges to these are cut from the lock at start
     "modules": {"pandas": ["pandas", "python-dateutil", "pytz", "six"], "dateutil": [...], ...},
                                                          an import name -> the packages to install for it
     "snapshot": {"sha256": ...},         the snapshots of Python's start pages restore (web/snapshot.py):
     "bundle": {"shared": {"file": ...}, "per-slot": {"file": ...}},  snapshot.bin.gz's digest, each bundle's
                                                          file name, by the engines that restore it
     "gzipped": ["pyodide.asm.wasm.gz", ...]}  files stored gzipped, fetched by their plain name (web/precompress.py)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from web.pins import load_pins

ROOT = "nn-playground"  # every page's start: the project's wheel and what it depends on
START_FILE = "start.json"


def _closure(lock: dict, roots: Iterable[str], skip: Iterable[str] = ()) -> list[str]:
    """The packages `roots` pull in through the lock's dependencies, in the order found, not entering `skip`."""
    found, todo, skip = [], list(roots), set(skip)
    while todo:
        name = todo.pop(0)
        if name not in found and name not in skip and name in lock["packages"]:
            found.append(name)
            todo += lock["packages"][name]["depends"]
    return found


def page_packages(lock: dict, on_import: Iterable[str] | None = None) -> set[str]:
    """The packages every page loads at start: nn-playground and its dependencies but the `on_import` ones (by
    default the pins'), which load when first imported; the rest of the lock (matplotlib) loads on demand."""
    return set(_closure(lock, [ROOT], skip=load_pins().site_on_import if on_import is None else on_import))


def import_table(lock: dict, on_import: Iterable[str]) -> dict[str, list[str]]:
    """Each import name of the `on_import` packages and of what only they need -> the packages to install for
    it: its own and those of its dependencies a page does not load at start."""
    on_import = list(on_import)
    at_start = page_packages(lock, on_import)
    table = {}
    for package in _closure(lock, on_import, skip=at_start):
        for module in lock["packages"][package]["imports"]:
            table[module] = _closure(lock, [package], skip=at_start)
    return table


def write_start(
    dist: Path,
    on_import: Iterable[str] | None = None,
    snapshot: dict | None = None,
    bundle: dict | None = None,
    gzipped: Iterable[str] = (),
) -> dict:
    """Write `start.json` beside the distribution's lock (see the module's doc, web/snapshot.py for the `snapshot`
    and `bundle` entries, web/precompress.py for `gzipped`); return what was written."""
    on_import = list(load_pins().site_on_import if on_import is None else on_import)
    lock = json.loads((dist / "pyodide-lock.json").read_text())
    missing = [name for name in on_import if name not in lock["packages"]]
    if missing:
        raise ValueError(
            f"pins.toml [site] on_import names {', '.join(missing)}, which the site's lock lacks: "
            "add it to [site] packages"
        )
    start = {"on_import": on_import, "modules": import_table(lock, on_import)}
    start.update({key: value for key, value in (("snapshot", snapshot), ("bundle", bundle)) if value})
    if gzipped := list(gzipped):
        start["gzipped"] = gzipped
    (dist / START_FILE).write_text(json.dumps(start, indent=1, sort_keys=True) + "\n")
    return start

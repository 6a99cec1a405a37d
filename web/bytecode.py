"""Precompiled bytecode for the site's wheels: the browser then imports Panel, Bokeh, pandas and numpy without
compiling their source (measured: the app stage's imports take about half as long). Bytecode is larger than
source, so the packages every page loads carry it only for the modules a page imports at start
(web/startup_modules.txt); packages loaded on demand (matplotlib for a saved figure) are compiled whole.

The bytecode must match Pyodide's CPython 3.12 exactly, so Pyodide itself compiles it, on Node
(web/node/compile_wheels.py through web/pyodide_run.py), with a fixed hash seed so the same wheel gives the
same bytes. Each compiled wheel is cached under its input's sha256, so only a new pin costs a Node run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from web import project_wheel
from web.fetch import FetchError, cache_dir, sha256_of
from web.pyodide_run import PROJECT, run

COMPILER = Path(__file__).with_name("node") / "compile_wheels.py"


def _cached(sha256: str, file_name: str, only: list[str] | None) -> Path:
    """Where the compiled form of the wheel with this sha256 is kept (the compiler's code and, when only some
    modules are compiled, their names in the key)."""
    code = sha256_of(COMPILER) + sha256_of(Path(project_wheel.__file__))
    # A wheel compiled whole and one with no start-up modules (an empty list) are kept apart.
    listed = "whole" if only is None else "only:" + "\n".join(only)
    key = hashlib.sha256((sha256 + code + listed).encode()).hexdigest()[:32]
    return cache_dir() / "bytecode" / key / file_name


def compile_site_wheels(
    dist: Path,
    keep_source: Iterable[str] = (),
    startup_only: Iterable[str] = (),
    startup_modules: frozenset[str] = frozenset(),
) -> list[str]:
    """Replace each wheel of the distribution `dist` (the lock's local files) by its compiled form and update
    the lock's sha256s; the packages named in `keep_source` stay as they are, those in `startup_only` get
    bytecode only for their members in `startup_modules` ("panel/layout/base.py"). Returns the compiled names."""
    lock_path = dist / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    kept, partial = set(keep_source), set(startup_only)
    entries = {
        name: entry
        for name, entry in sorted(lock["packages"].items())
        if name not in kept and "://" not in entry["file_name"] and entry["file_name"].endswith(".whl")
    }
    only = {
        entry["file_name"]: sorted(set(zipfile.ZipFile(dist / entry["file_name"]).namelist()) & startup_modules)
        for name, entry in entries.items()
        if name in partial
    }
    cached = {
        entry["file_name"]: _cached(entry["sha256"], entry["file_name"], only.get(entry["file_name"]))
        for entry in entries.values()
    }
    missing = [name for name, path in cached.items() if not path.is_file()]
    if missing:
        _compile(
            [dist / name for name in missing],
            {name: cached[name] for name in missing},
            {name: only[name] for name in missing if name in only},
        )
    for entry in entries.values():
        compiled = cached[entry["file_name"]]
        shutil.copyfile(compiled, dist / entry["file_name"])
        entry["sha256"] = sha256_of(compiled)
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True))
    return list(entries)


def _compile(wheels: list[Path], targets: dict[str, Path], only: dict[str, list[str]]) -> None:
    """Compile the wheels in one Pyodide run on Node and store each result at targets[file name]; a wheel
    named in `only` gets bytecode for those members only."""
    (PROJECT / "build").mkdir(exist_ok=True)
    # The Node runner sees the project folder only, so the work happens in a folder inside it.
    with tempfile.TemporaryDirectory(dir=PROJECT / "build", prefix="bytecode-") as tmp:
        work_in, work_out, work_only = Path(tmp, "in"), Path(tmp, "out"), Path(tmp, "only.json")
        work_in.mkdir()
        work_out.mkdir()
        work_only.write_text(json.dumps(only))
        for wheel in wheels:
            shutil.copyfile(wheel, work_in / wheel.name)
        inside = [
            f"/project/{Path(p).relative_to(PROJECT).as_posix()}" for p in (COMPILER, work_in, work_out, work_only)
        ]
        if run("--script", inside, PROJECT / "build" / "pyodide-node") != 0:
            raise FetchError("compiling the site's wheels to bytecode inside Pyodide failed (output above)")
        for name, target in targets.items():
            if not (work_out / name).is_file():
                raise FetchError(f"the bytecode compiler wrote no {name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(shutil.copyfile(work_out / name, target.with_suffix(".part")), target)  # whole or absent

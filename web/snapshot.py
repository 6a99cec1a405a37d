"""The Python starts pages restore instead of starting Python: Pyodide memory snapshots taken on Node at build
time (web/node/make_snapshot.mjs), restored by worker.js (web/static/python_start.js).

- `snapshot.bin.gz`, the small one (7 MB), restored by every first visit: the runtime right after it started and
  imported the standard-library modules a page's start needs (web/startup_stdlib.txt), before any package loaded.
  Made from the pinned core the tests run, so any page restores it (self-hosted or from the CDN).
- `snapshot-packages-<kind>-<digest>.bin.gz`, the bundles (self-hosted sites only, about 25 MB each): the same, then the
  page packages loaded from the site's own wheels, boot.py run and the modules a page's start imports imported
  (every page's entry module, and web/startup_modules.txt), with the packages' files (Emscripten keeps files
  outside the memory) and numpy's binary libraries, which are loaded again at their recorded addresses before
  the memory is copied (Pyodide 0.27 does not restore them by itself). Pages read it only from the service
  worker's cache, so it serves repeat visits without costing a first visit anything. The build restores it once
  on Node to check it. One bundle per kind of engine (BUNDLE_KINDS, python_start.js bundleKind): the layout of the
  wasm table the libraries load into differs between V8 or SpiderMonkey ("shared") and JavaScriptCore ("per-slot",
  taken and checked on Node with JavaScriptCore's tables emulated: web/node/python_start.mjs emulateTables); a
  browser stores and restores only its own.

Both are reproducible (fixed random bytes and clocks while they are taken, packages loaded one at a time) and
gzipped here because hosts do not compress unknown binary files. start.json holds the small one's SHA-256,
which the worker checks, and the bundle's file name, which holds its digest: a cached bundle is the one the
build made (the service worker checks the gzip stream's CRC when it stores it, inflated). Anything wrong means
the next best start.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from web.pyodide_dist import DistError
from web.pyodide_run import PROJECT, test_distribution
from web.start_packages import ROOT
from web.startup_modules import load, load_stdlib

NODE_DIR = Path(__file__).with_name("node")
SNAPSHOT_FILE = "snapshot.bin.gz"
BUNDLE_PREFIX = "snapshot-packages-"  # + kind + "-" + 16 hex digits of its uncompressed SHA-256 + ".bin.gz"
BUNDLE_KINDS = ("shared", "per-slot")


def _node(script: str, config: dict, what: str) -> str:
    """Run web/node/`script` with `config` (as a JSON file); return its output, or stop the build saying `what`
    failed."""
    node = shutil.which("node")
    if node is None:
        raise DistError(
            "node is not installed, and the build needs it for the Python start: run `make install` "
            "(Debian: apt-get install nodejs)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "config.json").write_text(json.dumps(config))
        result = subprocess.run(
            [node, str(NODE_DIR / script), str(Path(tmp) / "config.json")], capture_output=True, text=True
        )
    if result.returncode != 0:
        raise DistError(f"{what} on Node failed:\n{result.stderr[-2000:]}")
    return result.stdout


def write_snapshot(dist: Path) -> dict:
    """Write `dist/snapshot.bin.gz`; return start.json's entry: {"sha256": of the uncompressed memory}."""
    core = test_distribution(PROJECT / "build" / "pyodide-node")  # the pinned core, as the tests run it
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "snapshot.bin"
        _node(
            "make_snapshot.mjs",
            {"dist": str(core), "out": str(raw), "modules": load_stdlib()},
            "taking the snapshot of Python's start",
        )
        memory = raw.read_bytes()
    (dist / SNAPSHOT_FILE).write_bytes(gzip.compress(memory, compresslevel=9, mtime=0))  # every first visit loads it
    return {"sha256": hashlib.sha256(memory).hexdigest()}


def startup_imports() -> list[str]:
    """The modules of web/startup_modules.txt ("panel/layout/base.py" -> "panel.layout.base")."""
    names = (path.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for path in load())
    return sorted(name for name in names if "-" not in name)  # not a package's data (*.data/...)


def write_packages_snapshot(dist: Path, boot: Path, entry_modules: Iterable[str], on_import: Iterable[str]) -> dict:
    """Write the bundles into the self-hosted distribution `dist`, made from its core, lock and wheels as pages
    load them (`on_import` packages left out), with `boot` run and `entry_modules` and the start-up modules
    imported; restore each once to check it. Return start.json's entry: {kind: {"file": its name}}."""
    imports = sorted({*entry_modules, *startup_imports()})
    site = {
        "dist": str(dist),
        "lock": str(dist / "pyodide-lock.json"),
        "on_import": list(on_import),
        "packages": [ROOT],
    }
    for old in dist.glob(f"{BUNDLE_PREFIX}*"):
        old.unlink()
    check = (
        "import sys, numpy\nmissing = [m for m in NAMES if m not in sys.modules]\n"
        "missing or float(numpy.linalg.inv(numpy.eye(3) * 2).sum())"
    )

    taking = {**site, "modules": load_stdlib(), "boot": str(boot), "imports": imports}

    def take(kind: str) -> tuple[str, dict]:
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "bundle.bin"
            config = {**taking, "kind": kind, "out": str(raw)}
            _node("make_snapshot.mjs", config, f"taking the {kind} bundle of Python's start")
            bundle = raw.read_bytes()
        name = f"{BUNDLE_PREFIX}{kind}-{hashlib.sha256(bundle).hexdigest()[:16]}.bin.gz"
        (dist / name).write_bytes(gzip.compress(bundle, compresslevel=6, mtime=0))  # level 9: 1% smaller, 4x slower
        output = restore(dist, name, {**site, "kind": kind, "code": f"NAMES = {imports!r}\n{check}"})
        if output["result"] != "1.5":
            raise DistError(f"the {kind} bundle restored on Node, but is wrong: {output['result']}")
        return kind, {"file": name}

    with ThreadPoolExecutor(len(BUNDLE_KINDS)) as pool:  # each kind in its own Node process, side by side
        return dict(pool.map(take, BUNDLE_KINDS))


def restore(dist: Path, name: str, config: dict) -> dict:
    """Restore the snapshot `dist/name` on Node as a page does, with `config` for web/node/restore_snapshot.mjs
    (packages to load after it, code to run); return its report: {restored, loaded, ran (s), result}."""
    config = {"dist": str(dist), "snapshot": str(dist / name), "bundle": name.startswith(BUNDLE_PREFIX), **config}
    output = _node("restore_snapshot.mjs", config, f"restoring {name}")
    return json.loads(output.strip().splitlines()[-1])

"""The Python start every page restores instead of starting Python: a Pyodide memory snapshot taken on Node at
build time (web/node/make_snapshot.mjs), right after the runtime started and imported the standard-library
modules a page's start needs (web/startup_stdlib.txt), before any package loaded.

Pyodide 0.27.7 by itself restores a snapshot only from before any package loads (a loaded binary extension such
as numpy's must first be loaded again at its recorded addresses: docs/benchmarks.md, session 7, not done yet), so
this saves the runtime's own start and those imports, on the first visit as on every later one. The snapshot is the
wasm memory of the pinned core, so it is made from the same verified files any page runs (self-hosted or from the
CDN). It is reproducible (fixed random bytes and clock while it is taken), gzipped here because hosts do not
compress unknown binary files, and its SHA-256 goes into start.json so the worker restores only an intact one;
anything wrong means a normal start.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from web.pyodide_dist import DistError
from web.pyodide_run import PROJECT, test_distribution
from web.startup_modules import load_stdlib

MAKER = Path(__file__).with_name("node") / "make_snapshot.mjs"
SNAPSHOT_FILE = "snapshot.bin.gz"


def write_snapshot(dist: Path) -> dict:
    """Write `dist/snapshot.bin.gz` (worker.js fetches it by that name); return start.json's entry:
    {"sha256": of the uncompressed memory}."""
    node = shutil.which("node")
    if node is None:
        raise DistError("node is not installed, and the build needs it for the Python start: run `make install` "
                        "(Debian: apt-get install nodejs)")
    core = test_distribution(PROJECT / "build" / "pyodide-node")  # the pinned core, as the tests run it
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "snapshot.bin"
        command = [node, str(MAKER), str(core), str(raw), ",".join(load_stdlib())]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not raw.is_file():
            raise DistError(f"taking the snapshot of Python's start on Node failed:\n{result.stderr[-2000:]}")
        memory = raw.read_bytes()
    (dist / SNAPSHOT_FILE).write_bytes(gzip.compress(memory, compresslevel=9, mtime=0))
    return {"sha256": hashlib.sha256(memory).hexdigest()}

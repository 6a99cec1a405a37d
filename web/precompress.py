"""Files a self-hosted site stores gzipped, because a static host may send them as they are.

Pyodide's runtime, `pyodide.asm.wasm`, is 10 MB as released and 3 MB gzipped: the largest file of a first visit.
GitHub Pages, Netlify or a school's nginx may or may not compress it on the way (many hosts compress text only), so
the site also stores `pyodide.asm.wasm.gz`, start.json names it (`gzipped`), and worker.js answers Pyodide's request
for the runtime with that file inflated as it arrives (WebAssembly still compiles while it downloads). The plain file
stays for the tools that run the site's Pyodide on Node (web/startup_modules.py); no page fetches it, and the service
worker's list of the site leaves it out (web/site.py).
The other large files are compressed already (the wheels are zips, the snapshots gzipped) or are read by the page as
scripts, which only the host can compress.
"""

from __future__ import annotations

import gzip
from pathlib import Path

GZIPPED = ("pyodide.asm.wasm",)


def precompress(dist: Path, names: tuple[str, ...] = GZIPPED) -> list[str]:
    """Write `<name>.gz` beside each of `names` in `dist` (the same bytes every build: no time stamp); return the
    written names. A name the folder lacks (a CDN build keeps Pyodide's core on the CDN) is left out."""
    stored = []
    for name in names:
        plain = dist / name
        if plain.is_file():
            (dist / f"{name}.gz").write_bytes(gzip.compress(plain.read_bytes(), compresslevel=9, mtime=0))
            stored.append(f"{name}.gz")
    return stored

"""Files a self-hosted site stores gzipped, because a static host may send them as they are.

GitHub Pages, Netlify or a school's nginx may or may not compress a file on the way (many hosts compress text only, some
nothing), so the files a first visit waits for are also stored as `<name>.gz`, and the site fetches those and inflates
them itself (static/gunzip.js; a host that sends them with "Content-Encoding: gzip" works too):

- Pyodide's runtime, `pyodide.asm.wasm` (10 MB as released, 3 MB gzipped) and `pyodide.asm.js` (1.3 MB, 0.24 MB):
  start.json names them (`gzipped`); worker.js answers Pyodide's request for the plain file with the stored one,
  inflated as it arrives (WebAssembly still compiles while it downloads).
- BokehJS and Panel's scripts (2.7 MB, 0.7 MB gzipped) and each page's preview (0.1-0.6 MB, a sixth of that): the
  page fetches them (web/pages.py) and loader.js runs or reads them inflated.

The plain files stay (the tools that run the site's Pyodide on Node read the runtime, people read the scripts), but no
page fetches a file stored gzipped beside it, and the service worker's list of the site leaves them out (web/site.py).
The other large files are compressed already: the wheels are zips, the snapshots and the MNIST digits gzipped.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

RUNTIME = ("pyodide.asm.wasm", "pyodide.asm.js")  # in the site's pyodide/ folder
SUFFIX = ".gz"


def precompress(folder: Path, names: Iterable[str] = RUNTIME) -> list[str]:
    """Write `<name>.gz` beside each of `names` (paths relative to `folder`; the same bytes every build: no time
    stamp); return the written names. A name the folder lacks (a CDN build keeps Pyodide's core on the CDN) is left
    out."""
    stored = []
    for name in names:
        plain = folder / name
        if plain.is_file():
            (folder / f"{name}{SUFFIX}").write_bytes(gzip.compress(plain.read_bytes(), compresslevel=9, mtime=0))
            stored.append(f"{name}{SUFFIX}")
    return stored


def stored_gzipped(site: Path) -> set[str]:
    """The files of `site` (paths relative to it) stored gzipped beside themselves: pages fetch `<name>.gz` instead."""
    return {
        path.relative_to(site).as_posix().removesuffix(SUFFIX)
        for path in site.rglob(f"*{SUFFIX}")
        if path.with_suffix("").is_file()
    }

"""Which modules of the site's packages a page imports before it is ready: those ship as bytecode (imported
at every start, so compiling them in the build saves the browser that work), the rest as source (smaller to
download, compiled only if a later action imports them). See web/bytecode.py.

The standard-library modules the start imports are recorded too (web/startup_stdlib.txt): the snapshot of
Python's start (web/snapshot.py) imports them before it is taken, so no page spends time on them.

Both lists are measured, not guessed, and kept beside this file so a build needs no extra Pyodide run:

    python -m web.startup_modules build/site     re-measure on a built self-hosted site and rewrite the lists

tests/web/test_startup_modules.py measures again and fails when the list is out of date.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from web.pyodide_run import PROJECT, RUNNER

LIST = Path(__file__).with_name("startup_modules.txt")
STDLIB_LIST = Path(__file__).with_name("startup_stdlib.txt")
PROBE = Path(__file__).with_name("node") / "startup_probe.py"
BOOT = Path(__file__).with_name("static") / "boot.py"
# The page a visitor opens first, started as the worker starts it.
ENTRIES = ("playground.sandbox.app:create_app",)
HEADER = "# Written by `python -m web.startup_modules SITE`: the {} a page imports at start, one per line.\n"


def _read(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line and not line.startswith("#")]


def load() -> frozenset[str]:
    """The recorded list: wheel member names such as "panel/layout/base.py"."""
    return frozenset(_read(LIST))


def load_stdlib() -> list[str]:
    """The recorded standard-library modules, such as "json.decoder", sorted."""
    return _read(STDLIB_LIST)


def measure(dist: Path, entries: tuple[str, ...] = ENTRIES) -> tuple[list[str], list[str]]:
    """Start the entries inside Pyodide on Node from the distribution `dist` (a built self-hosted site's
    pyodide/ folder) and return (the site's module files imported, the standard-library modules), sorted."""
    node = shutil.which("node")
    if node is None:
        sys.exit("node is not installed: run `make install` (Debian: apt-get install nodejs)")
    inside = [f"/project/{p.resolve().relative_to(PROJECT).as_posix()}" for p in (PROBE, BOOT)]
    result = subprocess.run(
        [node, str(RUNNER), str(dist.resolve()), str(PROJECT), '["nn-playground"]', "--script", *inside, *entries],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"measuring the start-up modules failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    lines = result.stdout.splitlines()

    def listed(kind):
        return sorted(line.split(": ", 1)[1] for line in lines if line.startswith(kind + ": "))

    return listed("startup"), listed("stdlib")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.startup_modules", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built self-hosted site (e.g. build/site)")
    args = parser.parse_args(argv)
    modules, stdlib = measure(args.site / "pyodide")
    LIST.write_text(HEADER.format("modules of the site's packages") + "".join(m + "\n" for m in modules))
    STDLIB_LIST.write_text(HEADER.format("standard-library modules") + "".join(m + "\n" for m in stdlib))
    print(
        f"{len(modules)} start-up modules written to {LIST.relative_to(PROJECT)}, "
        f"{len(stdlib)} standard-library modules to {STDLIB_LIST.relative_to(PROJECT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

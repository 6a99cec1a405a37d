"""Run the project's Python inside Pyodide on Node, offline, from a self-hosted distribution.

python -m web.pyodide_run --pytest tests/nn_core -q
python -m web.pyodide_run --script benchmarks/bench_engine.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from web.fetch import pip_download
from web.pins import load_pins
from web.pyodide_dist import assemble

PROJECT = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).with_name("node") / "run_in_pyodide.mjs"


def test_distribution(out: Path) -> Path:
    """A distribution with the site's packages plus pytest, rebuilt only when the pins change."""
    pins = load_pins()
    stamp = out / ".pins"
    if stamp.is_file() and stamp.read_text() == pins.__repr__():
        return out
    wheels = [pip_download(w.requirement, w.sha256) for w in pins.test_wheels]
    assemble(out, [*pins.site_packages, *pins.test_packages], extra_wheels=wheels, pins=pins)
    stamp.write_text(pins.__repr__())
    return out


def run(mode: str, args: list[str], dist: Path) -> int:
    node = shutil.which("node")
    if node is None:
        sys.exit("node is not installed: run `make install` (Debian: apt-get install nodejs)")
    packages = ["numpy", "pytest"] if mode == "--pytest" else ["numpy"]
    cmd = [node, str(RUNNER), str(test_distribution(dist)), str(PROJECT), json.dumps(packages), mode, *args]
    return subprocess.run(cmd).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.pyodide_run", description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--pytest", action="store_true", help="run pytest with the remaining arguments")
    group.add_argument("--script", action="store_true", help="run a Python file with the remaining arguments")
    parser.add_argument(
        "--dist",
        type=Path,
        default=PROJECT / "build" / "pyodide-node",
        help="where the test distribution is kept (default: build/pyodide-node)",
    )
    known, rest = parser.parse_known_args(argv)
    return run("--pytest" if known.pytest else "--script", rest, known.dist)


if __name__ == "__main__":
    sys.exit(main())

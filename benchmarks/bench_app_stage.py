"""The site's app stage inside Pyodide on Node: what the worker does after the packages are loaded (run boot.py,
build a page's app, serialize its document), timed per page, from built sites' own Pyodide, wheels and boot.py.
Also counts the modules each start imports, by package. docs/benchmarks.md records it.

    python benchmarks/bench_app_stage.py --site A [--site B ...] [--runs 3] [--entry module:function ...]
                                         [--first pandas,narwhals.stable.v1]

Sites are measured side by side (runs interleaved, medians' ratios to the first site): on a shared machine only
such ratios compare fairly. `--first` also starts every page once more after importing those modules, timed on
their own: what importing them costs at a start (the rest of the stage is then the app without them).
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import time
from pathlib import Path

ENTRIES = ("playground.sandbox.app:create_app", "playground.mnist.app:create_app", "site_lessons:lesson_01_one_neuron")
SITE = "/site"  # where the measured site is mounted inside Pyodide
PROBE = "/project/web/node/startup_probe.py"
# The packages whose modules the counts show separately; the rest are summed as "other".
COUNTED = ("pandas", "narwhals", "markdown", "markdown_it", "mdit_py_plugins", "bleach", "bokeh", "panel", "numpy")


def inside(site: str, entry: str, first: str) -> None:
    """In Pyodide: start `entry` as the site's worker does and print the timings and module counts as JSON."""
    import importlib

    start = prepare(site)
    before = set(sys.modules)
    times = {}
    clock = time.perf_counter()
    for name in filter(None, first.split(",")):
        importlib.import_module(name)
    times["first"], clock = time.perf_counter() - clock, time.perf_counter()
    runpy.run_path(f"{SITE}/boot.py")
    times["boot"], clock = time.perf_counter() - clock, time.perf_counter()
    start(entry)
    times["app"] = time.perf_counter() - clock
    counts = {}
    for name in set(sys.modules) - before:
        top = name.split(".")[0]
        key = top if top in COUNTED else "other"
        counts[key] = counts.get(key, 0) + 1
    print("bench:", json.dumps({"times": times, "modules": counts}))


def prepare(site: str):
    """In Pyodide: mounts the built `site` at SITE and makes its wheels, not the project folder, what imports find, as
    in the browser; returns the startup probe's `start(entry)`, which builds a page's app as boot.render does."""
    import pyodide_js
    from pyodide.code import run_js

    pyodide_js.mountNodeFS(SITE, site)
    # The MNIST lab fetches its data file from the site with a synchronous XMLHttpRequest, which Node lacks: read
    # the file from the site's folder instead (before the probe stands in an empty class).
    run_js(
        "globalThis.XMLHttpRequest = class { open(method, url) { this.url = url } send() {"
        f" const bytes = process.getBuiltinModule('fs').readFileSync({json.dumps(site)} + '/' + this.url);"
        " this.status = 200; this.response = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)"
        " } }"
    )
    # The app's code comes from the site's own wheel, as in the browser, not from the project folder.
    os.chdir("/")
    sys.path[:] = [entry for entry in sys.path if entry not in ("", ".", "/project")]
    return runpy.run_path(PROBE)["start"]  # also gives Node the XMLHttpRequest panel.io.pyodide imports


def measure(node: str, site, entry: str, first: str) -> dict:
    return run_inside(node, site, Path(__file__), "--inside", str(site.resolve()), entry, first)


def run_inside(node: str, site, script: Path, *args: str) -> dict:
    """Runs the project's `script` with `args` inside Pyodide on Node, from the built `site`'s own distribution; the
    JSON it printed on its `bench: ` line."""
    import subprocess

    from web.pyodide_run import PROJECT, RUNNER

    inside_path = f"/project/{script.resolve().relative_to(PROJECT).as_posix()}"
    command = [node, str(RUNNER), str(site / "pyodide"), str(PROJECT), '["nn-playground"]', "--script", inside_path]
    result = subprocess.run([*command, *args], capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith("bench: ")]
    if result.returncode != 0 or not lines:
        raise SystemExit(
            f"{script.name} {' '.join(args)} from {site} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return json.loads(lines[0].split(": ", 1)[1])


def report(entry: str, sites, runs: dict, first: str) -> None:
    import statistics

    print(f"\n{entry} (seconds, medians of {len(next(iter(runs.values())))} runs; each run in brackets)")
    baseline = None
    for site in sites:
        for key in ("", first) if first else ("",):
            results = runs[(site, key)]
            total = [sum(r["times"].values()) for r in results]
            median = statistics.median(total)
            baseline = baseline or median
            parts = " + ".join(
                f"{name} {statistics.median(r['times'][name] for r in results):.2f}"
                for name in ("first", "boot", "app")
                if key or name != "first"
            )
            modules = results[0]["modules"]
            counted = ", ".join(f"{name} {modules[name]}" for name in (*COUNTED, "other") if name in modules)
            label = f" importing {key} first" if key else ""
            print(
                f"  {site}{label}: {median:.2f} s [{' / '.join(f'{t:.2f}' for t in total)}] x{median / baseline:.2f}"
                f" = {parts}\n    modules imported: {sum(modules.values())} ({counted})"
            )


def main() -> None:
    import argparse
    import shutil

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, action="append", required=True, help="a built self-hosted site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--entry", action="append", help="module:function of a page (default: sandbox, MNIST lab, lesson 1)"
    )
    parser.add_argument("--first", default="", help="comma-separated modules to time on their own before the start")
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is not installed: run `make install` (Debian: apt-get install nodejs)")
    for site in args.site:
        if not (site / "boot.py").is_file():
            raise SystemExit(f"{site} holds no built site (no boot.py)")
    configurations = [""] + ([args.first] if args.first else [])
    for entry in args.entry or ENTRIES:
        runs = {}
        for _ in range(args.runs):
            for site in args.site:
                for first in configurations:
                    runs.setdefault((site, first), []).append(measure(node, site, entry, first))
        report(entry, args.site, runs, args.first)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inside"]:
        inside(*sys.argv[2:5])
    else:
        main()

"""What one redraw of the training sandbox costs its worker, part by part, inside Pyodide on Node: built sites side by
side (their own Pyodide, wheels and boot.py), the sandbox app linked to a stand-in page as boot.py links it.

Per frame, as the Ticker makes it while training: an epoch of training, the view's refresh, the pictures (maps, the
diagram, the output map, the open tab), the numbers (curves, counter, status) and the patch leaving (`flush`: the
changes serialized and converted for the page); then a frame of numbers only. After --epochs epochs trained a
frame at a time, the curves hold that many points, as on a page that has trained that long.

    python benchmarks/bench_frame_parts.py --site A [--site B ...] [--epochs 600] [--frames 40] [--runs 2]
                                           [--query hidden_layers=16,16,16,16,16,16,16,16]  # a page URL's settings

Medians over the frames (ms), and the picture frames' mean (which shows Python's occasional full garbage collection,
the medians not); with two or more sites, each part's ratio to the first site's, runs interleaved.
"""

from __future__ import annotations

import json
import runpy
import statistics
import sys
import time
from pathlib import Path

PARTS = ("epoch", "refresh", "maps", "network", "output", "more", "numbers", "flush", "numbers-only frame flush")


def inside(site: str, epochs: str, frames: str, query: str = "") -> None:
    """In Pyodide: the sandbox on the stand-in page (with the settings of `query`), trained `epochs` epochs, then
    `frames` frames timed; prints the parts' medians and the two kinds of patch's sizes as JSON."""
    from benchmarks.bench_app_stage import SITE, prepare

    prepare(site)
    boot = runpy.run_path(f"{SITE}/boot.py")
    from panel.io.pyodide import init_doc
    from panel.io.state import state
    from panel.pane import panel as as_panel

    from playground.sandbox.app import SandboxApp

    init_doc()
    app = SandboxApp(SandboxApp.state_class.from_query(query)[0])
    as_panel(app).server_doc(state.curdoc)
    sent = []
    sender = boot["link"](lambda patch, buffers: sent.append((patch, buffers)))
    boot.get("started", lambda: None)()  # what boot.render does once the app is built (an older site: nothing)
    session = app.session
    session.toggle()
    for _ in range(int(epochs)):  # a point on the curves per frame, as while playing
        session.tick(session.steps_per_epoch())
    times = {part: [] for part in PARTS}

    def timed(part, function, *args, **kwargs):
        clock = time.perf_counter()
        result = function(*args, **kwargs)
        times[part].append(1000 * (time.perf_counter() - clock))
        return result

    def numbers():
        app.output.refresh_curves()
        app.top.refresh()
        app.status.refresh()

    for _ in range(int(frames)):
        timed("epoch", session.tick, session.steps_per_epoch(), refresh=False)
        timed("refresh", session.refresh)
        with app.redrawing():
            app.maps = timed("maps", app._compute_maps)
            timed("network", app.network.refresh, app.maps)
            timed("output", app.output.refresh, app.maps)
            timed("more", app._refresh_more)
            timed("numbers", numbers)
        timed("flush", sender.flush)
        sender.applied(0)
        session.tick(session.steps_per_epoch())
        with app.redrawing():
            numbers()
        timed("numbers-only frame flush", sender.flush)
        sender.applied(0)
    import js

    sizes = {"pictures": len(js.JSON.stringify(sent[-2][0])), "numbers only": len(js.JSON.stringify(sent[-1][0]))}
    medians = {part: statistics.median(values[len(values) // 4 :]) for part, values in times.items()}
    frames = [sum(times[part][index] for part in PARTS[:-1]) for index in range(len(times["epoch"]))]
    medians["picture frame, mean"] = statistics.mean(frames[len(frames) // 4 :])
    print("bench:", json.dumps({"ms": medians, "patch bytes": sizes}))


def main() -> None:
    import argparse
    import shutil

    from benchmarks.bench_app_stage import run_inside

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, action="append", required=True, help="a built site with the sandbox")
    parser.add_argument("--epochs", type=int, default=600)
    parser.add_argument("--frames", type=int, default=40)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--query", default="", help="the sandbox's settings as in a page URL's query")
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is not installed: run `make install` (Debian: apt-get install nodejs)")
    runs = {site: [] for site in args.site}
    for _ in range(args.runs):
        for site in args.site:
            runs[site].append(
                run_inside(
                    node,
                    site,
                    Path(__file__),
                    "--inside",
                    str(site.resolve()),
                    str(args.epochs),
                    str(args.frames),
                    args.query,
                )  # fmt: skip
            )
    first = args.site[0]
    print(f"sandbox redraw parts in Pyodide on Node after {args.epochs} epochs (ms, median of {args.runs} runs)")
    print("part".ljust(26) + "".join(str(site)[-24:].rjust(26) for site in args.site))
    for part in (*PARTS, "picture frame", "picture frame, mean"):
        values = {site: statistics.median(_part(run, part) for run in runs[site]) for site in args.site}
        cells = [
            f"{values[site]:.2f}" + (f" (x{values[site] / values[first]:.2f})" if site != first else "")
            for site in args.site
        ]
        print(part.ljust(26) + "".join(cell.rjust(26) for cell in cells))
    for kind in ("pictures", "numbers only"):
        print(f"patch bytes, {kind}: " + ", ".join(f"{runs[site][-1]['patch bytes'][kind]:,}" for site in args.site))


def _part(run: dict, part: str) -> float:
    """A part's median; "picture frame": the parts of a frame with pictures added up."""
    if part == "picture frame":  # of the parts' medians
        return sum(run["ms"][name] for name in PARTS[:-1])
    return run["ms"][part]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inside"]:
        inside(*sys.argv[2:6])
    else:
        main()

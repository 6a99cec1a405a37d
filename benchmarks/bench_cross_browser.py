"""The sandbox training in Firefox ESR, WebKitGTK and Chromium (Debian's, driven as the cross-browser tests drive them,
tests/browser/crossbrowser/) side by side in one run, the browsers taking turns: epochs per second, redraws (patches
from Python) per second, where a redraw's time goes, and which threads had the CPU. docs/benchmarks.md records it.

    python -m benchmarks.bench_cross_browser [--site DIR] [--seconds 10] [--rounds 2] [--browsers Firefox,WebKit]
    (default: builds the sandbox page into build/bench-sandbox-site, as bench_sandbox_site.py does)

Each round opens each browser afresh, waits for the page to be ready and the site stored by the service worker, presses
Play and measures `--seconds` after 2 s. A redraw is one cycle of the page's flow control (web/static/loader.js): a
patch arrives and is applied (`apply`, ms in BokehJS's apply_json_patch), the page acknowledges it at its next
animation frame (`to frame`, ms from the patch applied to then), Python sends the next (`python`, ms from the
acknowledgement to the next patch; Python trains while it waits). Per second: ms in animation-frame callbacks (BokehJS
paints its canvases there), ms from each frame's first callback to the first task after the frame less those callbacks
(`rendering`: the browser's style, layout and paint, plus any task queued before), animation frames, and CPU time of the
browser's processes and of the Web Worker thread that runs Python (Linux's /proc): epochs per second of the worker's
CPU compare the engines' speed apart from how much CPU the worker got.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from benchmarks.bench_sandbox_site import DEFAULT_SITE, sandbox_site
from web.serve import make_server

PROJECT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "other_browsers", PROJECT / "tests" / "browser" / "crossbrowser" / "other_browsers.py"
)
other_browsers = sys.modules["other_browsers"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(other_browsers)

# Installed once the page is ready: wraps BokehJS's Document.apply_json_patch, Worker.postMessage (the page's
# "applied") and requestAnimationFrame, and counts from then on.
METER = """
window.pgMeter ??= (() => {
  const meter = { patches: 0, applyMs: 0, toFrameMs: 0, pythonMs: 0, frames: 0, callbacksMs: 0, frameMs: 0 };
  let applied = null, acknowledged = null;
  const documents = window.Bokeh.documents[0].constructor.prototype;
  const apply = documents.apply_json_patch;
  documents.apply_json_patch = function (...args) {
    const start = performance.now();
    if (acknowledged !== null) meter.pythonMs += start - acknowledged;
    try {
      return apply.apply(this, args);
    } finally {
      applied = performance.now();
      acknowledged = null;
      meter.patches += 1;
      meter.applyMs += applied - start;
    }
  };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message?.type === "applied" && applied !== null) {
      acknowledged = performance.now();
      meter.toFrameMs += acknowledged - applied;
      applied = null;
    }
    return post.call(this, message, ...rest);
  };
  // Each frame the page asks for (a perpetual loop of the meter's own would make the browser render frames the page
  // does not need, which costs WebKitGTK under Xvfb much): from its first callback to the first task after it, which
  // runs once the frame is rendered (the frame callbacks, then the browser's style, layout and paint).
  const channel = new MessageChannel();
  channel.port1.onmessage = ({ data: start }) => { meter.frameMs += performance.now() - start; };
  let lastFrame = null; // the callbacks of one frame share its time stamp
  const frame = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => frame((time) => {
    const start = performance.now();
    if (time !== lastFrame) {
      lastFrame = time;
      meter.frames += 1;
      channel.port2.postMessage(start);
    }
    try {
      callback(time);
    } finally {
      meter.callbacksMs += performance.now() - start;
    }
  });
  return meter;
})()
"""
READ = "{ ...window.pgMeter, epoch: Number(pg.state().status.epoch), now: performance.now() }"


# The thread that runs Python (the page's Web Worker) in each browser, by its name in /proc.
WORKER_THREADS = ("DOM Worker", "WebCore: Worker", "DedicatedWorker")


def _stat(path: Path) -> tuple[str, list[str]]:
    text = path.read_text()
    return text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()


def cpu_seconds(root: int) -> tuple[float, float]:
    """CPU time (user + system) of the process `root` with every process under it, and of their Web Worker threads
    that run Python (Linux's /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            parents[int(entry.name)] = int(_stat(entry / "stat")[1][1])
        except (OSError, ValueError):
            continue
    tree, changed = {root}, True
    while changed:
        grown = tree | {pid for pid, parent in parents.items() if parent in tree}
        changed, tree = grown != tree, grown
    total = worker = 0.0
    for pid in tree:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                name, fields = _stat(task / "stat")
            except OSError:
                continue
            seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            total += seconds
            worker += seconds if name.startswith(WORKER_THREADS) else 0
    return total, worker


def measure(browser, url: str, seconds: float) -> dict:
    """Open the sandbox in a fresh session, press Play and measure `seconds` of training after 2 s of warm-up."""
    browser.goto(url)
    state = other_browsers.wait_for(browser, lambda s: other_browsers.settled(s) and s["status"], 240)
    if state["loader"] != "ready":
        raise SystemExit(f"{browser.name}: the sandbox did not start: {state['message']}")
    # The service worker stores the page's files once it is ready: measured after it is done, it takes no CPU then.
    other_browsers.wait_for(browser, lambda s: s["pageStored"], 120)
    browser.evaluate(METER)
    browser.evaluate("pg.click('Play')")
    other_browsers.wait_for(browser, lambda s: s["status"]["state"] == "running", 60)
    time.sleep(2)  # past the first ticks, which size the steps per tick
    start, cpu = browser.evaluate(READ), cpu_seconds(browser.pid)
    time.sleep(seconds)
    end, cpu_end = browser.evaluate(READ), cpu_seconds(browser.pid)
    cpu, worker_cpu = (cpu_end[0] - cpu[0]), (cpu_end[1] - cpu[1])
    browser.evaluate("pg.click('Pause')")
    elapsed = (end["now"] - start["now"]) / 1000
    patches = max(end["patches"] - start["patches"], 1)
    return {
        "epochs/s": (end["epoch"] - start["epoch"]) / elapsed,
        "redraws/s": patches / elapsed,
        "apply ms": (end["applyMs"] - start["applyMs"]) / patches,
        "to frame ms": (end["toFrameMs"] - start["toFrameMs"]) / patches,
        "python ms": (end["pythonMs"] - start["pythonMs"]) / patches,
        "frame callbacks ms/s": (end["callbacksMs"] - start["callbacksMs"]) / elapsed,
        "rendering ms/s": (end["frameMs"] - start["frameMs"] - end["callbacksMs"] + start["callbacksMs"]) / elapsed,
        "frames/s": (end["frames"] - start["frames"]) / elapsed,
        "browser CPU ms/s": 1000 * cpu / elapsed,
        "worker CPU ms/s": 1000 * worker_cpu / elapsed,
        "epochs/worker CPU s": (end["epoch"] - start["epoch"]) / max(worker_cpu, 0.01),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site with a sandbox.html page")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--browsers", default="Firefox,WebKit,Chromium")
    parser.add_argument("--query", default="", help="the sandbox's settings, e.g. hidden_layers=16,16 (default: none)")
    args = parser.parse_args()
    names = args.browsers.split(",")
    site = args.site or sandbox_site(DEFAULT_SITE)
    server = make_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sandbox.html" + (f"?{args.query}" if args.query else "")
    results: dict[str, list[dict]] = {name: [] for name in names}
    versions = {}
    try:
        for round_ in range(1, args.rounds + 1):
            for name in names:
                browser = other_browsers.open_browser(name)
                try:
                    versions[name] = browser.version
                    result = measure(browser, url, args.seconds)
                finally:
                    browser.close()
                results[name].append(result)
                load = Path("/proc/loadavg").read_text().split()[0]
                print(
                    f"round {round_} {name}: "
                    + ", ".join(f"{k} {v:.1f}" for k, v in result.items())
                    + f" (load {load})"
                )
    finally:
        server.shutdown()
    print(f"\nmedians over {args.rounds} rounds of {args.seconds:g} s, {args.query or 'default network'}:")
    reference = statistics.median(r["epochs/s"] for r in results[names[0]])
    for name in names:
        median = {key: statistics.median(r[key] for r in results[name]) for key in results[name][0]}
        ratio = reference / median["epochs/s"] if median["epochs/s"] else float("inf")
        print(
            f"{versions[name]}: "
            + ", ".join(f"{k} {v:.1f}" for k, v in median.items())
            + f"; {names[0]} / this {ratio:.2f}"
        )


if __name__ == "__main__":
    main()

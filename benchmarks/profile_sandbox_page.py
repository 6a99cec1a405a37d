"""Where the sandbox page's main thread spends its time while the network trains: the built site in headless
Chromium, Play, then the Chrome DevTools protocol's sampling profiler for a few seconds. Prints the functions with
the most self time (ms per second of training, the page's main thread only: the worker is not sampled), the
inclusive time of the functions matching --focus, and the browser's own counters over the same seconds (style
recalculations and layouts: count and ms per second, frames/s as bench_sandbox_site.py counts them).

    python benchmarks/profile_sandbox_page.py --site DIR [--network default|largest] [--seconds 6] [--top 25]
        [--focus REGEX]
    (default: builds the sandbox page into build/bench-sandbox-site, as bench_sandbox_site.py does)

Native calls (getComputedStyle, getPropertyValue, ...) show as their own entries; a style recalculation they force
counts in their self time, one the browser does in its own rendering steps shows as "(program)".
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.bench_sandbox_site import DEFAULT_SITE, LARGEST, open_sandbox, sandbox_browser, wait_status
from benchmarks.bench_site import offline_context

FOCUS = r"getComputedStyle|getPropertyValue|_get_css_value|base_font_size|apply_json_patch|paint"
COUNTERS = (
    "RecalcStyleCount",
    "RecalcStyleDuration",
    "LayoutCount",
    "LayoutDuration",
    "ScriptDuration",
    "TaskDuration",
)


def counters(cdp) -> dict:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] in COUNTERS}


def label(frame: dict) -> str:
    name = frame["functionName"] or "(anonymous)"
    if not frame["url"]:
        return name
    return f"{name} {frame['url'].rsplit('/', 1)[-1]}:{frame['lineNumber'] + 1}:{frame['columnNumber'] + 1}"


def self_and_total(profile: dict) -> tuple[dict, dict]:
    """Milliseconds per function label: self time, and inclusive time (each sample counts once per label on its
    stack, so recursion is not counted twice)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent = {child: node["id"] for node in profile["nodes"] for child in node.get("children", [])}
    own, total = defaultdict(float), defaultdict(float)
    for node_id, delta_us in zip(profile["samples"], profile["timeDeltas"], strict=True):
        ms = delta_us / 1000
        own[label(nodes[node_id]["callFrame"])] += ms
        seen = set()
        while node_id is not None:
            seen.add(label(nodes[node_id]["callFrame"]))
            node_id = parent.get(node_id)
        for name in seen:
            total[name] += ms
    return own, total


def profile(page, seconds: float) -> tuple[dict, dict, dict, float, float]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})  # microseconds
    page.evaluate("window.pgButton('Play').click()")
    wait_status(page, "running")
    page.wait_for_timeout(2_000)  # past the first ticks, which size the steps per tick
    before, frames = counters(cdp), page.evaluate("window.pgPatches")
    cdp.send("Profiler.start")
    started = time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    result = cdp.send("Profiler.stop")["profile"]
    elapsed = time.monotonic() - started
    after, frames = counters(cdp), page.evaluate("window.pgPatches") - frames
    page.evaluate("window.pgButton('Pause').click()")
    own, total = self_and_total(result)
    delta = {name: after[name] - before[name] for name in COUNTERS}
    return own, total, delta, frames / elapsed, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site with a sandbox.html page")
    parser.add_argument("--network", choices=["default", "largest"], default="default")
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--focus", default=FOCUS, help="regex: also print these functions' inclusive time")
    args = parser.parse_args()
    with sandbox_browser(args.site) as (browser, url):
        context = offline_context(browser, "block")
        page = open_sandbox(context, url, LARGEST if args.network == "largest" else None)
        own, total, delta, fps, elapsed = profile(page, args.seconds)
        context.close()

    def per_s(ms: float) -> str:
        return f"{ms / elapsed:7.1f}"

    rate = {name: value / elapsed * (1000 if "Duration" in name else 1) for name, value in delta.items()}
    site = args.site or DEFAULT_SITE
    print(
        f"{site} ({args.network} network), {elapsed:.1f} s of training: {fps:.1f} frames/s; per second: "
        f"style recalcs {rate['RecalcStyleCount']:.0f} ({rate['RecalcStyleDuration']:.0f} ms), "
        f"layouts {rate['LayoutCount']:.0f} ({rate['LayoutDuration']:.0f} ms), "
        f"script {rate['ScriptDuration']:.0f} ms, tasks {rate['TaskDuration']:.0f} ms"
    )
    print(f"top {args.top} by self time (ms per second of training):")
    for name, ms in sorted(own.items(), key=lambda item: -item[1])[: args.top]:
        print(f"  {per_s(ms)}  {name}")
    focus = re.compile(args.focus)
    print(f"inclusive time of /{args.focus}/ (ms per second; self in brackets):")
    for name, ms in sorted(total.items(), key=lambda item: -item[1]):
        if focus.search(name) and ms / elapsed >= 0.5:
            print(f"  {per_s(ms)}  ({own.get(name, 0) / elapsed:5.1f})  {name}")


if __name__ == "__main__":
    main()

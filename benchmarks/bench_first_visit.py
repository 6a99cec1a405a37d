"""A student's first visit, as the network sees it: each app page opened cold (a new browser profile: empty cache on
disk, service workers allowed, as a real browser) in headless Chromium at 1400x900, from a server of its own that counts
every byte it sends (headers and body, per request: the page's, the Web Worker's and the service worker's), under
two network conditions: unthrottled, and a 20 Mbit/s link shared by every connection (one token bucket in the
server) with 40 ms added to each request. CDP's network emulation does not throttle workers, hence the server.
For each visit: the first paint of the page's real content, the time to ready, the bytes sent until ready and within
the first --window seconds (the page stays open, idle, that long), and the largest responses of that window.
docs/benchmarks.md ("First visit") records it.

    python benchmarks/bench_first_visit.py [--site build/site] [--pages sandbox.html,mnist.html,lesson-01-....html]
        [--conditions unthrottled,20mbit] [--runs 1] [--window 120] [--json FILE] [--as-stored]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as a script from the project

from benchmarks.metered_server import MeteredServer, sent_until  # noqa: E402
from web.chromium import CHROMIUM_ARGS  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
CONDITIONS = {  # name -> (bytes a second of the shared link or None, seconds added to each request)
    "unthrottled": (None, 0.0),
    "20mbit": (20e6 / 8, 0.040),
}
VIEWPORT = {"width": 1400, "height": 900}

# In the page from its first script on, times in seconds since the navigation started: the first animation frame at
# which an element inside #app or a .lesson-embed has a non-zero size (the fallback for timings.content), the state
# "ready" (polled each frame until both are seen), and the site stored for offline use (polled twice a second).
POLL = """
(() => {
  const seen = { content: null, ready: null, offline: null };
  window.__firstVisit = seen;
  const now = () => performance.now() / 1000;
  const hasContent = () => [...document.querySelectorAll("#app *, .lesson-embed *")].some((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  });
  const frame = () => {
    if (seen.content === null && hasContent()) seen.content = now();
    if (seen.ready === null && window.nnPlayground && window.nnPlayground.state === "ready") seen.ready = now();
    if (seen.content === null || seen.ready === null) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const offline = setInterval(() => {
    if (window.nnPlayground && window.nnPlayground.offline) {
      seen.offline = now();
      clearInterval(offline);
    }
  }, 500);
})();
"""
SETTLED = "window.nnPlayground && ['ready', 'error'].includes(window.nnPlayground.state)"


def default_pages(site: Path) -> list[str]:
    lessons = sorted(path.name for path in site.glob("lesson-*.html"))
    return ["sandbox.html", "mnist.html"] + lessons[:1]


def one_visit(playwright, server: MeteredServer, page_name: str, condition: str, window: float) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    rate, latency = CONDITIONS[condition]
    # A new profile in a folder of its own, as a student's browser has: its HTTP cache on disk, where the service
    # worker's fetches find what the page loaded (an incognito context's memory cache keeps no large file). No
    # context.route either: Playwright's routing turns the HTTP cache off.
    profile = tempfile.TemporaryDirectory(prefix="first-visit-")
    context = playwright.chromium.launch_persistent_context(
        profile.name,
        executable_path=shutil.which("chromium"),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=VIEWPORT,
        service_workers="allow",
    )
    context.add_init_script(POLL)
    outside, errors = [], []

    def watch(request):
        url = request.url
        if not url.startswith(("data:", "blob:")) and urlparse(url).hostname != "127.0.0.1":
            outside.append(url)

    context.on("request", watch)
    page = context.pages[0] if context.pages else context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    load = os.getloadavg()[0]
    server.begin_visit(rate, latency)
    page.goto(server.url + page_name, wait_until="commit")
    origin = page.evaluate("performance.timeOrigin") / 1000  # the navigation's start, wall clock
    try:
        page.wait_for_function(SETTLED, timeout=max(window, 300) * 1000, polling=100)
    except PlaywrightTimeoutError:
        pass  # reported as the state it is still in
    remaining = origin + window - time.time()
    if remaining > 0:
        page.wait_for_timeout(remaining * 1000)  # idle, the page open, until the window ends
    numbers = page.evaluate(
        "({state: window.nnPlayground.state, timings: window.nnPlayground.timings,"
        " offline: window.nnPlayground.offline, snapshot: window.nnPlayground.snapshot, seen: window.__firstVisit,"
        " error: document.getElementById('pg-loader').textContent})"
    )
    log = server.end_visit()
    context.close()
    profile.cleanup()
    timings, seen = numbers["timings"], numbers["seen"]
    content = timings.get("content")
    measured = "page" if isinstance(content, int | float) else "polled"
    if measured == "polled":
        content = seen["content"]
    ready = timings.get("total") if numbers["state"] == "ready" else None
    end = origin + window
    responses = []
    for record in log:
        in_window = sum(size for at, size in record["chunks"] if at <= end)
        if record["start"] <= end:
            responses.append(
                {
                    "path": record["path"],
                    "dest": record["dest"],
                    "cache_control": record.get("cache_control"),
                    "status": record["status"],
                    "start": record["start"] - origin,
                    "end": (record["chunks"][-1][0] - origin) if record["chunks"] else None,
                    "bytes": record["bytes"],
                    "bytes_in_window": in_window,
                }
            )
    return {
        "page": page_name,
        "condition": condition,
        "state": numbers["state"],
        "error": None if numbers["state"] == "ready" else numbers["error"],
        "content_seconds": content,
        "content_measured": measured,
        "ready_seconds": ready,
        "ready_polled_seconds": seen["ready"],
        "stages": {k: v for k, v in timings.items() if k not in ("total", "content")},
        "snapshot": numbers["snapshot"],
        "offline_seconds": seen["offline"],
        "bytes_until_ready": sent_until(log, origin + ready) if ready is not None else None,
        "bytes_in_window": sent_until(log, end),
        "bytes_offline_copy": sum(r["bytes_in_window"] for r in responses if asked_by(r) == "offline copy"),
        "requests_in_window": len(responses),
        "window_seconds": window,
        "load_average": [load, os.getloadavg()[0]],
        "requests_outside": outside,
        "page_errors": errors,
        "responses": sorted(responses, key=lambda r: r["start"]),
    }


def mb(size) -> str:
    return "-" if size is None else f"{size / 1e6:.1f} MB"


def sec(seconds) -> str:
    return "-" if seconds is None else f"{seconds:.1f} s"


def table(visits: list[dict], window: float) -> list[str]:
    rows = [
        (
            "page",
            "condition",
            "first content",
            "ready",
            "sent until ready",
            f"sent in {window:g} s",
            "offline copy",
            "requests",
            "site stored",
            "load",
        )
    ]
    for v in visits:
        rows.append(
            (
                v["page"],
                v["condition"],
                f"{sec(v['content_seconds'])} ({v['content_measured']})",
                sec(v["ready_seconds"]) if v["state"] == "ready" else v["state"],
                mb(v["bytes_until_ready"]),
                mb(v["bytes_in_window"]),
                mb(v.get("bytes_offline_copy")),
                str(v["requests_in_window"]),
                sec(v["offline_seconds"]) if v["offline_seconds"] is not None else "no",
                f"{v['load_average'][0]:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]


def asked_by(response: dict) -> str:
    """Who asked, from the request's headers: the service worker storing the site fetches with cache "no-cache"
    (Chromium sends Cache-Control: max-age=0), the page's and the Web Worker's fetches are plain ("fetch")."""
    if response["dest"] == "empty":
        return "offline copy" if response.get("cache_control") == "max-age=0" else "fetch"
    return response["dest"] or "?"


def largest(visit: dict, count: int = 10) -> list[str]:
    """The visit's `count` largest responses within the window, with when they started and what asked for them."""
    times, total = {}, {}
    for r in visit["responses"]:
        times[r["path"]] = times.get(r["path"], 0) + 1
        total[r["path"]] = total.get(r["path"], 0) + r["bytes_in_window"]
    ready = visit["ready_seconds"]
    lines = []
    for r in sorted(visit["responses"], key=lambda r: -r["bytes_in_window"])[:count]:
        notes = [f"HTTP {r['status']}"] if r["status"] != 200 else []
        if r["bytes_in_window"] < r["bytes"] or r["end"] is None:
            notes.append("cut by the window's end")
        if times[r["path"]] > 1:
            notes.append(f"requested {times[r['path']]}x, {total[r['path']] / 1e6:.2f} MB in all")
        when = "after ready" if ready is not None and r["start"] > ready else "before ready"
        lines.append(
            f"    {r['bytes_in_window'] / 1e6:6.2f} MB  at {r['start']:5.1f} s ({when}, {asked_by(r)})  "
            f"{r['path']}" + (f"  [{', '.join(notes)}]" if notes else "")
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site", type=Path, default=PROJECT / "build" / "site", help="a built site (default: %(default)s)"
    )
    parser.add_argument("--pages", help="comma-separated pages (default: sandbox.html, mnist.html, the first lesson)")
    parser.add_argument(
        "--conditions", default="unthrottled,20mbit", help=f"comma-separated, of {', '.join(CONDITIONS)}"
    )
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--window", type=float, default=120.0, help="seconds each page stays open (default 120)")
    parser.add_argument("--json", type=Path, help="write the numbers (every visit, every request) to this file")
    parser.add_argument(
        "--as-stored",
        action="store_true",
        help="send every file as the site stores it, without HTTP compression (as a host that compresses nothing)",
    )
    args = parser.parse_args()
    pages = args.pages.split(",") if args.pages else default_pages(args.site)
    conditions = args.conditions.split(",")
    for name in conditions:
        if name not in CONDITIONS:
            parser.error(f"unknown condition {name!r}: one of {', '.join(CONDITIONS)}")
    for name in pages:
        if not (args.site / name).is_file():
            parser.error(f"{args.site / name} does not exist (build the site first)")
    server = MeteredServer(args.site)
    server.as_stored = args.as_stored
    server.warm()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    from playwright.sync_api import sync_playwright

    visits = []
    sent = "files as stored, no HTTP compression" if args.as_stored else "gzip as web/serve.py sends it"
    print(f"site {args.site} ({sent}), {os.cpu_count()} cores, Chromium {VIEWPORT['width']}x{VIEWPORT['height']}")
    with sync_playwright() as playwright:
        for run in range(1, args.runs + 1):
            for condition in conditions:
                for name in pages:
                    visit = one_visit(playwright, server, name, condition, args.window)
                    visit["run"] = run
                    visits.append(visit)
                    print(f"run {run}: " + table([visit], args.window)[1], flush=True)
    server.shutdown()
    server.server_close()
    print()
    print("\n".join(table(visits, args.window)))
    if args.runs > 1:
        print("\nmedians:")
        medians = []
        for condition in conditions:
            for name in pages:
                group = [v for v in visits if v["page"] == name and v["condition"] == condition]
                median = {
                    key: statistics.median(v[key] for v in group if v[key] is not None)
                    if any(v[key] is not None for v in group)
                    else None
                    for key in (
                        "content_seconds",
                        "ready_seconds",
                        "bytes_until_ready",
                        "bytes_in_window",
                        "bytes_offline_copy",
                        "requests_in_window",
                        "offline_seconds",
                    )
                }
                medians.append(
                    {
                        **group[0],
                        **median,
                        "requests_in_window": int(median["requests_in_window"]),
                        "content_measured": "/".join(sorted({v["content_measured"] for v in group})),
                    }
                )
        print("\n".join(table(medians, args.window)))
    print(
        "\nfirst content: timings.content when the page sets it (page), else the first animation frame at which an "
        "element inside #app or a .lesson-embed has a non-zero size (polled); ready: timings.total; offline copy: what "
        "the service worker fetched to store the site (its requests carry Cache-Control: max-age=0); site stored: it "
        "has stored the whole site (nnPlayground.offline); load: the 1-minute load average at the visit's start"
    )
    for visit in visits:
        print(f"\nlargest responses in {args.window:g} s: {visit['page']}, {visit['condition']}, run {visit['run']}:")
        print("\n".join(largest(visit)))
        if visit["error"]:
            print(f"    the page failed: {visit['error']}")
        if visit["requests_outside"]:
            print(f"    requests to other hosts: {visit['requests_outside']}")
    if args.json:
        args.json.write_text(json.dumps({"site": str(args.site), "cores": os.cpu_count(), "visits": visits}, indent=1))
        print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()

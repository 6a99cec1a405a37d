"""A student's visits to the sandbox one after another in one browser profile, in Chromium, Firefox ESR and WebKitGTK
side by side (driven as the cross-browser tests drive them, tests/browser/crossbrowser/): the first visit (cold), the
return visit (whose service worker then fetches the later-visit bundle, where the browser can restore it: not WebKit,
web/static/python_start.js) and the visits after it. Each is timed by the page, from the navigation to ready
(`nnPlayground.timings.total`), with the saved start of Python it restored (`nnPlayground.snapshot`: "packages" is
the bundle, "restored" the small snapshot). docs/benchmarks.md records it (issue #18, item 4).

    python -m benchmarks.bench_repeat_visits [--site DIR] [--visits 4] [--browsers Chromium,Firefox,WebKit]
    (default: builds the sandbox page into build/bench-sandbox-site, as bench_sandbox_site.py does)
"""

from __future__ import annotations

import argparse
import statistics
import threading
from pathlib import Path

from benchmarks.bench_cross_browser import other_browsers
from benchmarks.bench_sandbox_site import DEFAULT_SITE, sandbox_site
from web.serve import make_server


def visits(name: str, url: str, count: int) -> list[tuple[float, str]]:
    """(seconds to ready, the start restored) of `count` visits of `url` in one fresh profile of browser `name`; each
    visit waits until the service worker has stored what it stores (on the return visit, the bundle too)."""
    browser = other_browsers.open_browser(name)
    results = []
    try:
        for number in range(1, count + 1):
            browser.goto(url)
            state = other_browsers.wait_for(browser, other_browsers.settled, 240)
            if state["loader"] != "ready":
                raise SystemExit(f"{name}, visit {number}: the sandbox did not start: {state['message']}")
            results.append((browser.evaluate("window.nnPlayground.timings.total"), state["start"]))
            other_browsers.wait_for(browser, lambda s: s["pageStored"], 240)
    finally:
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site with a sandbox.html page")
    parser.add_argument("--visits", type=int, default=4, help="visits per browser, the first cold (default 4)")
    parser.add_argument("--browsers", default="Chromium,Firefox,WebKit")
    args = parser.parse_args()
    if args.visits < 3:
        parser.error("--visits must be at least 3: the cold one, the return one and one after it")
    site = args.site or sandbox_site(DEFAULT_SITE)
    server = make_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sandbox.html"
    rows = []
    try:
        for name in args.browsers.split(","):
            results = visits(name, url, args.visits)
            load = Path("/proc/loadavg").read_text().split()[0]
            each = ", ".join(f"{seconds:.1f} s ({start})" for seconds, start in results)
            print(f"{name}: {each} (load {load})")
            later = results[2:]
            rows.append((name, results[0], results[1], statistics.median(s for s, _ in later), later[-1][1]))
    finally:
        server.shutdown()
    print("\n| browser | first visit | return visit | later visits (median) | later visits restore |")
    print("|---|---:|---:|---:|---|")
    for name, first, back, later, start in rows:
        print(f"| {name} | {first[0]:.1f} s | {back[0]:.1f} s | **{later:.1f} s** | {start} |")


if __name__ == "__main__":
    main()

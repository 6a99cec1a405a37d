"""Site loading in headless Chromium against the built site on 127.0.0.1: cold start to interactive, the second visit
(from the service worker's cache, which then stores the later-visit bundle) and the repeat visit after it (from the
bundle), bytes transferred, and time per loading stage. docs/benchmarks.md records it.

    python benchmarks/bench_site.py [--runs 3] [--site DIR ...] [--page demo.html]
    (default: builds the demo page into build/bench-site; --page sandbox.html measures a full site's sandbox)

Several --site folders (each with the page) are measured side by side, their runs interleaved, with each
median's ratio to the first site's: on a shared machine only such ratios compare fairly.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from web.chromium import CHROMIUM_ARGS
from web.serve import make_server
from web.site import build_site

PROJECT = Path(__file__).resolve().parent.parent
SETTLED = "['ready', 'error'].includes(document.getElementById('pg-loader').dataset.state)"


def demo_site(out: Path) -> tuple[Path, str]:
    """Build the tests' demo page (a slider, buttons and a Bokeh plot); return the site and the page URL path."""
    spec = importlib.util.spec_from_file_location("tests_conftest", PROJECT / "tests" / "conftest.py")
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    build_site(out, [shared.DEMO_PAGE], app_modules=[shared.DEMO_APP])
    return out, f"{shared.DEMO_PAGE.slug}.html"


def visit(page, url: str) -> tuple[float, dict, str]:
    """Seconds to a settled page, the loader's seconds per stage, and the snapshot of Python's start restored."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=180_000)
    seconds = time.perf_counter() - started
    if page.evaluate("window.nnPlayground.state") != "ready":
        raise SystemExit("the page failed: " + page.locator("#pg-loader").text_content())
    return seconds, page.evaluate("window.nnPlayground.timings"), page.evaluate("window.nnPlayground.snapshot")


def offline_context(browser, service_workers: str):
    """A fresh context (empty caches) whose requests outside 127.0.0.1 are aborted; fails the run if any."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers=service_workers)

    def route(route):
        if urlparse(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            return route.continue_()
        raise SystemExit(f"a request left 127.0.0.1: {route.request.url}")

    context.route("**/*", route)
    return context


def one_run(browser, url: str) -> dict:
    # Cold: empty caches, no service worker in the way, so every byte is seen once.
    context = offline_context(browser, "block")
    transferred = [0]

    def count(request):
        sizes = request.sizes()
        transferred[0] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    context.on("requestfinished", count)
    cold, stages, snapshot = visit(context.new_page(), url)
    context.remove_listener("requestfinished", count)  # requests still finishing are not part of the start
    context.close()
    # Repeat: a first visit stores what its page fetched; the second starts from that cache and stores the
    # later-visit bundle (sw.js), which the third restores: the second and third are timed.
    context = offline_context(browser, "allow")
    page = context.new_page()
    visit(page, url)
    page.wait_for_function("window.nnPlayground.pageStored", timeout=120_000)
    second, _, second_snapshot = visit(page, url)
    page.wait_for_function("window.nnPlayground.pageStored", timeout=120_000)
    repeat, repeat_stages, repeat_snapshot = visit(page, url)
    context.close()
    return {
        "cold": cold,
        "repeat": repeat,
        "MB": transferred[0] / 1e6,
        "stages": stages,
        "repeat_stages": repeat_stages,
        "second": second,
        "snapshots": f"{snapshot}, then {second_snapshot}, then {repeat_snapshot}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--site", type=Path, action="append", help="an already built site with the page (repeat to compare sites)"
    )
    parser.add_argument("--page", default="demo.html", help="the page to load (default: the demo page)")
    args = parser.parse_args()
    sites = args.site or [demo_site(PROJECT / "build" / "bench-site")[0]]
    servers = [make_server(site, port=0) for site in sites]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = [f"http://127.0.0.1:{server.server_address[1]}/{args.page}" for server in servers]
    from playwright.sync_api import sync_playwright

    runs = {url: [] for url in urls}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for _ in range(args.runs):
            for url in urls:
                runs[url].append(one_run(browser, url))
        browser.close()
    for server in servers:
        server.shutdown()
    first = None
    for site, url in zip(sites, urls, strict=True):
        print(f"site {site}:")
        for i, run in enumerate(runs[url], 1):
            cold, repeat = (
                " ".join(f"{k} {v:.1f}" for k, v in run[key].items()) for key in ("stages", "repeat_stages")
            )
            print(
                f"  run {i}: cold {run['cold']:.1f} s, second {run['second']:.1f} s, repeat {run['repeat']:.1f} s, "
                f"{run['MB']:.1f} MB | "
                f"cold stages: {cold} | repeat stages: {repeat} | snapshots: {run['snapshots']}"
            )
        median = {k: statistics.median(r[k] for r in runs[url]) for k in ("cold", "second", "repeat", "MB")}
        stages = {k: statistics.median(r["stages"][k] for r in runs[url]) for k in runs[url][0]["stages"]}
        print("  median cold stages: " + " ".join(f"{k} {v:.1f}" for k, v in stages.items()))
        first = first or median
        ratios = ", ".join(f"{k} x{median[k] / first[k]:.2f}" for k in median) if len(sites) > 1 else ""
        print(
            f"  median: cold {median['cold']:.1f} s (target <= 8), second visit {median['second']:.1f} s, "
            f"repeat (from the bundle) {median['repeat']:.1f} s (<= 4), "
            f"{median['MB']:.1f} MB (<= 25)" + (f" | vs first site: {ratios}" if ratios else "")
        )


if __name__ == "__main__":
    main()

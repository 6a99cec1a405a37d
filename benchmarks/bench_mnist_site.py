"""The MNIST lab training in headless Chromium on the built site (127.0.0.1, Pyodide in the Web Worker): for
each network, accuracy reached within the time limit and the time to 90/95/97%, images/s trained, view redraws/s;
then the same network with "Redraw views while training" off, for the throughput share the views leave to training.
docs/mnist-lab.md and docs/benchmarks.md record it.

    python benchmarks/bench_mnist_site.py [--seconds 120] [--off-seconds 60] [--presets small-cnn mlp] [--site DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import threading
import time
from pathlib import Path

from playground.pages import PAGES
from web.serve import make_server
from web.site import build_site

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
SETTLED = "['ready', 'error'].includes(document.getElementById('pg-loader').dataset.state)"
NUMBERS = re.compile(r"Test accuracy ([\d.]+)% on ([\d,]+) test digits")
BATCH = 32  # the lab's default batch size
TARGETS = (0.90, 0.95, 0.97)


def sample(page) -> dict:
    """The status line's step and test accuracy, the curves' test accuracy and digits, the view redraw count."""
    status = page.locator("#pg-status")
    numbers = NUMBERS.search(page.get_by_text(NUMBERS).text_content() or "")
    return {
        "step": int(status.get_attribute("data-step")),
        "accuracy": float(status.get_attribute("data-test-accuracy") or 0),
        "digits": int(numbers[2].replace(",", "")) if numbers else 0,
        "redraws": int(page.locator(".pg-counter").get_attribute("data-view-redraws")),
    }


def train(browser, url: str, preset: str, seconds: float, views: bool) -> dict:
    """Loads the lab in a fresh context, picks the preset, trains `seconds`; the samples, one a second."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=240_000)
    page.locator("#pg-status").wait_for(timeout=60_000)
    if preset != "small-cnn":
        page.locator("select:has(option[value='mlp'])").select_option(preset)
        page.wait_for_timeout(3_000)
    if not views:
        page.get_by_text("Redraw views while training", exact=True).click()  # its label: unchecks it
    page.get_by_role("button", name="Play").click()
    started, samples = time.perf_counter(), []
    while time.perf_counter() - started < seconds:
        page.wait_for_timeout(1_000)
        samples.append({"seconds": time.perf_counter() - started, **sample(page)})
    page.get_by_role("button", name="Pause").click()
    context.close()
    return {"preset": preset, "views": views, "samples": samples}


def at(samples, seconds):
    """The last sample within `seconds`."""
    return [s for s in samples if s["seconds"] <= seconds][-1]


def rate(sample) -> float:
    """Images/s trained up to this sample."""
    return BATCH * sample["step"] / sample["seconds"]


def report(run: dict, window: float) -> str:
    samples, last = run["samples"], run["samples"][-1]
    reached = {t: next((s["seconds"] for s in samples if s["accuracy"] >= t), None) for t in TARGETS}
    full = [s["accuracy"] for s in samples if s["digits"] == 2000]
    early = at(samples, window)
    parts = [
        f"{run['preset']:9s} views {'on ' if run['views'] else 'off'}",
        f"step {last['step']} at {last['seconds']:.0f} s",
        f"{rate(early):,.0f} images/s over the first {early['seconds']:.0f} s",
    ]
    if run["views"]:
        parts += [
            f"accuracy at the end {100 * last['accuracy']:.1f}%",
            f"best on all 2,000 test digits {100 * max(full):.1f}%" if full else "no full test yet",
            "time to " + ", ".join(f"{100 * t:.0f}%: " + (f"{s:.0f} s" if s else "-") for t, s in reached.items()),
            f"{last['redraws'] / last['seconds']:.2f} view redraws/s",
        ]
    return " | ".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--off-seconds", type=float, default=60, help="training time with the views off")
    parser.add_argument("--presets", nargs="+", default=["small-cnn", "mlp"])
    parser.add_argument("--site", type=Path, default=PROJECT / "build" / "bench-mnist-site")
    args = parser.parse_args()
    build_site(args.site, [page for page in PAGES if page.slug == "mnist"])
    httpd = make_server(args.site, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/mnist.html"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                             args=CHROMIUM_ARGS)
        for preset in args.presets:
            on = train(browser, url, preset, args.seconds, views=True)
            print(report(on, args.off_seconds), flush=True)
            off = train(browser, url, preset, args.off_seconds, views=False)
            print(report(off, args.off_seconds), flush=True)
            share = rate(at(on["samples"], args.off_seconds)) / rate(off["samples"][-1])
            print(f"{preset:9s} throughput with views on: {100 * share:.0f}% of views off", flush=True)
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()

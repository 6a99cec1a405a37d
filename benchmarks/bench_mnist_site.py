"""The MNIST lab training in headless Chromium on the built site (127.0.0.1, Pyodide in the Web Worker): for
each network, accuracy reached within the time limit and the time to 90/95/97/98% (on the status line, which is
mostly the 300-digit subset, and on all 2,000 test digits, tested at epoch ends), images/s trained, view redraws/s;
then, in the same page, training goes on with "Redraw views while training" off: the throughput share the views
leave to training compares the last --off-seconds with the views on to as many seconds with them off.
docs/mnist-lab.md and docs/benchmarks.md record it.

    python benchmarks/bench_mnist_site.py [--seconds 120] [--off-seconds 30] [--presets small-cnn mlp] [--site DIR]
                                          [--built]   # serve --site as built before (A/B runs of two sites)
"""

from __future__ import annotations

import argparse
import re
import shutil
import threading
import time
from pathlib import Path

from playground.pages import PAGES
from web.chromium import CHROMIUM_ARGS
from web.serve import make_server
from web.site import build_site

PROJECT = Path(__file__).resolve().parent.parent
SETTLED = "['ready', 'error'].includes(document.getElementById('pg-loader').dataset.state)"
# "Test accuracy 97.1% on all 2,000 test digits" or "... on 300 of the 2,000 test digits" (test_digits_phrase)
NUMBERS = re.compile(r"Test accuracy ([\d.]+)% on (?:all )?([\d,]+) (?:of the [\d,]+ )?test digits")
BATCH = 32  # the lab's default batch size
TARGETS = (0.90, 0.95, 0.97, 0.98)
SAMPLE_EVERY = 0.25  # seconds: the full test's figures stay on the page for 50 steps (under a second)


def sample(page) -> dict:
    """The status line's step and test accuracy, the training view's test accuracy and digits, the view redraw
    count."""
    status = page.locator("#pg-status")
    shown = page.get_by_text(NUMBERS)  # none before the first test: not waited for
    numbers = NUMBERS.search(shown.first.text_content() or "") if shown.count() else None
    return {
        "step": int(status.get_attribute("data-step")),
        "accuracy": float(status.get_attribute("data-test-accuracy") or 0),
        "digits": int(numbers[2].replace(",", "")) if numbers else 0,
        "shown": float(numbers[1]) / 100 if numbers else 0.0,
        "redraws": int(page.locator(".pg-counter").get_attribute("data-view-redraws")),
    }


def train(browser, url: str, preset: str, seconds: float, off_seconds: float) -> dict:
    """Loads the lab in a fresh context, picks the preset and trains `seconds` with the views on (samples one a
    SAMPLE_EVERY), then `off_seconds` more with them off in the same page: (step, seconds) at both ends of that
    phase."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=240_000)
    page.locator("#pg-status").wait_for(timeout=60_000)
    if preset != "small-cnn":
        page.locator("select:has(option[value='mlp'])").select_option(preset)
        page.wait_for_timeout(3_000)
    page.get_by_role("button", name="Play").click()
    started, samples = time.perf_counter(), []
    while time.perf_counter() - started < seconds:
        page.wait_for_timeout(1_000 * SAMPLE_EVERY)
        samples.append({"seconds": time.perf_counter() - started, **sample(page)})
    live = page.locator("input[type=checkbox]")  # "Redraw views while training", the page's only checkbox
    live.uncheck()
    off = [(sample(page)["step"], time.perf_counter())]
    page.wait_for_timeout(1_000 * off_seconds)
    off.append((sample(page)["step"], time.perf_counter()))
    live.check()
    page.get_by_role("button", name="Pause").click()
    context.close()
    return {"preset": preset, "samples": samples, "off": off}


def at(samples, seconds):
    """The last sample within `seconds`."""
    return [s for s in samples if s["seconds"] <= seconds][-1]


def times(reached: dict) -> str:
    """The seconds to each target, e.g. "90%: 2 s, 95%: 6 s, 97%: -", of {target: seconds or None}."""
    return ", ".join(f"{100 * t:.0f}%: " + (f"{s:.0f} s" if s else "-") for t, s in reached.items())


def report(run: dict, window: float) -> list[str]:
    samples, last = run["samples"], run["samples"][-1]
    reached = {t: next((s["seconds"] for s in samples if s["accuracy"] >= t), None) for t in TARGETS}
    full = [s for s in samples if s["digits"] == 2000]
    reached_full = {t: next((s["seconds"] for s in full if s["shown"] >= t), None) for t in TARGETS}
    since = at(samples, last["seconds"] - window)  # the views-on window just before the views went off
    on_rate = BATCH * (last["step"] - since["step"]) / (last["seconds"] - since["seconds"])
    (step_0, time_0), (step_1, time_1) = run["off"]
    off_rate = BATCH * (step_1 - step_0) / (time_1 - time_0)
    name = run["preset"]
    best = f"best on all 2,000 test digits {100 * max(s['shown'] for s in full):.1f}%" if full else "no full test seen"
    return [
        f"{name}: step {last['step']} at {last['seconds']:.0f} s, {BATCH * last['step'] / last['seconds']:,.0f} "
        f"images/s, test accuracy at the end {100 * last['accuracy']:.1f}% (status line), {best}",
        f"{name}: time to {times(reached)} (status line); on all 2,000 test digits {times(reached_full)}; "
        f"{last['redraws'] / last['seconds']:.2f} view redraws/s",
        f"{name}: views on {on_rate:,.0f} images/s (last {window:.0f} s), then off {off_rate:,.0f} images/s "
        f"({time_1 - time_0:.0f} s): views on keep {100 * on_rate / off_rate:.0f}%",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--off-seconds", type=float, default=30, help="training time with the views off")
    parser.add_argument("--presets", nargs="+", default=["small-cnn", "mlp"])
    parser.add_argument("--site", type=Path, default=PROJECT / "build" / "bench-mnist-site")
    parser.add_argument("--built", action="store_true", help="serve --site as it is, built before")
    args = parser.parse_args()
    if not args.built:
        build_site(args.site, [page for page in PAGES if page.slug == "mnist"])
    httpd = make_server(args.site, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/mnist.html"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        for preset in args.presets:
            print(
                "\n".join(report(train(browser, url, preset, args.seconds, args.off_seconds), args.off_seconds)),
                flush=True,
            )
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()

"""The sandbox on the built site while it trains (headless Chromium, Python in the page's Web Worker): redraws the
page applies per second, epochs per second, and how long a Pause click takes to show on the page (median and max
over several clicks), for the default network and the largest one (8 hidden layers of 16 neurons).
docs/benchmarks.md records it.

    python benchmarks/bench_sandbox_site.py [--clicks 10] [--seconds 10] [--site DIR] [--network default|largest|both]
    (default: builds the sandbox page into build/bench-sandbox-site)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.bench_site import CHROMIUM_ARGS, SETTLED, offline_context
from playground.pages import PAGES
from web.serve import make_server
from web.site import build_site

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_SITE = PROJECT / "build" / "bench-sandbox-site"  # where the sandbox page is built when no --site is given
LARGEST = [16] * 8

# Counts the patches (redraws) the page receives from the worker, whichever loader the site has, and those that
# carry pictures: a change to an "image" column (the heatmaps; the curves travel as binary buffers too, so the buffers
# alone do not tell).
COUNT_PATCHES = """
window.pgPatches = 0;
window.pgPictures = 0;
window.Worker = class extends window.Worker {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", ({ data }) => {
      if (!data || data.type !== "patch") return;
      window.pgPatches += 1;
      if (JSON.stringify(data.patch).includes('"image"')) window.pgPictures += 1;
    });
  }
};
"""
# In-page helpers: the app lives in nested shadow roots, so elements are found by walking them.
FIND = """
window.pgFind = (test, root = document) => {
  for (const element of root.querySelectorAll("*")) {
    if (test(element)) return element;
    if (element.shadowRoot) {
      const found = window.pgFind(test, element.shadowRoot);
      if (found) return found;
    }
  }
  return null;
};
window.pgStatus = () => {
  const element = window.pgFind((e) => e.id === "pg-status");
  return element ? { state: element.dataset.state, epoch: Number(element.dataset.epoch) } : null;
};
window.pgButton = (label) => window.pgFind((e) => e.tagName === "BUTTON" && e.textContent.includes(label));
"""
# Clicks Pause and resolves with the milliseconds until the status line on the page says "paused".
PAUSE = """
() => new Promise((resolve) => {
  const clicked = performance.now();
  window.pgButton("Pause").click();
  const check = () => {
    const status = window.pgStatus();
    if (status && status.state === "paused") resolve(performance.now() - clicked);
    else if (performance.now() - clicked > 60000) resolve(Infinity);
    else requestAnimationFrame(check);
  };
  check();
})
"""


def sandbox_site(out: Path) -> Path:
    build_site(out, [page for page in PAGES if page.slug == "sandbox"])
    return out


@contextmanager
def sandbox_browser(site: Path | None):
    """Serves `site` (default: the sandbox page built into build/) on 127.0.0.1 and yields (headless Debian
    Chromium, the sandbox page's URL); both stop afterwards."""
    site = site or sandbox_site(DEFAULT_SITE)
    server = make_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            yield browser, f"http://127.0.0.1:{server.server_address[1]}/sandbox.html"
            browser.close()
    finally:
        server.shutdown()


def wait_status(page, state: str, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = page.evaluate("window.pgStatus()")
        if status and status["state"] == state:
            return status
        page.wait_for_timeout(50)
    raise SystemExit(f"the sandbox did not reach {state!r} within {timeout_s} s: {page.evaluate('window.pgStatus()')}")


def open_sandbox(context, url: str, hidden_layers: list[int] | None):
    page = context.new_page()
    page.add_init_script(COUNT_PATCHES)
    query = "?hidden_layers=" + ",".join(map(str, hidden_layers)) if hidden_layers else ""
    page.goto(url + query)
    page.wait_for_function(SETTLED, timeout=240_000)
    if page.evaluate("window.nnPlayground.state") != "ready":
        raise SystemExit("the page failed: " + page.locator("#pg-loader").text_content())
    page.evaluate(FIND)
    wait_status(page, "ready")
    if hidden_layers:
        check_layers(page, hidden_layers)
    return page


def check_layers(page, widths: list[int]) -> None:
    """The page took the layers from its URL: each layer's neuron count shows the width asked for."""
    shown = []
    for layer in range(len(widths)):
        spinner = page.get_by_role("textbox", name=f"Layer {layer + 1} neurons", exact=True)
        spinner.wait_for(state="attached", timeout=120_000)
        shown.append(spinner.input_value(timeout=120_000))
    if shown != [str(width) for width in widths]:
        raise SystemExit(f"the page shows layers of {shown} neurons, not {widths}")


def measure(page, seconds: float, clicks: int) -> dict:
    page.evaluate("window.pgButton('Play').click()")
    wait_status(page, "running")
    page.wait_for_timeout(2_000)  # past the first ticks, which size the steps per tick
    frames, pictures = page.evaluate("[window.pgPatches, window.pgPictures]")
    status, started = page.evaluate("window.pgStatus()"), time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    elapsed = time.monotonic() - started
    frames = page.evaluate("window.pgPatches") - frames
    pictures = page.evaluate("window.pgPictures") - pictures
    epochs = page.evaluate("window.pgStatus()")["epoch"] - status["epoch"]
    pauses = []
    for _ in range(clicks):
        if page.evaluate("window.pgStatus().state") != "running":
            page.evaluate("window.pgButton('Play').click()")
            wait_status(page, "running")
        page.wait_for_timeout(1_500)  # training at full speed when the click comes
        pauses.append(page.evaluate(PAUSE))
    return {
        "frames/s": frames / elapsed,
        "with pictures/s": pictures / elapsed,
        "epochs/s": epochs / elapsed,
        "epochs/frame": epochs / max(frames, 1),
        "pause median ms": statistics.median(pauses),
        "pause max ms": max(pauses),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--site", type=Path, help="an already built site with a sandbox.html page")
    parser.add_argument("--network", choices=["default", "largest", "both"], default="both")
    args = parser.parse_args()
    with sandbox_browser(args.site) as (browser, url):
        networks = {"default": ("default network", None), "largest": ("8 hidden layers x 16", LARGEST)}
        for name, layers in [networks[key] for key in networks if args.network in (key, "both")]:
            context = offline_context(browser, "block")
            page = open_sandbox(context, url, layers)
            result = measure(page, args.seconds, args.clicks)
            context.close()
            print(f"{name}: " + ", ".join(f"{k} {v:.1f}" if "ms" in k else f"{k} {v:.2f}" for k, v in result.items()))


if __name__ == "__main__":
    main()

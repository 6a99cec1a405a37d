"""The loss landscape on the built site (issue 20's targets): how often its slice is redrawn while the default network
trains, and the epochs/s training keeps with it open, against the views folded, in one run.

    python benchmarks/bench_landscape_site.py [--rounds 2] [--seconds 8] [--warm-up 20] [--site DIR]

The sandbox page is built (or `--site`) and served on 127.0.0.1; Debian's headless Chromium at 1400x900, Python in the
page's worker. After `--warm-up` seconds of training (the loss curves grow meanwhile, as bench_glass_box_site.py
explains), windows of `--seconds` alternate: "Loss landscape" open on screen, then "More views" folded. A new slice is
counted when the page applies a new landscape picture (a float image; the decision map is an RGBA one).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as a script from the project

from benchmarks.bench_glass_box_site import open_page, open_tab  # noqa: E402
from benchmarks.bench_sandbox_site import measure, sandbox_browser  # noqa: E402

TAB = "Loss landscape"
# Counts the landscape's pictures as the page applies them: window.pgSlices.
SLICES = """() => {
  window.pgSlices = 0;
  window.Bokeh.documents[0].on_change((event) => {
    const image = event.attr === "data" ? event.model?.data?.image?.[0] : undefined;
    if (image && image.dtype === "float64") window.pgSlices += 1;
  });
}"""


def window(page, seconds: float) -> dict[str, float]:
    """Epochs/s over one window of training, and slices/s over it and the moments around it (measure's start, and
    its pause click at the end, when the whole slice is drawn at once: a slight overcount)."""
    slices, started = page.evaluate("window.pgSlices"), time.monotonic()
    result = measure(page, seconds, 1)  # (its one click: a pause timed, not used here)
    slices_per_second = (page.evaluate("window.pgSlices") - slices) / (time.monotonic() - started)
    return {"epochs/s": result["epochs/s"], "slices/s": slices_per_second}


def one_round(browser, url: str, seconds: float, warm_up: float) -> dict[str, list[float]]:
    page = open_page(browser, url)
    page.evaluate(SLICES)
    measure(page, warm_up, 1)
    closed = [window(page, seconds)]
    opened = []
    for _ in range(2):
        open_tab(page, TAB)
        page.get_by_text("The training loss on a").scroll_into_view_if_needed()
        opened.append(window(page, seconds))
        page.get_by_role("button", name="More views").click()
        page.evaluate("window.scrollTo(0, 0)")
        closed.append(window(page, seconds))
    page.context.close()
    ratios = [
        now["epochs/s"] / statistics.mean(around["epochs/s"] for around in closed[k : k + 2])
        for k, now in enumerate(opened)
    ]
    return {
        "closed epochs/s": [w["epochs/s"] for w in closed],
        "open epochs/s": [w["epochs/s"] for w in opened],
        "open / closed": ratios,
        "slices/s": [w["slices/s"] for w in opened],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--warm-up", type=float, default=20)
    parser.add_argument("--site", type=Path, help="an already built site with sandbox.html")
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    with sandbox_browser(args.site) as (browser, url):
        for _ in range(args.rounds):
            for name, values in one_round(browser, url, args.seconds, args.warm_up).items():
                figures.setdefault(name, []).extend(values)
    print("the default network training, 'Loss landscape' open on screen against 'More views' folded:")
    for name, values in figures.items():
        shown = ", ".join(f"{value:.2f}" for value in values)
        print(f"  {name:16} median {statistics.median(values):.2f} ({shown})")
    print("targets: slices/s >= 2; open / closed epochs/s >= 0.7")


if __name__ == "__main__":
    main()

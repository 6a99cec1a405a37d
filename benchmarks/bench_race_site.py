"""The race on the built site while it trains (headless Chromium, Python in the page's Web Worker): how many redraws
per second the page receives for each network of a race of two default networks (a redraw of the first: the status
line changed; of the second: the race's verdict, which carries its step), their epochs per second, and the same for
the sandbox alone, side by side in one run. docs/benchmarks.md records it.

    python benchmarks/bench_race_site.py [--seconds 10] [--site DIR]
    (default: builds the sandbox page into build/bench-sandbox-site)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as a script from the project

from benchmarks.bench_sandbox_site import FIND, open_sandbox, sandbox_browser, wait_status  # noqa: E402
from benchmarks.bench_site import offline_context  # noqa: E402

# A race whose second network changes nothing: two default networks (a link with a race opens the Race tab).
RACE = "?race=activation:tanh"
# Counts the patches (redraws) from the worker that change each network's numbers on the page.
COUNT_REDRAWS = """
window.pgRedraws = { first: 0, second: 0 };
window.Worker = class extends window.Worker {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", ({ data }) => {
      if (!data || data.type !== "patch") return;
      const text = typeof data.patch === "string" ? data.patch : JSON.stringify(data.patch);
      if (text.includes("pg-status")) window.pgRedraws.first += 1;
      if (text.includes("pg-race-verdict")) window.pgRedraws.second += 1;
    });
  }
};
"""


def measure(page, seconds: float) -> dict:
    """Redraws per second of each network and epochs per second, over `seconds` of training after a warm-up."""
    page.evaluate("window.pgButton('Play').click()")
    wait_status(page, "running")
    page.wait_for_timeout(2_000)  # past the first ticks, which size the steps per tick
    redraws, epoch, started = page.evaluate("({...window.pgRedraws})"), page.evaluate("window.pgStatus().epoch"), 0
    started = time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    elapsed = time.monotonic() - started
    now = page.evaluate("({...window.pgRedraws})")
    epochs = page.evaluate("window.pgStatus().epoch") - epoch
    page.evaluate("window.pgButton('Pause').click()")
    return {
        "first frames/s": (now["first"] - redraws["first"]) / elapsed,
        "second frames/s": (now["second"] - redraws["second"]) / elapsed,
        "epochs/s (each)": epochs / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--site", type=Path, help="an already built site with a sandbox.html page")
    args = parser.parse_args()
    with sandbox_browser(args.site) as (browser, url):
        for name, query in (("sandbox alone", ""), ("race of two default networks", RACE)):
            context = offline_context(browser, "block")
            context.add_init_script(COUNT_REDRAWS)
            page = open_sandbox(context, url + query, None)
            page.evaluate(FIND)
            if query:
                page.wait_for_function("window.pgFind((e) => e.classList?.contains('pg-race-verdict')) !== null")
            result = measure(page, args.seconds)
            context.close()
            print(f"{name}: " + ", ".join(f"{key} {value:.1f}" for key, value in result.items()))


if __name__ == "__main__":
    main()

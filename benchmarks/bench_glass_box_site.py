"""The glass box's targets on the built site (issue 17): the sandbox page in headless Chromium at 1400x900, Python in
the page's Web Worker, timed on the page's clock. docs/benchmarks.md records it.

Each round loads the page afresh (default network) and measures, in this order:

1. Epochs/s with Play (bench_sandbox_site's measure), after a warm-up: "More views" never opened, then, after a
   recorded step, "The engine's code" open on screen and the views folded again, alternately; each open window is
   compared with the folded or never opened windows on either side of it.
2. Step mode: from a click ("Run one step, line by line", "Next line ▶", or another line chosen in "Line that ran")
   to the frame showing the last change it made in the open tab (its code, marked line and arrays; the column the
   diagram marks is drawn on a canvas, not watched).
3. "Use my code" with the editor's starting text (the engine's own Dense, a comment added each time) to the frame
   showing the gradient check's verdict; the same with the transpose dropped from backward's return: refused for
   the default network (the product's shape is wrong). Once more on a page whose first layer is 2 -> 2, where the
   same mistake keeps the shapes and the check flags it.

    python benchmarks/bench_glass_box_site.py [--quick] [--site DIR ...]
    (default: builds the sandbox page into build/bench-sandbox-site, as bench_sandbox_site.py does; several --site
    folders are measured side by side, their rounds interleaved)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as a script from the project

from benchmarks.bench_sandbox_site import measure, open_sandbox, sandbox_browser  # noqa: E402
from benchmarks.bench_site import offline_context  # noqa: E402
from web.serve import make_server  # noqa: E402

VIEWPORT = {"width": 1400, "height": 900}
CODE_TAB, OWN_TAB = "The engine's code", "Write your own layer"
ENGINE_RETURN = 'return matmul(grad_y, self.params["W"].T)'  # Dense.backward's last line in the editor's starting text
# In-page helpers (after bench_sandbox_site's pgFind). pgTimed(act, done) runs act() and resolves with the ms from it
# to the frame showing the last change in the open tab of "More views" (every shadow root under its tabs watched),
# once done() holds and the tab has not changed for QUIET ms; Infinity after a minute. An attribute set again to the
# value it had is no change (the page's ARIA walk, playground/widgets/aria.py, does that twice a second).
TIMED = """() => {
const QUIET = 300;
window.pgTabs = () => window.pgFind((e) => e.classList.contains("bk-panel-models-tabs-Tabs"));
window.pgInTab = (test) => window.pgFind(test, window.pgTabs().shadowRoot);
window.pgInput = (label) => {
  const found = window.pgInTab((e) => e.tagName === "LABEL" && e.textContent.trim() === label);
  return found && found.getRootNode().querySelector("select, textarea");
};
window.pgStepShown = () => {
  const told = window.pgInTab((e) => e.classList.contains("pg-sub") && /^Step \\d+ ran/.test(e.textContent));
  return told ? Number(told.textContent.match(/^Step (\\d+)/)[1]) : 0;
};
window.pgResult = () => {
  const result = window.pgInTab((e) => e.matches(".pg-check, .pg-code-error"));
  return result ? result.getRootNode().textContent : "";
};
window.pgTimed = (act, done) => new Promise((resolve) => {
  let last = null;
  const changed = (m) => m.type !== "attributes" || m.oldValue !== m.target.getAttribute(m.attributeName);
  const observer = new MutationObserver((records) => {
    if (records.some(changed)) requestAnimationFrame(() => { last = performance.now(); });
  });
  const watch = (root) => {
    const all = { subtree: true, childList: true, attributes: true, attributeOldValue: true, characterData: true };
    observer.observe(root, all);
    for (const element of root.querySelectorAll("*")) if (element.shadowRoot) watch(element.shadowRoot);
  };
  watch(window.pgTabs().shadowRoot);
  const started = performance.now();
  act();
  const check = () => {
    const now = performance.now();
    if (last !== null && now - last > QUIET && done()) { observer.disconnect(); resolve(last - started); }
    else if (now - started > 60000) { observer.disconnect(); resolve(Infinity); }
    else setTimeout(check, 20);
  };
  check();
});
window.pgChoose = (select, index) => {
  select.value = select.options[index].value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
};
window.pgType = (textarea, text) => {
  textarea.value = text;
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
  textarea.dispatchEvent(new Event("change", { bubbles: true }));  // what the editor sends when it loses the focus
};
}"""


def open_page(browser, url: str, hidden_layers: list[int] | None = None):
    page = open_sandbox(offline_context(browser, "block"), url, hidden_layers)
    page.set_viewport_size(VIEWPORT)
    page.evaluate(TIMED)
    return page


def open_tab(page, name: str) -> None:
    """Unfolds "More views" if folded and chooses the tab `name`, on screen."""
    if page.get_by_role("tab", name=name).count() == 0:
        page.get_by_role("button", name="More views").click()
    page.get_by_role("tab", name=name).wait_for(timeout=120_000)
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(1_000)  # drawn, and a student's moment to look before the first click


def training(page, windows: int, seconds: float, warm_up: float) -> dict[str, list]:
    """(epochs/s, redraws with pictures/s) never opened, then `windows` times open (after a recorded step) and folded
    again; open/closed: each open window's rates against the mean of the closed windows before and after it. First
    `warm_up` seconds of training not counted: the rate falls while the loss curves (sent whole on every redraw) grow
    to their 500-1000 points."""

    def rates() -> tuple[float, float]:
        result = measure(page, seconds, 1)
        return result["epochs/s"], result["with pictures/s"]

    measure(page, warm_up, 1)
    closed, opened = [rates()], []
    open_tab(page, CODE_TAB)
    page.get_by_role("button", name="Run one step, line by line").click()
    page.wait_for_function("window.pgStepShown() > 0", timeout=60_000)
    for _ in range(windows):
        open_tab(page, CODE_TAB)
        page.locator(".pg-code").scroll_into_view_if_needed()
        opened.append(rates())
        page.get_by_role("button", name="More views").click()
        page.evaluate("window.scrollTo(0, 0)")
        closed.append(rates())
    ratios = [
        [value / statistics.mean(around[i] for around in closed[k : k + 2]) for i, value in enumerate(window)]
        for k, window in enumerate(opened)
    ]
    return {"never opened": closed[:1], "folded again": closed[1:], "open": opened, "open/closed": ratios}


def step_mode(page, nexts: int, jumps: int) -> dict[str, list[float]]:
    """Times "Run one step, line by line", then `nexts` clicks of "Next line ▶", then `jumps` lines chosen in "Line
    that ran"."""
    open_tab(page, CODE_TAB)
    page.locator(".pg-code").scroll_into_view_if_needed()
    shown = page.evaluate("window.pgStepShown()")
    times = {"Run one step": [], "Next line": [], "Line chosen": []}
    times["Run one step"].append(
        page.evaluate(
            "window.pgTimed(() => window.pgButton('Run one step').click(), () => window.pgStepShown() > "
            f"{shown} && window.pgInput('Line that ran').selectedIndex === 0)"
        )
    )
    lines = page.evaluate("window.pgInput('Line that ran').options.length")
    for k in range(1, nexts + 1):
        times["Next line"].append(
            page.evaluate(
                "window.pgTimed(() => window.pgButton('Next line').click(), "
                f"() => window.pgInput('Line that ran').selectedIndex === {k})"
            )
        )
    for j in range(jumps):
        index = (nexts + 17 * (j + 1)) % lines  # away from the line shown, across the whole step
        times["Line chosen"].append(
            page.evaluate(
                f"window.pgTimed(() => window.pgChoose(window.pgInput('Line that ran'), {index}), "
                f"() => window.pgInput('Line that ran').selectedIndex === {index})"
            )
        )
    return times


def use_code(page, text: str, verdict: str) -> float:
    """Ms from typing `text` into the editor and "Use my code" to the verdict (the result pane holding `verdict`)."""
    return page.evaluate(
        "([text, verdict]) => window.pgTimed(() => { window.pgType(window.pgInput('Your code'), text); "
        "window.pgButton('Use my code').click(); }, () => window.pgResult().includes(verdict))",
        [text, verdict],
    )


def own_layer(page, uses: int, broken_verdict: str) -> dict[str, list[float]]:
    """`uses` times: the starting text (a comment added) to its verdict, then the text with backward's transpose
    dropped to `broken_verdict` (each verdict replaces the other on the page)."""
    open_tab(page, OWN_TAB)
    editor = page.get_by_role("textbox", name="Your code")
    editor.scroll_into_view_if_needed()
    engine = editor.input_value()
    if ENGINE_RETURN not in engine:
        raise SystemExit(f"the editor does not hold the engine's Dense: {engine[:200]!r}")
    broken = engine.replace(ENGINE_RETURN, ENGINE_RETURN.replace(".T)", ")"))
    times = {"engine's text": [], "transpose dropped": []}
    for k in range(uses):
        times["engine's text"].append(use_code(page, f"{engine}\n# try {k + 1}\n", "Every gradient matches"))
        times["transpose dropped"].append(use_code(page, f"{broken}\n# try {k + 1}\n", broken_verdict))
    return times


def one_round(browser, url: str, settings: dict) -> dict[str, list]:
    """Every figure of a round from one fresh page: training first (the views never opened), the step walked
    through, then the student's code (after which the network runs it)."""
    page = open_page(browser, url)
    figures = training(page, settings["windows"], settings["seconds"], settings["warm_up"])
    figures |= step_mode(page, settings["nexts"], settings["jumps"])
    figures |= own_layer(page, settings["uses"], "Your code was not used")
    page.context.close()
    return figures


def spread(values: list[float], unit: str = "ms") -> str:
    """Median, p90 and max of times in ms; of other figures, median and range."""
    ordered = sorted(values)
    p90 = ordered[round(0.9 * (len(ordered) - 1))]
    if unit == "ms":
        return f"median {statistics.median(values):.0f}, p90 {p90:.0f}, max {max(values):.0f} ms (n={len(values)})"
    return f"median {statistics.median(values):.2f}, {min(values):.2f}-{max(values):.2f}{unit} (n={len(values)})"


def report(site: str, figures: dict[str, list]) -> None:
    print(f"site {site}:")
    print("  training, default network, epochs/s (redraws with pictures/s); target: open keeps >= 80% of the epochs/s:")
    for name in ("never opened", "folded again", "open"):
        print(f"    {name:26} " + ", ".join(f"{epochs:.1f} ({pictures:.1f})" for epochs, pictures in figures[name]))
    for i, name in enumerate(("epochs/s", "pictures/s")):
        print(f"    {'open / closed ' + name:26} {spread([ratio[i] for ratio in figures['open/closed']], '')}")
    print("  step mode, click to the frame showing it (target: each step's view <= 150 ms, median of 20+):")
    for name in ("Run one step", "Next line", "Line chosen"):
        print(f"    {name:26} {spread(figures[name])}")
    print("  Use my code to the verdict on screen (target <= 1 s, default network):")
    verdicts = {"engine's text": "every gradient right", "transpose dropped": "refused (shapes do not fit)",
                "2 -> 2, transpose dropped": "flagged wrong"}  # fmt: skip
    for name, verdict in verdicts.items():
        print(f"    {name:26} {spread(figures[name])}: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round, fewer clicks and uses, shorter training")
    parser.add_argument(
        "--site", type=Path, action="append", help="an already built site with sandbox.html (repeat to compare sites)"
    )
    args = parser.parse_args()
    rounds, settings = (
        (1, {"warm_up": 10, "windows": 1, "seconds": 4, "nexts": 20, "jumps": 3, "uses": 2})
        if args.quick
        else (2, {"warm_up": 30, "windows": 3, "seconds": 6, "nexts": 15, "jumps": 8, "uses": 3})
    )
    sites = args.site or [None]  # None: sandbox_browser builds the page
    figures = {site: {} for site in sites}
    with sandbox_browser(sites[0]) as (browser, url), ExitStack() as servers:
        urls = {sites[0]: url}
        for site in sites[1:]:  # the others served beside the first, for the same browser
            server = make_server(site, port=0)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.callback(server.shutdown)
            urls[site] = f"http://127.0.0.1:{server.server_address[1]}/sandbox.html"
        for _ in range(rounds):
            for site, url in urls.items():
                for name, values in one_round(browser, url, settings).items():
                    figures[site].setdefault(name, []).extend(values)
        for site, url in urls.items():
            page = open_page(browser, url, [2])
            figures[site]["2 -> 2, transpose dropped"] = own_layer(page, rounds, "do not match")["transpose dropped"]
            page.context.close()
    for site in sites:
        report(str(site or "build/bench-sandbox-site"), figures[site])


if __name__ == "__main__":
    main()

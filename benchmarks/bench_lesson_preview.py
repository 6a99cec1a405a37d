"""How long an author waits from saving a lesson to seeing it: `nn-playground lesson serve` started on a copy of
lessons (by default the stock ones), a lesson opened in headless Chromium (service workers blocked as in the
browser tests; the preview serves none anyway), 1000x700 (one column: the window scrolls), then its Markdown edited
--edits times (a sentence changed, the file written as an editor saves it) and the time measured from the write until
the page shows the new sentence. Before each edit the page is left to finish starting (the loader ready), as an author
reading it would, and scrolled down 300 px; after it, whether the scroll position was kept: the edited paragraph at
the same height in the window (within 5 px; scrollY itself may differ, the browser's scroll anchoring keeps what was
in view when the live views above it take their place). Then a task's text edited (the header: the project wheel is
rebuilt too, the page's first look in the background). Last, a broken header: the time until the page's banner names
FILE:LINE, and the time until the fixed file's page is back without it. docs/benchmarks.md records it.

    python benchmarks/bench_lesson_preview.py [--lessons lessons] [--lesson 01-one-neuron] [--edits 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as a script from the project

from web.chromium import CHROMIUM_ARGS  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
SENTENCE = "A neuron computes"  # in lesson 1's text


def start_preview(folder: Path, out: Path) -> tuple[subprocess.Popen, str]:
    """`nn-playground lesson serve` on a free port; the process and the URL it prints once the site is built."""
    server = subprocess.Popen(
        [sys.executable, "-m", "playground", "lesson", "serve", str(folder), "--out", str(out), "--port", "0"],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in server.stdout:
        print(line.rstrip(), flush=True)
        if match := re.search(r"at (http://\S+)", line):
            threading.Thread(target=lambda: [print("  server:", rest.rstrip()) for rest in server.stdout]).start()
            return server, match[1]
    raise SystemExit("lesson serve stopped before serving")


def wait_for_text(page, text: str, present: bool = True, timeout_ms: int = 30_000) -> float:
    """Seconds until the page's text holds `text` (or no longer does), looked at every 10 ms."""
    start = time.perf_counter()
    check = "document.body && document.body.innerText.includes(text)"
    page.wait_for_function(f"(text) => {'' if present else '!'}({check})", arg=text, polling=10, timeout=timeout_ms)
    return time.perf_counter() - start


def paragraph_top(page, text: str) -> float:
    """Where the paragraph holding `text` starts, in pixels from the top of the window."""
    return page.get_by_text(text).first.evaluate("(element) => element.getBoundingClientRect().top")


def settle(page) -> None:
    page.wait_for_function(
        "['ready', 'error'].includes(document.getElementById('pg-loader')?.dataset.state)", timeout=120_000
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=Path, default=PROJECT / "lessons")
    parser.add_argument(
        "--lesson", default="01-one-neuron", help="the lesson to open and edit (its text has the sentence)"
    )
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-lesson-preview-") as tmp:
        folder = Path(tmp) / "lessons"
        shutil.copytree(args.lessons, folder)
        path = folder / f"{args.lesson}.md"
        original = path.read_text()
        started = time.perf_counter()
        server, url = start_preview(folder, Path(tmp) / "site")
        print(f"built and serving in {time.perf_counter() - started:.1f} s")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
                )
                context = browser.new_context(service_workers="block", viewport={"width": 1000, "height": 700})
                page = context.new_page()
                page.goto(f"{url}lesson-{args.lesson}.html")
                settle(page)
                times, kept = [], []
                sentence = SENTENCE
                for number in range(1, args.edits + 1):
                    page.evaluate("scrollTo(0, 300)")
                    where = paragraph_top(page, sentence)
                    new = f"A neuron (edit {number}) computes"
                    text = path.read_text().replace(sentence, new)
                    start = time.perf_counter()
                    path.write_text(text)
                    wait_for_text(page, new)
                    times.append(time.perf_counter() - start)
                    settle(page)
                    after = paragraph_top(page, new)
                    kept.append(abs(after - where) <= 5)
                    print(f"edit {number}: {times[-1]:.2f} s, paragraph at {where:.0f} -> {after:.0f} px", flush=True)
                    sentence = new
                print(
                    f"save -> page shows the new sentence: median {statistics.median(times):.2f} s, "
                    f"max {max(times):.2f} s over {len(times)} edits; scroll position kept {sum(kept)}/{len(kept)}"
                )
                settle(page)
                task = "reach 95% test accuracy"  # a task's text: in the header, so the live part changes too
                start = time.perf_counter()
                path.write_text(path.read_text().replace(task, "reach 95% test accuracy (edited)"))
                wait_for_text(page, "(edited)")
                header = time.perf_counter() - start
                print(f"a task's text (the header) -> page shows it: {header:.2f} s", flush=True)
                settle(page)
                start = time.perf_counter()
                path.write_text(path.read_text().replace("level: beginner", "level: expert"))
                wait_for_text(page, f"{path.name}:4: level")
                broken = time.perf_counter() - start
                start = time.perf_counter()
                path.write_text(original)
                wait_for_text(page, SENTENCE)
                wait_for_text(page, "last good version", present=False)
                fixed = time.perf_counter() - start
                print(f"broken header -> banner with FILE:LINE {broken:.2f} s; fixed -> page without it {fixed:.2f} s")
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()

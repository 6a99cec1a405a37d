"""Images per second the MNIST lab trains with its views off and with each tab open, and how often the open tab's
views are redrawn meanwhile (CPython, no browser).

`python benchmarks/bench_mnist_lab.py [seconds] [preset ...]` drives the lab's Ticker the way its periodic callback
does (a tick, then a sleep to the end of the period) and counts the digits trained. Bokeh's serialization to a
browser is not included: there is no server session here. A second table times one redraw of the training tab
paused and while training (its occlusion map is coarser then), alternating the two, side by side in one run.
"""

import asyncio
import statistics
import sys
import time

from playground.mnist.app import TAB_NAMES, MnistLab
from playground.mnist.state import MnistState


async def images_per_second(preset, tab, seconds):
    """(digits trained per second, heavy redraws per second) with tab `tab` open, or with no redraw at all when
    tab is None."""
    app = MnistLab(MnistState(preset=preset))
    if tab is None:
        app.ticker.redraw = lambda: None
    else:
        app.tabs.active = tab
    app.session.play()
    period = app.ticker.period_ms / 1000
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        tick_started = time.perf_counter()
        await app.ticker.tick()
        await asyncio.sleep(max(0.0, period - (time.perf_counter() - tick_started)))
    elapsed = time.perf_counter() - started
    return app.session.trainer.step * app.state.batch_size / elapsed, app.view_redraws / elapsed


def training_tab_redraw_ms(preset, repeats=15):
    """Median milliseconds of one redraw of the training tab, (paused, while training), alternated."""
    app = MnistLab(MnistState(preset=preset))
    times = {"paused": [], "running": []}
    for _ in range(repeats):
        for status in times:
            app.session.play() if status == "running" else app.session.pause()
            started = time.perf_counter()
            app.redraw()
            times[status].append(time.perf_counter() - started)
    return tuple(1000 * statistics.median(times[status]) for status in ("paused", "running"))


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0
    presets = sys.argv[2:] or ["small-cnn", "mlp"]
    cases = [("views off", None), *((name, tab) for tab, name in enumerate(TAB_NAMES))]
    print("images/s (share of views off) · view redraws/s")
    print("| network | " + " | ".join(name for name, _ in cases) + " |")
    for preset in presets:
        figures = [asyncio.run(images_per_second(preset, tab, seconds)) for _, tab in cases]
        off = figures[0][0]
        cells = [f"{images:,.0f} ({images / off:.0%}) · {redraws:.1f}/s" for images, redraws in figures[1:]]
        print(f"| {preset} | {off:,.0f} | " + " | ".join(cells) + " |", flush=True)
    print("\n| network | training tab redraw, paused | while training | ratio |")
    for preset in presets:
        paused, running = training_tab_redraw_ms(preset)
        print(f"| {preset} | {paused:.1f} ms | {running:.1f} ms | {paused / running:.1f}x |", flush=True)


if __name__ == "__main__":
    main()

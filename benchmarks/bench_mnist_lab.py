"""Images per second the MNIST lab trains with its views off and with each tab open (CPython, no browser).

`python benchmarks/bench_mnist_lab.py [seconds] [preset ...]` drives the lab's Ticker the way its periodic callback
does (a tick, then a sleep to the end of the period) and counts the digits trained. Bokeh's serialization to a
browser is not included: there is no server session here.
"""

import asyncio
import sys
import time

from playground.apps.mnist_lab import TAB_NAMES, MnistLab
from playground.mnist.state import MnistState


async def images_per_second(preset, tab, seconds):
    """Digits trained per second with tab `tab` open, or with no redraw at all when tab is None."""
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
    return app.session.trainer.step * app.state.batch_size / (time.perf_counter() - started)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0
    presets = sys.argv[2:] or ["small-cnn", "mlp"]
    cases = [("views off", None), *((name, tab) for tab, name in enumerate(TAB_NAMES))]
    print("| network | " + " | ".join(name for name, _ in cases) + " |")
    for preset in presets:
        figures = [asyncio.run(images_per_second(preset, tab, seconds)) for _, tab in cases]
        shares = [f"{figure:,.0f} ({figure / figures[0]:.0%})" for figure in figures]
        print(f"| {preset} | " + " | ".join(shares) + " |", flush=True)


if __name__ == "__main__":
    main()

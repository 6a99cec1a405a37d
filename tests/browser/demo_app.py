"""The browser tests' demo page: a slider, four buttons and a Bokeh line plot, built inside the Web Worker.
Shipped to the site for the tests only (build_site's app_modules)."""

import asyncio
import random
import time

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure


def app() -> pn.viewable.Viewable:
    x = np.linspace(0, 2 * np.pi, 200)
    source = ColumnDataSource(data={"x": x, "y": np.sin(x)})
    plot = figure(height=280, width=560, title="y = sin(frequency · x)")
    plot.line("x", "y", source=source, line_width=2)
    frequency = pn.widgets.IntSlider(name="frequency", start=1, end=10, value=1, width=300)
    count = pn.widgets.Button(name="Count a click", button_type="primary")
    work = pn.widgets.Button(name="Keep Python busy for 3 s")
    redraws = pn.widgets.Button(name="Redraw 300 times")
    frame = pn.widgets.Button(name="Use pandas")  # installed on first import (playground/browser/on_import.py)
    crash = pn.widgets.Button(name="Overflow Python's stack")  # a fatal error of Pyodide: Python cannot run again
    status = pn.pane.Str("clicks: 0")
    draw = pn.pane.Str(f"random draw: {random.random():.12f}")  # differs per visit (worker.js reseeds)
    clicks = [0]

    def redraw(event):
        source.data = {"x": x, "y": np.sin(event.new * x)}

    def on_count(event):
        clicks[0] += 1
        status.object = f"clicks: {clicks[0]}"

    async def on_work(event):
        status.object = "working…"
        await asyncio.sleep(0)  # lets the message reach the page before the long computation, as in Panel server
        end = time.monotonic() + 3
        while time.monotonic() < end:  # busy, as a training step is: the worker does nothing else
            np.sin(x).sum()
        status.object = "worked for 3 s"

    async def on_redraws(event):
        for i in range(1, 301):  # faster than a page paints, as training redraws are
            status.object = f"redraw {i}"
            await asyncio.sleep(0.002)

    def on_frame(event):
        import pandas as pd

        table = pd.DataFrame({"x": x, "y": np.sin(x)})
        status.object = f"pandas {pd.__version__}: {len(table)} rows, mean y {table['y'].mean():.3f}"

    def on_crash(event):
        import json
        import sys

        sys.setrecursionlimit(10**6)  # past Python's guard: the C parser's recursion overflows the wasm stack
        json.loads("[" * 500_000 + "]" * 500_000)

    frequency.param.watch(redraw, "value")
    count.on_click(on_count)
    work.on_click(on_work)
    redraws.on_click(on_redraws)
    frame.on_click(on_frame)
    crash.on_click(on_crash)
    return pn.Column(pn.Row(frequency, count, work, redraws, frame, crash), status, plot, draw)

"""The arrays of a recorded training step as a student reads them: the name, the shape in words, and the values of
the selected example, as a table coloured by sign for a few numbers, as small maps for a convolution's channels, and
as a summary (smallest, mean, largest) beyond that."""

from __future__ import annotations

from html import escape

import numpy as np

from playground.core.palette import NEGATIVE_TEXT, POSITIVE_TEXT

TABLE_LIMIT = 64  # values shown as a table at most
MAPS_LIMIT = 16  # channels drawn as maps at most
CELL = 4  # pixels of a map's cell

STYLES = f"""
.pg-arrays {{ display: flex; flex-wrap: wrap; gap: 14px 22px; align-items: flex-start; }}
.pg-array h5 {{ margin: 0 0 3px; font: 600 12px ui-monospace, monospace; color: #1f2328; }}
.pg-array .shape {{ font: 12px sans-serif; color: #57606a; margin: 0 0 4px; }}
.pg-array table {{ border-collapse: collapse; font: 12px ui-monospace, monospace; }}
.pg-array td {{ padding: 1px 6px; text-align: right; border-top: 1px solid #eceff2; }}
.pg-array .pos {{ color: {POSITIVE_TEXT}; }} .pg-array .neg {{ color: {NEGATIVE_TEXT}; }}
.pg-array svg {{ margin: 0 4px 4px 0; border: 1px solid #dde3ea; }}
"""


def arrays_html(values: dict, example: int, batch: int) -> str:
    """Each value of a Stage as HTML: arrays whose first axis is the batch (`batch` examples) shown for `example`."""
    parts = [_one(name, value, example, batch) for name, value in values.items()]
    return f"<div class='pg-arrays'>{''.join(parts)}</div>"


def _one(name: str, value, example: int, batch: int) -> str:
    title = f"<h5>{escape(name)}</h5>"
    if isinstance(value, list):
        shapes = ", ".join(str(item.shape) for item in value)
        return f"<div class='pg-array'>{title}<p class='shape'>a list of {len(value)} arrays: {shapes}</p></div>"
    array = np.asarray(value)
    if array.ndim == 0:
        return f"<div class='pg-array'>{title}{_table(array.reshape(1, 1))}</div>"
    per_example = array.ndim >= 2 and array.shape[0] == batch
    shown = array[example] if per_example else array
    words = f"shape {array.shape}" + (f"; example {example + 1} of the batch of {batch}" if per_example else "")
    if shown.ndim == 3 and shown.shape[1] * shown.shape[2] > 1:  # channels of maps
        body = "".join(_map(channel) for channel in shown[:MAPS_LIMIT])
        if len(shown) > MAPS_LIMIT:
            words += f"; the first {MAPS_LIMIT} of {len(shown)} channels"
    elif shown.size <= TABLE_LIMIT:
        body = _table(shown.reshape(-1, shown.shape[-1]) if shown.ndim else shown.reshape(1, 1))
    else:
        body = f"<p class='shape'>smallest {shown.min():.4g}, mean {shown.mean():.4g}, largest {shown.max():.4g}</p>"
    return f"<div class='pg-array'>{title}<p class='shape'>{escape(words)}</p>{body}</div>"


def _table(rows: np.ndarray) -> str:
    cells = "".join(
        "<tr>" + "".join(f"<td class='{'neg' if v < 0 else 'pos'}'>{v:+.4f}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table>{cells}</table>"


def _map(channel: np.ndarray) -> str:
    """One channel as an SVG of grey cells scaled to its own largest magnitude (blue positive, orange negative)."""
    height, width = channel.shape
    scale = float(np.abs(channel).max()) or 1.0
    cells = []
    for (row, column), v in np.ndenumerate(channel):
        strength = abs(float(v)) / scale
        colour = (5, 98, 160) if v >= 0 else (168, 88, 0)
        cells.append(
            f"<rect x='{column * CELL}' y='{row * CELL}' width='{CELL}' height='{CELL}' "
            f"fill='rgb{colour}' fill-opacity='{strength:.2f}'/>"
        )
    return (
        f"<svg width='{width * CELL}' height='{height * CELL}' role='img' "
        f"aria-label='a {height} by {width} map'>{''.join(cells)}</svg>"
    )

"""The arrays of a recorded training step as a student reads them: the name, the shape in words, and the values of
the selected example, as a table coloured by sign for a few numbers, as small images for a convolution's channels
(one per channel, on one colour scale, with the range in words), and as a summary (smallest, mean, largest) beyond
that."""

from __future__ import annotations

from html import escape

import numpy as np

from playground.core.palette import NEGATIVE_TEXT, POSITIVE_TEXT, diverging_rgba
from playground.core.png import png_uri

TABLE_LIMIT = 64  # values shown as a table at most
MAPS_LIMIT = 16  # channels drawn as images at most, so that a step's view stays quick
CELL = 4  # screen pixels per value of a channel's image: a 26x26 map is drawn twice as wide as a 13x13 one
PARAMETERS = ("self.params[", "self.grads[")  # a layer's weights and their gradients: never one row per example

STYLES = f"""
.pg-arrays {{ display: flex; flex-wrap: wrap; gap: 14px 22px; align-items: flex-start; }}
.pg-array h5 {{ margin: 0 0 3px; font: 600 12px ui-monospace, monospace; color: #1f2328; }}
.pg-array .shape {{ font: 12px sans-serif; color: #57606a; margin: 0 0 4px; }}
.pg-array table {{ border-collapse: collapse; font: 12px ui-monospace, monospace; }}
.pg-array td {{ padding: 1px 6px; text-align: right; border-top: 1px solid #eceff2; }}
.pg-array .pos {{ color: {POSITIVE_TEXT}; }} .pg-array .neg {{ color: {NEGATIVE_TEXT}; }}
.pg-maps {{ display: flex; flex-wrap: wrap; gap: 4px 6px; max-width: 560px; }}
.pg-maps figure {{ margin: 0; font: 10px sans-serif; color: #57606a; text-align: center; }}
.pg-maps img {{ display: block; image-rendering: pixelated; border: 1px solid #dde3ea; }}
"""


def arrays_html(values: dict, example: int, batch: int) -> str:
    """Each value of a Stage as HTML: arrays whose first axis is the batch (`batch` examples; 0 when none is) shown
    for `example`."""
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
    per_example = array.ndim >= 2 and array.shape[0] == batch and not name.startswith(PARAMETERS)
    shown = array[example] if per_example else array
    words = f"shape {array.shape}" + (f"; example {example + 1} of the batch of {batch}" if per_example else "")
    if shown.ndim == 3 and shown.shape[1] * shown.shape[2] > 1:  # channels of maps (channels, height, width)
        body = _maps(shown.astype(np.float64))  # a mask (True, False) as 1 and 0
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


def _maps(channels: np.ndarray) -> str:
    """Channels (C, H, W) as images, the first MAPS_LIMIT of them, all on the scale of the largest magnitude: blue
    positive, orange negative, grey zero; the range said in words."""
    count, height, width = channels.shape
    scale = float(np.abs(channels).max()) or 1.0
    words = (
        f"{count} channel{'s' if count > 1 else ''} of {height}×{width}, values from {channels.min():.3g} to "
        f"{channels.max():.3g} (blue positive, orange negative, full colour at ±{scale:.3g})"
    )
    # png_bytes puts row 0 at the bottom (as the heatmaps store it); a channel's row 0 is its top
    images = "".join(
        f"<figure><img src='{png_uri(np.flipud(diverging_rgba(channel / scale)))}' width='{width * CELL}' "
        f"height='{height * CELL}' alt='channel {k + 1}, {height} by {width}'><figcaption>{k + 1}</figcaption></figure>"
        for k, channel in enumerate(channels[:MAPS_LIMIT])
    )
    more = f"<p class='shape'>… and {count - MAPS_LIMIT} more channels</p>" if count > MAPS_LIMIT else ""
    return f"<p class='shape'>{words}</p><div class='pg-maps'>{images}</div>{more}"

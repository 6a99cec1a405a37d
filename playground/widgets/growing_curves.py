"""Curves that grow while training (the loss and accuracy histories): a redraw sends them only when they changed,
and as binary arrays.

Sending the whole history every redraw as lists cost more the longer a network trained: at 680 points the sandbox's
curves were 36 kB of a redraw's patch, and serializing them took 6 of its 8 ms in Pyodide
(benchmarks/bench_frame_parts.py). As float arrays they travel as the patch's binary buffers, with no number written
out as text. (Bokeh's `stream`, which would send only the new points, imports pandas in its event: in a page that was
pandas' first import, 1-2 s of the worker in the middle of training.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from bokeh.models import ColumnDataSource


def show_history(source: ColumnDataSource, columns: Mapping[str, Sequence[float | None]]) -> None:
    """Makes `source` show `columns` (equal-length lists, a training history; None is a value not measured, drawn as a
    gap), unless it shows them already: the same length, first and last points (a history's step, unique and rising,
    tells a grown, thinned or restarted one; a point measured again differs in its values)."""
    shown = source.data
    if shown.keys() == columns.keys() and all(_same_ends(shown[key], columns[key]) for key in columns):
        return
    source.data = {key: np.array(values, dtype=float) for key, values in columns.items()}


def _same_ends(shown: Sequence[float], values: Sequence[float | None]) -> bool:
    if len(shown) != len(values):
        return False
    return not len(values) or all(_equal(shown[index], values[index]) for index in (0, -1))


def _equal(a: float | None, b: float | None) -> bool:
    """Equal, a NaN and None (not measured) counting as the same."""
    a_missing, b_missing = a is None or a != a, b is None or b != b
    return a_missing and b_missing or (not a_missing and not b_missing and a == b)

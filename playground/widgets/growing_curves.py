"""Curves that grow while training (the loss and accuracy histories): a redraw sends the page only the new points.

Sending the whole history every redraw cost more the longer a network trained: at 680 points the sandbox's curves
were 36 kB of a redraw's patch, and serializing them took 6 of its 8 ms in Pyodide (benchmarks/bench_frame_parts.py).
Bokeh's `stream` sends just the points added; a history that changed otherwise (thinned past its length limit, its
last point replaced, training started again) is sent whole.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from bokeh.models import ColumnDataSource


def show_history(source: ColumnDataSource, columns: Mapping[str, Sequence[float]]) -> None:
    """Makes `source` show `columns` (equal-length lists, a training history): the points added since the last call
    are streamed when the rest is unchanged, else the whole history replaces what it shows."""
    shown = source.data
    count = len(next(iter(shown.values()), ()))
    length = len(next(iter(columns.values()), ()))
    if shown.keys() == columns.keys() and 0 < count <= length and _same_ends(shown, columns, count):
        if length > count:
            source.stream({key: list(values[count:]) for key, values in columns.items()})
        return
    source.data = {key: list(values) for key, values in columns.items()}


def _same_ends(shown: Mapping[str, Sequence[float]], columns: Mapping[str, Sequence[float]], count: int) -> bool:
    """Whether the first and the count-th points of `columns` are those `shown` holds (a history's step, unique and
    rising, tells a thinned or restarted history; a replaced last point differs in its values)."""
    return all(_equal(shown[key][index], columns[key][index]) for key in columns for index in (0, count - 1))


def _equal(a: float | None, b: float | None) -> bool:
    """Equal, counting two NaNs (a value not measured, drawn as a gap) as equal."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))

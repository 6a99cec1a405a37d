"""Bokeh without importing pandas for what the pages do; the site's worker applies it before building a page.

Importing pandas is the largest single cost of a page's start in Pyodide (1.6-2.1 s of the app stage,
docs/benchmarks.md), and no page uses it: Bokeh 3.7's `ColumnDataSource()` and `figure()` import it on every
call only to ask whether their argument is a DataFrame, a Series or a GroupBy, and its property validation asks
whether a value is one of pandas' date types. No object can be one while pandas has never been imported, so these
wrappers answer those questions without it (for a dict of columns; a range, None or two numbers; the date types
of the standard library and numpy) and hand everything else, and everything once pandas is imported, to Bokeh's
own code unchanged.
(Panel's Pyodide module imports pandas too, unless pyodide-http is installed: the site ships it.)

Two of the wrapped functions are private to Bokeh (`bokeh.plotting._figure.get_range`,
`bokeh.util.serialization._compute_datetime_types`): docs/compat.md lists them with the tests that guard them.
"""

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

import bokeh.plotting
import numpy as np
from bokeh.core.property.singletons import Intrinsic
from bokeh.models import ColumnDataSource, DataRange1d, Range, Range1d
from bokeh.models.sources import ColumnarDataSource
from bokeh.util import serialization

from playground.browser.compat import optional

# What a student gets when a private name below is gone: the page still works (Bokeh's own code runs).
SLOWER = "pages import pandas at start again (about 2 s slower in Pyodide, working otherwise)"

# Bokeh's own functions, which the wrappers hand everything else to; the private ones are looked up (and a missing
# one reported) when keep_pandas_out() applies the wrappers.
_bokeh_cds_init = ColumnDataSource.__init__
_bokeh_get_range: Callable[[Any], Range] | None = None  # bokeh.plotting._figure.get_range
_bokeh_datetime_types: Callable[[], set[type]] | None = None  # bokeh.util.serialization._compute_datetime_types


def _cds_init(self, *args, **kwargs):
    data = args[0] if len(args) == 1 and "data" not in kwargs else kwargs.get("data", {})
    if "pandas" in sys.modules or len(args) > 1 or not isinstance(data, dict):
        return _bokeh_cds_init(self, *args, **kwargs)
    kwargs.pop("data", None)
    ColumnarDataSource.__init__(self, **kwargs)
    self.data.update(data)


def _get_range(range_input):
    if "pandas" in sys.modules:
        return _bokeh_get_range(range_input)
    if range_input is None:
        return DataRange1d()
    if isinstance(range_input, Range):
        return range_input
    two_numbers = len(range_input) == 2 and not all(isinstance(x, str) for x in range_input)
    if isinstance(range_input, tuple | list) and two_numbers:
        start, end = range_input
        return Range1d(start=Intrinsic if start is None else start, end=Intrinsic if end is None else end)
    return _bokeh_get_range(range_input)


def _datetime_types():
    if "pandas" in sys.modules:
        return _bokeh_datetime_types()
    return {dt.time, dt.datetime, np.datetime64}


def keep_pandas_out() -> None:
    """From now on Bokeh imports pandas only for values that may be pandas objects.

    A wrapper whose private Bokeh function is missing is left out, with a PrivateAPIWarning naming it (the page
    then imports pandas, as Bokeh does, and starts slower). Applying the wrappers again changes nothing.
    """
    global _bokeh_get_range, _bokeh_datetime_types
    ColumnDataSource.__init__ = _cds_init
    figure_module = optional(bokeh.plotting, "_figure", SLOWER)
    get_range = None if figure_module is None else optional(figure_module, "get_range", SLOWER, function=True)
    if get_range is not None and get_range is not _get_range:
        _bokeh_get_range, figure_module.get_range = get_range, _get_range
    datetime_types = optional(serialization, "_compute_datetime_types", SLOWER, function=True)
    if datetime_types is not None and datetime_types is not _datetime_types:
        _bokeh_datetime_types, serialization._compute_datetime_types = datetime_types, _datetime_types

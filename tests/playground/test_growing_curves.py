"""Growing curves travel only when they changed, as float arrays (binary in a patch), and then hold exactly the
history: grown, thinned, a point measured again, a new start, points not measured yet."""

from math import isnan

import numpy as np
from bokeh.document import Document
from bokeh.document.events import ColumnDataChangedEvent
from bokeh.models import ColumnDataSource

from playground.core.training import MAX_HISTORY
from playground.widgets.growing_curves import show_history


def history(steps, offset=0.0):
    return {"step": list(steps), "train": [1 / (1 + s) + offset for s in steps], "test": [2 / (1 + s) for s in steps]}


def shown(changes):
    """Shows each history of `changes` in turn: the events each sent and what the source held after each."""
    source = ColumnDataSource({"step": [], "train": [], "test": []})
    document, sent, held = Document(), [], []
    document.add_root(source)
    document.on_change(lambda event: sent[-1].append(event))
    for columns in changes:
        sent.append([])
        show_history(source, columns)
        held.append(source.data)
    return sent, held


def test_a_history_travels_when_it_changed_as_float_arrays_and_not_when_it_did_not():
    full = history(range(MAX_HISTORY))
    thinned = {key: values[:1] + values[2::2] for key, values in full.items()}  # every other point past the first
    remeasured = {key: list(values) for key, values in thinned.items()}
    remeasured["train"][-1] += 0.5  # the same step, measured again
    restarted = history(range(len(thinned["step"])), offset=0.25)  # another run's losses, as many points
    changes = [history(range(3)), history(range(5)), history(range(5)), full, thinned, remeasured, restarted]
    sent, held = shown(changes)
    assert sent[2] == []  # unchanged: nothing travels
    for index in (0, 1, 3, 4, 5, 6):
        assert [type(event) for event in sent[index]] == [ColumnDataChangedEvent]
        assert all(isinstance(values, np.ndarray) and values.dtype == float for values in held[index].values())
        assert {key: list(values) for key, values in held[index].items()} == changes[index]


def test_points_not_measured_are_gaps_and_do_not_make_an_unchanged_history_travel():
    start = {"step": [0, 10], "test": [None, 0.5]}
    sent, held = shown(
        [start, {"step": [0, 10], "test": [None, 0.5]}, {"step": [0, 10, 20], "test": [None, 0.5, None]}]
    )
    assert sent[1] == [] and len(sent[2]) == 1
    assert isnan(held[2]["test"][0]) and isnan(held[2]["test"][2]) and held[2]["test"][1] == 0.5

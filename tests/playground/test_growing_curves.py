"""Growing curves send only their new points: a history that grew is streamed, one that changed otherwise is sent
whole, and either way the curves then hold exactly the history."""

from math import isnan, nan

from bokeh.document import Document
from bokeh.document.events import ColumnDataChangedEvent, ColumnsStreamedEvent
from bokeh.models import ColumnDataSource

from playground.core.training import MAX_HISTORY
from playground.widgets.growing_curves import show_history


def history(steps, offset=0.0):
    return {"step": list(steps), "train": [1 / (1 + s) + offset for s in steps], "test": [2 / (1 + s) for s in steps]}


def shown_with_events(changes):
    """Shows each history of `changes` in turn; the source, the events each sent and what the source held after each."""
    source = ColumnDataSource({"step": [], "train": [], "test": []})
    document, sent, held = Document(), [], []
    document.add_root(source)
    document.on_change(lambda event: sent[-1].append(event))
    for columns in changes:
        sent.append([])
        show_history(source, columns)
        held.append({key: list(values) for key, values in source.data.items()})
    return source, sent, held


def test_points_added_to_the_history_travel_alone_and_nothing_travels_when_nothing_changed():
    source, sent, _ = shown_with_events([history(range(3)), history(range(5)), history(range(5))])
    assert isinstance(sent[0][0], ColumnDataChangedEvent)  # the first look: the whole history
    (streamed,) = sent[1]
    assert isinstance(streamed, ColumnsStreamedEvent) and streamed.data["step"] == [3, 4]
    assert sent[2] == []
    assert source.data == history(range(5))


def test_a_thinned_history_a_replaced_last_point_or_a_new_start_is_sent_whole():
    full = history(range(MAX_HISTORY))
    thinned = {key: values[:1] + values[2::2] for key, values in full.items()}  # every other point past the first
    replaced = history(range(MAX_HISTORY // 2 + 1), offset=0.0)
    replaced["train"][-1] += 0.5  # the same step, measured again
    restarted = history(range(MAX_HISTORY // 2 + 3), offset=0.25)  # the same steps, another run's losses
    _, sent, held = shown_with_events([full, thinned, replaced, restarted])
    for events, columns, after in zip(sent[1:], (thinned, replaced, restarted), held[1:], strict=True):
        assert [type(event) for event in events] == [ColumnDataChangedEvent]
        assert after == columns


def test_points_not_measured_yet_do_not_make_a_growing_history_travel_whole():
    start = {"step": [0, 10], "test": [nan, 0.5]}
    grown = {"step": [0, 10, 20], "test": [nan, 0.5, nan]}
    source, sent, _ = shown_with_events([start, grown])
    assert [type(event) for event in sent[1]] == [ColumnsStreamedEvent]
    assert source.data["step"] == [0, 10, 20] and isnan(source.data["test"][2])

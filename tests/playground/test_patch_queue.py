"""PatchQueue: merged changes still make patches the page can apply, and the page ends with Python's state.

The page is played by a second Bokeh document built from the first one's JSON; like BokehJS it refuses a
patch that names a model it has never been sent.
"""

import numpy as np
import pytest
from bokeh.core.serialization import Serializer
from bokeh.document import Document
from bokeh.models import Column, ColumnDataSource, Div

from playground.browser.patch_queue import PatchQueue, apply_page_patch


class Link:
    """Python's document, the page's copy and the queue between them (as web/static/boot.py uses it)."""

    def __init__(self, *roots):
        self.doc = Document()
        for root in roots:
            self.doc.add_root(root)
        self.page = Document.from_json(self.doc.to_json())
        self.queue = PatchQueue()
        self.doc.on_change(self.queue.add)

    def flush(self):
        events = self.queue.take(self.doc)
        if events:
            serializer = Serializer(references=self.doc.models.synced_references, deferred=False)
            patch = {"events": serializer.encode(events)}
            self.doc.models.flush_synced(lambda model: not serializer.has_ref(model))
            self.page.apply_json_patch(patch)

    def on_page(self, model):
        return self.page.get_model_by_id(model.id)


def texts(column):
    return [(child.id, child.text) for child in column.children]


def test_a_change_to_a_new_model_whose_arrival_was_superseded_is_not_sent():
    column = Column(children=[Div(text="first")])
    link = Link(column)
    newcomer = Div(text="a")
    column.children = [newcomer]  # would define the newcomer ...
    newcomer.text = "b"  # ... before this change to it ...
    column.children = [Div(text="c")]  # ... but this replaces it before anything left
    link.flush()
    assert texts(link.on_page(column)) == texts(column)


def test_a_new_model_arrives_with_the_values_it_has_when_sent():
    column = Column(children=[])
    link = Link(column)
    newcomer, other = Div(text="a"), Div(text="x")
    column.children = [newcomer]
    newcomer.text = "b"
    column.children = [newcomer, other]
    link.flush()
    assert texts(link.on_page(column)) == [(newcomer.id, "b"), (other.id, "x")]


def test_changes_to_a_model_that_left_the_document_are_dropped_and_the_rest_arrive():
    leaving, staying = Div(text="a"), Div(text="b")
    column = Column(children=[leaving, staying])
    link = Link(column)
    leaving.text, staying.text = "gone", "kept"
    column.children = [staying]
    assert len(link.queue.take(link.doc)) == 2  # the column's children and the staying div's text
    assert not link.queue


def test_a_newer_value_of_a_property_replaces_the_waiting_one_and_the_pages_own_changes_stay_home():
    div = Div(text="a")
    link = Link(Column(children=[div]))
    for text in "bcd":
        div.text = text
    link.doc.apply_json_patch(
        {"events": [{"kind": "ModelChanged", "model": {"id": div.id}, "attr": "style", "new": {"color": "red"}}]},
        setter="js",
    )
    events = link.queue.take(link.doc)
    assert [(event.attr, event.new) for event in events] == [("text", "d")]


@pytest.mark.filterwarnings("ignore:reference already known")  # a model back in the document is sent whole again
def test_random_redraws_flushed_at_random_moments_leave_the_page_with_pythons_state():
    rng = np.random.default_rng(7)
    sources = [ColumnDataSource(data={"x": [0.0]}) for _ in range(2)]
    column = Column(children=[Div(text="0")])
    link = Link(column, *sources)
    pool = list(column.children)
    for step in range(600):
        action = rng.integers(6)
        if action == 0:  # a view replaced by new and old models
            pool.append(Div(text=f"new {step}"))
            picks = rng.choice(len(pool), size=rng.integers(1, 4), replace=False)
            column.children = [pool[i] for i in picks]
        elif action == 1:  # a view redrawn in place (in the document or not)
            pool[rng.integers(len(pool))].text = f"text {step}"
        elif action == 2:
            sources[rng.integers(2)].data = {"x": rng.normal(size=rng.integers(1, 5)).tolist()}
        elif action == 3:
            sources[rng.integers(2)].stream({"x": [float(step)]}, rollover=6)
        elif action == 4:
            sources[rng.integers(2)].patch({"x": [(0, float(-step))]})
        else:
            link.flush()
    link.flush()
    assert texts(link.on_page(column)) == texts(column)
    for source in sources:
        assert list(link.on_page(source).data["x"]) == list(source.data["x"])


def test_a_new_model_still_waiting_when_the_page_sends_a_change_arrives_whole():
    # Bokeh's apply_json_patch marks every model of the document as sent; a waiting newcomer must stay new.
    div = Div(text="a")
    column = Column(children=[div])
    link = Link(column)
    newcomer = Div(text="new")
    column.children = [div, newcomer]
    page_change = {"events": [{"kind": "ModelChanged", "model": {"id": div.id}, "attr": "text", "new": "typed"}]}
    apply_page_patch(link.doc, page_change)
    link.flush()  # would fail with "can't resolve reference" if the newcomer had left as a bare reference
    assert texts(link.on_page(column)) == [(div.id, "a"), (newcomer.id, "new")]
    assert div.text == "typed"

"""playground.browser.stable_defaults: Bokeh's fixed defaults worked out once per class give the same documents as
Bokeh's own code, and themes, lists and defaults made by functions still get Bokeh's answer."""

import itertools
import json
import re

import pytest
from bokeh.core.properties import String
from bokeh.document import Document
from bokeh.model import Model
from bokeh.models import Div, Slider
from bokeh.plotting import figure
from bokeh.themes import Theme
from fresh_python import run

from playground.browser import stable_defaults

DOCUMENTS = """
    import json, sys
    if sys.argv[1] == "wrapped":
        from playground.browser.stable_defaults import keep_stable_defaults
        keep_stable_defaults()
    import panel as pn
    from bokeh.document import Document
    from bokeh.embed.util import standalone_docs_json_and_render_items
    from panel.io.state import state
    from playground.mnist import app as mnist_lab
    from playground.sandbox import app as sandbox
    out = []
    for create in (sandbox.create_app, mnist_lab.create_app):
        state.curdoc = Document()
        app = create()
        pn.panel(app).server_doc(state.curdoc)
        app.session.play()
        for _ in range(2):  # training redraws change the models
            app.session.tick(30)
            app.redraw()
        docs, _ = standalone_docs_json_and_render_items(state.curdoc, suppress_callback_warning=True)
        out.append(list(docs.values()))
    print(json.dumps(out, sort_keys=True, default=str))
"""


def documents(mode: str) -> str:
    """The sandbox's and the MNIST lab's documents after two redraws, built in a fresh interpreter (`mode`: "wrapped"
    or "bokeh"), with what differs from run to run (Python's object ids in Panel's callback tags) taken out."""
    printed = run(DOCUMENTS, mode, env={"PYTHONHASHSEED": "0"})
    return re.sub(r"(?<=\[)\d{12,}(?=,)", '"<id>"', printed)


_numbers = itertools.count()


class Numbered(Model):
    """A model whose default is a string made by a function: each model gets a new one."""

    label = String(default=lambda: f"number {next(_numbers)}")


@pytest.fixture
def wrapped(monkeypatch):
    """keep_stable_defaults() applied for the test, Bokeh's own method and an empty store back after it."""
    from bokeh.core.property.descriptors import PropertyDescriptor

    monkeypatch.setattr(PropertyDescriptor, "_get_default", PropertyDescriptor._get_default)
    monkeypatch.setattr(stable_defaults, "_bokeh_get_default", stable_defaults._bokeh_get_default)
    monkeypatch.setattr(stable_defaults, "_stable", {})
    stable_defaults.keep_stable_defaults()
    stable_defaults.keep_stable_defaults()  # applied twice: still one wrapper around Bokeh's method
    assert stable_defaults._bokeh_get_default is not stable_defaults._get_default


def test_the_pages_documents_come_out_as_bokeh_makes_them():
    wrapped, bokeh = documents("wrapped"), documents("bokeh")
    assert len(json.loads(wrapped)[0][0]["roots"]) > 0
    assert wrapped == bokeh


def test_a_fixed_default_is_kept_per_class_and_read_as_before(wrapped):
    first, second = Slider(start=0, end=1, value=0), Slider(start=0, end=1, value=0)
    assert first.step == second.step == 1 and first.title == "" and first.visible is True
    assert stable_defaults._stable[(Slider, "step")] == 1
    first.step = 0.5  # a value set on one model is that model's only
    assert (first.step, second.step) == (0.5, 1)
    assert Div().text == "" and (Div, "text") in stable_defaults._stable


def test_lists_and_defaults_made_by_functions_stay_each_models_own(wrapped):
    one, two = Div(), Div()
    assert one.id != two.id and (Div, "id") not in stable_defaults._stable
    one.css_classes.append("mine")
    assert two.css_classes == [] and (Div, "css_classes") not in stable_defaults._stable
    assert Numbered().label != Numbered().label and (Numbered, "label") not in stable_defaults._stable


def test_a_theme_still_overrides_the_default_it_names(wrapped):
    assert figure().background_fill_color == "#ffffff"  # kept for figures
    themed = figure()
    document = Document(theme=Theme(json={"attrs": {"Plot": {"background_fill_color": "#123456"}}}))
    document.add_root(themed)
    assert themed.background_fill_color == "#123456"
    assert figure().background_fill_color == "#ffffff"

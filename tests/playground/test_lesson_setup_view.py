"""Copy as lesson setup: the text box follows the settings, and a click copies it on the page (a JavaScript callback:
the clipboard is the page's, written in the click) and shows it with a note."""

import panel as pn
from bokeh.document import Document
from bokeh.models import Button, TextAreaInput

from playground.sandbox.app import SandboxApp
from playground.sandbox.lesson_setup import lesson_setup
from playground.sandbox.state import PlaygroundState
from playground.sandbox.views.lesson_setup_view import COPIED, REFUSED, LessonSetupView


def test_the_text_follows_every_setting_and_the_hidden_and_locked_controls():
    state = PlaygroundState()
    view = LessonSetupView(state)
    assert view.box.value == "setup: {}\n" and not view.box.visible and not view.note.visible
    state.param.update(activation="relu", hide=["noise"], lock=["dataset"])
    assert view.box.value == lesson_setup(state) == "setup:\n  activation: relu\nlocked: [dataset]\nhidden: [noise]\n"
    assert view.box.rows == 5


def test_a_click_copies_the_boxs_text_on_the_page_and_shows_it_with_a_note():
    root = LessonSetupView(PlaygroundState()).__panel__().get_root(Document())
    [button] = root.select({"type": Button})
    [callback] = button.js_event_callbacks["button_click"]
    assert isinstance(callback.args["box"], TextAreaInput)
    assert "navigator.clipboard" in callback.code and "writeText(box.value)" in callback.code
    assert "box.visible = true" in callback.code and COPIED in callback.code and REFUSED in callback.code


def test_the_sandbox_has_the_button_under_the_output_and_model_buttons():
    app = SandboxApp()
    widgets = app.layout.select(pn.widgets.Widget)
    assert (
        widgets.index(app.lesson_setup.copy) > widgets.index(app.figure.download) > widgets.index(app.model_files.save)
    )

"""Copy as lesson setup, under the output: the current settings as a lesson's header lines (`lesson_setup`), copied to
the clipboard on the page and shown in a text box, from which they can be copied by hand where the browser refuses."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.sandbox.lesson_setup import lesson_setup
from playground.sandbox.state import ACCESS, SETTINGS
from playground.widgets.styling import html

if TYPE_CHECKING:
    from playground.sandbox.state import PlaygroundState

COPIED = "Copied: paste it into the header of a lesson file."
REFUSED = "The browser did not allow copying: select the text below and copy it."
# On the page, in the click itself (a browser lets a page write to the clipboard only then): the text is the box's,
# which Python keeps up to date with the settings; the note's words are plain text (its pane decodes them as HTML).
COPY_JS = f"""
box.visible = true;
const say = (words) => {{ note.text = words; note.visible = true; }};
const clipboard = navigator.clipboard;
(clipboard ? clipboard.writeText(box.value) : Promise.reject(new Error("no clipboard"))).then(
  () => say({json.dumps(COPIED)}), () => say({json.dumps(REFUSED)}));
"""


class LessonSetupView(pn.viewable.Viewer):
    """A button copying a PlaygroundState's settings as a lesson's `setup`, `locked` and `hidden` lines; the text
    box holding them appears on the first click."""

    def __init__(self, state: PlaygroundState, **params: Any) -> None:
        super().__init__(**params)
        self.state = state
        self.copy = pn.widgets.Button(name="Copy as lesson setup", width=200)
        self.box = pn.widgets.TextAreaInput(name="Lesson setup (YAML)", width=200, visible=False)
        self.note = html(width=200, visible=False, styles={"font": "12px sans-serif", "color": "#444"})
        self.copy.js_on_click(args={"box": self.box, "note": self.note}, code=COPY_JS)
        state.param.watch(lambda *events: self.refresh(), [*SETTINGS, *ACCESS])
        self.refresh()

    def refresh(self) -> None:
        """The text box holds the current settings' lines."""
        text = lesson_setup(self.state)
        self.box.param.update(value=text, rows=text.count("\n") + 1)

    def __panel__(self) -> pn.Column:
        heading = html("<h3 class='pg-heading'>LESSON</h3>", margin=(10, 5, 0, 5))
        return pn.Column(heading, self.copy, self.note, self.box)

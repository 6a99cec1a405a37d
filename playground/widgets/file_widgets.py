"""File widgets with one visible name each: a download button, and a file input whose name is its <label>; and the
notice beside a file input saying what became of the file picked."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import panel as pn
import param

from playground.widgets.styling import HIDDEN_LABEL

NOTICE_STYLES = """
.pg-file-notice { font: 12px/1.35 sans-serif; padding: 5px 8px; border: 1px solid; border-radius: 4px; }
.pg-file-notice.pg-done { color: #0f5132; background: #d1e7dd; border-color: #badbcc; }
.pg-file-notice.pg-refused { color: #664d03; background: #fff3cd; border-color: #ffecb5; }
"""


class LabelledFileInput(pn.widgets.FileInput):
    """A FileInput whose name is shown as the <label for> of its <input type=file> (Panel drops the name; Bokeh's
    FileInput renders it as its title), so screen readers announce what the file is for."""

    _rename = {**pn.widgets.FileInput._rename, "name": "title"}

    def on_file(self, callback: Callable[[bytes], None]) -> None:
        """Calls `callback(data)` for each file picked, an empty one included, then forgets the file (`forget`).

        The page sends a pick as value, file name and type; Panel turns an empty file's value into None, so an empty
        file arrives as a new name alone and is passed on as b"". On the site each of the three comes as a change of
        its own, value first: the name that follows a value belongs to the file just handled.
        """
        name_follows = False

        def picked(*events: param.parameterized.Event) -> None:
            nonlocal name_follows
            changed = {event.name for event in events}
            if "value" in changed and self.value:
                data, name_follows = self.value, "filename" not in changed
            elif "filename" in changed and self.filename and not name_follows:
                data = b""
            else:
                name_follows = False
                with param.discard_events(self):
                    self.filename = None  # so that the next file's name is a change even if it is the same
                return
            try:
                callback(data)
            finally:
                self.forget()

        self.param.watch(picked, ["value", "filename"])

    def forget(self) -> None:
        """Empties the input after its file was handled: the page shows no file name (a refused file must not look
        accepted; the notice beside it says what happened), and the same file can be picked again."""
        self.clear()  # Panel's FileInput.clear: Bokeh's ClearInput event empties the <input> on the page
        with param.discard_events(self):
            self.param.update(value=None, filename=None, mime_type=None)


class FileNotice(pn.viewable.Viewer):
    """What became of the file last picked in the input it sits beside, hidden until there is something to say: a
    green notice for a file taken in, a yellow one for a file refused. A polite live region, so screen readers read
    it; a refusal also reaches the page's banner."""

    def __init__(self, width: int = 200, **params: Any) -> None:
        super().__init__(**params)
        self.text, self.done = "", False
        self.pane = pn.pane.HTML("", stylesheets=[NOTICE_STYLES], width=width, margin=(0, 10, 5, 10), visible=False)

    def show(self, text: str, done: bool) -> None:
        """Shows `text` (plain text), green when the file was taken in (`done`), yellow when it was refused."""
        self.text, self.done = text, done
        look = "pg-done" if done else "pg-refused"
        self.pane.object = f'<div class="pg-file-notice {look}" role="status">{escape(text)}</div>'
        self.pane.visible = True

    def hide(self) -> None:
        self.text, self.done = "", False
        self.pane.param.update(object="", visible=False)

    def __panel__(self) -> pn.pane.HTML:
        return self.pane


def download_button(label: str, filename: str, callback: Callable[[], Any], **settings: Any) -> pn.widgets.FileDownload:
    """A FileDownload showing `label` once: its name, which Panel would show again as a title above the button,
    stays the accessible name only."""
    return pn.widgets.FileDownload(
        callback=callback, filename=filename, label=label, name=label, stylesheets=[HIDDEN_LABEL], **settings
    )

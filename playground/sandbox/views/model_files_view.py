"""Model files under the output: download the trained model (.npz, Python), import a saved one."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.widgets.file_widgets import FileNotice, LabelledFileInput, download_button
from playground.widgets.styling import html

if TYPE_CHECKING:
    from playground.sandbox.session import Session


class ModelFilesView(pn.viewable.Viewer):
    """Downloads of a Session's model and an upload of saved weights; what became of an upload shows right under its
    input (a refusal also in the banner)."""

    def __init__(self, session: Session, on_edit: Callable[[], None] = lambda: None, **params: Any) -> None:
        """`on_edit()` is called after an import (also a failed one: the notice and the banner say why)."""
        super().__init__(**params)
        self.session = session
        self.save = download_button(
            "Save model (.npz)", "model.npz", lambda: io.BytesIO(session.model_npz()), width=200
        )
        self.export = download_button(
            "Export as Python", "model.py", lambda: io.StringIO(session.model_python()), width=200
        )
        self.load = LabelledFileInput(accept=".npz", name="Load a saved model (.npz)", width=200)
        self.load.on_file(lambda data: self._load(data, on_edit))
        self.notice = FileNotice(width=200)

    def _load(self, data, on_edit):
        done = self.session.import_model(data)
        message = self.session.view.message or "Cannot import this model now; try again in a moment."
        self.notice.show(done or message, bool(done))
        on_edit()

    def __panel__(self) -> pn.Column:
        return pn.Column(
            html("<h3 class='pg-heading'>MODEL</h3>", margin=(10, 5, 0, 5)),
            self.save,
            self.export,
            self.load,
            self.notice,
        )

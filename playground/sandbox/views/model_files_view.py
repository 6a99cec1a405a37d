"""Model files under the output: download the trained model (.npz, Python, PyTorch script and notebook), import a
saved one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playground.widgets.file_widgets import FileNotice, LabelledFileInput
from playground.widgets.model_downloads import ModelDownloads

if TYPE_CHECKING:
    from playground.sandbox.session import Session


class ModelFilesView(ModelDownloads):
    """Downloads of a Session's model and an upload of saved weights; what became of an upload shows right under its
    input (a refusal also in the banner)."""

    def __init__(self, session: Session, on_edit: Callable[[], None] = lambda: None, **params: Any) -> None:
        """`on_edit()` is called after an import (also a failed one: the notice and the banner say why)."""
        super().__init__(session, **params)
        self.session = session
        self.load = LabelledFileInput(accept=".npz", name="Load a saved model (.npz)", width=200)
        self.load.on_file(lambda data: self._load(data, on_edit))
        self.notice = FileNotice(width=200)
        self.widgets += [self.load, self.notice]

    def _load(self, data, on_edit):
        done = self.session.import_model(data)
        message = self.session.view.message or "Cannot import this model now; try again in a moment."
        self.notice.show(done or message, bool(done))
        on_edit()

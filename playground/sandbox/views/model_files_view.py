"""Model files under the output: download the trained model (.npz, Python), import a saved one."""

import io

import panel as pn

from playground.widgets.file_widgets import LabelledFileInput, download_button
from playground.widgets.styling import html


class ModelFilesView(pn.viewable.Viewer):
    """Downloads of a Session's model and an upload of saved weights; errors reach the banner."""

    def __init__(self, session, on_edit=lambda: None, **params):
        """`on_edit()` is called after an import (also a failed one: the banner says why)."""
        super().__init__(**params)
        self.session = session
        self.save = download_button(
            "Save model (.npz)", "model.npz", lambda: io.BytesIO(session.model_npz()), width=200
        )
        self.export = download_button(
            "Export as Python", "model.py", lambda: io.StringIO(session.model_python()), width=200
        )
        self.load = LabelledFileInput(accept=".npz", name="Load a saved model (.npz)", width=200)
        self.load.param.watch(lambda event: self._load(event.new, on_edit), "value")

    def _load(self, data, on_edit):
        if data:
            self.session.import_model(data)
            on_edit()

    def __panel__(self):
        return pn.Column(
            html("<h3 class='pg-heading'>MODEL</h3>", margin=(10, 5, 0, 5)), self.save, self.export, self.load
        )

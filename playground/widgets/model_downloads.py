"""The trained model as files to download, the same on both pages: the .npz (it loads back), Python with numpy alone,
a PyTorch script and a PyTorch notebook (playground/core/model_files.py makes them)."""

from __future__ import annotations

import io
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.core.model_files import TORCH_MODULE
from playground.widgets.file_widgets import download_button
from playground.widgets.styling import html

if TYPE_CHECKING:
    from playground.core.model_files import ModelFiles


class ModelDownloads(pn.viewable.Viewer):
    """A MODEL heading and a download button per file of a session's model; a file that cannot be made is refused in
    words under the buttons. `widgets` lists what the panel shows, in order (a page may add its own)."""

    def __init__(self, files: ModelFiles, width: int = 200, **params: Any) -> None:
        super().__init__(**params)
        self.files = files
        self.save = self._button("Save model (.npz)", "model.npz", files.model_npz, width)
        self.export = self._button("Export as Python", "model.py", files.model_python, width)
        self.torch = self._button("Export for PyTorch (.py)", f"{TORCH_MODULE}.py", files.model_torch, width)
        self.notebook = self._button("PyTorch notebook (.ipynb)", f"{TORCH_MODULE}.ipynb", files.model_notebook, width)
        self.message = html(width=width)
        heading = html("<h3 class='pg-heading'>MODEL</h3>", margin=(10, 5, 0, 5))
        self.widgets = [heading, self.save, self.export, self.torch, self.notebook, self.message]

    def _button(
        self, label: str, filename: str, make: Callable[[], bytes | str], width: int
    ) -> pn.widgets.FileDownload:
        def file() -> io.IOBase:
            """The file's contents; when the model cannot be written (no network, a layer an export does not know),
            the message says why and Panel sends no file."""
            self.message.object = ""
            try:
                if self.files.model is None:
                    raise ValueError("there is no network to export; fix the layers first")
                data = make()
            except ValueError as error:  # ExportError is one
                self.message.object = f"<div class='pg-sub pg-error'>No {filename}: {escape(str(error))}</div>"
                raise
            return io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)

        return download_button(label, filename, file, width=width)

    def __panel__(self) -> pn.Column:
        return pn.Column(*self.widgets)

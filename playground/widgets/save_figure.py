"""Save figure: a view of the page as a PNG or SVG file, drawn with matplotlib from the live session when the
student clicks (playground.figures). In the browser matplotlib is loaded then, the first time, not at start-up."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import panel as pn

from playground.widgets.file_widgets import download_button
from playground.widgets.styling import html

FORMATS = {"PNG": "png", "SVG": "svg"}


class SaveFigure(pn.viewable.Viewer):
    """A choice of view and format and a download button; `draw(view, fmt=...)` returns the figure's bytes.

    `titles` maps view names to what the menu shows (playground.figures.sandbox.TITLES or mnist.TITLES).
    """

    def __init__(self, titles: dict[str, str], draw: Callable[..., bytes], prefix: str, **params: Any) -> None:
        super().__init__(**params)
        self.draw, self.prefix = draw, prefix
        self.view = pn.widgets.Select(
            name="Figure of", options={title: name for name, title in titles.items()}, width=200
        )
        self.format = pn.widgets.RadioButtonGroup(name="Format", options=list(FORMATS), value="PNG", width=200)
        self.download = download_button("Save figure", self._filename(), self._file, width=200)
        self.message = html(width=200)
        self.view.param.watch(self._rename, "value")
        self.format.param.watch(self._rename, "value")

    def _filename(self):
        return f"{self.prefix}-{self.view.value}.{FORMATS[self.format.value]}"

    def _rename(self, event):
        self.download.filename = self._filename()

    async def _file(self):
        """The figure's bytes; the message says what is happening (matplotlib loads on the first save) or wrong."""
        from playground.figures.save import FigureError, ensure_matplotlib

        self.message.object = "<div class='pg-sub'>Drawing the figure…</div>"
        try:
            await ensure_matplotlib()
        except Exception as error:  # Pyodide's loadPackage fails with a JavaScript error (offline, file missing)
            self.message.object = f"<div class='pg-sub pg-error'>Cannot load matplotlib to draw figures: {error}</div>"
            raise
        try:
            data = self.draw(self.view.value, fmt=FORMATS[self.format.value])
        except FigureError as error:
            self.message.object = f"<div class='pg-sub pg-error'>No figure: {error}</div>"
            raise  # Panel then sends no file
        self.message.object = f"<div class='pg-sub'>Saved {self._filename()} ({len(data) // 1024 + 1} kB).</div>"
        return io.BytesIO(data)

    def __panel__(self) -> pn.Column:
        heading = html("<h3 class='pg-heading'>FIGURE</h3>", margin=(10, 5, 0, 5))
        return pn.Column(heading, self.view, self.format, self.download, self.message)

"""File widgets with one visible name each: a download button, and a file input whose name is its <label>."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import panel as pn

from playground.widgets.styling import HIDDEN_LABEL


class LabelledFileInput(pn.widgets.FileInput):
    """A FileInput whose name is shown as the <label for> of its <input type=file> (Panel drops the name; Bokeh's
    FileInput renders it as its title), so screen readers announce what the file is for."""

    _rename = {**pn.widgets.FileInput._rename, "name": "title"}


def download_button(label: str, filename: str, callback: Callable[[], Any], **settings: Any) -> pn.widgets.FileDownload:
    """A FileDownload showing `label` once: its name, which Panel would show again as a title above the button,
    stays the accessible name only."""
    return pn.widgets.FileDownload(
        callback=callback, filename=filename, label=label, name=label, stylesheets=[HIDDEN_LABEL], **settings
    )

"""A view made the first time it is needed, so that a tab most students never open costs a page's start nothing:
neither its import nor its Bokeh models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import panel as pn

from playground.widgets.styling import SHRINKS


class LazyView(pn.viewable.Viewer):
    """Holds the place of the view `make()` returns, made at the first `refresh()` (a page redraws the views it
    shows) or the first time `view` is asked for."""

    def __init__(self, make: Callable[[], pn.viewable.Viewer], **params: Any) -> None:
        super().__init__(**params)
        self._make, self._view = make, None
        self.place = pn.Column(sizing_mode="stretch_width", styles={**SHRINKS, "flex": "1 1 100%"})

    @property
    def view(self) -> pn.viewable.Viewer:
        """The view, made now if it is not yet."""
        if self._view is None:
            self._view = self._make()
            self.place.append(self._view)
        return self._view

    def refresh(self) -> None:
        self.view.refresh()

    def __panel__(self) -> pn.Column:
        return self.place

"""HTML redrawn on every training tick (epoch counter, status line, loss numbers), set straight on its model.

Two costs decided the model. A Panel HTML pane re-derives every property of its model on each change of `object`
(its stylesheets and theme included): about 3-5 ms a time in Pyodide, three times a tick, so the text is set on
the model directly (one property, about 0.05 ms). And a Bokeh Div re-renders on a text change and makes BokehJS
lay out the whole page again, repainting every plot: a third of the page's time while training (profiled in
Chromium). Panel's own HTML model, the one its HTML pane uses, only replaces its inner HTML, and the page's CSS
layout follows.

That model (`panel.models.markup.HTML`, its `text` taken HTML-escaped) is Panel's own, not an API: docs/compat.md
lists it. If a Panel release removes it, importing this module fails at once with an ImportError naming it.
"""

from __future__ import annotations

from html import escape
from typing import Any

import panel as pn
from bokeh.model import Model

from playground.widgets.styling import TEXT_STYLES


def panel_html_model() -> type[Model]:
    """Panel's own HTML model, checked to be the one LiveHTML knows (a `text` property), or an ImportError
    naming what is missing and docs/compat.md."""
    try:
        from panel.models.markup import HTML
    except ImportError as error:
        raise ImportError(_missing("panel.models.markup.HTML is missing")) from error
    if "text" not in HTML.properties():
        raise ImportError(_missing("panel.models.markup.HTML has no property `text`"))
    return HTML


def _missing(what: str) -> str:
    return (
        f"nn-playground: Panel {pn.__version__}: {what}, so no training page can show its counters and "
        "status (playground/widgets/live_html.py). See docs/compat.md."
    )


HTML = panel_html_model()


class LiveHTML(pn.viewable.Viewer):
    """An HTML pane's look (the playground's text classes) whose `object` is cheap to replace on every tick."""

    def __init__(
        self, text: str = "", margin: int | tuple[int, ...] = (0, 5), sizing_mode: str | None = None, **params: Any
    ) -> None:
        super().__init__(**params)
        self._text = text
        # Panel's HTML model takes its text escaped, as the HTML pane sends it; the page decodes it.
        self.model = HTML(text=escape(text), stylesheets=[TEXT_STYLES], margin=margin, sizing_mode=sizing_mode)
        self.pane = pn.pane.Bokeh(self.model, margin=0, sizing_mode=sizing_mode)

    @property
    def object(self) -> str:
        """The HTML shown."""
        return self._text

    @object.setter
    def object(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.model.text = escape(text)

    def __panel__(self) -> pn.pane.Bokeh:
        return self.pane

"""HTML redrawn on every training tick (epoch counter, status line, loss numbers), set straight on its model.

Two costs decided the model. A Panel HTML pane re-derives every property of its model on each change of `object`
(its stylesheets and theme included): about 3-5 ms a time in Pyodide, three times a tick, so the text is set on
the model directly (one property, about 0.05 ms). And a Bokeh Div re-renders on a text change and makes BokehJS
lay out the whole page again, repainting every plot: a third of the page's time while training (profiled in
Chromium). Panel's own HTML model, the one its HTML pane uses, only replaces its inner HTML, and the page's CSS
layout follows.
"""

from html import escape

import panel as pn
from panel.models.markup import HTML

from playground.widgets.styling import TEXT_STYLES


class LiveHTML(pn.viewable.Viewer):
    """An HTML pane's look (the playground's text classes) whose `object` is cheap to replace on every tick."""

    def __init__(self, text="", margin=(0, 5), sizing_mode=None, **params):
        super().__init__(**params)
        self._text = text
        # Panel's HTML model takes its text escaped, as the HTML pane sends it; the page decodes it.
        self.model = HTML(text=escape(text), stylesheets=[TEXT_STYLES], margin=margin, sizing_mode=sizing_mode)
        self.pane = pn.pane.Bokeh(self.model, margin=0, sizing_mode=sizing_mode)

    @property
    def object(self):
        """The HTML shown."""
        return self._text

    @object.setter
    def object(self, text):
        if text != self._text:
            self._text = text
            self.model.text = escape(text)

    def __panel__(self):
        return self.pane

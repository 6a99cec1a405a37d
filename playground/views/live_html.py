"""HTML redrawn on every training tick (epoch counter, status line, loss numbers), set straight on its Bokeh model.

A Panel HTML pane re-derives every property of its model on each change of `object` (its stylesheets and theme
included): about 3-5 ms a time in Pyodide, three times a tick. Setting the text of a Bokeh Div is one property
change, about 0.05 ms, and reaches the page as the same one-property patch.
"""

import panel as pn
from bokeh.models import Div

from .styling import TEXT_STYLES


class LiveHTML(pn.viewable.Viewer):
    """An HTML pane's look (the playground's text classes) whose `object` is cheap to replace on every tick."""

    def __init__(self, text="", margin=(0, 5), sizing_mode=None, **params):
        super().__init__(**params)
        self.div = Div(text=text, stylesheets=[TEXT_STYLES], margin=margin, sizing_mode=sizing_mode)
        self.pane = pn.pane.Bokeh(self.div, margin=0, sizing_mode=sizing_mode)

    @property
    def object(self):
        """The HTML shown."""
        return self.div.text

    @object.setter
    def object(self, text):
        if text != self.div.text:
            self.div.text = text

    def __panel__(self):
        return self.pane

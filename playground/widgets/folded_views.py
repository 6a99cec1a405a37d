"""Views folded away in a card under the page, as tabs, built the first time the card is unfolded.

Most students never unfold it, and its views are many Bokeh models (the sandbox's backprop steps, weight
histograms and confusion matrices: 186 of the page's 478), each built and sent to the page at start: in the
browser that is part of the wait before the playground is interactive (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import panel as pn


class FoldedViews(pn.viewable.Viewer):
    """A folded card of tabs. `factories`: for each tab title, the function making its view; `on_show()` runs
    whenever the card is unfolded or folded or another tab is chosen."""

    def __init__(
        self,
        title: str,
        titles: Iterable[str],
        factories: Iterable[Callable[[], pn.viewable.Viewer]],
        on_show: Callable[[], None],
        **params: Any,
    ) -> None:
        super().__init__(**params)
        self.titles = list(titles)
        self._factories = list(factories)
        self._on_show = on_show
        self.views = []
        self.placed = []  # views a page shows outside the card (`view`)
        self._views_made = {}  # tab index -> its view, once made
        # Only the open tab is in the page (dynamic): BokehJS left the sandbox's confusion matrices blank, their frames
        # never laid out, while the weight histograms' tab was in the page beside them.
        self.tabs = pn.Tabs(dynamic=True, stylesheets=[".bk-header { flex-wrap: wrap; }"])  # names wrap on a phone
        # The title beside the fold arrow, wrapping instead of reaching past the card on a phone.
        self.card = pn.Card(
            title=title,
            collapsed=True,
            sizing_mode="stretch_width",
            stylesheets=[".card-header-row { flex: 1 1 auto; width: auto; min-width: 0; }"],
        )
        self.card.param.watch(lambda event: self._folded_or_unfolded(), "collapsed")
        self.tabs.param.watch(lambda event: self._on_show(), "active")

    def _folded_or_unfolded(self):
        if not self.card.collapsed and not self.card.objects:
            self._build()
            self.tabs.extend(zip(self.titles, self.views, strict=True))
            self.card.append(self.tabs)
        self._on_show()

    def _build(self):
        if not self.views:
            self.views = [self._made(index) for index in range(len(self._factories))]

    def _made(self, index: int) -> pn.viewable.Viewer:
        """The view of tab `index`, made the first time it is asked for."""
        if index not in self._views_made:
            self._views_made[index] = self._factories[index]()
        return self._views_made[index]

    def view(self, title: str) -> pn.viewable.Viewer:
        """The view `title` (made alone if it is not yet), for a page that places it elsewhere than in the card (a
        lesson); such views are listed in `placed`."""
        view = self._made(self.titles.index(title))
        if view not in self.placed:
            self.placed.append(view)
        return view

    def show(self, title: str) -> pn.viewable.Viewer:
        """Unfolds the card at the tab `title` and returns its view."""
        self.card.collapsed = False
        self.tabs.active = self.titles.index(title)
        return self.views[self.tabs.active]

    @property
    def shown(self) -> pn.viewable.Viewer | None:
        """The view on screen, or None while the card is folded."""
        return None if self.card.collapsed else self.views[self.tabs.active]

    def __panel__(self) -> pn.Card:
        return self.card

"""A menu of the layers worth looking inside, kept in step with the network being trained."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import panel as pn

from playground.mnist.architecture import LayerRow, layer_choices

if TYPE_CHECKING:
    from playground.mnist.session import MnistSession


class LayerSelect:
    """A Select of `layer_choices`; `row()` is the chosen LayerRow (None without a model). The default choice is
    `default`'s position in the list (0 the first layer, -1 the last)."""

    def __init__(
        self,
        session: MnistSession,
        on_change: Callable[[], None],
        name: str = "Layer",
        flat_only: bool = False,
        default: int = -1,
    ) -> None:
        self.session, self.flat_only, self.default = session, flat_only, default
        self.widget = pn.widgets.Select(name=name, width=170)
        self.widget.param.watch(lambda event: None if self._updating else on_change(), "value")
        self._choices, self._structure, self._updating = {}, None, False

    def row(self) -> LayerRow | None:
        session = self.session
        if session.model is None:
            return None
        if self._structure != session.view.structure:
            self._structure = session.view.structure
            self._choices = layer_choices(session.state.layers, session.state.input_size, self.flat_only)
            labels = list(self._choices)
            value = self.widget.value if self.widget.value in labels else labels[max(self.default, -len(labels))]
            self._updating = True  # the caller is drawing already
            self.widget.param.update(options=labels, value=value)
            self._updating = False
        return self._choices.get(self.widget.value)

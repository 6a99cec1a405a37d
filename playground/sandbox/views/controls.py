"""The sandbox's top bar: play, step, reset, rewind, restore, the epoch counter and the training settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.widgets.access import setting_widget
from playground.widgets.live_html import LiveHTML
from playground.widgets.styling import SHRINKS, WRAP_ROW
from playground.widgets.training_controls import TrainingControls

if TYPE_CHECKING:
    from playground.sandbox.session import Session


class TopBar(TrainingControls):
    """Training buttons and the settings that apply while training; `refresh()` shows the session's status."""

    def __init__(self, session: Session, on_play: Callable[[], None], **params: Any) -> None:
        super().__init__(session, on_play, **params)
        state = session.state
        self.rewind = pn.widgets.Button(
            name="Rewind",
            width=80,
            height=40,
            description="Start again from the same weights: those this run started with (at Reset, a new network "
            "or seed, a network edit or an imported model), on the same data",
        )
        self.counter = LiveHTML(margin=(0, 10))
        select = dict(width=120, margin=(0, 6))
        self.settings = [
            setting_widget(pn.widgets.Select, state.param.learning_rate, name="Learning rate", **select),
            setting_widget(pn.widgets.Select, state.param.activation, name="Activation", **select),
            setting_widget(pn.widgets.Select, state.param.regularization, name="Regularization", **select),
            setting_widget(pn.widgets.Select, state.param.regularization_rate, name="Regularization rate", **select),
            setting_widget(pn.widgets.Select, state.param.problem, name="Problem type", **select),
            setting_widget(pn.widgets.Select, state.param.optimizer, name="Optimizer", **select),
            setting_widget(pn.widgets.Select, state.param.loss, name="Loss (two classes)", **select),
        ]

    def refresh(self) -> None:
        super().refresh()
        view = self.session.view
        self.counter.object = (
            f"<div class='pg-counter'><span>Epoch</span><b>{view.epoch:06,d}</b>"
            f"<small>step {view.step:,d}</small></div>"
        )

    def __panel__(self) -> pn.Row:
        return pn.Row(
            *self.buttons[:4],  # play, step, epoch, reset
            self.rewind,
            *self.buttons[4:],
            self.counter,
            *self.settings,
            css_classes=["pg-topbar"],
            sizing_mode="stretch_width",
            stylesheets=[WRAP_ROW],  # a narrow window puts the settings on more lines
            styles=SHRINKS,
        )

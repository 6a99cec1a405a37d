"""The buttons every training page shares: play/pause, step a batch, step an epoch, reset, restore."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.core.status import Status

if TYPE_CHECKING:
    from playground.core.training import TrainingSession


class TrainingControls(pn.viewable.Viewer):
    """Play/pause, step, epoch, reset and restore for a TrainingSession; `refresh()` follows its status."""

    def __init__(self, session: TrainingSession, on_play: Callable[[], None], **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        # pg-play names it whether it says Play or Pause (the browser tests find it by that)
        self.play = pn.widgets.Button(
            name="▶ Play", button_type="primary", width=100, height=40, css_classes=["pg-play"]
        )
        self.play.on_click(lambda event: on_play())
        self.step = pn.widgets.Button(name="Step", width=70, height=40, description="Train on one batch")
        self.epoch_step = pn.widgets.Button(
            name="Epoch", width=70, height=40, description="Train to the end of the epoch"
        )
        self.reset = pn.widgets.Button(
            name="Reset", width=70, height=40, description="Start again from the initial weights"
        )
        self.restore = pn.widgets.Button(name="Restore", button_type="warning", width=90, height=40, visible=False)

    @property
    def buttons(self) -> tuple[pn.widgets.Button, ...]:
        return (self.play, self.step, self.epoch_step, self.reset, self.restore)

    def refresh(self) -> None:
        status = self.session.view.status
        # "❚❚" rather than "⏸": the default fonts of some browsers have no glyph for the latter.
        self.play.name = "❚❚ Pause" if status == Status.RUNNING else "▶ Play"
        self.play.disabled = status in (Status.DIVERGED, Status.ERROR, Status.LOADING)
        self.restore.visible = status == Status.DIVERGED

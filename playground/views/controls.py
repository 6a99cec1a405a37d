"""The top bar (play, step, reset, restore, epoch counter, training settings) and the status line."""

from html import escape

import panel as pn

from .. import output
from .access import setting_widget
from .styling import html


class TopBar(pn.viewable.Viewer):
    """Training buttons and the settings that apply while training; `refresh()` shows the session's status."""

    def __init__(self, session, on_play, **params):
        super().__init__(**params)
        self.session, state = session, session.state
        self.play = pn.widgets.Button(name="▶ Play", button_type="primary", width=100, height=40)
        self.step = pn.widgets.Button(name="Step", width=70, height=40, description="Train on one batch")
        self.epoch_step = pn.widgets.Button(
            name="Epoch", width=70, height=40, description="Train to the end of the epoch"
        )
        self.reset = pn.widgets.Button(
            name="Reset", width=70, height=40, description="Start again from the initial weights"
        )
        self.restore = pn.widgets.Button(name="Restore", button_type="warning", width=90, height=40, visible=False)
        self.play.on_click(lambda event: on_play())
        self.counter = html(margin=(0, 10))
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

    def refresh(self):
        view = self.session.view
        self.play.name = "❚❚ Pause" if view.status == "running" else "▶ Play"
        self.play.disabled = view.status in ("diverged", "error", "loading")
        self.restore.visible = view.status == "diverged"
        self.counter.object = (
            f"<div class='pg-counter'><span>Epoch</span><b>{view.epoch:06,d}</b>"
            f"<small>step {view.step:,d}</small></div>"
        )

    def __panel__(self):
        return pn.Row(
            self.play,
            self.step,
            self.epoch_step,
            self.reset,
            self.restore,
            self.counter,
            *self.settings,
            css_classes=["pg-topbar"],
            sizing_mode="stretch_width",
        )


class StatusLine(pn.viewable.Viewer):
    """The `pg-status` element: the status in words, its numbers in data attributes, and any banner."""

    def __init__(self, session, **params):
        super().__init__(**params)
        self.session = session
        self.line = html(sizing_mode="stretch_width", margin=(0, 10))
        self.banner = pn.pane.Alert(alert_type="warning", visible=False, sizing_mode="stretch_width")

    def refresh(self):
        view = self.session.view
        attributes = " ".join(f'{key}="{escape(value)}"' for key, value in output.status_attributes(view).items())
        self.line.object = (
            f'<div id="pg-status" class="pg-status pg-{view.status}" role="status" aria-live="polite" {attributes}>'
            f"{escape(output.status_text(view))}</div>"
        )
        self.banner.object = escape(view.message)
        self.banner.alert_type = "danger" if view.status == "error" else "warning"
        self.banner.visible = bool(view.message)

    def __panel__(self):
        return pn.Column(self.banner, self.line, sizing_mode="stretch_width")

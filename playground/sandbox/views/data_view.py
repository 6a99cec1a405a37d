"""The data and features columns: the dataset picker, split, noise and batch size, regenerate, the features
(each a toggle showing its own heatmap, as TensorFlow Playground's input nodes do)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import panel as pn

from nn_core.datasets import DATASETS, FEATURES
from playground.sandbox.thumbnails import all_dataset_svgs, feature_svgs
from playground.widgets.access import setting_class, setting_widget
from playground.widgets.styling import SMALL_BUTTON, html

if TYPE_CHECKING:
    from playground.sandbox.state import PlaygroundState

WIDTH = 262


class DataView(pn.viewable.Viewer):
    """Settings of the data; every widget is bound to a PlaygroundState parameter."""

    def __init__(self, state: PlaygroundState, **params: Any) -> None:
        super().__init__(**params)
        self.state = state
        svgs = all_dataset_svgs()
        self.dataset_buttons = {}
        for name, info in DATASETS.items():
            button = pn.widgets.Button(
                name=info.display_name,
                icon=svgs[name],
                icon_size="34px",
                width=WIDTH // 2 - 8,
                height=48,
                margin=2,
                stylesheets=[SMALL_BUTTON],
                description=f"Use the {info.display_name.lower()} data ({info.kind})",
                css_classes=[setting_class("dataset"), "pg-choice"],
            )
            button.on_click(lambda event, name=name: self._choose(name))
            self.dataset_buttons[name] = button
        slider = dict(throttled=True, width=WIDTH - 20)  # with its margins inside the column
        self.sliders = [
            setting_widget(
                pn.widgets.IntSlider, state.param.train_percent, name="Ratio of training data (%)", **slider
            ),
            setting_widget(pn.widgets.IntSlider, state.param.noise, name="Noise (%)", **slider),
            setting_widget(pn.widgets.IntSlider, state.param.batch_size, name="Batch size", **slider),
        ]
        self.regenerate = pn.widgets.Button(
            name="Regenerate", button_type="default", width=200, css_classes=[setting_class("seed")]
        )
        self.regenerate.on_click(lambda event: setattr(state, "seed", (state.seed + 1) % 2**31))
        self.feature_toggles = {}
        for name, svg in feature_svgs(state).items():
            toggle = pn.widgets.Toggle(
                name=FEATURES[name].label,
                icon=svg,
                icon_size="30px",
                width=WIDTH // 3 - 6,
                height=40,
                margin=2,
                stylesheets=[SMALL_BUTTON],
                css_classes=[setting_class("features")],
            )
            toggle.param.watch(lambda event, name=name: self._switch_feature(name, event.new), "value")
            self.feature_toggles[name] = toggle
        state.param.watch(lambda event: self._mark_selected(), ["dataset", "features"])
        self._mark_selected()

    def _choose(self, name: str) -> None:
        """A data set's button: that data set, also the selected one again after the student's own points replaced
        it (setting the same value fires no watcher, so the session is told through a trigger)."""
        if self.state.dataset == name:
            self.state.param.trigger("dataset")
        else:
            self.state.dataset = name

    def _mark_selected(self):
        for name, button in self.dataset_buttons.items():
            button.button_type = "primary" if name == self.state.dataset else "light"
        for name, toggle in self.feature_toggles.items():
            toggle.value = name in self.state.features
            toggle.button_type = "primary" if toggle.value else "light"

    def _switch_feature(self, name, on):
        """Feature `name` on or off; the last feature switched on stays on (the network needs an input)."""
        features = [f for f in FEATURES if (f == name and on) or (f != name and f in self.state.features)]
        if features:
            self.state.features = features
        self._mark_selected()

    def __panel__(self) -> pn.Column:
        return pn.Column(
            html(
                "<h3 class='pg-heading'>DATA</h3><div class='pg-sub'>Which dataset do you want to use?</div>",
                margin=(0, 5),
            ),
            pn.FlexBox(*self.dataset_buttons.values(), width=WIDTH, margin=0, sizing_mode="fixed"),
            *self.sliders,
            self.regenerate,
            html(
                "<h3 class='pg-heading'>FEATURES</h3><div class='pg-sub'>Which properties do you feed in?</div>",
                margin=(10, 5, 0, 5),
            ),
            pn.FlexBox(*self.feature_toggles.values(), width=WIDTH, margin=0, sizing_mode="fixed"),
            width=WIDTH,
        )

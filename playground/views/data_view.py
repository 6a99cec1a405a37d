"""The data and features columns: the dataset picker, split, noise and batch size, regenerate, the inputs."""

import panel as pn

from nn_core.datasets import DATASETS, FEATURES

from ..thumbnails import all_dataset_svgs
from .styling import SMALL_BUTTON, html


class DataView(pn.viewable.Viewer):
    """Settings of the data; every widget is bound to a PlaygroundState parameter."""

    def __init__(self, state, **params):
        super().__init__(**params)
        self.state = state
        svgs = all_dataset_svgs()
        self.dataset_buttons = {}
        for name, info in DATASETS.items():
            button = pn.widgets.Button(
                name=info.display_name,
                icon=svgs[name],
                icon_size="34px",
                width=101,
                height=48,
                margin=2,
                stylesheets=[SMALL_BUTTON],
                description=f"Use the {info.display_name.lower()} data ({info.kind})",
            )
            button.on_click(lambda event, name=name: setattr(state, "dataset", name))
            self.dataset_buttons[name] = button
        state.param.watch(lambda event: self._mark_selected(), "dataset")
        self._mark_selected()
        self.sliders = [
            pn.widgets.IntSlider.from_param(
                state.param.train_percent, name="Ratio of training data (%)", throttled=True
            ),
            pn.widgets.IntSlider.from_param(state.param.noise, name="Noise (%)", throttled=True),
            pn.widgets.IntSlider.from_param(state.param.batch_size, name="Batch size", throttled=True),
        ]
        self.regenerate = pn.widgets.Button(name="Regenerate", button_type="default", width=200)
        self.regenerate.on_click(lambda event: setattr(state, "seed", (state.seed + 1) % 2**31))
        self.features = pn.widgets.CheckBoxGroup.from_param(
            state.param.features, options={feature.label: name for name, feature in FEATURES.items()}, name="Inputs"
        )

    def _mark_selected(self):
        for name, button in self.dataset_buttons.items():
            button.button_type = "primary" if name == self.state.dataset else "light"

    def __panel__(self):
        return pn.Column(
            html(
                "<h3 class='pg-heading'>DATA</h3><div class='pg-sub'>Which dataset do you want to use?</div>",
                margin=(0, 5),
            ),
            pn.Column(pn.FlexBox(*self.dataset_buttons.values()), width=210, margin=0),
            *self.sliders,
            self.regenerate,
            html(
                "<h3 class='pg-heading'>FEATURES</h3><div class='pg-sub'>Which properties do you feed in?</div>",
                margin=(10, 5, 0, 5),
            ),
            self.features,
            width=220,
        )

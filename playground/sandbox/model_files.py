"""The sandbox's side of its model files (the files themselves: core/model_files.py): the points a notebook trains
on, and a saved model brought back.

No Panel here: the model files view offers the downloads and an upload; the session applies an upload.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from nn_core.datasets import CLASSIFICATION, FEATURES, REGRESSION, Dataset
from nn_core.model import Sequential
from nn_core.saving import ModelFileError, load_model

if TYPE_CHECKING:
    from nn_core.export_notebook import Points
    from playground.sandbox.state import PlaygroundState

NOTEBOOK_EPOCHS = 20  # what the notebook trains at first: a second or two on the sandbox's points
# What the targets are, by the loss (and for "mse" by the problem), in words for the notebook.
TARGET_WORDS = {
    ("mse", CLASSIFICATION): "TensorFlow Playground's labels -1 and +1, which the output's tanh aims at",
    ("mse", REGRESSION): "the numbers to predict",
    ("binary_cross_entropy", CLASSIFICATION): "0 for the label -1 and 1 for +1, which the output's logit says",
    ("softmax_cross_entropy", CLASSIFICATION): "the class numbers",
}


def training_points(state: PlaygroundState, data: Dataset, own: bool) -> Points:
    """The points as a notebook embeds them: the model's inputs (the switched-on features) and the targets as the loss
    takes them, with where they come from in words; `own`: the student's own points."""
    from nn_core.export_notebook import Points

    source = "your own points" if own else f"the {state.dataset} data set (noise {state.noise}%, seed {state.seed})"
    features = ", ".join(FEATURES[name].label for name in state.input_names)
    about = (
        f"The sandbox's points: {source}, {len(data.x_train)} for training and {len(data.x_test)} for testing. The "
        f"model's inputs are the features {features} of each point (x₁, x₂); the targets are "
        f"{TARGET_WORDS[state.loss_name(), state.problem]}."
    )
    return Points(
        state.inputs(data.x_train),
        state.targets(data.y_train),
        state.inputs(data.x_test),
        state.targets(data.y_test),
        about,
    )


def describe(spec: dict) -> str:
    """A network's shape in words, e.g. "2 inputs → 4 tanh → 2 tanh → 1 tanh"."""
    parts = [f"{spec['input_shape'][0]} inputs"]
    for layer in spec["layers"]:
        if layer["type"] == "dense":
            parts.append(str(layer["units"]))
        else:
            parts[-1] += f" {layer['type']}"
    return " → ".join(parts)


def loaded(model: Sequential) -> str:
    """What loading a model file did, in words: "Loaded the saved weights (2 inputs → 4 tanh → 2 tanh → 1 tanh)."."""
    return f"Loaded the saved weights ({describe(model.spec())})."


def weights_for(model: Sequential, data: bytes) -> dict[str, np.ndarray]:
    """The arrays of the model saved in `data` (bytes of an .npz) for `model`, whose network must be the same;
    raises ModelFileError saying why they do not fit."""
    loaded = load_model(io.BytesIO(data))
    own, theirs = model.spec(), loaded.spec()
    if (own["input_shape"], own["layers"]) != (theirs["input_shape"], theirs["layers"]):
        raise ModelFileError(
            f"the file's network is {describe(theirs)}, this one is {describe(own)}; "
            "set up the same features and layers first"
        )
    return loaded.state_dict()

"""The MNIST lab's settable state: the layer stack, input size and training settings, one param each."""

import param

from nn_core import make_optimizer

from .architecture import INPUT_SIZES, PRESETS

LEARNING_RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]
BATCH_SIZES = [8, 16, 32, 64, 128]
# Settings that apply to the running model; any other change builds a new one.
LIVE_SETTINGS = {"learning_rate", "optimizer", "batch_size"}
SETTINGS = ["preset", "layers", "input_size", "seed", *sorted(LIVE_SETTINGS)]


class MnistState(param.Parameterized):
    """Every setting of the MNIST lab; choosing a preset replaces the layer stack with it."""

    preset = param.Selector(default="small-cnn", objects=list(PRESETS), doc="A ready-made network to start from.")
    layers = param.List(default=PRESETS["small-cnn"], item_type=dict, doc="The layer stack, first layer first.")
    input_size = param.Selector(default=28, objects=list(INPUT_SIZES), doc="Digits as 28x28 or 14x14 pixels.")
    learning_rate = param.Selector(default=0.001, objects=LEARNING_RATES, doc="Step size of each weight update.")
    optimizer = param.Selector(default="adam", objects=["adam", "sgd", "rmsprop"], doc="How gradients move weights.")
    batch_size = param.Selector(default=32, objects=BATCH_SIZES, doc="Digits per weight update.")
    seed = param.Integer(default=0, bounds=(0, 2**31 - 1), doc="Seed of the initial weights and the batch order.")

    def __init__(self, **params):
        if "preset" in params and "layers" not in params:
            params["layers"] = [dict(entry) for entry in PRESETS[params["preset"]]]
        super().__init__(**params)

    @param.depends("preset", watch=True)
    def _use_preset(self):
        self.layers = [dict(entry) for entry in PRESETS[self.preset]]

    def make_optimizer(self):
        return make_optimizer(self.optimizer, learning_rate=self.learning_rate)

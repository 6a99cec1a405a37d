"""The MNIST lab's settable state: the layer stack, input size and training settings, one param each, and which
controls a student sees and may change (`hide`, `lock`). The URL (`to_query`/`from_query`) and lessons derive from
these parameters; the stack is written in its short text form (`layer_text`)."""

from typing import Any, Self

import param

from nn_core import make_optimizer
from nn_core.optimizers import Optimizer
from playground.core.query import SettingsError, decode_query, encode_query, short_words, shown
from playground.mnist.architecture import INPUT_SIZES, PRESETS, summarize
from playground.mnist.layer_text import parse_stack, stack_text

LEARNING_RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]
BATCH_SIZES = [8, 16, 32, 64, 128]
# Settings that apply to the running model; any other change builds a new one.
LIVE_SETTINGS = {"learning_rate", "optimizer", "batch_size"}
SETTINGS = ["preset", "layers", "input_size", "seed", *sorted(LIVE_SETTINGS)]
ACCESS = ["hide", "lock"]


class LayerStack(param.List):
    """The layer entries, first layer first; in URLs as `stack_text` ("conv8k3,relu,maxpool2,flatten,dense10")."""

    @staticmethod
    def to_text(layers: list[dict]) -> str:
        return stack_text(layers)

    @staticmethod
    def from_text(text: str) -> list[dict]:
        return parse_stack(text)


class MnistState(param.Parameterized):
    """Every setting of the MNIST lab; choosing a preset replaces the layer stack with it.

    Adam at 0.003 is the default learning rate: the small CNN (seed 0, batch 32) is at 97% on all 2,000 test digits
    after 6 epochs and at 98% from epoch 28 on, where 0.001 takes 9 and 38 epochs (docs/mnist-lab.md).
    """

    preset = param.Selector(default="small-cnn", objects=list(PRESETS), doc="A ready-made network to start from.")
    layers = LayerStack(default=PRESETS["small-cnn"], item_type=dict, doc="The layer stack, first layer first.")
    input_size = param.Selector(default=28, objects=list(INPUT_SIZES), doc="Digits as 28x28 or 14x14 pixels.")
    learning_rate = param.Selector(default=0.003, objects=LEARNING_RATES, doc="Step size of each weight update.")
    optimizer = param.Selector(default="adam", objects=["adam", "sgd", "rmsprop"], doc="How gradients move weights.")
    batch_size = param.Selector(default=32, objects=BATCH_SIZES, doc="Digits per weight update.")
    seed = param.Integer(default=0, bounds=(0, 2**31 - 1), doc="Seed of the initial weights and the batch order.")
    hide = param.ListSelector(
        default=[], objects=SETTINGS, check_on_set=True, doc="Controls hidden from the student (for lessons)."
    )
    lock = param.ListSelector(
        default=[], objects=SETTINGS, check_on_set=True, doc="Controls shown but not changeable (for lessons)."
    )

    def __init__(self, **params: Any) -> None:
        if "preset" in params and "layers" not in params:
            params["layers"] = [dict(entry) for entry in PRESETS[params["preset"]]]
        super().__init__(**params)

    @param.depends("preset", watch=True)
    def _use_preset(self) -> None:
        self.layers = [dict(entry) for entry in PRESETS[self.preset]]

    def make_optimizer(self) -> Optimizer:
        return make_optimizer(self.optimizer, learning_rate=self.learning_rate)

    # -- URL ----------------------------------------------------------------------------------------

    def to_query(self) -> str:
        """The settings that differ from the defaults as a URL query string; the stack only when it is not the
        preset's, e.g. "preset=mlp&learning_rate=0.01" or "layers=flatten,dense64,relu,dense10"."""
        return encode_query(self, omit=("layers",) if self.layers == PRESETS[self.preset] else ())

    @classmethod
    def from_query(cls, query: str, strict: bool = False) -> tuple[Self, list[str]]:
        """(state, notices) from a query string; bad values keep their defaults, with a notice naming the key, and
        a stack that cannot classify digits at the input size is replaced by the preset's (with `strict`, settings
        given in Python: SettingsError naming them instead)."""
        state = cls()
        notices = decode_query(state, query, strict)
        error = summarize(state.layers, state.input_size).error
        if error:
            refusal = f"layers: cannot build {shown(stack_text(state.layers))} ({short_words(error)})"
            if strict:
                raise SettingsError([refusal])
            notices.append(f"{refusal}; using the {state.preset} preset")
            state._use_preset()
        return state, notices

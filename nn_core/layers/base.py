"""The Layer contract every layer follows, and the one error class for invalid settings."""

import numpy as np


class SpecError(ValueError):
    """An invalid model description: names the layer, its type and the field, and what was expected."""

    @classmethod
    def at_layer(cls, index, type_name, message):
        return cls(f"layer {index} ({type_name}): {message}")


class Layer:
    """One differentiable step of a network.

    `forward(x)` caches what `backward` needs; `backward(grad_y)` returns the gradient with respect to x and
    ASSIGNS (never accumulates) `grads[name]` for every `params[name]`. Shapes without the batch dimension
    are "per-example" shapes; arrays passed to forward/backward carry the batch first.
    """

    type_name = ""  # the "type" of this layer's spec entry
    fields: tuple[str, ...] = ()  # constructor arguments, kept as attributes of the same names, for config()

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        # Arrays that are state but not trained (BatchNorm's running statistics): saved, never optimized.
        self.buffers: dict[str, np.ndarray] = {}
        self.training = True
        self.input_shape: tuple[int, ...] | None = None  # set by build

    def build(self, input_shape, rng, init="tfp", dtype=np.float64):
        """Creates parameters for a per-example input shape; `init` is the model default for layers without one."""
        self.output_shape(tuple(input_shape))  # raises SpecError if this layer cannot take that input
        self.input_shape = tuple(input_shape)

    def output_shape(self, input_shape):
        """Per-example output shape for a per-example input shape (identity unless overridden)."""
        return tuple(input_shape)

    def config(self):
        """This layer's JSON-serializable spec entry, e.g. {"type": "dense", "units": 8}; None fields left out."""
        settings = {field: getattr(self, field) for field in self.fields}
        return {"type": self.type_name, **{field: value for field, value in settings.items() if value is not None}}

    def forward(self, x):
        raise NotImplementedError

    def backward(self, grad_y):
        raise NotImplementedError

    def backward_params(self, grad_y):
        """Fills grads like backward but may skip grad_x: for a first layer, whose input needs none."""
        self.backward(grad_y)

    def __repr__(self):
        settings = ", ".join(f"{key}={value!r}" for key, value in self.config().items() if key != "type")
        return f"{type(self).__name__}({settings})"


def positive_int(field, value):
    """Returns value if it is a positive integer, else raises SpecError naming the field."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise SpecError(f"'{field}' must be a positive integer, got {value!r}")
    return int(value)


def number_in(field, value, low, high):
    """Returns value as a float if low <= value < high, else raises SpecError naming the field."""
    is_number = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
    if not (is_number and low <= value < high):
        raise SpecError(f"'{field}' must be a number in [{low}, {high}), got {value!r}")
    return float(value)


def one_of(field, value, choices):
    """Returns value if it is one of choices, else raises SpecError naming the field and the choices."""
    if value not in choices:
        raise SpecError(f"'{field}' must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value

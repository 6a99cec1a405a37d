"""Sequential: a list of layers applied one after another."""

import numpy as np

from .initializers import INITIALIZERS
from .layers.base import SpecError, positive_int

DTYPES = ("float32", "float64")


class Sequential:
    """Layers applied in order: x (N, *input_shape) -> y (N, *output_shape).

    Layers that are not built yet are built here, in order, from one Generator seeded with `seed`;
    layers already built (moved over from another model) keep their parameters.
    Parameters have stable dotted names "i.name" (layer index, parameter name), e.g. "2.W".
    """

    def __init__(self, layers, input_shape, *, init="tfp", dtype="float64", seed=0):
        self.layers = list(layers)
        self.input_shape = _checked_input_shape(input_shape)
        if init not in INITIALIZERS:
            raise SpecError(f"'init' must be one of {', '.join(map(repr, INITIALIZERS))}, got {init!r}")
        self.init, self.dtype = init, _checked_dtype(dtype)
        rng = np.random.default_rng(seed)
        shape = self.input_shape
        for index, layer in enumerate(self.layers):
            try:
                if layer.input_shape is None:
                    layer.build(shape, rng, init=init, dtype=self.dtype)
                elif layer.input_shape != shape:
                    raise SpecError(f"was built for input {layer.input_shape} but now receives {shape}")
                shape = layer.output_shape(shape)
            except SpecError as error:
                raise SpecError.at_layer(index, layer.type_name, error) from None
        self.output_shape = shape

    # -- running ------------------------------------------------------------------------------------

    def forward(self, x):
        """Output of the last layer for a batch x (N, *input_shape); casts x to the model's dtype."""
        return self.forward_trace(x)[-1]

    def forward_trace(self, x):
        """Every layer's output: element i is the output of layer i (for views; nothing is copied)."""
        outputs = []
        x = np.asarray(x, dtype=self.dtype)
        for layer in self.layers:
            x = layer.forward(x)
            outputs.append(x)
        return outputs

    def backward(self, grad_y, input_grad=True):
        """Fills every layer's grads; returns the gradient w.r.t. the model input. grad_y (N, *output_shape).

        Training needs no input gradient: input_grad=False skips it (returns None), saving the first
        layer's largest product.
        """
        for layer in reversed(self.layers[1:]):
            grad_y = layer.backward(grad_y)
        if input_grad:
            return self.layers[0].backward(grad_y)
        self.layers[0].backward_params(grad_y)
        return None

    def backward_trace(self, grad_y):
        """Gradient of the loss w.r.t. every layer's output (element i: layer i); fills grads like backward."""
        output_grads = [grad_y]
        for layer in reversed(self.layers[1:]):
            output_grads.append(layer.backward(output_grads[-1]))
        self.layers[0].backward_params(output_grads[-1])
        return output_grads[::-1]

    def predict(self, x, batch_size=512):
        """Outputs for x (N, *input_shape) in inference mode, computed batch by batch; restores the mode."""
        was_training = self.layers[0].training
        self.eval()
        try:
            return np.concatenate(
                [self.forward(x[start : start + batch_size]) for start in range(0, len(x), batch_size)]
            )
        finally:
            self.train(was_training)

    def train(self, training=True):
        """Switches every layer to training (dropout active, batch statistics) or inference mode."""
        for layer in self.layers:
            layer.training = training
        return self

    def eval(self):
        return self.train(False)

    # -- parameters and state -----------------------------------------------------------------------

    def named_params(self):
        """Yields (name, param, grad) for every parameter, named "i.name"; grad is None before a backward."""
        for index, layer in enumerate(self.layers):
            for name, param in layer.params.items():
                yield f"{index}.{name}", param, layer.grads.get(name)

    def named_buffers(self):
        """Yields (name, array) for state that is saved but not trained (BatchNorm running statistics)."""
        for index, layer in enumerate(self.layers):
            for name, buffer in layer.buffers.items():
                yield f"{index}.{name}", buffer

    def state_dict(self):
        """Copies of every parameter and buffer, by dotted name: what saving and determinism need."""
        params = {name: param.copy() for name, param, _ in self.named_params()}
        return params | {name: buffer.copy() for name, buffer in self.named_buffers()}

    def load_state_dict(self, state):
        """Copies arrays from `state` into the parameters and buffers of the same names and shapes."""
        own = dict(self.named_buffers()) | {name: param for name, param, _ in self.named_params()}
        if own.keys() != state.keys():
            raise KeyError(
                f"state names differ: missing {sorted(own.keys() - state.keys())}, "
                f"unexpected {sorted(state.keys() - own.keys())}"
            )
        for name, array in own.items():
            if array.shape != np.shape(state[name]):
                raise ValueError(f"{name}: shape {np.shape(state[name])} does not fit {array.shape}")
            array[...] = state[name]

    @property
    def param_count(self):
        """Number of trainable scalars."""
        return sum(param.size for _, param, _ in self.named_params())

    # -- description --------------------------------------------------------------------------------

    def spec(self):
        """The JSON-serializable spec this model can be rebuilt from with build_model."""
        return {
            "input_shape": list(self.input_shape),
            "init": self.init,
            "dtype": self.dtype.name,
            "layers": [layer.config() for layer in self.layers],
        }

    def summary(self):
        """A table of layers, their per-example output shapes and parameter counts."""
        rows = [("layer", "output shape", "params")]
        shape = self.input_shape
        for index, layer in enumerate(self.layers):
            shape = layer.output_shape(shape)
            rows.append((f"{index} {layer.type_name}", str(shape), str(sum(p.size for p in layer.params.values()))))
        rows.append(("total", "", str(self.param_count)))
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        return "\n".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}" for a, b, c in rows)


def _checked_input_shape(input_shape):
    """input_shape as a tuple: (features,) or (channels, height, width) of positive integers."""
    if not isinstance(input_shape, (list, tuple)) or len(input_shape) not in (1, 3):
        raise SpecError(f"'input_shape' must be [features] or [channels, height, width], got {input_shape!r}")
    return tuple(positive_int(f"input_shape[{axis}]", size) for axis, size in enumerate(input_shape))


def _checked_dtype(dtype):
    """dtype (a name, numpy type or dtype) as a np.dtype, if it is float32 or float64."""
    try:
        checked = np.dtype(dtype)
    except TypeError:
        checked = None
    if checked is None or checked.name not in DTYPES:
        raise SpecError(f"'dtype' must be one of {', '.join(map(repr, DTYPES))}, got {dtype!r}")
    return checked

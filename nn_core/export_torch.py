"""Exports a model as a standalone PyTorch script: each layer as its torch.nn module, named and commented, the trained
weights embedded exactly, `model` in eval mode (so `from model import model` works) and a forward pass under
`if __name__ == "__main__":`.

nn_core only writes the text; it never imports torch. Layouts: both are NCHW with conv weights (filters, channels,
k, k); a dense W is (inputs, units) here and (units, inputs) in torch's Linear, so it is written transposed.
tests/export checks the script's outputs against the engine's for every layer type below.
"""

import textwrap
from dataclasses import dataclass, field

import numpy as np

from .export import array_source
from .layers.conv_reference import conv_padding

IMPORTS = """import base64

import numpy as np
import torch
from torch import nn"""

TENSOR_FUNCTION = '''def tensor(data, dtype, shape):
    """An array stored in this file (its little-endian bytes in base64, so exact) as a torch tensor."""
    return torch.from_numpy(np.frombuffer(base64.b64decode(data), dtype=dtype).reshape(shape).copy())'''

# Each activation's torch module and what it computes, where the name alone does not say it.
ACTIVATION_MODULES = {
    "relu": ("nn.ReLU()", "max(x, 0)"),
    "leaky_relu": ("nn.LeakyReLU(negative_slope={alpha!r})", "x where x > 0, else {alpha!r} * x"),
    "tanh": ("nn.Tanh()", "tanh(x)"),
    "sigmoid": ("nn.Sigmoid()", "1 / (1 + e^-x)"),
    "linear": ("nn.Identity()", "no activation: the identity"),
    "elu": ("nn.ELU(alpha={alpha!r})", "x where x > 0, else {alpha!r} * (e^x - 1)"),
    "swish": ("nn.SiLU()", "x * sigmoid(x), which PyTorch calls SiLU"),
    "softplus": ("nn.Softplus()", "log(1 + e^x); PyTorch's returns x itself above 20, within 2e-9 of it"),
}
SAMPLE_COUNT = 4  # sample inputs of the demo


class ExportError(ValueError):
    """A model the export cannot write: names the layer (index and type) and what to do."""


@dataclass
class TorchLayer:
    """One engine layer as torch modules: a comment saying what it is, (name, constructor source) for each module,
    and its arrays by state_dict name, in torch's layout (a string value is source text written as it is)."""

    comment: str
    modules: list[tuple[str, str]]
    weights: dict[str, np.ndarray | str] = field(default_factory=dict)


def dense(layer, name):
    n_in, units = layer.input_shape[0], f"{layer.units} unit{'s' * (layer.units != 1)}"
    return TorchLayer(
        f"dense: {n_in} inputs -> {units}, y = x W + b (torch's Linear keeps W transposed)",
        [(name, f"nn.Linear({n_in}, {layer.units})")],
        {f"{name}.weight": layer.params["W"].T, f"{name}.bias": layer.params["b"]},
    )


def conv2d(layer, name):
    channels, height, width = layer.input_shape
    k, stride = layer.kernel_size, layer.stride
    (top, bottom), (left, right) = (conv_padding(size, k, stride, layer.padding) for size in (height, width))
    comment = f"conv2d: {layer.filters} filters of {channels}x{k}x{k}, stride {stride}, padding {layer.padding!r}"
    modules = []
    if (top, left) != (bottom, right):
        # "same" with an odd total: the engine puts the extra row or column after, as TensorFlow does.
        comment += f" (zeros: {top} above, {bottom} below, {left} left, {right} right)"
        modules.append((f"{name}_padding", f"nn.ZeroPad2d(({left}, {right}, {top}, {bottom}))"))
        top = left = 0
    conv = f"nn.Conv2d({channels}, {layer.filters}, kernel_size={k}, stride={stride}, padding=({top}, {left}))"
    modules.append((name, conv))
    return TorchLayer(comment, modules, {f"{name}.weight": layer.params["W"], f"{name}.bias": layer.params["b"]})


def pool2d(module, what):
    def translate(layer, name):
        return TorchLayer(
            f"{layer.type_name}: the {what} of each {layer.size}x{layer.size} window, stride {layer.stride}, unpadded",
            [(name, f"nn.{module}(kernel_size={layer.size}, stride={layer.stride})")],
        )

    return translate


def flatten(layer, name):
    return TorchLayer(
        f"flatten: {layer.input_shape} -> one axis of {int(np.prod(layer.input_shape))}, in the same (C, H, W) order",
        [(name, "nn.Flatten()")],
    )


def dropout(layer, name):
    return TorchLayer(
        f"dropout: zeroes a share {layer.rate!r} of its inputs while training; the identity in eval mode",
        [(name, f"nn.Dropout(p={layer.rate!r})")],
    )


def batchnorm(layer, name):
    features, dimensions = layer.input_shape[0], 1 if len(layer.input_shape) == 1 else 2
    # The engine's momentum is the share of the old running average kept, PyTorch's the share of the new batch.
    module = f"nn.BatchNorm{dimensions}d({features}, eps={layer.eps!r}, momentum=1 - {layer.momentum!r})"
    return TorchLayer(
        f"batchnorm over {features} {'features' if dimensions == 1 else 'channels'}: (x - running mean) / "
        f"sqrt(running var + eps) * gamma + beta in eval mode (torch's momentum is 1 - nn-playground's; while "
        "training torch keeps the unbiased batch variance in its running average, nn-playground the biased one)",
        [(name, module)],
        {
            f"{name}.weight": layer.params["gamma"],
            f"{name}.bias": layer.params["beta"],
            f"{name}.running_mean": layer.buffers["running_mean"],
            f"{name}.running_var": layer.buffers["running_var"],
            f"{name}.num_batches_tracked": "torch.tensor(0)",  # torch counts batches; with a momentum it never reads it
        },
    )


def activation(layer, name):
    module, formula = ACTIVATION_MODULES[layer.type_name]
    settings = {key: value for key, value in layer.config().items() if key != "type"}
    return TorchLayer(f"{layer.type_name}: {formula.format(**settings)}", [(name, module.format(**settings))])


# Each layer type's translation: (built layer, module name) -> TorchLayer.
TRANSLATIONS = {
    "dense": dense,
    "conv2d": conv2d,
    "maxpool2d": pool2d("MaxPool2d", "largest value"),
    "avgpool2d": pool2d("AvgPool2d", "mean"),
    "flatten": flatten,
    "dropout": dropout,
    "batchnorm": batchnorm,
    **dict.fromkeys(ACTIVATION_MODULES, activation),
}


def torch_layers(model) -> list[TorchLayer]:
    """Every layer of the model as torch modules; ExportError naming the first layer PyTorch export cannot write."""
    translated = []
    for index, layer in enumerate(model.layers):
        translate = TRANSLATIONS.get(layer.type_name)
        if translate is None:
            raise ExportError(
                f"layer {index} ({layer.type_name or type(layer).__name__}): the PyTorch export cannot write this "
                f"layer; it knows {', '.join(TRANSLATIONS)}: build the network from those"
            )
        translated.append(translate(layer, f"layer{index}_{layer.type_name}"))
    return translated


def output_words(model) -> str:
    """What the model returns, in words for its docstring (the same as the engine's predict)."""
    index, last = len(model.layers) - 1, model.layers[-1]
    shape = f"(N, {', '.join(map(str, model.output_shape))})"
    if last.type_name in ACTIVATION_MODULES:
        return f"{shape}: the output of layer {index}, {last.type_name}"
    return (
        f"{shape}: the raw outputs of layer {index} ({last.type_name}), no activation after them. A network trained "
        "with cross-entropy returns logits: torch.softmax(outputs, dim=1) (or torch.sigmoid for one output) gives "
        "its probabilities"
    )


def torch_definition(model) -> str:
    """Source defining DTYPE, INPUT_SHAPE, tensor() and `model`, the torch.nn.Sequential with the trained weights
    loaded, in eval mode; it needs the names of IMPORTS."""
    layers = torch_layers(model)
    dtype = model.dtype.name
    lines = [
        f"DTYPE = torch.{dtype}  # the weights' type: {dtype} numbers as nn-playground trained them, stored exactly",
        f"INPUT_SHAPE = {tuple(model.input_shape)!r}  # one example; model(x) takes x of shape (N, *INPUT_SHAPE)",
        "",
        "",
        TENSOR_FUNCTION,
        "",
        "",
        "# The layers in order, named after nn-playground's layer numbers.",
        "model = nn.Sequential()",
    ]
    for index, layer in enumerate(layers):
        lines += textwrap.wrap(
            f"Layer {index}, {layer.comment}", 100, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False
        )
        lines += [f'model.add_module("{name}", {source})' for name, source in layer.modules]
    lines += [
        "model.to(DTYPE)",
        "",
        "# The trained weights by the layers' names. nn-playground keeps a dense layer's W as (inputs, units), torch's",
        "# Linear as (units, inputs): those below are already transposed.",
        "model.load_state_dict(",
        "    {",
        *(
            f'        "{key}": {value if isinstance(value, str) else array_source(value, "tensor")},'
            for layer in layers
            for key, value in layer.weights.items()
        ),
        "    }",
        ")",
        "model.eval()  # inference, as nn-playground's predict: dropout off, batch norm on its running averages",
    ]
    return "\n".join(lines)


def sample_inputs(model) -> np.ndarray:
    """SAMPLE_COUNT inputs for the demo when the caller has none: numbers from a standard normal for features,
    pixels in [0, 1) for images, always the same (seeded)."""
    rng = np.random.default_rng(0)
    shape = (SAMPLE_COUNT, *model.input_shape)
    return (rng.random(shape) if len(model.input_shape) == 3 else rng.standard_normal(shape)).astype(model.dtype)


def demo(model, samples: np.ndarray, what: str) -> str:
    """The script's `if __name__ == "__main__":` block: the model on `samples` beside the engine's outputs."""
    expected = model.predict(samples)
    return f"""if __name__ == "__main__":
    # {len(samples)} {what} and nn-playground's outputs for them (its predict), to compare with PyTorch's.
    SAMPLES = {array_source(np.asarray(samples, dtype=model.dtype), "tensor")}
    EXPECTED = {array_source(expected, "tensor")}

    def shown(output):
        return f"{{output.item():.6f}}" if output.numel() == 1 else f"class {{output.argmax().item()}}"

    with torch.no_grad():
        outputs = model(SAMPLES)
    for number, (output, expected) in enumerate(zip(outputs, EXPECTED)):
        print(f"sample {{number}}: PyTorch {{shown(output)}}, nn-playground {{shown(expected)}}")
    print(f"largest difference from nn-playground: {{(outputs - EXPECTED).abs().max().item():.1e}}")"""


def export_torch(
    model, samples: np.ndarray | None = None, samples_are: str = "sample inputs", module: str = "model"
) -> str:
    """A standalone PyTorch script of the model (see the module's docstring), to be saved as `module`.py; its demo
    runs the model on `samples` (k, *input_shape), described as `samples_are`, or on sample_inputs(model).
    ExportError names a layer it cannot write."""
    definition = torch_definition(model)  # first: an ExportError before anything else is computed
    if samples is None:
        samples = sample_inputs(model)
    summary = textwrap.indent(model.summary(), "    ")
    about = (
        f"Saved as {module}.py, `from {module} import model` gives the network: a torch.nn.Module with the trained "
        f"weights loaded, in eval mode. model(x) takes x of shape (N, {', '.join(map(str, model.input_shape))}) and "
        f"returns what nn-playground's predict returns, {output_words(model)}. `python {module}.py` runs it on a few "
        "inputs."
    )
    return "\n".join(
        [
            '"""A trained nn-playground model for PyTorch.',
            "",
            textwrap.fill(about, 100, break_on_hyphens=False),
            "",
            summary,
            '"""',
            "",
            IMPORTS,
            "",
            definition,
            "",
            "",
            demo(model, samples, samples_are),
            "",
        ]
    )

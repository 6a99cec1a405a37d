"""The PyTorch export (nn_core/export_torch.py): the script's `model` gives the engine's predictions for every layer
type, MLPs and CNNs, float64 and float32; it imports only torch, numpy and base64, runs as a script, and a layer it
cannot write is named. Needs torch (the dev extras), so it lives outside tests/nn_core, which also runs in Pyodide."""

import ast
import importlib.util
import runpy

import numpy as np
import pytest

from nn_core import Layer, Sequential, build_model
from nn_core.export_torch import ACTIVATION_MODULES, ExportError, export_torch

torch = pytest.importorskip("torch")

TOLERANCE = 1e-5
MLP = {  # every activation, batch norm over features, dropout
    "input_shape": [3],
    "init": "glorot",
    "layers": [
        {"type": "dense", "units": 6, "activation": "relu"},
        {"type": "batchnorm", "momentum": 0.8, "eps": 1e-3},
        {"type": "dense", "units": 6, "activation": "leaky_relu"},
        {"type": "leaky_relu", "alpha": 0.2},
        {"type": "dropout", "rate": 0.3},
        {"type": "dense", "units": 5, "activation": "tanh"},
        {"type": "dense", "units": 5, "activation": "sigmoid"},
        {"type": "dense", "units": 5, "activation": "linear"},
        {"type": "dense", "units": 4, "activation": "elu"},
        {"type": "elu", "alpha": 0.5},
        {"type": "dense", "units": 4, "activation": "swish"},
        {"type": "dense", "units": 3, "activation": "softplus"},
        {"type": "dense", "units": 2},
    ],
}
CNN = {  # both poolings, batch norm over channels, dropout, flatten; "same" padding even and odd, strides
    "input_shape": [2, 8, 8],
    "init": "he",
    "layers": [
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "stride": 2, "padding": "same"},  # odd total: 1 after
        {"type": "batchnorm"},
        {"type": "relu"},
        {"type": "conv2d", "filters": 4, "kernel_size": 2, "padding": "same"},  # odd total again, stride 1
        {"type": "maxpool2d", "size": 2},
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": "same"},  # one zero on each side
        {"type": "avgpool2d", "size": 2, "stride": 1},
        {"type": "dropout", "rate": 0.5},
        {"type": "flatten"},
        {"type": "dense", "units": 4},
        {"type": "softplus"},
    ],
}
VALID_CNN = {
    "input_shape": [1, 9, 9],
    "dtype": "float32",
    "layers": [
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "stride": 2},
        {"type": "swish"},
        {"type": "maxpool2d", "size": 3, "stride": 1},
        {"type": "flatten"},
        {"type": "batchnorm"},
        {"type": "dense", "units": 3},
    ],
}
SPECS = {"mlp": MLP, "cnn": CNN, "cnn-float32": {**CNN, "dtype": "float32"}, "valid-cnn-float32": VALID_CNN}


def trained(spec):
    """A model whose batch norms' running statistics have moved (and weights not at their start), and inputs."""
    model = build_model(spec, seed=3)
    rng = np.random.default_rng(1)
    for _ in range(3):
        model.forward(rng.standard_normal((16, *model.input_shape)))
    for _, param, _ in model.named_params():
        param += 0.1 * rng.standard_normal(param.shape).astype(param.dtype)
    return model, rng.standard_normal((10, *model.input_shape)).astype(model.dtype)


def imported(source, path):
    """The generated file written to `path` and imported as a module."""
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("spec", SPECS.values(), ids=SPECS.keys())
def test_the_exported_model_predicts_what_the_engine_predicts(spec, tmp_path):
    model, x = trained(spec)
    exported = imported(export_torch(model), tmp_path / "model.py").model
    assert isinstance(exported, torch.nn.Module) and not exported.training
    with torch.no_grad():
        outputs = exported(torch.from_numpy(x))
    assert outputs.dtype == getattr(torch, model.dtype.name)
    np.testing.assert_allclose(outputs.numpy(), model.predict(x), rtol=0, atol=TOLERANCE)


def test_the_weights_are_embedded_exactly_dense_ones_transposed(tmp_path):
    model, _ = trained(MLP)
    exported = imported(export_torch(model), tmp_path / "model.py").model
    np.testing.assert_array_equal(exported.layer0_dense.weight.detach().numpy(), model.layers[0].params["W"].T)
    batchnorm = exported.layer2_batchnorm
    np.testing.assert_array_equal(batchnorm.running_var.numpy(), model.layers[2].buffers["running_var"])
    assert (batchnorm.eps, batchnorm.momentum) == (1e-3, pytest.approx(0.2))


def test_training_mode_batch_norm_normalizes_and_averages_as_the_engine_does(tmp_path):
    """torch's momentum is 1 - the engine's; the running variance differs (torch keeps the unbiased one)."""
    spec = {**MLP, "layers": [layer for layer in MLP["layers"] if layer["type"] != "dropout"]}
    model, x = trained(spec)
    exported = imported(export_torch(model), tmp_path / "model.py").model.train()
    outputs = exported(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(outputs, model.forward(x), rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(
        exported.layer2_batchnorm.running_mean.numpy(), model.layers[2].buffers["running_mean"], rtol=0, atol=1e-12
    )


def test_the_script_imports_only_torch_numpy_and_base64():
    tree = ast.parse(export_torch(trained(CNN)[0]))
    imported_modules = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in ([alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module])
    }
    assert imported_modules == {"base64", "numpy", "torch"}


def test_run_as_a_script_it_prints_its_outputs_beside_the_engines(tmp_path, capsys):
    model, x = trained(MLP)
    path = tmp_path / "model.py"
    path.write_text(export_torch(model, samples=x[:3], samples_are="test inputs"))
    runpy.run_path(str(path), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and lines[0].startswith("sample 0: PyTorch class ")
    assert lines[0].endswith(f"nn-playground class {model.predict(x[:1]).argmax()}")
    assert float(lines[-1].rpartition(" ")[2]) < TOLERANCE


def test_the_script_says_what_each_layer_is_and_what_the_model_returns():
    source = export_torch(trained(CNN)[0])
    assert "# Layer 0, conv2d: 3 filters of 2x3x3, stride 2, padding 'same' (zeros: 0 above, 1 below" in source
    assert 'model.add_module("layer0_conv2d_padding", nn.ZeroPad2d((0, 1, 0, 1)))' in source
    assert 'model.add_module("layer5_conv2d", nn.Conv2d(4, 3, kernel_size=3, stride=1, padding=(1, 1)))' in source
    words = " ".join(source.split())
    assert "returns what nn-playground's predict returns, (N, 4): the output of layer 10, softplus." in words
    assert "model.eval()" in source


@pytest.mark.parametrize("name", ACTIVATION_MODULES)
def test_every_activation_has_its_module(name):
    model = build_model({"input_shape": [2], "layers": [{"type": name}]})
    assert 'model.add_module("layer0_' + name + '", nn.' in export_torch(model)


class Doubling(Layer):
    type_name = "doubling"

    def forward(self, x):
        return 2 * x


def test_a_layer_the_export_does_not_know_is_named_with_what_to_do():
    model = Sequential([build_model(MLP).layers[0], Doubling()], [3])
    with pytest.raises(
        ExportError,
        match=r"^layer 1 \(doubling\): the PyTorch export cannot write this layer; it "
        r"knows dense, conv2d, .*: build the network from those$",
    ):
        export_torch(model)

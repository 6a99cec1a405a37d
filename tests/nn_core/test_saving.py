"""Models survive save/load exactly, bad files raise ModelFileError saying what is wrong, and exported
Python reproduces the model's predictions with numpy alone."""

import inspect
import io
import json

import numpy as np
import pytest

from nn_core import build_model
from nn_core.export import export_python
from nn_core.layers.conv_reference import conv2d_forward
from nn_core.saving import ModelFileError, load_model, save_model

MLP = {
    "input_shape": [3],
    "init": "glorot",
    "layers": [
        {"type": "dense", "units": 5},
        {"type": "batchnorm"},
        {"type": "swish"},
        {"type": "dropout", "rate": 0.3},
        {"type": "dense", "units": 4},
        {"type": "leaky_relu", "alpha": 0.1},
        {"type": "dense", "units": 3},
        {"type": "elu"},
        {"type": "dense", "units": 2},
        {"type": "softplus"},
        {"type": "dense", "units": 1},
        {"type": "sigmoid"},
    ],
}
CNN = {
    "input_shape": [2, 7, 7],
    "init": "he",
    "layers": [
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": "same"},
        {"type": "batchnorm"},
        {"type": "relu"},
        {"type": "maxpool2d", "size": 2},
        {"type": "conv2d", "filters": 2, "kernel_size": 2, "stride": 1},
        {"type": "avgpool2d", "size": 2, "stride": 1},
        {"type": "tanh"},
        {"type": "flatten"},
        {"type": "dense", "units": 3},
        {"type": "linear"},
    ],
}


def trained(spec):
    """A model whose BatchNorm running statistics have moved away from their initial values."""
    model = build_model(spec, seed=4)
    x = np.random.default_rng(1).standard_normal((8, *model.input_shape))
    model.forward(x)
    return model, x


def saved_bytes(model):
    file = io.BytesIO()
    save_model(model, file)
    return file.getvalue()


def write_npz(path, **arrays):
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize("spec", [MLP, CNN], ids=["mlp", "cnn"])
def test_a_saved_model_loads_with_the_same_spec_arrays_and_predictions(tmp_path, spec):
    model, x = trained(spec)
    save_model(model, tmp_path / "model.npz")
    loaded = load_model(tmp_path / "model.npz")
    assert loaded.spec() == model.spec()
    for name, array in model.state_dict().items():
        np.testing.assert_array_equal(loaded.state_dict()[name], array)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_the_file_loads_without_pickle_and_stores_the_spec_as_json(tmp_path):
    model, _ = trained(MLP)
    save_model(model, tmp_path / "model.npz")
    with np.load(tmp_path / "model.npz", allow_pickle=False) as archive:
        assert json.loads(str(archive["spec"])) == model.spec()
        assert "1.running_mean" in archive.files and "0.W" in archive.files


def test_a_file_that_is_not_an_npz_or_is_truncated_is_refused():
    with pytest.raises(ModelFileError, match="not a readable model file"):
        load_model(io.BytesIO(b"hello, not a zip"))
    model, _ = trained(MLP)
    with pytest.raises(ModelFileError, match="not a readable model file"):
        load_model(io.BytesIO(saved_bytes(model)[:-100]))


def test_a_missing_spec_or_bad_json_or_an_invalid_spec_is_refused(tmp_path):
    with pytest.raises(ModelFileError, match="'spec' array is missing"):
        load_model(write_npz(tmp_path / "a.npz", **{"0.W": np.zeros((2, 2))}))
    with pytest.raises(ModelFileError, match="not valid JSON"):
        load_model(write_npz(tmp_path / "b.npz", spec=np.array("{not json")))
    with pytest.raises(ModelFileError, match="does not describe a model"):
        load_model(write_npz(tmp_path / "c.npz", spec=np.array(json.dumps({"layers": []}))))


def test_arrays_that_do_not_fit_the_spec_are_refused_by_name(tmp_path):
    model, _ = trained(MLP)
    arrays = {"spec": np.array(json.dumps(model.spec())), **model.state_dict()}
    wrong_shape = arrays | {"4.W": np.zeros((5, 3))}
    with pytest.raises(ModelFileError, match=r"4\.W: shape \(5, 3\) does not fit \(5, 4\)"):
        load_model(write_npz(tmp_path / "shape.npz", **wrong_shape))
    missing = {name: array for name, array in arrays.items() if name != "1.running_var"}
    with pytest.raises(ModelFileError, match=r"missing \['1\.running_var'\]"):
        load_model(write_npz(tmp_path / "missing.npz", **missing))
    with pytest.raises(ModelFileError, match=r"unexpected \['9\.W'\]"):
        load_model(write_npz(tmp_path / "extra.npz", **arrays, **{"9.W": np.zeros(1)}))


@pytest.mark.parametrize("spec", [MLP, CNN], ids=["mlp", "cnn"])
def test_exported_python_predicts_like_the_model_with_numpy_alone(spec):
    model, x = trained(spec)
    namespace = {}
    exec(export_python(model), namespace)
    np.testing.assert_allclose(namespace["predict"](x), model.predict(x), rtol=0, atol=1e-12)
    assert "nn_core" not in export_python(model)


def test_exported_python_convolves_with_the_engines_textbook_convolution():
    model, _ = trained(CNN)
    namespace = {}
    exec(export_python(model), namespace)
    assert inspect.getsource(conv2d_forward) in export_python(model)  # the one copy, not a second version
    assert namespace["conv2d_forward"].__doc__ == conv2d_forward.__doc__

"""Models survive save/load exactly, bad files raise ModelFileError saying what is wrong, and exported
Python reproduces the model's predictions with numpy alone."""

import inspect
import io
import json
import zipfile

import numpy as np
import pytest

from nn_core import build_model, saving
from nn_core.export import export_python
from nn_core.layers.conv_reference import conv2d_forward
from nn_core.saving import ModelFileError, load_model, save_model
from nn_core.spec import STORED_SIZES, stored_size

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


NOT_OURS = r"this is not a model file saved by nn-playground \(\.npz\)"


def zip_of(members, declared=None, compression=zipfile.ZIP_STORED):
    """A zip of {name: bytes}; `declared` {name: size} replaces the uncompressed sizes its table of contents states."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for info in archive.infolist():
            info.file_size = (declared or {}).get(info.filename, info.file_size)
    return buffer.getvalue()


def npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def members_of(model, **changes):
    """The members of model's file as {"name.npy": bytes}, with `changes` {name: array} applied."""
    arrays = {"spec": np.array(json.dumps(model.spec())), **model.state_dict()} | changes
    return {f"{name}.npy": npy(array) for name, array in arrays.items()}


SMALL = {
    "input_shape": [2],
    "layers": [{"type": "dense", "units": 3, "activation": "tanh"}, {"type": "dense", "units": 1}],
}


def test_an_empty_file_says_so(tmp_path):
    with pytest.raises(ModelFileError, match="^the file is empty$"):
        load_model(io.BytesIO(b""))
    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(ModelFileError, match="^the file is empty$"):
        load_model(tmp_path / "empty.npz")


def test_a_file_that_is_not_an_npz_or_is_truncated_is_refused_in_plain_words():
    model, _ = trained(MLP)
    not_ours = [
        b"hello, not a zip",
        npy(np.zeros(3)),
        saved_bytes(model)[:-100],
        b"\x80\x04K\x01.",
    ]  # the last a pickle
    for data in not_ours:
        with pytest.raises(ModelFileError, match=NOT_OURS + ", or it is incomplete") as error:
            load_model(io.BytesIO(data))
        assert "pickle" not in str(error.value)
    with pytest.raises(ModelFileError, match=NOT_OURS + ": it holds 'notes.txt'"):
        load_model(io.BytesIO(zip_of({"notes.txt": b"hi"})))
    with pytest.raises(ModelFileError, match="cannot read the file"):
        load_model("/no/such/model.npz")


def test_a_zip_bomb_is_refused_from_its_table_of_contents_before_anything_is_unpacked():
    model = build_model(SMALL)
    members = members_of(model)
    bomb = zip_of(members, declared={"0.W.npy": 800_000_000}, compression=zipfile.ZIP_DEFLATED)
    assert len(bomb) < 10_000
    with pytest.raises(ModelFileError, match=r"would unpack to 800 MB, but a model file unpacks to at most 64 MB"):
        load_model(io.BytesIO(bomb))


def test_an_array_bigger_than_its_spec_needs_is_refused_before_it_is_inflated():
    model = build_model(SMALL)
    members = members_of(model) | {"0.W.npy": npy(np.zeros((2, 3)))[:128] + bytes(2_000_000)}
    bomb = zip_of(members, compression=zipfile.ZIP_DEFLATED)
    assert len(bomb) < 20_000
    with pytest.raises(ModelFileError, match=r"the array '0.W' would unpack to 2 MB, more than the 10,048 bytes"):
        load_model(io.BytesIO(bomb))


def test_a_member_that_holds_more_or_less_than_it_declares_is_damaged():
    model = build_model(SMALL)
    members = members_of(model)
    for declared in (100, len(members["0.W.npy"]) - 8):
        liar = zip_of(members, declared={"0.W.npy": declared}, compression=zipfile.ZIP_DEFLATED)
        with pytest.raises(ModelFileError, match="^the file is damaged"):
            load_model(io.BytesIO(liar))
    header = io.BytesIO()  # an .npy header claiming 10^10 numbers, followed by 100 bytes
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**10,)})
    with pytest.raises(ModelFileError, match="^the file is damaged"):
        load_model(io.BytesIO(zip_of(members | {"spec.npy": header.getvalue() + bytes(100)})))


def test_a_spec_asking_for_a_huge_network_is_refused_with_the_numbers_before_it_is_built():
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 10**8}]}
    with pytest.raises(
        ModelFileError,
        match="the network in the file has 300,000,000 parameters; nn-playground loads networks of at most 4,000,000",
    ):
        load_model(io.BytesIO(zip_of({"spec.npy": npy(np.array(json.dumps(spec)))})))


def test_weights_that_are_nan_or_infinite_are_refused():
    model = build_model(SMALL)
    weights = model.state_dict()["0.W"].copy()
    weights[0, 0] = np.nan
    with pytest.raises(ModelFileError, match="the array '0.W' holds 1 value that is NaN or infinite"):
        load_model(io.BytesIO(zip_of(members_of(model, **{"0.W": weights}))))
    weights[:] = np.inf
    with pytest.raises(ModelFileError, match="holds 6 values that are NaN or infinite"):
        load_model(io.BytesIO(zip_of(members_of(model, **{"0.W": weights}))))


def test_arrays_of_python_objects_or_text_are_refused_without_unpickling():
    model = build_model(SMALL)
    with pytest.raises(ModelFileError, match="the array '0.b' holds Python objects; a model file holds numbers only"):
        load_model(io.BytesIO(zip_of(members_of(model, **{"0.b": np.array([1, "a", None], dtype=object)}))))
    with pytest.raises(ModelFileError, match="the array '0.b' holds text, not numbers"):
        load_model(io.BytesIO(zip_of(members_of(model, **{"0.b": np.array(["a", "b", "c"])}))))


@pytest.mark.parametrize("spec", [MLP, CNN, SMALL], ids=["mlp", "cnn", "small"])
def test_stored_size_counts_what_a_built_model_stores_without_building_it(spec):
    model = build_model(spec)
    assert stored_size(spec) == sum(array.size for array in model.state_dict().values())
    stores = {layer.type_name for layer in model.layers if layer.params or layer.buffers}
    assert stores <= STORED_SIZES.keys()


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
    with pytest.raises(ModelFileError, match=r"missing '1\.running_var'$"):
        load_model(write_npz(tmp_path / "missing.npz", **missing))
    with pytest.raises(ModelFileError, match=r"unexpected '9\.W'$"):
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


def test_a_file_bigger_than_any_model_file_is_refused_by_its_size(monkeypatch):
    monkeypatch.setattr(saving, "MAX_FILE_BYTES", 1_000)
    with pytest.raises(ModelFileError, match=r"^the file is 1,\d{3} bytes; a model file holds at most 1,000 bytes$"):
        load_model(io.BytesIO(saved_bytes(build_model(SMALL))))

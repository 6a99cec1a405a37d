"""Both pages offer their model as files (widgets/model_downloads.py): the .npz, Python with numpy alone, a PyTorch
script and a PyTorch notebook. The buttons' callbacks run here, in CPython, and give files that work."""

import json
import runpy

import numpy as np
import panel as pn
import pytest

from playground.mnist.app import MnistLab
from playground.mnist.state import MnistState
from playground.sandbox.app import SandboxApp
from playground.sandbox.state import PlaygroundState

TINY = [{"type": "flatten"}, {"type": "dense", "units": 10}]
LABELS = ["Save model (.npz)", "Export as Python", "Export for PyTorch (.py)", "PyTorch notebook (.ipynb)"]
FILENAMES = ["model.npz", "model.py", "model_torch.py", "model_torch.ipynb"]


def buttons(app):
    files = app.model_files
    return [files.save, files.export, files.torch, files.notebook]


def code_of(notebook_text):
    return "\n".join("".join(cell["source"]) for cell in json.loads(notebook_text)["cells"])


@pytest.mark.parametrize("page", [SandboxApp, lambda: MnistLab(MnistState(layers=TINY))], ids=["sandbox", "mnist"])
def test_each_page_shows_the_four_downloads_named_once(page):
    app = page()
    shown = app.__panel__().select(pn.widgets.FileDownload)
    assert all(any(button is widget for widget in shown) for button in buttons(app))
    assert [button.label for button in buttons(app)] == LABELS
    assert [button.filename for button in buttons(app)] == FILENAMES
    assert all(button.name == button.label and button.stylesheets for button in buttons(app))


def test_the_sandboxs_pytorch_script_predicts_its_test_points_as_the_page_does(tmp_path):
    torch = pytest.importorskip("torch")
    app = SandboxApp(PlaygroundState(features=["x", "y", "sinX"], activation="relu", learning_rate=0.1))
    app.session.step_epoch()
    path = tmp_path / "model_torch.py"
    path.write_text(app.model_files.torch.callback().read())
    model = runpy.run_path(str(path))["model"]
    x = app.state.inputs(app.session.data.x_test)
    with torch.no_grad():
        outputs = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(outputs, app.session.model.predict(x), rtol=0, atol=1e-5)
    assert "from model_torch import model" in path.read_text()


def test_the_sandboxs_notebook_trains_on_its_points_with_its_settings():
    state = PlaygroundState(
        dataset="xor", features=["x", "y", "xTimesY"], optimizer="adam", learning_rate=0.01, batch_size=5,
        regularization="l1", regularization_rate=0.001, loss="cross_entropy",
    )  # fmt: skip
    app = SandboxApp(state)
    notebook = app.model_files.notebook.callback().read()
    text = code_of(notebook)
    for line in ("LEARNING_RATE = 0.01", "BATCH_SIZE = 5", "REGULARIZATION_RATE = 0.001", "EPOCHS = 20"):
        assert line in text
    assert "torch.optim.Adam(" in text and "binary_cross_entropy_with_logits" in text and "torch.sign(before)" in text
    assert "the xor data set (noise 0%, seed 0)" in text and "X₁, X₂, X₁X₂" in text and "0 for the label -1" in text
    setup = app.session.training_setup()
    data = app.session.data
    np.testing.assert_array_equal(setup.data.x_train, state.inputs(data.x_train))
    np.testing.assert_array_equal(setup.data.y_test, state.targets(data.y_test))
    assert setup.optimizer is app.session.trainer.optimizer and not setup.shuffle


def test_the_labs_files_hold_its_digits_and_its_network(tmp_path):
    torch = pytest.importorskip("torch")
    app = MnistLab(MnistState(layers=TINY, input_size=14, optimizer="sgd", learning_rate=0.1))
    app.session.step_batch()
    notebook = app.model_files.notebook.callback().read()
    assert "SIZE = 14" in code_of(notebook) and "the first 256 training and 256 test digits" in code_of(notebook)
    path = tmp_path / "model_torch.py"
    path.write_text(app.model_files.torch.callback().read())
    x = app.session.x_test[:5]
    with torch.no_grad():
        outputs = runpy.run_path(str(path))["model"](torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(outputs, app.session.model.predict(x), rtol=0, atol=1e-5)


def test_without_a_network_the_lab_sends_no_file_and_says_why():
    app = MnistLab(MnistState(layers=[{"type": "flatten"}, {"type": "dense", "units": 3}]))
    assert app.session.model is None
    with pytest.raises(ValueError, match="no network"):
        app.model_files.torch.callback()
    assert "No model_torch.py: there is no network to export; fix the layers first" in app.model_files.message.object

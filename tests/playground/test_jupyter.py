"""The pages for Python (playground/jupyter.py, docs/jupyter.md): a page URL's settings as keyword arguments, refused
in the page's words, training driven from code, and a page that shows in a notebook and follows training there."""

import asyncio
import html
import json
from pathlib import Path

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document
from fresh_python import run
from pyviz_comms import Comm

from playground.core.query import SettingsError
from playground.jupyter import mnist_lab, sandbox
from playground.mnist.app import MnistLab
from playground.mnist.state import MnistState
from playground.sandbox.app import SandboxApp
from playground.sandbox.state import PlaygroundState

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "jupyter.md"
FAST_LAB = {"preset": "mlp", "input_size": 14, "batch_size": 128}  # an epoch is 63 updates of a small MLP


def test_the_sandbox_takes_the_settings_of_a_page_url_by_the_same_names():
    app = sandbox(dataset="spiral", hidden_layers=[6, 3], learning_rate=0.1, features=("x", "y", "sinX"), noise=10)
    assert isinstance(app, SandboxApp) and isinstance(app, pn.viewable.Viewer)
    from_link, notices = PlaygroundState.from_query(
        "dataset=spiral&hidden_layers=6,3&learning_rate=0.1&features=x,y,sinX&noise=10"
    )
    assert notices == [] and app.state.param.values() | {"name": ""} == from_link.param.values() | {"name": ""}
    assert app.model.layers[0].params["W"].shape == (3, 6)
    assert sandbox(hidden_layers=np.array([2]), seed=np.int64(3), learning_rate=np.float64(0.3)).state.seed == 3


def test_the_mnist_lab_takes_a_preset_or_a_layer_stack_as_text_or_entries():
    assert mnist_lab(preset="mlp").state.layers == MnistState(preset="mlp").layers
    text = mnist_lab(layers="flatten,dense32,relu,dense10", input_size=14)
    entries = mnist_lab(layers=text.state.layers, input_size=14)
    assert isinstance(text, MnistLab) and text.state.layers == entries.state.layers
    assert [type(layer).__name__ for layer in text.model.layers] == ["Flatten", "Dense", "ReLU", "Dense"]


@pytest.mark.parametrize(
    ("settings", "query"),
    [
        ({"noise": 70}, "noise=70"),
        ({"learning_rate": 0.05}, "learning_rate=0.05"),
        ({"seed": 1.5}, "seed=1.5"),
        ({"hidden_layers": (4, 40)}, "hidden_layers=4,40"),
        ({"activation": "softsign"}, "activation=softsign"),
        ({"features": []}, "features="),
        ({"show_test_data": "yes"}, "show_test_data=yes"),
    ],
)
def test_a_setting_the_page_cannot_use_raises_the_pages_own_words(settings, query):
    with pytest.raises(SettingsError) as raised:
        sandbox(**settings)
    (notice,) = PlaygroundState.from_query(query)[1]
    assert notice.startswith(f"{raised.value}; keeping ")  # what the page says, but for what it does instead


def test_every_refused_setting_is_named_and_an_unknown_name_with_the_one_meant():
    with pytest.raises(SettingsError) as raised:
        sandbox(hidden=[4, 2], noise=-1, colour="red")
    assert raised.value.refusals == [
        "hidden: unknown setting; did you mean hidden_layers?",
        "colour: unknown setting; the settings are problem, dataset, noise, train_percent, batch_size, seed, "
        "features, hidden_layers, activation, layer_activations, learning_rate, regularization, regularization_rate, "
        "optimizer, loss, keep_weights, discretize, show_test_data, network_shows, race, hide, lock",
        "noise: cannot use '-1' (must be from 0 to 50)",
    ]
    assert str(raised.value).startswith("3 settings cannot be used:\n  hidden: unknown setting")
    with pytest.raises(SettingsError, match="^problem: the dataset 'spiral' is a classification problem$"):
        sandbox(dataset="spiral", problem="regression")
    assert isinstance(raised.value, ValueError)


def test_the_mnist_lab_refuses_a_stack_that_cannot_classify_digits_as_its_page_does():
    with pytest.raises(SettingsError) as raised:
        mnist_lab(layers="flatten,dense64,relu")
    (notice,) = MnistState.from_query("layers=flatten,dense64,relu")[1]
    assert notice == f"{raised.value}; using the small-cnn preset"
    with pytest.raises(SettingsError, match=r"^layers: cannot use .*is not a layer; write e\.g\. conv8k3"):
        mnist_lab(layers=[{"type": "conv2d"}])  # entries missing their fields
    with pytest.raises(SettingsError, match=r"^batch_size: cannot use '100' \(not one of 8, 16, 32, 64, 128\)$"):
        mnist_lab(batch_size=100)


def test_train_runs_whole_epochs_or_steps_now_and_pauses():
    app = sandbox(learning_rate=0.1)
    first = app.model.layers[0].params["W"].copy()
    record = app.train(epochs=2)
    per_epoch = app.session.steps_per_epoch()
    assert record is app.record and (record.status, record.epoch, record.step) == ("paused", 2, 2 * per_epoch)
    assert not np.array_equal(app.model.layers[0].params["W"], first)
    assert app.train(steps=3).step == 2 * per_epoch + 3
    assert app.train().epoch == 3 and app.record.step == 3 * per_epoch  # the rest of the epoch, as the Epoch button
    assert app.summary.startswith("Paused · epoch 3 · step ") and "test accuracy" in app.summary
    assert record.train_loss is not None and 0 <= record.test_accuracy <= 1
    with pytest.raises(TypeError, match="epochs or steps, not both"):
        app.train(epochs=1, steps=1)
    with pytest.raises(ValueError, match="forwards only, not -1 epochs"):
        app.train(epochs=-1)
    with pytest.raises(TypeError):
        app.train(epochs=1.5)


def test_train_stops_where_training_diverges_and_the_record_says_why():
    app = sandbox(dataset="reg-plane", activation="linear", learning_rate=10.0)
    record = app.train(epochs=50)
    assert record.status == "diverged" and record.epoch < 50 and record.message.startswith("Training diverged")
    assert app.train(epochs=1).step == record.step


def test_the_mnist_lab_trains_from_code():
    lab = mnist_lab(**FAST_LAB)
    record = lab.train(steps=5)
    assert (record.status, record.step) == ("paused", 5) and record.test_accuracy is not None
    assert lab.model is lab.session.model


def test_play_needs_a_running_event_loop_and_then_trains_until_pause():
    app = sandbox()
    with pytest.raises(RuntimeError, match=r"in a script, use train\(epochs=\.\.\.\)"):
        app.play()

    async def play_a_while():
        app.play()
        app.play()  # already playing: nothing more
        await asyncio.sleep(0.3)
        app.pause()
        await asyncio.sleep(0.05)

    asyncio.run(play_a_while())
    assert app.record.status == "paused" and app.record.step > 0 and app.ticker._loop is None


class OpenComm(Comm):
    """A notebook's comm once the notebook has opened it, keeping what it sends."""

    def __init__(self):
        super().__init__()
        self._comm, self.sent = True, []

    def send(self, data=None, metadata=None, buffers=()):
        self.sent.append(data)

    def events(self):
        return [event for text in self.sent if text and '"events"' in text for event in json.loads(text)["events"]]


@pytest.mark.parametrize("page", [sandbox, lambda: mnist_lab(**FAST_LAB)], ids=["sandbox", "mnist_lab"])
def test_in_a_notebook_training_from_code_reaches_the_cell_showing_the_page(page):
    app, doc, comm = page(), Document(), OpenComm()
    root = pn.panel(app).get_root(doc, comm)  # as the notebook renders a cell's output
    doc.add_root(root)
    doc.hold()
    app.train(steps=2)
    texts = [html.unescape(event["new"]) for event in comm.events() if event.get("attr") == "text"]
    assert any('id="pg-status"' in text and 'data-step="2"' in text for text in texts)  # a Bokeh model of the page


def test_the_pages_show_as_bokeh_documents():
    for app in (sandbox(), mnist_lab(**FAST_LAB)):
        assert pn.panel(app).get_root(Document()) is not None


def test_importing_the_module_imports_no_page_library():
    assert (
        run("""
        import sys
        import playground.jupyter
        print(sorted({m.split(".")[0] for m in sys.modules} & {"panel", "bokeh", "numpy", "nn_core"}))
    """)
        == "[]"
    )


@pytest.mark.parametrize(
    ("state_class", "heading"),
    [(PlaygroundState, "### The sandbox's settings"), (MnistState, "### The MNIST lab's settings")],
)
def test_the_guide_lists_every_setting(state_class, heading):
    table = GUIDE.read_text().split(heading)[1].split("\n\n")[1]
    assert [name for name in state_class.param if name != "name" and f"`{name}`" not in table] == []

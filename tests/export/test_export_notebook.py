"""The PyTorch notebook (nn_core/export_notebook.py): valid nbformat; its data, loss, optimizer, regularization and
accuracy are the engine's, so a training step in the notebook moves the weights as nn_core's train_step does; digits
are the lab's; and it runs in Jupyter (nbclient, the python3 kernel of this Python)."""

import json

import numpy as np
import pytest

from nn_core import Trainer, build_model, make_loss, make_optimizer, sign_accuracy, train_step
from nn_core.datasets import load_mnist
from nn_core.datasets.mnist import mnist_images
from nn_core.export_notebook import Digits, Points, TrainingSetup, export_notebook
from nn_core.export_torch import ExportError

torch = pytest.importorskip("torch")

TOLERANCE = 1e-5


def cells(notebook: str, kind: str = "code") -> list[str]:
    return ["".join(cell["source"]) for cell in json.loads(notebook)["cells"] if cell["cell_type"] == kind]


def run_until_training(notebook: str) -> dict:
    """The notebook's code cells up to the training loop, run here: the namespace they leave."""
    namespace = {}
    for source in cells(notebook):
        if source.startswith("EPOCHS"):
            return namespace
        exec(source, namespace)
    raise AssertionError("no training loop")


def mlp(units_out, output_activation=None):
    output = {"type": "dense", "units": units_out, **({"activation": output_activation} if output_activation else {})}
    spec = {"input_shape": [3], "layers": [{"type": "dense", "units": 5, "activation": "tanh"}, output]}
    return build_model(spec, seed=2)


def points(loss_name, n=24, classes=3):
    """Inputs (n, 3) and targets as the loss takes them, in a Points."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((n, 3))
    labels = rng.integers(0, classes, n)
    targets = {
        "mse": np.where(labels % 2, 1.0, -1.0)[:, None],
        "binary_cross_entropy": (labels % 2).astype(np.float64)[:, None],
        "softmax_cross_entropy": labels,
    }[loss_name]
    half = n // 2
    return Points(x[:half], targets[:half], x[half:], targets[half:], "Made-up points.")


# (loss, output units and activation, optimizer and its settings): every loss, optimizer and regularization
CASES = {
    "mse-sgd": ("mse", (1, "tanh"), "sgd", {"learning_rate": 0.1}),
    "mse-sgd-nesterov-l1": (
        "mse",
        (1, "tanh"),
        "sgd",
        {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True, "regularization": "l1", "regularization_rate": 0.3},
    ),
    "softmax-adam-l2": (
        "softmax_cross_entropy",
        (3, None),
        "adam",
        {"learning_rate": 0.01, "regularization": "l2", "regularization_rate": 0.1},
    ),
    "binary-rmsprop-l1": (
        "binary_cross_entropy",
        (1, None),
        "rmsprop",
        {"learning_rate": 0.01, "regularization": "l1", "regularization_rate": 0.03},
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_training_steps_in_the_notebook_move_the_weights_as_the_engine_does(case):
    loss_name, (units, activation), optimizer_name, settings = case
    model, data = mlp(units, activation), points(loss_name)
    trainer = Trainer(
        model, make_loss(loss_name), make_optimizer(optimizer_name, **settings), data.x_train, data.y_train,
        batch_size=4, rng=np.random.default_rng(0), shuffle=False,
    )  # fmt: skip
    namespace = run_until_training(export_notebook(model, TrainingSetup.of(trainer, data)))
    for start in range(0, 12, 4):  # three steps: the optimizers' moments and momentum come into play
        x, y = data.x_train[start : start + 4], data.y_train[start : start + 4]
        torch_loss = namespace["train_step"](torch.from_numpy(x), namespace["Y_TRAIN"][start : start + 4])
        assert torch_loss == pytest.approx(train_step(model, trainer.loss, trainer.optimizer, x, y), abs=TOLERANCE)
    exported = namespace["model"]
    for index in (0, 2):
        layer = exported.get_submodule(f"layer{index}_dense")
        np.testing.assert_allclose(layer.weight.detach().numpy(), model.layers[index].params["W"].T, atol=TOLERANCE)
        np.testing.assert_allclose(layer.bias.detach().numpy(), model.layers[index].params["b"], atol=TOLERANCE)


def test_before_training_the_notebook_reports_the_engines_loss_and_accuracy(capsys):
    model, data = mlp(1, "tanh"), points("mse")
    trainer = Trainer(model, make_loss("mse"), make_optimizer("sgd", learning_rate=0.03), data.x_train, data.y_train,
                      batch_size=5, rng=np.random.default_rng(0), accuracy=sign_accuracy)  # fmt: skip
    run_until_training(export_notebook(model, TrainingSetup.of(trainer, data)))
    (train, test) = capsys.readouterr().out.splitlines()
    for line, (x, y) in zip((train, test), ((data.x_train, data.y_train), (data.x_test, data.y_test)), strict=True):
        loss, accuracy = trainer.evaluate(x, y)
        assert line == f"before training: {line.split()[2]} loss {loss:.6f}, accuracy {accuracy:.1%}"


def test_the_notebook_embeds_the_points_exactly_and_trains_in_their_order():
    model, data = mlp(3), points("softmax_cross_entropy")
    setup = TrainingSetup(data, make_loss("softmax_cross_entropy"), make_optimizer("sgd", learning_rate=1.0), 7, False)
    notebook = export_notebook(model, setup)
    namespace = run_until_training(notebook)
    np.testing.assert_array_equal(namespace["X_TEST"].numpy(), data.x_test)
    assert namespace["Y_TRAIN"].dtype == torch.int64 and namespace["Y_TRAIN"].tolist() == data.y_train.tolist()
    assert "shuffle=False)  # in the stored order" in notebook and "BATCH_SIZE = 7" in notebook
    assert "accuracy = None" in notebook  # no accuracy given: the loss alone


def test_the_digits_notebook_reads_the_labs_digits_at_half_size_and_offers_the_full_mnist_off_by_default():
    spec = {
        "input_shape": [1, 14, 14],
        "dtype": "float32",
        "layers": [
            {"type": "conv2d", "filters": 2, "kernel_size": 3},
            {"type": "flatten"},
            {"type": "dense", "units": 10},
        ],
    }
    model = build_model(spec)
    (train, train_labels), (test, test_labels) = (mnist_images(split) for split in ("train", "test"))
    digits = Digits(train[:20], train_labels[:20], test[:10], test_labels[:10], 14, "A sample.")
    notebook = export_notebook(
        model, TrainingSetup(digits, make_loss("softmax_cross_entropy"), make_optimizer("adam"), 8)
    )
    namespace = run_until_training(notebook)
    x, y = load_mnist("test", 14)
    np.testing.assert_allclose(namespace["X_TEST"].numpy(), x[:10], rtol=0, atol=1e-6)
    assert namespace["Y_TEST"].tolist() == y[:10].tolist() and namespace["FULL_MNIST"] is False
    assert "datasets.MNIST(" in notebook and "### The full MNIST (download)" in cells(notebook, "markdown")[3]


def test_a_loss_the_notebook_cannot_write_is_named():
    class Hinge:
        pass

    setup = TrainingSetup(points("mse"), Hinge(), make_optimizer("sgd", learning_rate=0.1), 4)
    with pytest.raises(ExportError, match="^the notebook cannot write the loss Hinge; it knows MSE"):
        export_notebook(mlp(1), setup)


def test_the_notebook_is_valid_nbformat_and_runs_in_jupyter(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    model, data = mlp(1, "tanh"), points("mse")
    setup = TrainingSetup(data, make_loss("mse"), make_optimizer("sgd", learning_rate=0.1), 4, accuracy=sign_accuracy)
    notebook = nbformat.reads(export_notebook(model, setup).replace("EPOCHS = 10", "EPOCHS = 2"), as_version=4)
    nbformat.validate(notebook)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # the kernel's: BLAS threads crawl on a busy machine
    # ipykernel's own python3 kernel, this very interpreter (no kernel folders: whatever the machine has installed)
    kernel = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    nbclient.NotebookClient(notebook, km=kernel, timeout=120).execute()
    printed = "".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", []))
    assert printed.startswith("before training: training loss ") and "epoch 2: test loss " in printed

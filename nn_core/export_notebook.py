"""Exports a Jupyter notebook that goes on training a model in PyTorch: the model as export_torch writes it, the data
it was trained on (embedded), the same loss, optimizer settings, batch size and accuracy, and a training loop.

The notebook's JSON (nbformat 4.5) is written here, so exporting needs no Jupyter package; running it needs torch
and numpy (and torchvision for the full MNIST, in a cell of its own that is off by default).
"""

import base64
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .export import array_source
from .export_torch import IMPORTS, ExportError, torch_definition
from .losses import MSE, BinaryCrossEntropy, Loss, SoftmaxCrossEntropy
from .optimizers import SGD, Adam, Optimizer, RMSprop
from .trainer import argmax_accuracy, sign_accuracy, threshold_accuracy

MNIST_SIZE = 28  # the digits' side as stored (the full data set's too); a model may read them at half size
# nn-playground's loss as PyTorch code, each the same number: a mean over the examples of the batch.
LOSS_SOURCES = {
    MSE: '''def loss_fn(outputs, targets):
    """nn-playground's mean squared error: half the squared differences summed per example, averaged over the batch
    (nn.MSELoss averages without the half: twice this for one output)."""
    return 0.5 * ((outputs - targets) ** 2).flatten(1).sum(dim=1).mean()''',
    SoftmaxCrossEntropy: "loss_fn = nn.CrossEntropyLoss()  # softmax cross-entropy of the logits, averaged",
    BinaryCrossEntropy: '''def loss_fn(outputs, targets):
    """nn-playground's binary cross-entropy of sigmoid(logits) with 0/1 targets: summed per example, averaged over
    the batch (for one output the same as nn.BCEWithLogitsLoss())."""
    return nn.functional.binary_cross_entropy_with_logits(outputs, targets, reduction="sum") / len(outputs)''',
}
# nn_core.trainer's accuracies as PyTorch code: the fraction of a batch's outputs that are right.
ACCURACY_SOURCES = {
    argmax_accuracy: "(outputs.argmax(dim=1) == targets.reshape(-1)).double().mean().item()  # the largest score",
    threshold_accuracy: "((outputs > 0) == (targets.reshape(outputs.shape) > 0.5)).double().mean().item()",
    sign_accuracy: "((outputs >= 0) == (targets >= 0)).double().mean().item()  # the sign of the -1/+1 label",
}
REGULARIZE = '''def regularize(weights_before):
    """{name} as nn-playground (and TensorFlow Playground) applies it to the weights, not the biases: after the
    update, from each weight as it was before the update."""
    with torch.no_grad():
        for weight, before in zip(WEIGHTS, weights_before):
            {update}'''
TRAIN_STEP = '''def train_step(x, y):
    """One update on a batch, as nn-playground's train_step: forward, loss, backward, step."""
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
{update}
    return loss.item()'''
REGULARIZED_UPDATE = """    weights_before = [weight.detach().clone() for weight in WEIGHTS]
    optimizer.step()
    regularize(weights_before)"""
REGULARIZATION_SOURCES = {
    "l2": "weight -= LEARNING_RATE * REGULARIZATION_RATE * before  # the gradient of rate * w² / 2",
    "l1": """updated = weight - LEARNING_RATE * REGULARIZATION_RATE * torch.sign(before)  # the gradient of rate * |w|
            updated[weight * updated < 0] = 0  # a weight the penalty pushes across zero stops at zero
            weight.copy_(updated)""",
}

DATA_LOADERS = "from torch.utils.data import DataLoader, TensorDataset"
EVALUATE = '''def evaluate(dataset):
    """(mean loss, accuracy or None) of the model on a dataset's examples, in eval mode, 1000 at a time."""
    model.eval()
    total_loss = total_accuracy = 0.0
    with torch.no_grad():
        for x, y in DataLoader(dataset, batch_size=1000):
            outputs = model(x)
            total_loss += loss_fn(outputs, y).item() * len(x)
            total_accuracy += accuracy(outputs, y) * len(x) if accuracy else 0.0
    return total_loss / len(dataset), total_accuracy / len(dataset) if accuracy else None


def report(when):
    for split, dataset in (("training", train_set), ("test", test_set)):
        loss, right = evaluate(dataset)
        print(f"{when}: {split} loss {loss:.6f}" + (f", accuracy {right:.1%}" if accuracy else ""))

'''
TRAINING_LOOP = """
for epoch in range(1, EPOCHS + 1):
    model.train()  # dropout on, batch norm on each batch's statistics
    for x, y in train_loader:
        train_step(x, y)
    report(f"epoch {epoch}")"""


@dataclass(frozen=True)
class Points:
    """Examples as the model and loss take them: inputs x (n, *input_shape), targets y; embedded exactly. `about`
    says in Markdown where they come from and what the columns are."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    about: str


@dataclass(frozen=True)
class Digits:
    """A sample of MNIST digits: images uint8 (n, 28, 28) and labels (n,) of each split, embedded compressed, and
    the side the model reads (28, or 14: the mean of each 2x2 block); the full data set comes from torchvision."""

    images_train: np.ndarray
    labels_train: np.ndarray
    images_test: np.ndarray
    labels_test: np.ndarray
    size: int
    about: str


@dataclass(frozen=True)
class TrainingSetup:
    """How a page trained the model: its data, nn_core loss and optimizer (with their settings), batch size, order,
    accuracy (one of nn_core.trainer's, or None) and how many epochs the notebook trains at first."""

    data: Points | Digits
    loss: Loss
    optimizer: Optimizer
    batch_size: int
    shuffle: bool = True
    accuracy: Callable | None = None
    epochs: int = 10

    @classmethod
    def of(cls, trainer, data: Points | Digits, epochs: int = 10) -> "TrainingSetup":
        """The setup of an nn_core Trainer, with `data` (the Trainer's own, or a sample of it)."""
        return cls(data, trainer.loss, trainer.optimizer, trainer.batch_size, trainer.shuffle, trainer.accuracy, epochs)


def export_notebook(model, setup: TrainingSetup) -> str:
    """The notebook's JSON text; ExportError names what it cannot write (a layer, a loss, an optimizer)."""
    digits = isinstance(setup.data, Digits)
    cells = [
        markdown(
            "# Training an nn-playground model in PyTorch",
            "The network you trained in nn-playground, as PyTorch modules with its weights, and the data it trained "
            "on: run the cells in order to go on training it with the same loss and optimizer. It needs `torch` and "
            "`numpy`.",
        ),
        code(IMPORTS.replace("import base64\n", "import base64\nimport zlib\n") if digits else IMPORTS, DATA_LOADERS),
        markdown(
            "## The model",
            "The same code as `nn-playground export MODEL.npz --to pytorch` writes: `model` gives what "
            "nn-playground's predict gives.",
        ),
        code(torch_definition(model)),
        markdown("## The data", setup.data.about),
        *data_cells(model, setup.data),
        markdown(
            "## Loss, optimizer and accuracy",
            "As nn-playground trained the model: the same loss, optimizer settings and batch size.",
        ),
        code(training_source(setup)),
        code(EVALUATE, 'report("before training")  # the numbers nn-playground showed for these weights'),
        markdown("## Training", "Each epoch passes over the training examples once, one `train_step` per batch."),
        code(f"EPOCHS = {setup.epochs}", TRAINING_LOOP),
        markdown(
            "## Keeping the weights",
            '`torch.save(model.state_dict(), "model.pt")` saves them; `model.load_state_dict(torch.load("model.pt"))` '
            "loads them back into this `model`.",
        ),
    ]
    return notebook_json(cells)


def data_cells(model, data: Points | Digits) -> list[dict]:
    """The cells that define X_TRAIN, Y_TRAIN, X_TEST, Y_TEST and the datasets train_set and test_set."""
    if isinstance(data, Points):
        arrays = [
            f"{name} = {array_source(_as_model_type(model, array), 'tensor')}"
            for name, array in (
                ("X_TRAIN", data.x_train),
                ("Y_TRAIN", data.y_train),
                ("X_TEST", data.x_test),
                ("Y_TEST", data.y_test),
            )
        ]
        comment = (
            "# The examples, exactly as nn-playground trained on them: inputs X, targets Y as the loss takes them."
        )
        return [
            code(
                comment, *arrays, "train_set, test_set = TensorDataset(X_TRAIN, Y_TRAIN), TensorDataset(X_TEST, Y_TEST)"
            )
        ]
    half = data.size == MNIST_SIZE // 2
    to_inputs = "nn.functional.avg_pool2d(x, 2)  # the mean of each 2x2 block: 14x14 digits" if half else "x"
    sample = code(
        f"SIZE = {data.size}  # the model reads {data.size}x{data.size} digits",
        "",
        "",
        f'''def digits(data, count):
    """Digits stored here (uint8 pixels, zlib-compressed, base64) as the model's inputs (count, 1, SIZE, SIZE)."""
    pixels = np.frombuffer(zlib.decompress(base64.b64decode(data)), np.uint8).reshape(count, 1, 28, 28)
    x = torch.from_numpy(pixels.astype(np.float32) / 255)
    return {to_inputs}.to(DTYPE)
''',
        "# A sample of nn-playground's digits, so that this notebook runs without downloading anything.",
        f"X_TRAIN = digits({_compressed(data.images_train)}, {len(data.images_train)})",
        f"Y_TRAIN = {array_source(data.labels_train.astype(np.uint8), 'tensor')}.long()",
        f"X_TEST = digits({_compressed(data.images_test)}, {len(data.images_test)})",
        f"Y_TEST = {array_source(data.labels_test.astype(np.uint8), 'tensor')}.long()",
    )
    transform = "transforms.ToTensor()" + (
        ", transforms.Lambda(lambda x: nn.functional.avg_pool2d(x, 2))" if half else ""
    )
    full = code(
        "# ---- The full MNIST: 60,000 training and 10,000 test digits, downloaded by torchvision --------------------",
        "# (`pip install torchvision`; about 12 MB into ./data). Set FULL_MNIST = True to train and test on it.",
        "FULL_MNIST = False",
        "if FULL_MNIST:",
        "    from torchvision import datasets, transforms",
        "",
        f"    to_inputs = transforms.Compose([{transform}])  # pixels / 255, as nn-playground's",
        '    train_set = datasets.MNIST("data", train=True, download=True, transform=to_inputs)',
        '    test_set = datasets.MNIST("data", train=False, download=True, transform=to_inputs)',
        "else:",
        "    train_set, test_set = TensorDataset(X_TRAIN, Y_TRAIN), TensorDataset(X_TEST, Y_TEST)",
    )
    return [
        sample,
        markdown(
            "### The full MNIST (download)",
            "**This cell downloads the full data set with torchvision when you switch it on**; as it stands it "
            "trains on the sample above.",
        ),
        full,
    ]


def training_source(setup: TrainingSetup) -> str:
    """The cell defining the loader, loss_fn, optimizer, accuracy and train_step (with regularization, if any)."""
    loss = LOSS_SOURCES.get(type(setup.loss))
    if loss is None:
        raise ExportError(
            f"the notebook cannot write the loss {type(setup.loss).__name__}; it knows MSE and the two cross-entropies"
        )
    optimizer, accuracy = setup.optimizer, ACCURACY_SOURCES.get(setup.accuracy)
    order = "True)" if setup.shuffle else "False)  # in the stored order, as the page trains"
    blocks = [
        f"BATCH_SIZE = {setup.batch_size}\nLEARNING_RATE = {optimizer.learning_rate!r}\n"
        f"train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle={order}",
        loss,
        optimizer_source(optimizer),
        "accuracy = None  # none for a regression: the loss says how far off the outputs are"
        if accuracy is None
        else f'def accuracy(outputs, targets):\n    """The share of outputs that are right."""\n    return {accuracy}',
    ]
    update = "    optimizer.step()"
    if optimizer.regularization and optimizer.regularization_rate:
        name = optimizer.regularization
        blocks += [
            f"REGULARIZATION_RATE = {optimizer.regularization_rate!r}\n"
            "WEIGHTS = [module.weight for module in model if isinstance(module, (nn.Linear, nn.Conv2d))]",
            REGULARIZE.format(name=name.upper(), update=REGULARIZATION_SOURCES[name]),
        ]
        update = REGULARIZED_UPDATE
    return "\n\n\n".join([*blocks, TRAIN_STEP.format(update=update)])


def optimizer_source(optimizer: Optimizer) -> str:
    """The torch.optim optimizer with the engine optimizer's settings."""
    start = "optimizer = torch.optim"
    if type(optimizer) is SGD:
        momentum = f", momentum={optimizer.momentum!r}, nesterov={optimizer.nesterov!r}" if optimizer.momentum else ""
        return f"{start}.SGD(model.parameters(), lr=LEARNING_RATE{momentum})"
    if type(optimizer) is Adam:
        betas = f"({optimizer.beta1!r}, {optimizer.beta2!r})"
        return f"{start}.Adam(model.parameters(), lr=LEARNING_RATE, betas={betas}, eps={optimizer.eps!r})"
    if type(optimizer) is RMSprop:
        return (
            f"{start}.RMSprop(model.parameters(), lr=LEARNING_RATE, alpha={optimizer.rho!r}, eps={optimizer.eps!r})"
            "  # nn-playground's rho is torch's alpha"
        )
    raise ExportError(
        f"the notebook cannot write the optimizer {type(optimizer).__name__}; it knows SGD, Adam and RMSprop"
    )


def _as_model_type(model, array):
    """Float arrays in the model's dtype (inputs, regression and -1/+1 targets); class labels stay integers."""
    array = np.asarray(array)
    return array.astype(model.dtype) if array.dtype.kind == "f" else array.astype(np.int64)


def _compressed(images):
    """uint8 images' bytes, zlib-compressed, in base64, as a string literal."""
    data = np.ascontiguousarray(images, dtype=np.uint8).tobytes()
    return repr(base64.b64encode(zlib.compress(data, 9)).decode("ascii"))


def markdown(*paragraphs: str) -> dict:
    return _cell("markdown", "\n\n".join(paragraphs))


def code(*parts: str) -> dict:
    return _cell("code", "\n".join(parts))


def _cell(kind: str, text: str) -> dict:
    lines = text.splitlines(keepends=True)
    cell = {"cell_type": kind, "metadata": {}, "source": lines}
    return cell | ({"execution_count": None, "outputs": []} if kind == "code" else {})


def notebook_json(cells: list[dict]) -> str:
    """An nbformat 4.5 notebook of `cells` (each given an id) for the python3 kernel, as JSON text."""
    notebook = {
        "cells": [{"id": f"cell-{number}", **cell} for number, cell in enumerate(cells)],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"

"""The MNIST lab's views as matplotlib figures: curves, weight histograms, activation maps of the selected digit,
learned filters, the confusion matrix and what the network looks at (saliency and occlusion).

Every picture comes from the lab's models, as the live views: MnistSession (history, test predictions, weight
record), `representations.trace`, `filters.weight_images`, `confusion.confusion_matrix`, `attribution`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from playground.core.confusion import confusion_matrix
from playground.core.palette import CLASS_COLORS, POSITIVE
from playground.figures.sandbox import diverging_colormap, draw_weight_histograms
from playground.figures.save import FigureError, colormap, render
from playground.mnist.architecture import N_CLASSES, layer_titles
from playground.mnist.attribution import class_scores, occlusion, saliency
from playground.mnist.evaluation import probabilities
from playground.mnist.filters import weight_images
from playground.mnist.mosaic import as_tiles, mosaic
from playground.mnist.representations import trace

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from playground.mnist.selection import Selection
    from playground.mnist.session import MnistSession

GREY = "#999999"
BLUES = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]  # as the live confusion matrix's Blues


def caption(session: MnistSession) -> str:
    """ "small-cnn · epoch 2 · step 500 · test accuracy 96.1%" for titles."""
    view = session.view
    accuracy = "–" if view.test_accuracy is None else f"{100 * view.test_accuracy:.1f}%"
    return f"{session.state.preset} · epoch {view.epoch} · step {view.step} · test accuracy {accuracy}"


def _show(ax, array, signed):
    """A map in the live views' scales: orange-blue around zero when signed, viridis otherwise; no axes."""
    if signed:
        top = max(float(np.nanmax(np.abs(array))), 1e-6)
        shown = ax.imshow(array, cmap=diverging_colormap(), vmin=-top, vmax=top)
    else:
        shown = ax.imshow(array, cmap="viridis")
    _bare(ax)
    return shown


def _bare(ax):
    """No ticks and no frame: a picture, not a plot."""
    ax.set_xticks([]), ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def draw_curves(figure: Figure, session: MnistSession, image: np.ndarray | None = None, description: str = "") -> None:
    """Loss and accuracy over training steps, train and test, in the live curves' colours."""
    history = session.view.history
    loss, accuracy = figure.subplots(1, 2)
    for ax, (train, test, label) in zip(
        (loss, accuracy), (("train", "test", "loss"), ("train_accuracy", "test_accuracy", "accuracy")), strict=True
    ):
        for key, color, style, name in ((train, CLASS_COLORS[0], "--", "train"), (test, CLASS_COLORS[1], "-", "test")):
            marker = "o" if len(history["step"]) < 3 else None
            ax.plot(history["step"], history[key], style, color=color, label=name, marker=marker)
        ax.set(xlabel="training step", ylabel=label)
        ax.legend(frameon=False)
    figure.suptitle(caption(session))


def draw_histograms(
    figure: Figure, session: MnistSession, image: np.ndarray | None = None, description: str = ""
) -> None:
    """Each weight matrix's distribution at the last recorded epoch, this run over the previous one."""
    draw_weight_histograms(figure, [session.weights, session.previous_weights], caption(session))


def draw_activations(figure: Figure, session: MnistSession, image: np.ndarray, description: str = "") -> None:
    """Every layer's output for the digit, a row of channel maps per layer (units as a strip of cells)."""
    outputs = trace(session.model, image)
    layers, titles = session.state.layers, layer_titles(session.state.layers)
    rows = [(titles[k], output) for k, output in enumerate(outputs) if layers[k]["type"] != "flatten"]  # flatten:
    # the values of the layer before
    axes = figure.subplots(len(rows) + 1, 1, height_ratios=[1.2] + [1] * len(rows), squeeze=False)[:, 0]
    axes[0].imshow(image[0], cmap="Greys", vmin=0, vmax=1)
    _bare(axes[0])
    axes[0].set_title(description or "the digit")
    for ax, (title, output) in zip(axes[1:], rows, strict=True):
        tiles = as_tiles(output.astype(np.float64))
        columns = 32 if tiles.shape[-1] == 1 else min(len(tiles), 16)
        _show(ax, mosaic(tiles, columns)[0], bool((tiles < 0).any()))
        ax.set_ylabel(title, rotation=0, ha="right", va="center")
    figure.suptitle(caption(session))


def draw_filters(figure: Figure, session: MnistSession, image: np.ndarray | None = None, description: str = "") -> None:
    """The convolution kernels (a tile per filter and input channel) or an MLP's first weights as images."""
    images = weight_images(session.model, layer_titles(session.state.layers))
    if not images:
        raise FigureError("this network has no convolution and no dense layer reading the pixels: no filters to show")
    pictures = {}
    for title, (tiles, columns) in images.items():
        if columns > 2 * -(-len(tiles) // columns):  # a long strip on a page: a square block instead
            columns = int(np.ceil(np.sqrt(len(tiles))))
        pictures[title] = mosaic(tiles.astype(np.float64), min(columns, len(tiles)))[0]
    ratios = [picture.shape[1] / picture.shape[0] for picture in pictures.values()]
    axes = figure.subplots(1, len(pictures), width_ratios=ratios, squeeze=False)[0]
    for ax, (title, picture) in zip(axes, pictures.items(), strict=True):
        shown = _show(ax, picture, True)
        ax.set_title(title.replace(": ", ":\n"))
        figure.colorbar(shown, ax=ax, shrink=0.6, label="weight", location="bottom")
    figure.suptitle(caption(session) + "\norange negative, blue positive weights")


def draw_confusion(
    figure: Figure, session: MnistSession, image: np.ndarray | None = None, description: str = ""
) -> None:
    """Counts of every (true digit, predicted digit) over all test digits, shaded on a log scale as live."""
    _, predicted = session.test_predictions()
    counts = confusion_matrix(session.y_test, predicted, N_CLASSES)
    ax = figure.add_subplot()
    shade = np.log1p(counts) / np.log1p(max(counts.max(), 1))
    ax.imshow(shade, cmap=colormap("blues", BLUES[:4]), vmin=0, vmax=1)
    for (true, guess), count in np.ndenumerate(counts):
        if count:
            ink = "white" if shade[true, guess] > 0.6 else "black"
            ax.text(guess, true, str(count), ha="center", va="center", color=ink, fontsize=7)
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit")
    correct = np.trace(counts) / max(counts.sum(), 1)
    ax.set_title(f"{caption(session)}\n{counts.sum():,} test digits, {100 * correct:.1f}% on the diagonal")


def draw_saliency(figure: Figure, session: MnistSession, image: np.ndarray, description: str = "") -> None:
    """The digit, the predicted probabilities, and for the predicted class the saliency (gradient of its score)
    and occlusion (score lost under a 4x4 patch) maps: blue raises the score, orange lowers it."""
    model = session.model
    chances, predicted = probabilities(class_scores(model, image[np.newaxis]))
    chances, predicted = chances[0], int(predicted[0])
    digit, bars, gradient, covered = figure.subplots(1, 4, width_ratios=[1, 1.3, 1, 1])
    digit.imshow(image[0], cmap="Greys", vmin=0, vmax=1)
    _bare(digit)
    digit.set_title(description or "the digit")
    bars.bar(range(10), chances, color=[POSITIVE if k == predicted else GREY for k in range(10)])
    bars.set(xticks=range(10), ylim=(0, 1), xlabel="digit", title=f"says {predicted} ({100 * chances[predicted]:.0f}%)")
    _show(gradient, saliency(model, image, predicted), True)
    gradient.set_title("saliency")
    _show(covered, occlusion(model, image, predicted), True)
    covered.set_title("occlusion")
    figure.suptitle(caption(session) + "\nblue pixels raise the score of the predicted digit, orange lower it")


VIEWS = {
    "curves": draw_curves,
    "histograms": draw_histograms,
    "activations": draw_activations,
    "filters": draw_filters,
    "confusion": draw_confusion,
    "saliency": draw_saliency,
}
TITLES = {
    "curves": "Loss and accuracy curves",
    "histograms": "Weight histograms",
    "activations": "Activations of the selected digit",
    "filters": "Learned filters",
    "confusion": "Confusion matrix",
    "saliency": "What the network looks at",
}
SIZES = {
    "curves": (1100, 450),
    "histograms": (1100, 450),
    "activations": (1000, 900),
    "filters": (1000, 700),
    "confusion": (750, 750),
    "saliency": (1200, 380),
}


def mnist_figure(
    view: str,
    session: MnistSession,
    selection: Selection | None = None,
    fmt: str = "png",
    size: tuple[int, int] | None = None,
    dpi: int | None = None,
) -> bytes:
    """The bytes of the MNIST lab's `view` (a VIEWS name) for an MnistSession and its Selection (the digit the
    activation and saliency figures show; default the first test digit)."""
    if session.model is None:
        raise FigureError(f"no figure of a network that cannot be built: {session.view.message}")
    image = session.x_test[0] if selection is None else selection.image
    description = f"test digit #0 (a {session.y_test[0]})" if selection is None else selection.describe()
    settings = {"size": size or SIZES[view]} | ({} if dpi is None else {"dpi": dpi})
    draw = partial(VIEWS[view], session=session, image=image, description=description)
    return render(draw, fmt, **settings)

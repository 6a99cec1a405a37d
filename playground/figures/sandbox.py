"""The 2-D playground's views as matplotlib figures: the network diagram with its weights and per-neuron maps,
the decision boundary with the data, the loss curves and the weight histograms.

Every picture comes from the models the live views draw from: `heatmaps.Maps` (one forward pass over the grid),
`diagram` (positions, edges and their looks), `output` (points, curves), `palette` (the same colours).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from nn_core.datasets import FEATURES
from playground.core.palette import CLASS_COLORS, NEGATIVE, POSITIVE, diverging_rgba
from playground.core.status import Status, number
from playground.core.weight_history import WeightHistory
from playground.figures.save import FigureError, colormap, render, rgba_array
from playground.sandbox import diagram
from playground.sandbox.heatmaps import OUTPUT_FADE, VIEW, Maps
from playground.sandbox.output import loss_curves, points

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure

    from nn_core.datasets import Dataset
    from playground.sandbox.session import Session
    from playground.sandbox.state import PlaygroundState

EDGE_POINTS = 0.45  # line width in points per pixel of the live diagram's edge width
CURVE_COLORS = {"test": "#222222", "train": "#9a9a9a"}  # as the live loss plot; also told apart by dashes


def diverging_colormap(fade: float = 0.0) -> LinearSegmentedColormap:
    """The playground's orange-grey-blue scale for values from -1 to 1, faded as the decision map is."""
    pixels = diverging_rgba(np.linspace(-1, 1, 256), fade=fade)
    return colormap("playground", [f"#{p & 255:02x}{p >> 8 & 255:02x}{p >> 16 & 255:02x}" for p in pixels])


def caption(session: Session) -> str:
    """ "circle, noise 0 · epoch 120" over "test loss 0.012 · test accuracy 100.0%", for titles."""
    view, state = session.view, session.state
    text = f"{state.dataset}, noise {state.noise} · epoch {view.epoch}\ntest loss {number(view.test_loss)}"
    return text + ("" if view.test_accuracy is None else f" · test accuracy {100 * view.test_accuracy:.1f}%")


def draw_boundary(figure: Figure, session: Session, maps: Maps) -> None:
    """The decision map as the live output draws it (faded diverging colours, or class colours) under the points."""
    state, ax = session.state, figure.add_subplot()
    ax.imshow(rgba_array(maps.output_image(state)), origin="lower", extent=(*VIEW, *VIEW))
    draw_points(ax, session.data, state, caption(session))


def draw_points(ax: Axes, data: Dataset, state: PlaygroundState, title: str) -> None:
    """The data's points as the live output draws them (training points with a white edge, test points, shown
    with show_test_data, with a black edge), on the [-6, 6]^2 view with a legend of the labels' colours."""
    shown = points(data, state)
    split = np.array(shown["split"])
    for part, edge in (("train", "#ffffff"), ("test", "#111111")):
        keep = split == part
        if keep.any():
            x1, x2, color = (np.array(shown[key])[keep] for key in ("x1", "x2", "color"))
            ax.scatter(x1, x2, s=16, c=color, edgecolors=edge, linewidths=0.6)
    ax.set(xlim=VIEW, ylim=VIEW, xlabel="x₁", ylabel="x₂", aspect="equal", title=title)
    _class_legend(ax, state, data.n_classes)


def _class_legend(ax, state, n_classes):
    """Which colour is which label: -1/+1, the classes, or a colour bar for regression."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    if n_classes == 0:
        mappable = ScalarMappable(Normalize(-1, 1), diverging_colormap(OUTPUT_FADE))
        ax.figure.colorbar(mappable, ax=ax, shrink=0.8, label="value: label or prediction")
        return
    if n_classes == 2:
        labels = {"+1": POSITIVE, "−1": NEGATIVE}
    else:
        labels = {f"class {k}": CLASS_COLORS[k] for k in range(n_classes)}
    handles = [Line2D([], [], ls="", marker="o", mfc=c, mec="#ffffff", label=text) for text, c in labels.items()]
    if state.show_test_data:
        handles.append(Line2D([], [], ls="", marker="o", mfc="#ffffff", mec="#111111", label="test point"))
    ax.figure.legend(handles=handles, loc="outside right upper", frameon=False)


def draw_network(figure: Figure, session: Session, maps: Maps) -> None:
    """The diagram: a column per layer, each node its map over the view, each weight an edge as wide as it is
    large and coloured by its sign (blue positive, orange negative), as in the live network view."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Rectangle

    state, ax = session.state, figure.add_subplot()
    edges = diagram.edges(state, session.view.params)
    segments = np.stack([np.column_stack([edges["x0"], edges["y0"]]), np.column_stack([edges["x1"], edges["y1"]])], 1)
    lines = LineCollection(segments, linewidths=edges["width"] * EDGE_POINTS, colors=edges["color"], alpha=0.8)
    ax.add_collection(lines)
    positions, half = diagram.node_positions(state), diagram.NODE_SIZE / 2
    columns = diagram.layer_node_ids(state)
    ids = [node for column in columns for node in column]
    for node, picture in zip(ids, maps.node_pictures(ids), strict=True):
        x, y = positions[node]
        ax.imshow(rgba_array(picture), origin="lower", extent=(x - half, x + half, y - half, y + half), zorder=2)
        ax.add_patch(Rectangle((x - half, y - half), 2 * half, 2 * half, fill=False, lw=0.6, ec="#555555", zorder=3))
    for name in state.input_names:
        x, y = positions[f"in:{name}"]
        ax.text(x - half - 0.15, y, FEATURES[name].label, ha="right", va="center")
    for column, ids in enumerate(columns):
        x, top = column * diagram.LAYER_GAP, max(positions[node][1] for node in ids) + half + 0.2
        ax.text(x, top, _column_title(state, column, len(columns), len(ids)), ha="center", va="bottom")
    everything = np.array(list(positions.values()))
    ax.set(xlim=(everything[:, 0].min() - 2.2, everything[:, 0].max() + 0.8), aspect="equal")
    ax.set_ylim(everything[:, 1].min() - 0.8, everything[:, 1].max() + 1.6)
    ax.axis("off")
    ax.set_title(caption(session))
    figure.supxlabel("edges: blue positive, orange negative weights; width ∝ |weight|", fontsize=8)


def _column_title(state, column, n_columns, n_nodes):
    if column == 0:
        return "inputs"
    if column == n_columns - 1:
        return "output"
    return f"layer {column}\n{n_nodes} {state.layer_activation(column - 1)}"


def draw_curves(figure: Figure, session: Session, maps: Maps | None = None) -> None:
    """The loss curves over epochs, test and train, as the live loss plot (log scale when they span
    more than a factor of 100)."""
    ax, curves = figure.add_subplot(), loss_curves(session.view)
    for key, style in (("test", "-"), ("train", "--")):
        marker = "o" if len(curves["epoch"]) < 3 else None  # a single point shows as a dot
        ax.plot(curves["epoch"], curves[key], style, color=CURVE_COLORS[key], label=f"{key} loss", marker=marker)
    values = [v for v in curves["test"] + curves["train"] if v is not None and v > 0]
    if values and max(values) / min(values) > 100:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="loss", title=caption(session))
    ax.legend(frameon=False)


def weight_history(session: Session) -> WeightHistory:
    """The session's weights now, as a one-epoch WeightHistory (the MNIST lab's record of distributions)."""
    history = WeightHistory(f"epoch {session.view.epoch}", session.weights.layer_titles)
    history.record(session.view.epoch, session.view.params)
    return history


def draw_weight_histograms(figure: Figure, runs: Sequence[WeightHistory | None], title: str) -> None:
    """A histogram per weight matrix of the last recorded epoch of `runs` (WeightHistory, or None), the first
    in blue and the second (a previous run) in orange over it, each with its mean and standard deviation."""
    first = runs[0]
    names = list(first.edges)
    columns = min(len(names), 4)
    axes = figure.subplots(-(-len(names) // columns), columns, squeeze=False).ravel()
    for ax, name in zip(axes, names, strict=False):
        lines = [first.title(name)]
        for run, color in zip(runs, (CLASS_COLORS[1], CLASS_COLORS[0]), strict=False):
            recorded = None if run is None else run.at(name, run.epochs[-1])
            if recorded is not None:
                mean, std, counts = recorded
                ax.stairs(counts, run.edges[name], fill=True, color=color, alpha=0.75, label=run.label)
                lines.append(f"{run.label}: mean {mean:+.2f}, std {std:.2f}")
        ax.set_title("\n".join(lines))
        ax.set_xlabel("weight value")
        ax.yaxis.get_major_locator().set_params(integer=True)
    if sum(run is not None for run in runs) > 1:
        figure.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, frameon=False)
    for ax in axes[::columns]:
        ax.set_ylabel("count")
    for ax in axes[len(names) :]:
        ax.axis("off")
    figure.suptitle(title)


def draw_histograms(figure: Figure, session: Session, maps: Maps | None = None) -> None:
    """Each layer's weights now ("Layer 1 weights", from the inputs to layer 1, and so on)."""
    draw_weight_histograms(figure, [weight_history(session)], caption(session))


VIEWS = {"network": draw_network, "boundary": draw_boundary, "curves": draw_curves, "histograms": draw_histograms}
TITLES = {
    "boundary": "Decision boundary and data",
    "network": "Network with weights",
    "curves": "Loss curves",
    "histograms": "Weight histograms",
}
SIZES = {"network": (1000, 650), "boundary": (900, 750), "curves": (900, 500), "histograms": (1100, 420)}


def sandbox_figure(
    view: str, session: Session, fmt: str = "png", size: tuple[int, int] | None = None, dpi: int | None = None
) -> bytes:
    """The bytes of the sandbox's `view` (a VIEWS name) for a Session, its maps computed afresh (heatmaps.Maps)."""
    if session.view.status == Status.ERROR:
        raise FigureError(f"no figure of a network that cannot be built: {session.view.message}")
    maps = Maps.compute(session.model, session.state)
    settings = {"size": size or SIZES[view]} | ({} if dpi is None else {"dpi": dpi})
    return render(partial(VIEWS[view], session=session, maps=maps), fmt, **settings)

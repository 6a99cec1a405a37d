"""The loss landscape: the training loss on a 2-D slice through the network's weights (Li et al. 2018, "Visualizing the
Loss Landscape of Neural Nets"), and the path training took, drawn on it.

Every parameter of the network, flattened in `named_params` order, is one point w in weight space. A slice is the
plane w + a·d1 + b·d2 through it, spanned by two directions:
- `random_directions`: Gaussian, then filter-normalised: each neuron's incoming weights (a dense layer's column, a
  convolution's filter) scaled to the norm of that neuron's own weights, so a step of 1 along a direction is a change
  as large as the weights themselves, whatever each layer's scale; biases and normalisation parameters get 0 (as in
  the paper), so the slice keeps them.
- `trajectory_directions`: the two principal directions of where training went (the recorded weights minus the
  current ones), with their share of the path's variance: the plane that shows most of the path.

`Slice` evaluates the loss on a grid of (a, b) row by row (`compute_rows`), so a page can spread a large network's
grid over several redraws. Panel-free; nn_core and numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nn_core.layers import activations
from nn_core.layers.dense import Dense
from nn_core.model import Sequential
from nn_core.trainer import evaluation_mode
from playground.core.weight_history import every_other

GRID_POINTS = 21  # a page's slice is GRID_POINTS x GRID_POINTS
ROW_SECONDS = 0.03  # per redraw while training, at most about this long spent on the next slice's rows
MAX_PATH = 400  # recorded weight vectors a path keeps
NORMALISED_KINDS = ("W",)  # parameters that get a direction; the others (biases, BatchNorm's) keep their values
# Layers whose forward also takes a stack of G networks at once, by numpy's broadcasting: the engine's dense layer
# (weights (G, in, out), biases (G, 1, out): inputs (N, in) -> (G, N, out)) and its element-wise activations. These
# classes exactly: a student's own layer code (a subclass) is evaluated one network at a time.
STACKABLE = (Dense, activations.ReLU, activations.LeakyReLU, activations.Tanh, activations.Sigmoid, activations.Linear,
             activations.ELU, activations.Swish, activations.Softplus)  # fmt: skip


def flat_params(model: Sequential) -> np.ndarray:
    """Every parameter of `model` in one float64 vector, in named_params order."""
    return np.concatenate([param.ravel() for _, param, _ in model.named_params()]).astype(np.float64)


def set_flat_params(model: Sequential, vector: np.ndarray) -> None:
    """Writes `vector` (as flat_params gives it) into `model`'s parameters."""
    for _, param, values in _pieces(vector, {name: param for name, param, _ in model.named_params()}):
        param[...] = values.reshape(param.shape)


def _pieces(vectors: np.ndarray, params: dict[str, np.ndarray]):
    """(name, param, its part of `vectors` along the last axis) for each of `params` in order: how a flat weight
    vector (or a stack of them) splits into the parameters."""
    start = 0
    for name, param in params.items():
        yield name, param, vectors[..., start : start + param.size]
        start += param.size


def random_directions(model: Sequential, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two filter-normalised Gaussian directions for `model` (see the module's docstring), drawn from `rng`."""
    return _filter_normalised(model, rng), _filter_normalised(model, rng)


def _filter_normalised(model: Sequential, rng: np.random.Generator) -> np.ndarray:
    parts = []
    for name, param, _ in model.named_params():
        if name.rpartition(".")[2] not in NORMALISED_KINDS:
            parts.append(np.zeros(param.size))
            continue
        direction = rng.standard_normal(param.shape)
        # A neuron's incoming weights: a dense layer's column (in, out), a convolution's filter (out, in, kh, kw).
        axis = tuple(range(param.ndim - 1)) if param.ndim == 2 else tuple(range(1, param.ndim))
        scale = _norms(param, axis) / (_norms(direction, axis) + 1e-12)
        parts.append((direction * scale).ravel())
    return np.concatenate(parts)


def _norms(array: np.ndarray, axis: tuple[int, ...]) -> np.ndarray:
    return np.sqrt(np.sum(np.square(array, dtype=np.float64), axis=axis, keepdims=True))


def trajectory_directions(path: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(d1, d2, shares): the two principal directions of `path` (recorded weight vectors, one per row) around
    `centre`, unit vectors, and the share of the path's variance each explains. Fewer than 3 recorded points (or a
    path that never left one line) leave a direction of zeros with share 0."""
    offsets = path - centre
    _, singular, vt = np.linalg.svd(offsets, full_matrices=False)
    variance = singular**2
    total = variance.sum()
    directions, shares = np.zeros((2, len(centre))), np.zeros(2)
    for k in range(min(2, len(singular))):
        if total > 0 and variance[k] > 1e-12 * total:
            directions[k], shares[k] = vt[k], variance[k] / total
    return directions[0], directions[1], shares


def coordinates(points: np.ndarray, centre: np.ndarray, d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """(n, 2): where each weight vector of `points` lies in the slice's (a, b), by least squares (the directions
    need not be orthogonal; the part of a point off the plane is dropped)."""
    basis = np.stack([d1, d2], axis=1)
    solution, *_ = np.linalg.lstsq(basis, (np.atleast_2d(points) - centre).T, rcond=None)
    return solution.T


class WeightPath:
    """Where training took the weights: one weight vector per recorded epoch, at most MAX_PATH (past it every other
    one is dropped, the first and the latest staying)."""

    def __init__(self) -> None:
        self.epochs: list[int] = []
        self.vectors: list[np.ndarray] = []

    def record(self, epoch: int, vector: np.ndarray) -> None:
        if self.epochs and self.epochs[-1] == epoch:
            return
        self.epochs.append(epoch)
        self.vectors.append(vector)
        if len(self.epochs) > MAX_PATH:
            keep = every_other(len(self.epochs))
            self.epochs = [self.epochs[k] for k in keep]
            self.vectors = [self.vectors[k] for k in keep]

    def forget_after(self, epoch: int) -> None:
        """Drops the records of epochs after `epoch` (training went back to it: a Restore)."""
        kept = sum(recorded <= epoch for recorded in self.epochs)
        self.epochs, self.vectors = self.epochs[:kept], self.vectors[:kept]

    def to(self, now: np.ndarray) -> np.ndarray:
        """(n, P): the recorded vectors, then `now` (the weights as they are) when it differs from the last."""
        last = self.vectors[-1] if self.vectors else None
        vectors = self.vectors if last is not None and np.array_equal(last, now) else [*self.vectors, now]
        return np.array(vectors)


@dataclass
class Slice:
    """The loss over the grid `alphas` x `betas` of the plane `centre` + a·d1 + b·d2, on the data x, y, filled in
    row by row: `losses[j, i]` is the loss at (alphas[i], betas[j]), NaN until computed."""

    centre: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray = field(init=False)
    rows_done: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.losses = np.full((len(self.betas), len(self.alphas)), np.nan)

    @property
    def done(self) -> bool:
        return self.rows_done == len(self.betas)

    def weights_at(self, a: float, b: float) -> np.ndarray:
        """The weight vector at (a, b) of the slice."""
        return self.centre + a * self.d1 + b * self.d2

    def compute_rows(self, model: Sequential, loss, x: np.ndarray, y: np.ndarray, n_rows: int = 1) -> None:
        """Fills the next `n_rows` rows of `losses` with `model`'s loss at each grid point, a row's points in one
        forward pass of the stack when every layer is STACKABLE (else one by one); the network's own parameter arrays
        are put back afterwards (dropout off, BatchNorm on its running statistics meanwhile). A point where the
        network blows up has loss inf."""
        stacked = all(type(layer) in STACKABLE for layer in model.layers)
        originals = {name: param for name, param, _ in model.named_params()}
        try:
            with evaluation_mode(model), np.errstate(all="ignore"):
                for row in range(self.rows_done, min(self.rows_done + n_rows, len(self.betas))):
                    vectors = self.centre + np.outer(self.alphas, self.d1) + self.betas[row] * self.d2
                    values = np.array(_stacked_losses(model, loss, x, y, vectors, originals) if stacked else [
                        _loss_at(model, loss, x, y, vector, originals) for vector in vectors], dtype=float)  # fmt: skip
                    self.losses[row] = np.where(np.isfinite(values), values, np.inf)
                    self.rows_done = row + 1
        finally:
            for name, original in originals.items():  # the network's own arrays back, untouched
                position, _, key = name.partition(".")
                model.layers[int(position)].params[key] = original


def _loss_at(model: Sequential, loss, x, y, vector: np.ndarray, originals: dict[str, np.ndarray]) -> float:
    """The loss of `model` with the weights `vector` (on new arrays: the network's own, `originals`, stay aside)."""
    _set_params(model, vector[None], originals, stacked=False)
    return float(loss.forward(model.forward(x), y))


def _stacked_losses(model: Sequential, loss, x, y, vectors: np.ndarray, originals: dict[str, np.ndarray]) -> list:
    """The losses of `model` with each row of `vectors` as its weights, in one forward pass of the stack."""
    _set_params(model, vectors, originals, stacked=True)
    return [loss.forward(prediction, y) for prediction in model.forward(x)]


def _set_params(model: Sequential, vectors: np.ndarray, originals: dict[str, np.ndarray], stacked: bool) -> None:
    """Gives each layer new parameter arrays from `vectors` (G, P), shaped like `originals` (the network's own, by
    dotted name): one network's (G = 1), or a stack of G networks' for STACKABLE layers (a dense layer's biases
    (G, 1, units), added to (G, N, units))."""
    for name, original, values in _pieces(vectors, originals):
        position, _, key = name.partition(".")
        values = values.astype(original.dtype)
        if not stacked:
            shape = original.shape
        else:
            shape = (len(values), 1, *original.shape) if key == "b" else (len(values), *original.shape)
        model.layers[int(position)].params[key] = values.reshape(shape)


def grid(span: float, points: int) -> np.ndarray:
    """`points` evenly spaced values from -span to span (0 among them when `points` is odd)."""
    return np.linspace(-span, span, points)

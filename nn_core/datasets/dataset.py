"""The Dataset every 2D problem and user point set becomes, its label conventions and argument checks."""

import math
import numbers
from dataclasses import dataclass

import numpy as np

CLASSIFICATION = "classification"
REGRESSION = "regression"

# TensorFlow Playground's view: every point lives in the square [-VIEW_LIMIT, VIEW_LIMIT]^2.
VIEW_LIMIT = 6.0
# Enough points for a meaningful picture, few enough that slow in-browser numpy keeps up.
MIN_POINTS = 10
MAX_POINTS = 5000


class DataError(ValueError):
    """A data file or point set that cannot be used, with a message saying where and why."""


@dataclass(frozen=True, eq=False)  # eq on arrays would be ambiguous; compare fields with numpy
class Dataset:
    """Shuffled points and labels, the first n_train of them for training; x (n, 2) float64, y (n,).

    y holds TensorFlow Playground's -1/+1 labels (float64) for two classes, class indices 0..K-1
    (int64) for more classes, and float64 targets for regression (n_classes is 0).
    """

    x: np.ndarray
    y: np.ndarray
    kind: str
    n_classes: int
    n_train: int

    @property
    def x_train(self) -> np.ndarray:
        """Training points, (n_train, 2)."""
        return self.x[: self.n_train]

    @property
    def y_train(self) -> np.ndarray:
        """Training labels or targets, (n_train,)."""
        return self.y[: self.n_train]

    @property
    def x_test(self) -> np.ndarray:
        """Test points, (n - n_train, 2)."""
        return self.x[self.n_train :]

    @property
    def y_test(self) -> np.ndarray:
        """Test labels or targets, (n - n_train,)."""
        return self.y[self.n_train :]


def class_labels(n_classes: int) -> tuple[int, ...]:
    """The label values of a classification set: (-1, 1) for two classes as in TFP, else 0..K-1."""
    return (-1, 1) if n_classes == 2 else tuple(range(n_classes))


def label_dtype(kind: str, n_classes: int) -> type:
    """int64 for class indices of three or more classes; float64 for TFP's -1/+1 and regression targets."""
    return np.int64 if kind == CLASSIFICATION and n_classes > 2 else np.float64


def class_indices(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Class indices 0..K-1 for a softmax or sigmoid output, (n,) int64; two-class -1/+1 become 0/1."""
    if n_classes == 2:
        return (np.asarray(labels) > 0).astype(np.int64)
    return np.asarray(labels, dtype=np.int64)


def check_number(name: str, value, low: float, high: float) -> None:
    """Raise ValueError unless value is a real number in [low, high] (NaN is not)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low} to {high}, got {value!r}")


def check_integer(name: str, value, low: int, high: int) -> None:
    """Raise ValueError unless value is an integer in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")


def split_dataset(
    x: np.ndarray, y: np.ndarray, kind: str, n_classes: int, train_percent: float, rng: np.random.Generator
) -> Dataset:
    """Shuffle points x (n, 2) and labels y (n,) and keep the first floor(n * train_percent / 100) for training.

    This is TensorFlow Playground's split: shuffle, then cut, so the classes are not stratified.
    """
    check_number("train_percent", train_percent, 10, 90)
    n_train = math.floor(len(x) * train_percent / 100)
    if not 0 < n_train < len(x):
        raise DataError(
            f"{len(x)} points with {train_percent}% for training leave the training or test set empty; add more points"
        )
    order = rng.permutation(len(x))
    return Dataset(x=x[order], y=y[order], kind=kind, n_classes=n_classes, n_train=n_train)

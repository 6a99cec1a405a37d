"""The student's own points: a Dataset edited point by point, checked by nn_core's PointSet.

A clicked point joins the training points (so it shows at once); a removed one leaves whichever split held
it. The other points keep their places, so nothing jumps between training and test when one is clicked.
"""

from typing import Any

import numpy as np

from nn_core.datasets import VIEW_LIMIT, DataError, Dataset, PointSet

# The student's own points change the data set, so they follow its control: a lesson that locks or hides "dataset"
# keeps its data (the CSV picker carries that control's CSS class, so it is disabled or hidden with it).
DATA_SETTING = "dataset"
LOCKED = "this lesson keeps its data set (the data controls are locked)"


def data_locked(state: Any) -> bool:
    """Whether a PlaygroundState's lesson locks or hides the data set, so that own points may not change it."""
    return DATA_SETTING in state.lock or DATA_SETTING in state.hide


def imported(data: Dataset) -> str:
    """What an import did, in words: "Imported 120 points (96 training, 24 test); the data set buttons bring back the
    generated data."."""
    n_test = len(data.x) - data.n_train
    return (
        f"Imported {len(data.x):,} points ({data.n_train:,} training, {n_test:,} test); "
        "the data set buttons bring back the generated data."
    )


def with_point(data: Dataset, x1: float, x2: float, label: float) -> Dataset:
    """`data` with (x1, x2, label) as its last training point; raises ValueError if the point does not fit."""
    checked = PointSet(data.kind, data.n_classes or 2)
    checked.add(x1, x2, label)
    x, y = checked.to_arrays()
    n = data.n_train
    return Dataset(
        x=np.concatenate([data.x[:n], x, data.x[n:]]),
        y=np.concatenate([data.y[:n], y.astype(data.y.dtype), data.y[n:]]),
        kind=data.kind,
        n_classes=data.n_classes,
        n_train=n + 1,
    )


def without_nearest(data: Dataset, x1: float, x2: float, radius: float) -> Dataset | None:
    """`data` without its point nearest (x1, x2), or None when no point lies within radius."""
    distance = np.hypot(data.x[:, 0] - x1, data.x[:, 1] - x2)
    nearest = int(np.argmin(distance))
    if distance[nearest] > radius:
        return None
    n_train = data.n_train - (nearest < data.n_train)
    if not 0 < n_train < len(data.x) - 1:
        raise DataError("the training and the test points each need at least one point; add some first")
    keep = np.arange(len(data.x)) != nearest
    return Dataset(x=data.x[keep], y=data.y[keep], kind=data.kind, n_classes=data.n_classes, n_train=n_train)


def to_point_set(data: Dataset) -> PointSet:
    """A PointSet of every point of `data` (training, then test), for CSV export."""
    points = PointSet(data.kind, data.n_classes or 2)
    for (x1, x2), label in zip(np.clip(data.x, -VIEW_LIMIT, VIEW_LIMIT), data.y, strict=True):  # noise may stray
        points.add(float(x1), float(x2), label.item())
    return points

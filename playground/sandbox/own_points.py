"""The student's own points: a Dataset edited point by point, checked by nn_core's PointSet.

A clicked point joins the training points (so it shows at once); a removed one leaves whichever split held
it. The other points keep their places, so nothing jumps between training and test when one is clicked.
"""

import numpy as np

from nn_core.datasets import VIEW_LIMIT, DataError, Dataset, PointSet


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

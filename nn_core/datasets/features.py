"""Input features computed from a point (x1, x2): TensorFlow Playground's INPUTS plus the cosines."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feature:
    """One input the student can switch on: its label for display and its formula on x1, x2 (n,)."""

    label: str
    compute: Callable[[np.ndarray, np.ndarray], np.ndarray]


# TFP's names (its URL keys) and order; TFP's state also knows cosX and cosY, its INPUTS table not.
FEATURES: dict[str, Feature] = {
    "x": Feature("X₁", lambda x1, x2: x1),
    "y": Feature("X₂", lambda x1, x2: x2),
    "xSquared": Feature("X₁²", lambda x1, x2: x1 * x1),
    "ySquared": Feature("X₂²", lambda x1, x2: x2 * x2),
    "xTimesY": Feature("X₁X₂", lambda x1, x2: x1 * x2),
    "sinX": Feature("sin(X₁)", lambda x1, x2: np.sin(x1)),
    "sinY": Feature("sin(X₂)", lambda x1, x2: np.sin(x2)),
    "cosX": Feature("cos(X₁)", lambda x1, x2: np.cos(x1)),
    "cosY": Feature("cos(X₂)", lambda x1, x2: np.cos(x2)),
}

# TFP starts with the two raw coordinates switched on.
DEFAULT_FEATURES = ("x", "y")


def feature_matrix(points: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The named features of each point, columns in the order of names; points (n, 2) -> (n, k) float64."""
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {points.shape}")
    if not names:
        raise ValueError("switch on at least one feature")
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"unknown features {unknown}; choose from: {', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise ValueError(f"each feature may appear once, got {list(names)}")
    x1, x2 = points[:, 0], points[:, 1]
    return np.column_stack([FEATURES[name].compute(x1, x2) for name in names])

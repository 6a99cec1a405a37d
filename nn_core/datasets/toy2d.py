"""Two-dimensional problems in [-6, 6]^2: TensorFlow Playground's formulas plus moons, checkerboard and multiclass sets.

Each generator takes (rng, n_points, noise) with noise as a fraction 0..0.5, TFP's slider value / 100,
and returns points x (n, 2) float64 and labels y (n,) in the Dataset conventions. Like TFP, noise
means three different things: for circle, xor, checkerboard and regression it displaces the location
used to compute the label (so labels near a boundary flip), for the spirals and moons it jitters the
points, and for the Gaussian sets it widens the variance (so, as in TFP, a few points may then fall
outside the view).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from .dataset import (
    CLASSIFICATION,
    MAX_POINTS,
    MIN_POINTS,
    REGRESSION,
    Dataset,
    check_integer,
    check_number,
    split_dataset,
)

# TFP's sizes: NUM_SAMPLES_CLASSIFY and NUM_SAMPLES_REGRESS in playground.ts.
DEFAULT_POINTS = {CLASSIFICATION: 500, REGRESSION: 1200}
MAX_NOISE = 50


def _class_sizes(n_points: int, n_classes: int) -> list[int]:
    """Split n_points as evenly as possible; TFP gives each class numSamples / 2."""
    base, extra = divmod(n_points, n_classes)
    return [base + (c < extra) for c in range(n_classes)]


def _class_index(n_points: int, n_classes: int) -> np.ndarray:
    """Class index of each point, classes in consecutive runs, (n,) int64."""
    # int64 explicitly: numpy's default integer is 32 bits in Pyodide (wasm32).
    return np.repeat(np.arange(n_classes, dtype=np.int64), _class_sizes(n_points, n_classes))


def _signed(is_positive: np.ndarray) -> np.ndarray:
    """TFP's labels: +1 where is_positive, else -1, (n,) float64."""
    return np.where(is_positive, 1.0, -1.0)


def _jitter(rng: np.random.Generator, n_points: int, scale: float, noise: float) -> np.ndarray:
    """TFP's noise offsets randUniform(-scale, scale) * noise, (n, 2)."""
    return rng.uniform(-scale, scale, (n_points, 2)) * noise


def _on_circle(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Points at polar (radius, angle) measured from the x2 axis as TFP does, (n, 2)."""
    return np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])


def circle(rng: np.random.Generator, n_points: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """TFP's circle: +1 inside radius 2.5, -1 on a ring from 3.5 to 5."""
    radius = 5.0
    n_inside, n_ring = _class_sizes(n_points, 2)
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_inside), rng.uniform(radius * 0.7, radius, n_ring)])
    x = _on_circle(r, rng.uniform(0, 2 * np.pi, n_points))
    noisy = x + _jitter(rng, n_points, radius, noise)
    return x, _signed(np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5)


def xor(rng: np.random.Generator, n_points: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """TFP's xor: +1 where x1 * x2 >= 0, with a 0.3 gap along both axes."""
    x = rng.uniform(-5, 5, (n_points, 2))
    x += np.where(x > 0, 0.3, -0.3)
    noisy = x + _jitter(rng, n_points, 5, noise)
    return x, _signed(noisy[:, 0] * noisy[:, 1] >= 0)


def gaussian_blobs(
    rng: np.random.Generator, n_points: int, noise: float, centers: tuple[tuple[float, float], ...]
) -> tuple[np.ndarray, np.ndarray]:
    """One Gaussian blob per center, class k around centers[k]; labels are class indices."""
    variance = 0.5 + noise * 7  # TFP maps noise 0..0.5 linearly onto variance 0.5..4
    index = _class_index(n_points, len(centers))
    x = np.asarray(centers, dtype=float)[index] + rng.normal(0, np.sqrt(variance), (n_points, 2))
    return x, index


def two_gaussians(rng: np.random.Generator, n_points: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """TFP's two Gaussians: +1 around (2, 2), -1 around (-2, -2)."""
    x, index = gaussian_blobs(rng, n_points, noise, ((2, 2), (-2, -2)))
    return x, _signed(index == 0)


def spiral_arms(rng: np.random.Generator, n_points: int, noise: float, n_arms: int) -> tuple[np.ndarray, np.ndarray]:
    """TFP's spiral generalised to n_arms arms turned 2 pi / n_arms apart; labels are class indices.

    TFP's two arms turn 1.75 times; n arms turn 3.5 / n times, which keeps TFP's radial gap between
    neighbouring arms, so more arms mean more classes rather than a harder problem.
    """
    index = _class_index(n_points, n_arms)
    along_arm = np.concatenate([np.arange(size) / size for size in _class_sizes(n_points, n_arms)])
    turns = 3.5 / n_arms
    angle = turns * along_arm * 2 * np.pi + index * 2 * np.pi / n_arms
    x = _on_circle(along_arm * 5, angle) + _jitter(rng, n_points, 1, noise)
    return x, index


def two_arm_spiral(rng: np.random.Generator, n_points: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """TFP's spiral: the +1 arm and the -1 arm half a turn apart."""
    x, index = spiral_arms(rng, n_points, noise, 2)
    return x, _signed(index == 0)


def moons(rng: np.random.Generator, n_points: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's moons scaled by 3.5 and centred): +1 upper, -1 lower."""
    is_upper = _class_index(n_points, 2) == 0
    angle = rng.uniform(0, np.pi, n_points)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)])
    x = np.where(is_upper[:, None], upper, lower)
    x = (x - (0.5, 0.25)) * 3.5 + _jitter(rng, n_points, 2, noise)
    return x, _signed(is_upper)


def checkerboard(rng: np.random.Generator, n_points: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """A 4 x 4 board with squares pi wide: +1 where sin(x1) * sin(x2) >= 0, so the sin features solve it."""
    x = rng.uniform(-6, 6, (n_points, 2))
    noisy = x + _jitter(rng, n_points, 3, noise)
    return x, _signed(np.sin(noisy[:, 0]) * np.sin(noisy[:, 1]) >= 0)


def plane(rng: np.random.Generator, n_points: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """TFP's plane: target (x1 + x2) / 10, from -1.2 to 1.2 without noise."""
    x = rng.uniform(-6, 6, (n_points, 2))
    noisy = x + _jitter(rng, n_points, 6, noise)
    return x, noisy.sum(axis=1) / 10


# TFP's multi-Gaussian: (center x1, center x2, sign) of six bumps of height 1 and radius 2.
_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gaussian(rng: np.random.Generator, n_points: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """TFP's multi-Gaussian: the signed height of the tallest of six cone-shaped bumps."""
    x = rng.uniform(-6, 6, (n_points, 2))
    noisy = x + _jitter(rng, n_points, 6, noise)
    distance = np.hypot(noisy[:, :1] - _BUMPS[:, 0], noisy[:, 1:] - _BUMPS[:, 1])  # (n, 6)
    heights = _BUMPS[:, 2] * np.clip(1 - distance / 2, 0, 1)
    tallest = np.argmax(np.abs(heights), axis=1)  # the first on ties, as TFP's strict ">"
    return x, heights[np.arange(n_points), tallest]


@dataclass(frozen=True)
class DatasetInfo:
    """What the UI lists for one problem, and the generator that makes it."""

    display_name: str
    kind: str
    n_classes: int  # 0 for regression
    generate: Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]


# Names of TFP's sets are its URL keys (state.ts), so its links translate directly.
DATASETS: dict[str, DatasetInfo] = {
    "circle": DatasetInfo("Circle", CLASSIFICATION, 2, circle),
    "xor": DatasetInfo("Exclusive or", CLASSIFICATION, 2, xor),
    "gauss": DatasetInfo("Two Gaussians", CLASSIFICATION, 2, two_gaussians),
    "spiral": DatasetInfo("Spiral", CLASSIFICATION, 2, two_arm_spiral),
    "moons": DatasetInfo("Moons", CLASSIFICATION, 2, moons),
    "checkerboard": DatasetInfo("Checkerboard", CLASSIFICATION, 2, checkerboard),
    "spiral3": DatasetInfo("Spiral, 3 arms", CLASSIFICATION, 3, partial(spiral_arms, n_arms=3)),
    "spiral5": DatasetInfo("Spiral, 5 arms", CLASSIFICATION, 5, partial(spiral_arms, n_arms=5)),
    "blobs4": DatasetInfo(
        "Four blobs", CLASSIFICATION, 4, partial(gaussian_blobs, centers=((3, 3), (-3, 3), (-3, -3), (3, -3)))
    ),
    "reg-plane": DatasetInfo("Plane", REGRESSION, 0, plane),
    "reg-gauss": DatasetInfo("Multi-Gaussian", REGRESSION, 0, multi_gaussian),
}


def make_dataset(
    name: str, n_points: int | None = None, noise: float = 0, train_percent: float = 50, seed: int = 0
) -> Dataset:
    """Generate the named problem with TFP's controls (noise 0..50, train_percent 10..90); x (n, 2), y (n,).

    n_points defaults to TFP's 500 for classification and 1200 for regression.
    """
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}")
    info = DATASETS[name]
    n_points = DEFAULT_POINTS[info.kind] if n_points is None else n_points
    check_integer("n_points", n_points, MIN_POINTS, MAX_POINTS)
    check_number("noise", noise, 0, MAX_NOISE)
    check_integer("seed", seed, 0, 2**63 - 1)
    rng = np.random.default_rng(seed)
    x, y = info.generate(rng, n_points, noise / 100)
    return split_dataset(x, y, info.kind, info.n_classes, train_percent, rng)

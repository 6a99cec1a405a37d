"""Data for the playground: generated 2D problems, input features, the student's own points, small MNIST."""

from .dataset import (
    CLASSIFICATION,
    MAX_POINTS,
    MIN_POINTS,
    REGRESSION,
    VIEW_LIMIT,
    DataError,
    Dataset,
    class_indices,
    class_labels,
)
from .features import DEFAULT_FEATURES, FEATURES, Feature, feature_matrix
from .mnist import class_averages, load_mnist
from .points import PointSet
from .toy2d import DATASETS, DEFAULT_POINTS, MAX_NOISE, DatasetInfo, make_dataset

__all__ = [
    "CLASSIFICATION",
    "DATASETS",
    "DEFAULT_FEATURES",
    "DEFAULT_POINTS",
    "FEATURES",
    "MAX_NOISE",
    "MAX_POINTS",
    "MIN_POINTS",
    "REGRESSION",
    "VIEW_LIMIT",
    "DataError",
    "Dataset",
    "DatasetInfo",
    "Feature",
    "PointSet",
    "class_averages",
    "class_indices",
    "class_labels",
    "feature_matrix",
    "load_mnist",
    "make_dataset",
]

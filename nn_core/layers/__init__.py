"""Layers, one file per family, and the registry that maps a spec's "type" to its class."""

from .activations import ELU, LeakyReLU, Linear, ReLU, Sigmoid, Softplus, Swish, Tanh
from .base import Layer, SpecError
from .conv import Conv2D
from .dense import Dense
from .dropout import Dropout
from .normalization import BatchNorm
from .pooling import AvgPool2D, MaxPool2D
from .reshape import Flatten

ACTIVATIONS = {cls.type_name: cls for cls in (ReLU, LeakyReLU, Tanh, Sigmoid, Linear, ELU, Swish, Softplus)}
LAYER_TYPES = {
    **{cls.type_name: cls for cls in (Dense, Conv2D, MaxPool2D, AvgPool2D, Flatten, Dropout, BatchNorm)},
    **ACTIVATIONS,
}

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "LAYER_TYPES",
    "AvgPool2D",
    "BatchNorm",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "LeakyReLU",
    "Linear",
    "MaxPool2D",
    "ReLU",
    "Sigmoid",
    "Softplus",
    "SpecError",
    "Swish",
    "Tanh",
]

"""nn_core: a small, readable neural-network engine in pure numpy, with explicit forward and backward passes."""

from .gradcheck import GradcheckReport, gradcheck
from .initializers import INITIALIZERS
from .layers import (
    ACTIVATIONS,
    ELU,
    LAYER_TYPES,
    AvgPool2D,
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Layer,
    LeakyReLU,
    Linear,
    MaxPool2D,
    ReLU,
    Sigmoid,
    Softplus,
    SpecError,
    Swish,
    Tanh,
)
from .losses import LOSSES, MSE, BinaryCrossEntropy, SoftmaxCrossEntropy, make_loss
from .model import Sequential
from .optimizers import OPTIMIZERS, REGULARIZERS, SGD, Adam, RMSprop, make_optimizer
from .spec import build_model

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "INITIALIZERS",
    "LAYER_TYPES",
    "LOSSES",
    "MSE",
    "OPTIMIZERS",
    "REGULARIZERS",
    "SGD",
    "Adam",
    "AvgPool2D",
    "BatchNorm",
    "BinaryCrossEntropy",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "GradcheckReport",
    "Layer",
    "LeakyReLU",
    "Linear",
    "MaxPool2D",
    "RMSprop",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "Softplus",
    "SpecError",
    "Swish",
    "Tanh",
    "build_model",
    "gradcheck",
    "make_loss",
    "make_optimizer",
]

"""nn_core: a small, readable neural-network engine in pure numpy, with explicit forward and backward passes."""

from .gradcheck import GradcheckReport, gradcheck
from .initializers import INITIALIZERS
from .layers import (
    ACTIVATIONS, ELU, LAYER_TYPES, AvgPool2D, BatchNorm, Conv2D, Dense, Dropout, Flatten, Layer, LeakyReLU,
    Linear, MaxPool2D, ReLU, Sigmoid, Softplus, SpecError, Swish, Tanh,
)
from .losses import LOSSES, MSE, BinaryCrossEntropy, SoftmaxCrossEntropy, make_loss
from .model import Sequential
from .optimizers import OPTIMIZERS, REGULARIZERS, SGD, Adam, RMSprop, make_optimizer
from .spec import build_model

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "INITIALIZERS", "LAYER_TYPES", "LOSSES", "OPTIMIZERS", "REGULARIZERS",
    "Layer", "Dense", "Conv2D", "MaxPool2D", "AvgPool2D", "Flatten", "Dropout", "BatchNorm",
    "ReLU", "LeakyReLU", "Tanh", "Sigmoid", "Linear", "ELU", "Swish", "Softplus",
    "MSE", "SoftmaxCrossEntropy", "BinaryCrossEntropy", "make_loss",
    "SGD", "Adam", "RMSprop", "make_optimizer",
    "Sequential", "build_model", "SpecError", "gradcheck", "GradcheckReport",
]

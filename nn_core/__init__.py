"""nn_core: a small, readable neural-network engine in pure numpy, with explicit forward and backward passes."""

from . import datasets
from .events import DivergedEvent, StepEvent, StoppedEvent
from .export import export_python
from .gradcheck import GradcheckReport, gradcheck
from .grid import grid_points, neuron_grids
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
from .saving import ModelFileError, load_model, save_model
from .spec import build_model
from .surgery import add_layer, add_neuron, remove_layer, remove_neuron, set_activation
from .trainer import Trainer, argmax_accuracy, sign_accuracy, threshold_accuracy, train_step

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
    "DivergedEvent",
    "Dropout",
    "Flatten",
    "GradcheckReport",
    "Layer",
    "LeakyReLU",
    "Linear",
    "MaxPool2D",
    "ModelFileError",
    "RMSprop",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "Softplus",
    "SpecError",
    "StepEvent",
    "StoppedEvent",
    "Swish",
    "Tanh",
    "Trainer",
    "add_layer",
    "add_neuron",
    "argmax_accuracy",
    "build_model",
    "datasets",
    "export_python",
    "gradcheck",
    "grid_points",
    "load_model",
    "make_loss",
    "make_optimizer",
    "neuron_grids",
    "remove_layer",
    "remove_neuron",
    "save_model",
    "set_activation",
    "sign_accuracy",
    "threshold_accuracy",
    "train_step",
]

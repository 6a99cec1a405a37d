"""Optimizers, a few textbook lines each, plus TensorFlow-Playground-style L1/L2 weight regularization.

`step(named_params)` takes an iterable of (name, param, grad) and updates each param IN PLACE. Per-parameter
state (momentum, moment estimates) is keyed by the parameter's name and restarts from zero when that
parameter's shape changes (network surgery).
"""

import numpy as np

from .layers.base import one_of


def l2(weight, weight_before, step):
    """Penalty rate * 1/2 * w^2, gradient w; returns None (no weight stops at zero)."""
    weight -= step * weight_before


def l1(weight, weight_before, step):
    """Penalty rate * |w|, gradient sign(w); a weight the penalty pushes across zero stops at zero.

    Returns the mask of weights that stopped at zero this step (the ones TensorFlow Playground kills).
    """
    updated = weight - step * np.sign(weight_before)
    crossed = weight * updated < 0
    updated[crossed] = 0
    weight[...] = updated
    return crossed


REGULARIZERS = {"l1": l1, "l2": l2}


class Optimizer:
    """Applies `update` to every parameter, then regularizes weights (params named "W", never biases).

    Regularization follows TensorFlow Playground: after the gradient update,
    w -= learning_rate * regularization_rate * dR(w as it was before the update).
    With freeze_dead_weights (TensorFlow Playground's rule), a weight L1 stopped at zero is dead: it stays
    zero for good. Without it, the next gradient step may revive it and the penalty pulls it back.
    """

    state_names: tuple[str, ...] = ()  # the arrays each parameter keeps between steps

    def __init__(self, learning_rate, regularization=None, regularization_rate=0.0, freeze_dead_weights=False):
        self.learning_rate = learning_rate
        self.regularization = (
            None if regularization is None else one_of("regularization", regularization, list(REGULARIZERS))
        )
        self.regularization_rate = regularization_rate
        self.freeze_dead_weights = freeze_dead_weights
        self.state: dict[str, dict] = {}

    def step(self, named_params):
        """Updates every (name, param, grad) in place; regularization (if any) touches names ending in ".W"."""
        regularize = REGULARIZERS[self.regularization] if self.regularization and self.regularization_rate else None
        for name, param, grad in named_params:
            weight_before = param.copy() if regularize and name.endswith(".W") else None
            state = self.state_of(name, param)
            self.update(state, param, grad)
            if weight_before is None:
                continue
            stopped = regularize(param, weight_before, self.learning_rate * self.regularization_rate)
            if self.freeze_dead_weights and stopped is not None:
                dead = state.setdefault("dead", np.zeros(param.shape, dtype=bool))
                param[dead] = 0  # a dead weight takes no update (TFP skips it in updateWeights)
                dead |= stopped

    def state_of(self, name, param):
        """This parameter's state, counting its updates in "steps"; restarts on first use or a new shape."""
        state = self.state.get(name)
        if state is None or state["shape"] != param.shape:
            zeros = {key: np.zeros_like(param) for key in self.state_names}
            state = self.state[name] = {"shape": param.shape, "steps": 0, **zeros}
        state["steps"] += 1
        return state

    def update(self, state, param, grad):
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent with optional (Nesterov) momentum, in PyTorch's formulation:
    v = momentum * v + g; p -= lr * v, or with Nesterov p -= lr * (g + momentum * v)."""

    def __init__(self, learning_rate, momentum=0.0, nesterov=False, **regularization):
        super().__init__(learning_rate, **regularization)
        self.momentum, self.nesterov = momentum, nesterov
        self.state_names = ("velocity",) if momentum else ()

    def update(self, state, param, grad):
        if not self.momentum:
            param -= self.learning_rate * grad
            return
        velocity = state["velocity"]
        velocity *= self.momentum
        velocity += grad
        param -= self.learning_rate * (grad + self.momentum * velocity if self.nesterov else velocity)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias-corrected moment estimates; its first step is lr * sign(g)."""

    state_names = ("m", "v")

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, **regularization):
        super().__init__(learning_rate, **regularization)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def update(self, state, param, grad):
        m, v, t = state["m"], state["v"], state["steps"]
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        param -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)


class RMSprop(Optimizer):
    """Divides the gradient by a running root-mean-square of recent gradients: s = rho*s + (1-rho)*g^2."""

    state_names = ("mean_square",)

    def __init__(self, learning_rate=0.001, rho=0.9, eps=1e-8, **regularization):
        super().__init__(learning_rate, **regularization)
        self.rho, self.eps = rho, eps

    def update(self, state, param, grad):
        mean_square = state["mean_square"]
        mean_square *= self.rho
        mean_square += (1 - self.rho) * grad * grad
        param -= self.learning_rate * grad / (np.sqrt(mean_square) + self.eps)


OPTIMIZERS = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def make_optimizer(name, **settings):
    """An optimizer from its spec/UI name (one of OPTIMIZERS) and keyword settings."""
    return OPTIMIZERS[one_of("optimizer", name, list(OPTIMIZERS))](**settings)

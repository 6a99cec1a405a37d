"""Finite-difference gradient check of a model and loss along random directions."""

import copy
from dataclasses import dataclass

import numpy as np


@dataclass
class GradcheckReport:
    """Relative error of backprop against finite differences, per parameter name and "input"."""

    errors: dict[str, float]

    @property
    def max_error(self):
        return max(self.errors.values())

    def __str__(self):
        return "\n".join(f"{name:<12} {error:.2e}" for name, error in self.errors.items())


def gradcheck(model, loss, x, y, eps=1e-6, seed=0, directions=1):
    """Compares backprop with central differences along random directions, for every parameter and x.

    For a random direction d, the directional derivative (L(p + eps*d) - L(p - eps*d)) / (2*eps) must equal
    sum(grad * d). One direction tests every element at once (thinc/autograd style). Every loss evaluation
    runs on a fresh copy of the model, so dropout masks and BatchNorm running statistics are the same each
    time; the model itself is left untouched. Needs a float64 model: float32 rounding swamps the differences.
    Errors are relative, except that derivatives below 1e-4 * max(|loss|, 1) count relative to that floor:
    central differences there are mostly rounding noise (~1e-16 * |loss| / eps).
    """
    if model.dtype != np.float64:
        raise ValueError(f"gradcheck needs a float64 model (build it with dtype 'float64'), got {model.dtype}")
    x = np.asarray(x, dtype=np.float64)
    pristine = copy.deepcopy((model, loss))

    def evaluate(name=None, shift=0.0):
        """Loss of a fresh copy of model and loss, with `shift` added to parameter `name` (or "input")."""
        trial_model, trial_loss = copy.deepcopy(pristine)
        if name not in (None, "input"):
            {n: param for n, param, _ in trial_model.named_params()}[name][...] += shift
        value = trial_loss.forward(trial_model.forward(x + shift if name == "input" else x), y)
        return value, trial_model, trial_loss

    loss_value, trial_model, trial_loss = evaluate()
    floor = 1e-4 * max(abs(loss_value), 1.0)
    grad_x = trial_model.backward(trial_loss.backward())
    analytic = {name: grad for name, _, grad in trial_model.named_params()} | {"input": grad_x}
    rng = np.random.default_rng(seed)
    errors = {}
    for name, grad in analytic.items():
        errors[name] = 0.0
        for _ in range(directions):
            direction = rng.standard_normal(grad.shape)
            numeric = (evaluate(name, eps * direction)[0] - evaluate(name, -eps * direction)[0]) / (2 * eps)
            expected = float(np.sum(grad * direction))
            scale = max(abs(numeric) + abs(expected), floor)
            errors[name] = max(errors[name], abs(numeric - expected) / scale)
    return GradcheckReport(errors)

"""A student's own layer code: the engine's own text compiles to a layer that trains exactly like the engine's, a
planted bug is caught by the gradient check, and every kind of bad code gets a message naming the line while the
engine's code keeps running."""

import copy
import inspect
import time

import numpy as np
import pytest

from nn_core import build_model
from nn_core.gradcheck import gradcheck
from nn_core.layers.dense import Dense
from nn_core.losses import MSE
from nn_core.optimizers import SGD
from nn_core.trainer import train_step
from playground.core.code_trace import source_of
from playground.core.student_code import StudentCodeError, compile_methods, gradient_check, swap_in, swap_out

ENGINE_DENSE = "\n\n".join(source_of(getattr(Dense, name)).text for name in ("forward", "backward", "backward_params"))
SPEC = {
    "input_shape": [2],
    "layers": [{"type": "dense", "units": 3, "activation": "tanh"}, {"type": "dense", "units": 1}],
}


def model_and_batch(seed=0):
    rng = np.random.default_rng(seed)
    return build_model(SPEC, seed=seed), rng.standard_normal((8, 2)), rng.standard_normal((8, 1))


def test_the_engines_own_text_trains_exactly_like_the_engine():
    yours, x, y = model_and_batch()
    engine = copy.deepcopy(yours)
    swap_in(yours, Dense, compile_methods(ENGINE_DENSE))
    assert type(yours.layers[0]).__name__ == "YourDense" and isinstance(yours.layers[0], Dense)

    for model in (yours, engine):
        for _ in range(5):
            train_step(model, MSE(), SGD(0.1), x, y)
    for (name, a, _), (_, b, _) in zip(yours.named_params(), engine.named_params(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert inspect.getsource(inspect.unwrap(type(yours.layers[0]).backward)).startswith("def backward(self, grad_y)")
    swap_out(yours)
    assert type(yours.layers[0]) is Dense


def test_the_gradient_check_of_a_layer_passes_the_engines_code_and_flags_a_wrong_weight_gradient():
    model, _, _ = model_and_batch()
    assert max(gradient_check(model.layers[2], compile_methods(ENGINE_DENSE)).values()) < 1e-6
    wrong = ENGINE_DENSE.replace('matmul(grad_y, self.params["W"].T)', 'matmul(grad_y, self.params["W"].T) * 2')
    errors = gradient_check(model.layers[2], compile_methods(wrong))
    assert errors["W"] < 1e-6 and errors["b"] < 1e-6 and errors["input"] > 0.1
    tanh = compile_methods("def backward(self, grad_y):\n    return grad_y * (1 - self.y)")  # forgot the square
    assert gradient_check(model.layers[1], tanh)["input"] > 1e-2
    with pytest.raises(StudentCodeError, match="^line 2: NameError"):
        gradient_check(model.layers[0], compile_methods("def forward(self, x):\n    return q"))


def test_a_dropped_transpose_is_flagged_by_the_gradient_check_on_the_weights():
    # W is (2, 3) in layer 0 and (3, 1) in layer 2: with x.T dropped, grad W is computed with the wrong pairing
    planted = ENGINE_DENSE.replace("matmul(self.x.T, grad_y)", "(grad_y.T @ self.x).T")  # the same, written another way
    model, x, y = model_and_batch()
    swap_in(model, Dense, compile_methods(planted))
    assert gradcheck(model, MSE(), x, y).max_error < 1e-6
    wrong = ENGINE_DENSE.replace("matmul(self.x.T, grad_y)", "(self.x.T @ grad_y)[::-1]")
    model, x, y = model_and_batch()
    swap_in(model, Dense, compile_methods(wrong))
    errors = gradcheck(model, MSE(), x, y).errors
    assert errors["0.W"] > 1e-2 and errors["0.b"] < 1e-6


BAD = {
    "syntax": ("def forward(self, x)\n    return x", r"^line 1: expected ':'$"),
    "name": ("def forward(self, x):\n    y = x\n    return w @ y", r"^line 3: NameError: name 'w' is not defined$"),
    "shape": ("def forward(self, x):\n    return x", r"^what forward returns has shape \(8, 2\); it must be \(8, 3\)$"),
    "not an array": ("def forward(self, x):\n    return 1", r"^what forward returns must be a numpy array of shape"),
    "nan": ("def forward(self, x):\n    return np.full((len(x), 3), np.nan)", r"^what forward returns holds NaN"),
    "grads": ("def backward_params(self, grad_y):\n    self.grads['W'] = grad_y", r"^self.grads\['W'\] has shape"),
    "nothing": ("x = 1", r"^line 1: only `def` lines \(and imports\) belong at the top level$"),
    "no method": ("def helper(a):\n    return a", r"^define at least one of forward, backward, backward_params"),
    "import": ("import os\ndef forward(self, x):\n    return x", r"^line 1: ImportError: only numpy and math"),
    "open": ("def forward(self, x):\n    open('f')\n    return x", r"^line 2: NameError: name 'open' is not defined$"),
    "long": ("#" * 30_000, r"^the code is 30,000 characters long"),
    "recursion": ("def forward(self, x):\n    return self.forward(x)", r"^line 2: RecursionError: maximum recursion"),
    "calls": ("def forward(self, x):\n    while True:\n        self.backward_params(x)", "without finishing"),
    "backward": (
        "def backward_params(self, g):\n    self.grads = {k: 0 * p for k, p in self.params.items()}\n"
        "def forward(self, x):\n    while True:\n        self.backward_params(x)",
        "without finishing",
    ),
    "loop": ("def forward(self, x):\n    while True:\n        pass", "without finishing"),
    "for": ("def forward(self, x):\n    for i in iter(int, 1):\n        x = x\n    return x", "without finishing"),
    "comprehension": ("def forward(self, x):\n    return sum(i for i in iter(int, 1))", "without finishing"),
    "hidden": (
        "def forward(self, x):\n    while True:\n        try:\n            pass\n        except Exception:\n"
        "            pass",
        "without finishing",
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", BAD)
def test_bad_code_gets_a_message_naming_the_line_and_the_engine_keeps_its_code(case):
    text, message = BAD[case]
    model, x, y = model_and_batch()
    before = model.forward(x)
    started = time.perf_counter()
    with pytest.raises(StudentCodeError, match=message):
        swap_in(model, Dense, compile_methods(text, seconds=0.5))
        model.forward(x)
        model.backward(model.forward(x) - y)
    assert time.perf_counter() - started < 5
    swap_out(model)
    np.testing.assert_array_equal(model.forward(x), before)  # the engine's code again, weights untouched
    assert type(model.layers[0]) is Dense

"""A student's own version of a layer's methods: compiled from the text they typed, run on a time budget (a loop
that never ends is stopped after a few seconds, with a message), checked on every call, and swapped into a model and
out again.

The student's text is a class body's methods, as the engine's source shows them (`def forward(self, x): ...`). It
runs with numpy as `np`, the engine's `matmul` (a @ b, which the engine's dense layer calls), `masked` (values where a
mask is true, else 0: ReLU's) and the usual builtins, but no file, import (other than numpy and math) or exec. Every
error names the student's line ("line 3: NameError: name 'w' is not defined"), and what a method returns or leaves in
`self.grads` must have the shapes the engine expects, with finite numbers. The functions are registered in
`linecache` under `FILENAME`, so `inspect` (and the glass box's code view) reads their text like the engine's.
"""

from __future__ import annotations

import ast
import builtins
import linecache
import math
import time
import types
from collections.abc import Callable

import numpy as np

from nn_core import build_model
from nn_core.gradcheck import gradcheck
from nn_core.kernels import masked, matmul
from nn_core.losses import MSE

FILENAME = "<your code>"
METHODS = ("forward", "backward", "backward_params")
MAX_CHARS = 20_000
SECONDS = 3.0  # how long one call of the student's code from the engine may run
CHECK_EVERY = 4096  # ticks (loop rounds, calls) between two looks at the clock
ALLOWED_IMPORTS = {"numpy": np, "math": math}
# The engine's helpers a student's code may call as the engine's text does.
ENGINE_FUNCTIONS = {"matmul": matmul, "masked": masked}
REFUSED_BUILTINS = ("open", "exec", "eval", "compile", "input", "breakpoint", "exit", "quit", "help", "globals")


class StudentCodeError(Exception):
    """What is wrong with the student's code, in one sentence naming their line."""


class OutOfSteps(BaseException):
    """Raised by the budget inside the student's code; a BaseException, so their `except Exception` cannot hide it."""


class Budget:
    """Stops the student's code when one call from the engine has run for `seconds`: their loops and functions tick,
    and every CHECK_EVERY ticks the clock is read. `start()` before each call from the engine."""

    def __init__(self, seconds: float = SECONDS):
        self.seconds, self.depth, self.ticks, self.deadline = seconds, 0, 0, 0.0

    def start(self) -> None:
        """A fresh budget for a call from the engine (not for a call of the student's own methods from their code)."""
        if self.depth == 0:
            self.ticks, self.deadline = 0, time.monotonic() + self.seconds

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks % CHECK_EVERY == 0 and time.monotonic() > self.deadline:
            raise OutOfSteps


class _Ticks(ast.NodeTransformer):
    """Puts `__tick__()` first in every function and loop body, and runs every comprehension's iterables through
    `__ticked__` (which ticks per item)."""

    def _tick_first(self, node):
        self.generic_visit(node)
        call = ast.Expr(ast.Call(ast.Name("__tick__", ast.Load()), [], []))
        node.body.insert(0, ast.copy_location(call, node.body[0]))
        return node

    visit_FunctionDef = visit_For = visit_While = _tick_first

    def visit_comprehension(self, node):
        self.generic_visit(node)
        node.iter = ast.copy_location(ast.Call(ast.Name("__ticked__", ast.Load()), [node.iter], []), node.iter)
        return node


def compile_methods(text: str, names: tuple[str, ...] = METHODS, seconds: float = SECONDS) -> dict[str, Callable]:
    """The student's methods among `names`, compiled from `text`; StudentCodeError when the text does not compile,
    defines none of them, or does something at its top level other than define functions and import numpy/math.
    One call from the engine may run for `seconds`."""
    if len(text) > MAX_CHARS:
        raise StudentCodeError(
            f"the code is {len(text):,} characters long; a layer needs far fewer (at most {MAX_CHARS:,})"
        )
    try:
        tree = ast.parse(text, FILENAME)
    except SyntaxError as error:
        raise StudentCodeError(f"line {error.lineno}: {error.msg}") from None
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom)) and not _is_docstring(node):
            raise StudentCodeError(f"line {node.lineno}: only `def` lines (and imports) belong at the top level")
    budget = Budget(seconds)
    namespace = {"__builtins__": _builtins(), "np": np, **ENGINE_FUNCTIONS}
    namespace.update(__tick__=budget.tick, __ticked__=_ticked(budget))
    code = compile(ast.fix_missing_locations(_Ticks().visit(tree)), FILENAME, "exec")
    linecache.cache[FILENAME] = (len(text), None, text.splitlines(keepends=True), FILENAME)
    _run(budget, lambda: exec(code, namespace))
    found = {name: namespace[name] for name in names if isinstance(namespace.get(name), types.FunctionType)}
    if not found:
        raise StudentCodeError(f"define at least one of {', '.join(names)} (e.g. `def {names[0]}(self, x):`)")
    return {name: _guarded(name, function, budget) for name, function in found.items()}


def swap_in(model, cls: type, functions: dict[str, Callable]) -> type:
    """Every layer of class `cls` in `model` runs the student's `functions` from now on (their other methods stay
    the engine's); returns the class they now have, named "Your<cls>"."""
    yours = type(f"Your{cls.__name__}", (cls,), {**functions, "__module__": cls.__module__, "engine_class": cls})
    for name, method in functions.items():  # named like the engine's methods in the code view: "YourDense.forward"
        method.__qualname__ = method.__wrapped__.__qualname__ = f"{yours.__name__}.{name}"
    for layer in model.layers:
        if type(layer) is cls:
            layer.__class__ = yours
    return yours


def swap_out(model) -> None:
    """Back to the engine's code in every layer of `model`."""
    for layer in model.layers:
        engine = type(layer).__dict__.get("engine_class")
        if engine is not None:
            layer.__class__ = engine


def engine_class(layer) -> type:
    """The engine's class of `layer`, also while it runs a student's code."""
    return type(layer).__dict__.get("engine_class", type(layer))


def gradient_check(layer, functions: dict[str, Callable], batch: int = 4) -> dict[str, float]:
    """The relative error of each gradient the student's `functions` give for a copy of `layer` (its weights, in
    float64), against finite differences of a mean squared error on a random batch: {"W": ..., "b": ..., "input": ...}.
    Their errors come out as StudentCodeError."""
    spec = {"input_shape": list(layer.input_shape), "dtype": "float64", "layers": [layer.config()]}
    model = build_model(spec, seed=0)
    for name, param in layer.params.items():
        model.layers[0].params[name][...] = param
    swap_in(model, engine_class(layer), functions)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, *layer.input_shape))
    y = rng.standard_normal((batch, *model.output_shape))
    errors = gradcheck(model, MSE(), x, y).errors
    return {name.removeprefix("0."): error for name, error in errors.items()}


def _guarded(name: str, function: Callable, budget: Budget) -> Callable:
    """`function` run within the budget, its errors as StudentCodeError naming the student's line, its results
    checked against the shapes the engine expects."""

    def method(self, *args):
        result = _run(budget, lambda: function(self, *args))
        _check_results(name, self, args, result)
        return result

    method.__wrapped__ = function  # inspect.unwrap (the code view) finds the student's own function
    method.__name__ = method.__qualname__ = function.__name__
    return method


def _check_results(name: str, layer, args: tuple, result) -> None:
    """forward returns (N, *output shape), backward (N, *input shape); after a backward every gradient in
    `self.grads` has its parameter's shape. Each must be finite numbers."""
    batch = len(args[0])
    if name == "forward":
        _expect("what forward returns", result, (batch, *layer.output_shape(layer.input_shape)))
    elif name == "backward":
        _expect("what backward returns (dLoss/dx)", result, (batch, *layer.input_shape))
    if name != "forward":
        for key, param in layer.params.items():
            _expect(f"self.grads[{key!r}]", layer.grads.get(key), param.shape)


def _expect(what: str, value, shape: tuple) -> None:
    if not isinstance(value, np.ndarray):
        raise StudentCodeError(f"{what} must be a numpy array of shape {shape}, not {type(value).__name__}")
    if value.shape != tuple(shape):
        raise StudentCodeError(f"{what} has shape {value.shape}; it must be {tuple(shape)}")
    if not np.isfinite(value).all():
        raise StudentCodeError(f"{what} holds NaN or infinite values")


def _run(budget: Budget, call: Callable):
    budget.start()
    budget.depth += 1
    try:
        return call()
    except OutOfSteps:
        raise StudentCodeError(
            f"your code ran for {budget.seconds:g} seconds without finishing (a loop that never ends?); it was stopped"
        ) from None
    except StudentCodeError:
        raise
    except (Exception, RecursionError) as error:  # noqa: BLE001 - any error of the student's is reported
        raise StudentCodeError(f"{_where(error)}{type(error).__name__}: {error}") from None
    finally:
        budget.depth -= 1


def _where(error: BaseException) -> str:
    """ "line N: " of the student's last line the error passed through, or "" when it came from elsewhere."""
    line, traceback = None, error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == FILENAME:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return "" if line is None else f"line {line}: "


def _ticked(budget: Budget):
    def ticked(iterable):
        for item in iterable:
            budget.tick()
            yield item

    return ticked


def _builtins() -> dict:
    allowed = {name: value for name, value in vars(builtins).items() if name not in REFUSED_BUILTINS}

    def only_numpy(name, *args, **kwargs):
        if name.split(".")[0] not in ALLOWED_IMPORTS:
            raise ImportError(f"only numpy and math can be imported here, not {name}")
        return __import__(name, *args, **kwargs)

    return allowed | {"__import__": only_numpy}


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)

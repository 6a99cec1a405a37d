"""The texts the glass box's editor starts from: the engine's own code of a layer, and versions of it a lesson hands
out (a backward pass to write, a planted bug to find). Each is made from the engine's source as it is now, never
stored as a copy: a start whose edit no longer applies to the engine's text fails loudly (and its test with it).
"""

from __future__ import annotations

import builtins
import dis
import functools
import types
from collections.abc import Callable
from dataclasses import dataclass

from nn_core.layers.dense import Dense
from playground.core.code_trace import source_of
from playground.core.student_code import ENGINE_FUNCTIONS, METHODS, compile_methods

BLANK_BACKWARD = '''def backward(self, grad_y):
    """grad_y: dLoss/dy for the batch, (N, units). Fill self.grads, then return dLoss/dx, (N, n_in)."""
    self.backward_params(grad_y)
    return ...  # your code: dLoss/dx = grad_y times the weights, transposed


def backward_params(self, grad_y):
    """self.x: the layer's input saved by forward, (N, n_in). The gradients have the parameters' shapes."""
    self.grads["W"] = ...  # your code: (n_in, units), summed over the batch
    self.grads["b"] = ...  # your code: (units,), summed over the batch
'''


def engine_text(cls: type) -> str:
    """The engine's own forward, backward and backward_params of layer class `cls` (those it defines or inherits)."""
    return "\n\n".join(source.text for source in _engine_sources(cls))


@functools.cache  # the engine's classes and their code stay as they are while the page runs
def engine_helpers(cls: type) -> tuple[str, ...]:
    """The names the engine's code of layer class `cls` takes from its module other than numpy (`np`) and the
    helpers a student's code is given too (`matmul`, `masked`), e.g. Conv2D's `cut_windows`: a student's code sees
    nothing else, so the engine's text of such a layer would not run there."""
    used = set().union(*(_global_names(source.code) for source in _engine_sources(cls)))
    given = {"np", *ENGINE_FUNCTIONS, *vars(builtins)}
    return tuple(sorted(name for name in used if name not in given))


def _engine_sources(cls):
    sources = [source_of(getattr(cls, name)) for name in METHODS if callable(getattr(cls, name, None))]
    return list({source.code: source for source in sources}.values())


def _global_names(code: types.CodeType) -> set[str]:
    """The global names `code` reads, with those of the functions and comprehensions inside it."""
    names = {instruction.argval for instruction in dis.get_instructions(code) if instruction.opname == "LOAD_GLOBAL"}
    return names.union(*(_global_names(item) for item in code.co_consts if isinstance(item, types.CodeType)))


def edited(cls: type, old: str, new: str) -> Callable[[], str]:
    """The engine's text of `cls` with `old` replaced by `new` (which must be in it exactly once)."""

    def text() -> str:
        engine = engine_text(cls)
        if engine.count(old) != 1:
            raise LookupError(f"the engine's {cls.__name__} code no longer holds {old!r} once: update this start")
        return engine.replace(old, new)

    return text


def forward_then(cls: type, rest: str) -> Callable[[], str]:
    """The engine's forward of `cls`, then `rest` (the methods the student writes)."""
    return lambda: source_of(cls.forward).text + "\n\n" + rest


@dataclass(frozen=True)
class CodeStart:
    """A text for the editor: the layer class it rewrites, how it is made, and whether the network runs it from the
    start (a planted bug) or it waits in the editor for the student (a pass to write)."""

    layer: type
    text: Callable[[], str]
    runs: bool
    about: str


STARTS = {
    "dense": CodeStart(Dense, lambda: engine_text(Dense), True, "the engine's own dense layer"),
    "dense-backward-blank": CodeStart(
        Dense, forward_then(Dense, BLANK_BACKWARD), False, "a dense layer whose backward pass the student writes"
    ),
    "dense-bias-sign": CodeStart(
        Dense,
        edited(Dense, 'self.grads["b"] = grad_y.sum(axis=0)', 'self.grads["b"] = -grad_y.sum(axis=0)'),
        True,
        "a dense layer with a planted bug: the bias gradient's sign",
    ),
    "dense-missing-transpose": CodeStart(
        Dense,
        edited(Dense, 'self.grads["W"] = matmul(self.x.T, grad_y)', 'self.grads["W"] = matmul(grad_y.T, self.x)'),
        True,
        "a dense layer with a planted bug: a transpose in the weight gradient (wrong in square layers, a shape "
        "error in others)",
    ),
}


def start_code(session, name: str) -> None:
    """A lesson's start `name` for `session` (a TrainingSession): the editor's text, and the network running it
    when it is a planted bug (else the engine's code)."""
    start = STARTS[name]
    text = start.text()
    session.editor_texts = {start.layer.__name__: text}
    if start.runs:
        session.use_own_code(start.layer, compile_methods(text))
    else:
        session.engine_code()

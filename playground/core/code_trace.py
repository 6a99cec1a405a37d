"""The glass box's engine room: the source of the functions that train a network, read from the running modules, and
one training step recorded line by line by running the real `train_step` under a tracer.

Nothing here copies the engine's code: `source_of` reads the text of the very function object that runs (so what a
student reads is what executes), and `record_step` watches that function run. A recorded `Stage` is one executed line
of a shown function with the values it produced: the names it bound or changed (locals, and the arrays a layer,
loss or optimizer keeps on `self`), copied at that moment, and the layer it belongs to.
"""

from __future__ import annotations

import inspect
import sys
import textwrap
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nn_core.trainer import train_step

OPTIMIZER_METHODS = ("step", "update")  # an optimizer's functions a step runs: their arrays are parameters
SAMPLE = 97  # a large array is compared between lines on every SAMPLE-th value (in-place updates change them all)
COPY_LIMIT = 20_000  # arrays up to this size are compared and kept whole; larger ones by their sample


@dataclass(frozen=True)
class Source:
    """The text of a function as its module holds it: `title` ("Dense.backward"), the dedented `text`, the `path` of
    its file and the `first_line` there; `code` is the code object that runs."""

    title: str
    text: str
    path: str
    first_line: int
    code: types.CodeType

    def line_of(self, file_line: int) -> int:
        """The line of `text` (from 1) that is line `file_line` of the file."""
        return file_line - self.first_line + 1


def source_of(function: Callable) -> Source:
    """The Source of `function` (a plain function or a method, bound or not), read from its module's file."""
    function = inspect.unwrap(getattr(function, "__func__", function))
    lines, first = inspect.getsourcelines(function)
    return Source(function.__qualname__, textwrap.dedent("".join(lines)), inspect.getsourcefile(function), first,
                  function.__code__)  # fmt: skip


def methods(obj: Any, names: Iterable[str]) -> list[Source]:
    """The Sources of the methods `names` that `obj` runs (those of the class that defines each), skipping absent
    ones."""
    found = (getattr(type(obj), name, None) for name in names)
    return [source_of(method) for method in found if callable(method)]


def step_sources(model, loss, optimizer) -> list[Source]:
    """Every function one training step runs and a student reads: `train_step`, the model's forward and backward,
    each kind of layer's forward/backward, the loss's, and the optimizer's step and update, in that order."""
    sources = [source_of(train_step), *methods(model, ["forward", "forward_trace", "backward"])]
    for layer in model.layers:
        sources += methods(layer, ["forward", "backward", "backward_params"])
    sources += methods(loss, ["forward", "backward"]) + methods(optimizer, OPTIMIZER_METHODS)
    return list({source.code: source for source in sources}.values())  # each function once, where it first comes


@dataclass
class Stage:
    """One executed line: `source` and `line` (of its text, from 1), the model layer it ran for (None outside a
    layer), and `values` {name: copy} of what that line bound or changed ("prediction", "self.grads['W']"); or, with
    `call`, the function's start with the arrays and numbers it was called with. `examples` is False in the
    optimizer, whose arrays are parameters, not a row per example of the batch."""

    source: Source
    line: int
    layer: int | None
    values: dict[str, Any] = field(default_factory=dict)
    call: bool = False  # the function was called with `values` as its arguments (`line` is its def line)
    examples: bool = True  # an array whose first axis is as long as the batch holds a row per example

    @property
    def code_line(self) -> str:
        return self.source.text.splitlines()[self.line - 1].strip()


def record_step(model, loss, optimizer, x: np.ndarray, y: np.ndarray) -> list[Stage]:
    """Runs `train_step(model, loss, optimizer, x, y)` (the real training step: it updates the model) and returns
    its Stages in the order they ran; see `record`."""
    return record(lambda: train_step(model, loss, optimizer, x, y), model, loss, optimizer)


def record(run: Callable[[], Any], model, loss, optimizer) -> list[Stage]:
    """Calls `run()` (e.g. a session's "one step" control, which calls `train_step` once with the trainer's next batch)
    with a tracer on the functions of `step_sources`, and returns the Stages of what ran inside `train_step`, in
    order. Values are copies taken right after their line, so later lines do not change them."""
    sources = {source.code: source for source in step_sources(model, loss, optimizer)}
    parameters = {source.code for source in methods(optimizer, OPTIMIZER_METHODS)}
    recorder = _Recorder(sources, model, root=train_step.__code__, parameters=parameters)
    previous = sys.gettrace()
    sys.settrace(recorder.on_call)
    try:
        run()
    finally:
        sys.settrace(previous)
    return recorder.stages


class _Recorder:
    """The tracer: for a frame of a shown function, after each line (and at its return) the watched values that are
    new or changed since the line before become that line's Stage."""

    def __init__(self, sources: dict[types.CodeType, Source], model, root: types.CodeType, parameters: set):
        self.sources, self.stages, self.root, self.inside, self.parameters = sources, [], root, 0, parameters
        self.layers = {id(layer): index for index, layer in enumerate(model.layers)}
        self.reported: set[tuple] = set()  # (owner, name, fingerprint) of what `self` keeps, once recorded

    def on_call(self, frame, event, arg):
        source = self.sources.get(frame.f_code)
        if source is None or not (self.inside or frame.f_code is self.root):
            return None  # not a shown function, or not within a training step: its lines are not traced
        self.inside += frame.f_code is self.root
        seen = _watched(frame)
        fingerprints = {name: _fingerprint(value) for name, value in seen.items()}
        state = {"line": frame.f_lineno, "fingerprints": fingerprints}
        arguments = frame.f_code.co_varnames[: frame.f_code.co_argcount]
        called = {name: _copy(seen[name]) for name in arguments if name in seen}
        examples = frame.f_code not in self.parameters
        self.stages.append(Stage(source, 1, self._layer(frame), called, call=True, examples=examples))

        def on_line(frame, event, arg):
            if event not in ("line", "return"):
                return on_line
            values, owner = _watched(frame), id(frame.f_locals.get("self"))
            changed = {}
            for name, value in values.items():
                mark = _fingerprint(value)
                if state["fingerprints"].get(name) == mark:
                    continue
                state["fingerprints"][name] = mark
                kept = (owner, name, mark)
                if not name.startswith("self.") or kept not in self.reported:  # not already told by a call it made
                    changed[name] = _copy(value)
                    self.reported.add(kept)
            if event == "return":
                self.inside -= frame.f_code is self.root
                if arg is not None:
                    changed["returns"] = _copy(arg)
            if changed:
                line = source.line_of(state["line"])
                self.stages.append(Stage(source, line, self._layer(frame), changed, examples=examples))
            state["line"] = frame.f_lineno
            return on_line

        return on_line

    def _layer(self, frame) -> int | None:
        for name in ("self", "layer"):
            index = self.layers.get(id(frame.f_locals.get(name)))
            if index is not None:
                return index
        return None


def _watched(frame) -> dict[str, Any]:
    """The values a line may produce: the frame's locals (but `self`) and the arrays and numbers `self` keeps, its
    `grads` and `params` entries by key."""
    values = {name: value for name, value in frame.f_locals.items() if name != "self" and _is_value(value)}
    owner = frame.f_locals.get("self")
    for name, value in getattr(owner, "__dict__", {}).items():
        if _is_value(value):
            values[f"self.{name}"] = value
        elif name in ("grads", "params") and isinstance(value, dict):
            values.update({f"self.{name}[{key!r}]": item for key, item in value.items() if _is_value(item)})
    return values


def _is_value(value) -> bool:
    return isinstance(value, (np.ndarray, np.number, float, int)) and not isinstance(value, bool)


def _fingerprint(value):
    """What tells a value apart from its state at the line before: identity, shape and (a sample of) the numbers."""
    if not isinstance(value, np.ndarray):
        return (type(value), value)
    sample = value if value.size <= COPY_LIMIT else value.reshape(-1)[::SAMPLE]
    return id(value), value.shape, sample.tobytes()


def _copy(value):
    """A copy a later line cannot change: of an array, or of each array in a list (a list of layer outputs)."""
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value.copy() if isinstance(value, np.ndarray) else value

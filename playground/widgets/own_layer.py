"""Write your own layer: an editor holding the engine's source of a layer's forward and backward, "Use my code" to
train the page's network with the student's version (checked at once against finite differences), and "Back to the
engine's code".

The student's code runs through playground/core/student_code.py: compiled with its errors naming their line, on a
time budget, its results checked. Whatever goes wrong, the network goes on with the code it had.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import panel as pn

from playground.core.code_trace import source_of
from playground.core.status import Status
from playground.core.student_code import (
    METHODS,
    StudentCodeError,
    compile_methods,
    engine_class,
    gradient_check,
    swap_in,
    swap_out,
)
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

EDITOR_STYLES = "textarea { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; tab-size: 4; }"
CHECK_STYLES = """
.pg-check { border-collapse: collapse; font: 13px sans-serif; margin: 4px 0; }
.pg-check th, .pg-check td { padding: 2px 10px; border-bottom: 1px solid #e3e7eb; text-align: left; }
.pg-check .good { color: #1b7f3b; font-weight: 600; } .pg-check .bad { color: #b00020; font-weight: 600; }
.pg-code-error { color: #b00020; font: 600 13px sans-serif; white-space: pre-wrap; }
"""
GOOD, CLOSE = 1e-6, 1e-3  # relative errors: right, right up to rounding (float32 or a steep spot), beyond: wrong
PARAMETER_WORDS = {"W": "weights W", "b": "biases b", "input": "input gradient (what backward returns)"}


def engine_text(cls: type) -> str:
    """The engine's own forward, backward and backward_params of layer class `cls` (those it defines or inherits)."""
    sources = [source_of(getattr(cls, name)) for name in METHODS if callable(getattr(cls, name, None))]
    return "\n\n".join({source.code: source.text for source in sources}.values())


class OwnLayer(pn.viewable.Viewer):
    """The editor for `session`'s network; `on_change()` runs after the network's code changed (the page redraws)."""

    def __init__(self, session: Any, on_change: Callable[[], None] = lambda: None, **params: Any) -> None:
        super().__init__(**params)
        self.session, self._on_change = session, on_change
        self.functions: dict[str, dict[str, Callable]] = {}  # class name -> the student's functions in use
        self.kind = pn.widgets.Select(name="Layer to rewrite", width=200)
        self.editor = pn.widgets.TextAreaInput(
            name="Your code", rows=18, sizing_mode="stretch_width", stylesheets=[EDITOR_STYLES], styles=SHRINKS
        )
        self.use = pn.widgets.Button(name="Use my code", button_type="primary", width=150)
        self.back = pn.widgets.Button(name="Back to the engine's code", width=200, disabled=True)
        self.again = pn.widgets.Button(name="Start again from the engine's text", width=240)
        self.result = html(stylesheets=[CHECK_STYLES], sizing_mode="stretch_width", margin=(0, 5))
        self.kind.param.watch(lambda event: self._load_text(), "value")
        self.use.on_click(lambda event: self.use_code())
        self.back.on_click(lambda event: self.engine_code())
        self.again.on_click(lambda event: self._load_text(engine=True))
        self.refresh()

    @property
    def layer_class(self) -> type | None:
        classes = {engine_class(layer).__name__: engine_class(layer) for layer in self.session.model.layers}
        return classes.get(self.kind.value)

    def refresh(self) -> None:
        """After a new network: its kinds of layers to choose from, and the student's code put back into it."""
        if self.session.view.status == Status.ERROR or self.session.model is None:
            return
        names = list(dict.fromkeys(engine_class(layer).__name__ for layer in self.session.model.layers))
        chosen = self.kind.value if self.kind.value in names else ("Dense" if "Dense" in names else names[0])
        self.kind.options = names
        self.kind.value = chosen
        for layer_class in {engine_class(layer) for layer in self.session.model.layers}:
            if layer_class.__name__ in self.functions:
                swap_in(self.session.model, layer_class, self.functions[layer_class.__name__])
        self._load_text()

    def use_code(self) -> None:
        """Compiles the editor's text, checks its gradients on a copy of the first such layer, then trains with it;
        on an error the message names the line and the network keeps the code it had."""
        cls = self.layer_class
        text = self.editor.value  # sent when the editor loses the focus, before the button's click
        layer = next(layer for layer in self.session.model.layers if engine_class(layer) is cls)
        try:
            functions = compile_methods(text or "")
            errors = gradient_check(layer, functions)
        except StudentCodeError as error:
            self.result.object = (
                f"<div class='pg-code-error'>Your code was not used: {escape(str(error))}.</div>"
                f"<div class='pg-sub'>The network goes on with the code it had.</div>"
            )
            return
        swap_out(self.session.model)  # one student class at a time: the other kinds go back to the engine's code
        self.functions = {cls.__name__: functions}
        swap_in(self.session.model, cls, functions)
        self.back.disabled = False
        self.result.object = _verdict(cls.__name__, errors, list(functions))
        self._on_change()

    def engine_code(self) -> None:
        """Every layer back to the engine's code."""
        swap_out(self.session.model)
        self.functions = {}
        self.back.disabled = True
        self.result.object = "<div class='pg-sub'>The network runs the engine's code again.</div>"
        self._on_change()

    def fell_back(self, error: StudentCodeError) -> None:
        """Training stopped on the student's code (`error`): back to the engine's code, saying why."""
        self.engine_code()
        self.result.object = (
            f"<div class='pg-code-error'>Your code stopped training: {escape(str(error))}.</div>"
            "<div class='pg-sub'>The network is back on the engine's code; fix yours and press Use my code.</div>"
        )

    def _load_text(self, engine: bool = False) -> None:
        cls = self.layer_class
        if cls is not None and (engine or cls.__name__ not in self.functions):
            self.editor.value = engine_text(cls)

    def __panel__(self) -> pn.Column:
        buttons = pn.Row(self.kind, self.use, self.back, self.again, stylesheets=[WRAP_ROW], styles=SHRINKS)
        note = html(
            "<div class='pg-sub'>The engine's own code of the layer: change it and press Use my code. Your code is "
            "checked against finite differences at once, then the network trains with it (numpy is <code>np</code>)."
            "</div>"
        )
        return pn.Column(note, buttons, self.editor, self.result, sizing_mode="stretch_width", styles=SHRINKS)


def _verdict(name: str, errors: dict[str, float], methods: list[str]) -> str:
    """The gradient check as a table: each gradient's relative error and whether it is right."""
    rows = []
    for key, error in errors.items():
        if error < GOOD:
            word = "<span class='good'>✓ right</span>"
        elif error < CLOSE:
            word = "<span class='good'>✓ right up to rounding</span>"
        else:
            word = "<span class='bad'>✗ wrong: does not match the finite differences</span>"
        rows.append(f"<tr><td>{PARAMETER_WORDS.get(key, key)}</td><td>{error:.1e}</td><td>{word}</td></tr>")
    wrong = sum(error >= CLOSE for error in errors.values())
    summary = (
        "Every gradient matches the finite differences."
        if not wrong
        else f"{wrong} of {len(errors)} gradients do not match: training follows them anyway; watch what happens."
    )
    return (
        f"<div class='pg-sub'>The network's {escape(name)} layers now run your {', '.join(methods)}. Gradient check "
        f"(relative error against finite differences on a random batch):</div>"
        f"<table class='pg-check'><tr><th>gradient</th><th>error</th><th></th></tr>{''.join(rows)}</table>"
        f"<div class='pg-sub'>{summary}</div>"
    )

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

from playground.core.code_starts import engine_helpers, engine_text
from playground.core.status import Status
from playground.core.student_code import (
    StudentCodeError,
    compile_methods,
    engine_class,
    gradient_check,
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


class OwnLayer(pn.viewable.Viewer):
    """The editor for `session`'s network; `on_change()` runs after the network's code changed (the page redraws)."""

    def __init__(self, session: Any, on_change: Callable[[], None] = lambda: None, **params: Any) -> None:
        super().__init__(**params)
        self.session, self._on_change = session, on_change
        self.kind = pn.widgets.Select(name="Layer to rewrite", width=200)
        self.editor = pn.widgets.TextAreaInput(
            name="Your code",
            rows=18,
            sizing_mode="stretch_width",
            stylesheets=[EDITOR_STYLES],
            styles=SHRINKS,
            css_classes=["pg-code-editor"],  # Tab indents in it (web/static/focus.js)
        )
        self.use = pn.widgets.Button(name="Use my code", button_type="primary", width=150)
        self.back = pn.widgets.Button(name="Back to the engine's code", width=200, disabled=True)
        self.again = pn.widgets.Button(name="Start again from the engine's text", width=240)
        self.result = html(stylesheets=[CHECK_STYLES], sizing_mode="stretch_width", margin=(0, 5))
        self.left_out = html(margin=(0, 5))  # the network's kinds of layers whose code needs more than numpy
        self._shown_kind = self._given = None  # the kind of layer whose text the editor holds, and the text given
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
        """After a new network: its kinds of layers to choose from (the session puts the student's code back into
        it); after the student's code failed in training (the session went back to the engine's), the editor says so."""
        if self.session.view.status == Status.ERROR or self.session.model is None:
            return
        if not self.back.disabled and self.session.own_code is None:  # it failed in training: the engine's again
            self.back.disabled = True
            self.result.object = f"<div class='pg-code-error'>{escape(self.session.view.message)}</div>"
        classes = list(dict.fromkeys(engine_class(layer) for layer in self.session.model.layers))
        helpers = {cls.__name__: engine_helpers(cls) for cls in classes}
        names = [name for name, used in helpers.items() if not used]
        left_out = [f"{name} (its code calls the engine's {', '.join(used)})" for name, used in helpers.items() if used]
        self.left_out.object = (
            f"<div class='pg-sub'>Not offered, as your code sees numpy alone: {'; '.join(left_out)}.</div>"
            if left_out
            else ""
        )
        chosen = self.kind.value if self.kind.value in names else ("Dense" if "Dense" in names else names[0])
        self.kind.options = names
        self.kind.value = chosen
        self._load_text()
        self.back.disabled = self.session.own_code is None

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
        self.session.use_own_code(cls, functions)
        self.session.editor_texts = {**self.session.editor_texts, cls.__name__: text}
        self._given = text  # the editor holds it already
        self.back.disabled = False
        self.result.object = _verdict(cls.__name__, errors, list(functions))
        self._on_change()

    def engine_code(self) -> None:
        """Every layer back to the engine's code."""
        self.session.engine_code()
        self.back.disabled = True
        self.result.object = "<div class='pg-sub'>The network runs the engine's code again.</div>"
        self._on_change()

    def _load_text(self, engine: bool = False) -> None:
        """The text of the chosen kind of layer when another kind was shown or another text given (a lesson's start
        after Reset), or with `engine` the engine's: the one the student last used or a lesson gave, else the
        engine's own."""
        cls = self.layer_class
        given = self.session.editor_texts.get(cls.__name__) if cls is not None else None
        if cls is None or (cls.__name__ == self._shown_kind and given is self._given and not engine):
            return  # the student's text stays while the kind and the given text (a lesson's start) do
        self._shown_kind, self._given = cls.__name__, given
        self.editor.value = (None if engine else given) or engine_text(cls)
        self.result.object = ""  # a check of other code no longer applies

    def __panel__(self) -> pn.Column:
        buttons = pn.Row(self.kind, self.use, self.back, self.again, stylesheets=[WRAP_ROW], styles=SHRINKS)
        note = html(
            "<div class='pg-sub'>The engine's own code of the layer: change it and press Use my code. Your code is "
            "checked against finite differences at once, then the network trains with it (numpy is <code>np</code>). "
            "In the editor Tab indents and Shift+Tab unindents; Escape, then Tab, leaves it."
            "</div>"
        )
        return pn.Column(
            note, buttons, self.left_out, self.editor, self.result, sizing_mode="stretch_width", styles=SHRINKS
        )


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

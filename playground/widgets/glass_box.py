"""The glass box: the engine's code beside the network, and one training step walked through line by line.

"Code" shows the source of any function a training step runs, read from the running modules (code_trace.source_of):
the training step itself, the model's and each layer's forward and backward, the loss and the optimizer. "Run one
step, line by line" takes the page's own Step (the network really trains that step) under the recorder and lets the
student walk through every line that ran: the function's code with that line marked, the arrays it produced for the
chosen example of the batch, and the layer marked in the page's diagram (`on_layer`).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import panel as pn

from playground.core import array_html, highlight
from playground.core.code_trace import Source, Stage, record, step_sources
from playground.core.status import Status
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

TRAIN_STEP = "train_step"


class GlassBox(pn.viewable.Viewer):
    """The code view and the step walk-through of `session` (a TrainingSession). `on_change()` redraws the page after
    the recorded step; `on_layer(index or None)` marks a model layer in the page's diagram."""

    marks_columns = True  # it marks a column of the page's diagram (`on_layer`)

    def __init__(
        self,
        session: Any,
        on_change: Callable[[], None] = lambda: None,
        on_layer: Callable[[int | None], None] = lambda layer: None,
        **params: Any,
    ) -> None:
        super().__init__(**params)
        self.session, self._on_change, self._on_layer = session, on_change, on_layer
        self.sources: dict[str, Source] = {}
        self._kinds: tuple[type, ...] = ()  # the classes (model, layers, loss, optimizer) whose functions are listed
        self.stages: list[Stage] = []
        self.function = pn.widgets.Select(name="Code of", width=260)
        self.where = html(margin=(0, 5))
        self.code = html(stylesheets=[highlight.STYLES], sizing_mode="stretch_width", margin=(0, 5))
        self.run = pn.widgets.Button(name="Run one step, line by line", button_type="primary", width=220)
        self.line = pn.widgets.Select(name="Line that ran", width=360, disabled=True)
        self.previous = pn.widgets.Button(name="◀ Previous line", width=130, disabled=True)
        self.next = pn.widgets.Button(name="Next line ▶", width=130, disabled=True)
        self.example = pn.widgets.IntInput(name="Example of the batch", value=1, start=1, width=150)
        self.told = html(margin=(0, 5))
        self.arrays = html(stylesheets=[array_html.STYLES], sizing_mode="stretch_width", margin=(0, 5))
        self.function.param.watch(lambda event: self._show_function(), "value")
        self.run.on_click(lambda event: self.record_step())
        self.line.param.watch(lambda event: self._show_stage(), "value")
        self.previous.on_click(lambda event: self._move(-1))
        self.next.on_click(lambda event: self._move(1))
        self.example.param.watch(lambda event: self._show_stage(), "value")
        self.refresh()

    # -- what the page calls --------------------------------------------------------------------------

    def refresh(self) -> None:
        """The functions of the current network, read again when its classes changed (a rebuild may bring other
        layers, a student's code other methods); the recorded step and the line shown are kept."""
        session = self.session
        if session.view.status == Status.ERROR or session.trainer is None:
            return
        trainer = session.trainer
        kinds = (type(session.model), *map(type, session.model.layers), type(trainer.loss), type(trainer.optimizer))
        if kinds == self._kinds:
            return  # the same functions, shown: the page refreshes the open view on every redraw while it trains
        self._kinds = kinds
        self.sources = {source.title: source for source in step_sources(session.model, trainer.loss, trainer.optimizer)}
        chosen = self.function.value if self.function.value in self.sources else TRAIN_STEP
        self.function.options = list(self.sources)
        self.function.value = chosen
        self._show_function()

    def show_layer(self, index: int) -> None:
        """The code of model layer `index`'s forward (the layer chosen in the diagram)."""
        kind = type(self.session.model.layers[index])
        title = next((title for title in self.sources if title.endswith(".forward") and
                      title.split(".")[0] in {cls.__name__ for cls in kind.__mro__}), None)  # fmt: skip
        if title is not None:
            self.function.value = title

    def record_step(self) -> None:
        """The page's Step, recorded: the stages of every line that ran, the first one shown."""
        session = self.session
        if session.view.status in (Status.ERROR, Status.LOADING, Status.DIVERGED):
            self.told.object = "<div class='pg-sub'>The network cannot take a step now (see the message above).</div>"
            return
        trainer = session.trainer
        self.stages = record(session.step_batch, session.model, trainer.loss, trainer.optimizer)
        self._on_change()  # the page redraws after the step, outside the recorder
        if not self.stages:
            return
        batch = len(self.stages[0].values.get("x", ()))
        self.example.end, self.example.value = max(batch, 1), min(self.example.value, max(batch, 1))
        self.line.options = [f"{k + 1}. {stage.source.title}: {_line_words(stage)}" for k, stage in
                             enumerate(self.stages)]  # fmt: skip
        self.line.disabled = False
        self.told.object = (
            f"<div class='pg-sub'>Step {session.view.step} ran {len(self.stages)} lines of the engine on a batch of "
            f"{batch} examples; the network has taken this step. Walk through them with the buttons below.</div>"
        )
        self.line.value = self.line.options[0]
        self._show_stage()

    # -- showing ----------------------------------------------------------------------------------------

    def _show_function(self, source: Source | None = None, marked: int | None = None) -> None:
        source = source or self.sources.get(self.function.value)
        if source is None:
            return
        where = f"line {source.first_line + (marked or 1) - 1}" if marked else f"from line {source.first_line}"
        self.where.object = (
            f"<div class='pg-sub'>{escape(source.title)} in {escape(_short_path(source.path))}, {where}</div>"
        )
        self.code.object = highlight.highlight(source.text, marked, source.first_line)

    def _position(self) -> int:
        return self.line.options.index(self.line.value) if self.line.value in self.line.options else 0

    def _move(self, step: int) -> None:
        if self.stages:
            self.line.value = self.line.options[max(0, min(len(self.stages) - 1, self._position() + step))]

    def _show_stage(self) -> None:
        if not self.stages:
            return
        position = self._position()
        stage = self.stages[position]
        self.previous.disabled, self.next.disabled = position == 0, position == len(self.stages) - 1
        if stage.source.title in self.sources:
            self.function.value = stage.source.title  # "Code of" names the function shown (its watcher draws it)
        self._show_function(stage.source, stage.line)
        batch = len(self.stages[0].values.get("x", ()))
        what = "was called with" if stage.call else "produced"
        layer = "" if stage.layer is None else f" (model layer {stage.layer})"
        self.arrays.object = (
            f"<div class='pg-sub'>{escape(stage.source.title)}{layer} {what}:</div>"
            + array_html.arrays_html(stage.values, self.example.value - 1, batch if stage.examples else 0)
        )
        self._on_layer(stage.layer)

    def __panel__(self) -> pn.Column:
        walk = pn.Row(self.run, self.line, self.previous, self.next, self.example, stylesheets=[WRAP_ROW],
                      styles=SHRINKS)  # fmt: skip
        return pn.Column(
            pn.Row(self.function, self.where, stylesheets=[WRAP_ROW], styles=SHRINKS),
            walk,
            self.told,
            self.code,
            self.arrays,
            sizing_mode="stretch_width",
            styles=SHRINKS,
        )


def _line_words(stage: Stage) -> str:
    if stage.call:
        return "called with " + ", ".join(stage.values) if stage.values else "called"
    return stage.code_line[:60]


def _short_path(path: str) -> str:
    """The module's path from the project's package ("nn_core/layers/dense.py"), or as it is."""
    for package in ("nn_core/", "playground/"):
        if package in path:
            return path[path.rindex(package) :]
    return path

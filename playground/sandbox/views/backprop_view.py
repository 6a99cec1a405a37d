"""Step-by-step backprop for one training point: pick the point, then step through the forward pass, the loss,
the deltas layer by layer and the gradients, each with its numbers; the diagram marks the layer of the step."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.core.palette import NEGATIVE_TEXT, POSITIVE_TEXT
from playground.core.status import Status
from playground.sandbox.backprop import Table, walkthrough
from playground.sandbox.output import label_name
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from playground.sandbox.session import Session

TABLE_STYLES = f"""
.pg-bp-words {{ font: 13px sans-serif; color: #333; margin: 4px 0 8px; max-width: 860px; }}
.pg-bp-tables {{ display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; overflow-x: auto; }}
.pg-bp table {{ border-collapse: collapse; font: 12px monospace; }}
.pg-bp caption {{ font: 12px sans-serif; color: #666; text-align: left; padding-bottom: 2px; white-space: nowrap; }}
.pg-bp th {{ font: 600 11px sans-serif; color: #444; padding: 2px 6px; background: #f3f4f5; }}
.pg-bp td {{ padding: 2px 6px; text-align: right; border-top: 1px solid #e3e3e3; }}
.pg-bp .pos {{ color: {POSITIVE_TEXT}; }} .pg-bp .neg {{ color: {NEGATIVE_TEXT}; }}
"""


def number(value: float) -> str:
    """A table entry: four decimals, or scientific notation when that would show only zeros; with its sign."""
    if value != 0 and abs(value) < 1e-3:
        return f"{value:+.2e}"
    return f"{value:+.4f}"


# The tables scroll sideways in their own box when the window is narrower: a keyboard reaches and scrolls it.
TABLES_REGION = "tabindex='0' role='region' aria-label='The numbers of this step'"


def table_html(table: Table) -> str:
    """An HTML table of a backprop.Table, positive numbers blue and negative orange like the diagram."""
    head = "".join(f"<th scope='col'>{escape(column)}</th>" for column in ["", *table.columns])
    rows = []
    for name, values in zip(table.rows, table.values, strict=True):
        cells = "".join(f"<td class='{'pos' if v > 0 else 'neg' if v < 0 else ''}'>{number(v)}</td>" for v in values)
        rows.append(f"<tr><th scope='row'>{escape(name)}</th>{cells}</tr>")
    return f"<table><caption>{escape(table.caption)}</caption><tr>{head}</tr>{''.join(rows)}</table>"


class BackpropView(pn.viewable.Viewer):
    """One training point's forward and backward pass through a Session's model, stage by stage; `on_stage(column)`
    is told which diagram column the shown stage is about, `on_point((x1, x2))` which point it follows."""

    marks_columns = True  # it marks a column of the page's diagram (`on_stage`)

    def __init__(
        self,
        session: Session,
        on_stage: Callable[[int], None] = lambda column: None,
        on_point: Callable[[tuple[float, float]], None] = lambda point: None,
        **params: Any,
    ) -> None:
        super().__init__(**params)
        self.session = session
        self._on_stage, self._on_point = on_stage, on_point
        self.point = pn.widgets.IntInput(name="Training point number", value=1, start=1, width=170)
        self.how = html(
            "<div class='pg-sub'>or choose “pick the nearest training point for backprop” in “What a click on the "
            "map does” and click near a point</div>",
            margin=(0, 5),
        )
        self.stage = pn.widgets.Select(name="Step", width=300)
        self.previous = pn.widgets.Button(name="◀ Previous step", width=130, margin=(24, 5, 5, 5))
        self.next = pn.widgets.Button(name="Next step ▶", width=130, margin=(24, 5, 5, 5))
        self.previous.on_click(lambda event: self._move(-1))
        self.next.on_click(lambda event: self._move(1))
        self.point.param.watch(lambda event: self.refresh(), "value")
        self.stage.param.watch(lambda event: self._show(), "value")
        self.example = html(margin=(0, 5), sizing_mode="stretch_width")
        self.body = html(margin=(0, 5), stylesheets=[TABLE_STYLES], sizing_mode="stretch_width")
        self._stages = []

    def refresh(self) -> None:
        """The walk-through for the chosen point with the current weights, at the same step."""
        session = self.session
        if session.view.status == Status.ERROR:
            return
        trainer, data = session.trainer, session.data
        self.point.end = len(trainer.x_train)
        index = min(self.point.value or 1, len(trainer.x_train)) - 1
        x1, x2 = data.x_train[index]
        self._on_point((x1, x2))
        label = label_name(data.y_train[index], data.n_classes)
        self.example.object = (
            f"<div class='pg-sub'>Point {index + 1} of {len(trainer.x_train)}: (x₁, x₂) = ({x1:.2f}, {x2:.2f}), "
            f"label {label}. The weights are the current ones; training changes them after every batch.</div>"
        )
        self._stages = walkthrough(
            session.model, trainer.loss, trainer.x_train[index], trainer.y_train[index], session.state
        )
        titles = [f"{k + 1}. {stage.title}" for k, stage in enumerate(self._stages)]
        position = self._position()
        self.stage.options = titles
        self.stage.value = titles[min(position, len(titles) - 1)]
        self._show()

    def pick_nearest(self, x1: float, x2: float) -> None:
        """Follows the training point nearest to (x1, x2)."""
        distances = ((self.session.data.x_train - (x1, x2)) ** 2).sum(axis=1)
        self.point.value = int(distances.argmin()) + 1

    def _position(self):
        return self.stage.options.index(self.stage.value) if self.stage.value in self.stage.options else 0

    def _move(self, step):
        titles = self.stage.options
        if titles:
            self.stage.value = titles[max(0, min(len(titles) - 1, self._position() + step))]

    def _show(self):
        if not self._stages or self.stage.value not in self.stage.options:
            return
        stage = self._stages[self._position()]
        self.previous.disabled = self._position() == 0
        self.next.disabled = self._position() == len(self._stages) - 1
        tables = "".join(table_html(table) for table in stage.tables)
        self.body.object = (
            f"<div class='pg-bp'><h4 class='pg-heading'>{escape(stage.title)}</h4>"
            f"<div class='pg-bp-words'>{escape(stage.words)}</div>"
            f"<div class='pg-bp-tables' {TABLES_REGION}>{tables}</div></div>"
        )
        self._on_stage(stage.column)

    def __panel__(self) -> pn.Column:
        return pn.Column(
            pn.Row(self.point, self.stage, self.previous, self.next, stylesheets=[WRAP_ROW], styles=SHRINKS),
            self.how,
            self.example,
            self.body,
        )

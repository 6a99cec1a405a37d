"""One number of the network, chosen by clicking an edge (a weight) or a neuron (its bias) or from the menu: its value,
editable in place, and its story with the real numbers of the next step (playground/core/parameter_story.py): the
forward sum it takes part in, its gradient over the batch and the update that will change it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn

from playground.core.parameter_story import in_formula, parameter_story
from playground.core.status import Status
from playground.sandbox import diagram
from playground.sandbox.output import node_label, node_title
from playground.sandbox.state import dense_position
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from playground.sandbox.session import Session

Choice = tuple[str, tuple[int, ...]]  # (the parameter's dotted name, the index of the number in it)

HINT = "Click an edge (a weight) or a neuron (its bias) in the diagram to see how that number is used and changed."
WHILE_RUNNING = "Pause or press Step to see how this number is used and changed, with the real numbers."
CANNOT = "No story now: the network cannot take a step (see the message above)."
STORY_STYLES = ".pg-story div { font: 12px/1.5 sans-serif; margin: 2px 0; overflow-wrap: anywhere; }"


def parameter_choices(state, edges: dict) -> dict[str, Choice]:
    """{what the menu says: (name, index)} of every weight, edge by edge as the diagram lists them
    ("X₂ → layer 1, neuron 3"), then every bias ("bias of layer 1, neuron 1", ..., "bias of the output")."""
    weights = {
        f"{node_label(source, state)} → {node_label(target, state)}": (name, (int(i), int(j)))
        for source, target, name, i, j in zip(
            edges["source"], edges["target"], edges["param"], edges["i"], edges["j"], strict=True
        )
    }
    return weights | {f"bias of {node_title(node, state)}": choice for node, choice in bias_choices(state).items()}


def bias_choices(state) -> dict[str, Choice]:
    """{node id: (name, index) of its bias} of every hidden and output neuron."""
    columns = diagram.layer_node_ids(state)
    return {node: (f"{dense_position(c - 1)}.b", (k,)) for c in range(1, len(columns)) for k, node in
            enumerate(columns[c])}  # fmt: skip


class ParameterView(pn.viewable.Viewer):
    """The menu of every weight and bias, the chosen one's value (typing a new one sets it: `on_edit()` follows) and
    its story, told once the student has chosen a number and while training is not running."""

    def __init__(self, session: Session, on_edit: Callable[[], None] = lambda: None, **params: Any) -> None:
        super().__init__(**params)
        self.session, self._on_edit = session, on_edit
        self.choice = pn.widgets.Select(name="Weight or bias (or click one in the diagram)", width=280)
        self.value = pn.widgets.FloatInput(name="Its value (type a new one)", width=170, step=0.1)
        self.story = html(f"<div class='pg-sub'>{HINT}</div>", stylesheets=[STORY_STYLES],
                          css_classes=["pg-story"], sizing_mode="stretch_width", margin=(0, 5))  # fmt: skip
        self.chosen = False  # whether the student has picked a number (until then the story pane says how)
        self._edited: Choice | None = None
        self.choice.param.watch(lambda event: self._chose(), "value")
        self.value.param.watch(self._typed, "value")

    def lay_out(self, edges: dict) -> None:
        """The menu for the network's current shape (`edges` as diagram.edges gives them), keeping the choice when
        the new network still has it."""
        choices = parameter_choices(self.session.state, edges)
        kept = self.choice.value if self.choice.value in choices.values() else next(iter(choices.values()))
        self.choice.options = choices
        self.choice.value = kept
        self.show()

    def choose(self, choice: Choice) -> None:
        """What clicking an edge or a neuron does: that number in the menu, its value and its story."""
        self.chosen = True
        if self.choice.value == choice:
            self.show()
        else:
            self.choice.value = choice

    def choose_node(self, node: str) -> None:
        """A click on neuron `node` chooses its bias (an input has none: nothing changes)."""
        choice = bias_choices(self.session.state).get(node)
        if choice is not None:
            self.choose(choice)

    def show(self) -> None:
        """The chosen number's value and story from the network as it is now (the story waits while it trains)."""
        self._edited = None  # no write-back while the input takes the current value
        choice, session = self.choice.value, self.session
        if choice is None or session.view.status == Status.ERROR:
            return
        name, index = choice
        position, _, kind = name.partition(".")
        self.value.value = round(float(session.model.layers[int(position)].params[kind][index]), 6)
        self._edited = choice
        self.story.object = self._story(name, index)

    def refresh(self) -> None:
        """After a redraw: the value and story again when training is not running, else the story says to pause."""
        if self.session.view.status != Status.RUNNING:
            self.show()
        elif self.chosen:
            self.story.object = f"<div class='pg-sub'>{WHILE_RUNNING}</div>"

    def _chose(self) -> None:
        self.chosen = self.chosen or self._edited is not None  # the menu was used (not filled in by lay_out)
        self.show()

    def _typed(self, event) -> None:
        if self._edited is not None and event.new is not None:
            self.session.set_weight(*self._edited, event.new)
            self._on_edit()

    def _story(self, name: str, index: tuple[int, ...]) -> str:
        if not self.chosen:
            return f"<div class='pg-sub'>{HINT}</div>"
        session = self.session
        if session.view.status == Status.DIVERGED or session.trainer is None:
            return f"<div class='pg-sub'>{CANNOT}</div>"
        trainer = session.trainer
        x, y = trainer.upcoming_batch()
        with np.errstate(all="ignore"):
            story = parameter_story(session.model, trainer.loss, trainer.optimizer, x, y, name, index)
        label = next(text for text, choice in self.choice.options.items() if choice == (name, index))
        head = (
            f"<b>{escape(label[0].upper() + label[1:])}</b> = {in_formula(story.value, 6)}. Step "
            f"{session.view.step + 1} will train on a batch of {len(x)} examples:"
        )
        return "".join(f"<div>{escape(line) if k else line}</div>" for k, line in enumerate([head, *story.lines()]))

    def __panel__(self) -> pn.Column:
        return pn.Column(
            pn.Row(self.choice, self.value, stylesheets=[WRAP_ROW]), self.story, sizing_mode="stretch_width",
            styles=SHRINKS,
        )  # fmt: skip

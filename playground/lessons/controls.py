"""What a lesson leaves the student unable to change, and the tasks that would need it changed.

A setting the lesson locks or hides, or whose control is in none of the views it shows, keeps its setup value,
unless a control the student may use moves it (the sandbox's problem menu picks a dataset: `Vocabulary.moves`); so
do the metrics decided by such settings alone (the sandbox's `depth` follows `hidden_layers`: `Vocabulary.sources`).
A task whose check cannot be true with those values, whatever training and the other controls do, can never be done:
`lesson check` refuses it, naming the settings.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.lessons.checks import Check
    from playground.lessons.vocabularies import Vocabulary


def unseen_settings(vocabulary: Vocabulary, views: Collection[str]) -> set[str]:
    """The settings whose control is in none of `views` (the views a lesson shows)."""
    shown = {name for view in views for name in vocabulary.controls.get(view, ())}
    return set(vocabulary.settings) - shown


def fixed_settings(
    vocabulary: Vocabulary, locked: Collection[str], hidden: Collection[str], unseen: Collection[str] = ()
) -> set[str]:
    """The settings no control the student may use changes: locked, hidden or without a control in the lesson's
    views, and moved by no free control."""
    fixed = {name for name in (*locked, *hidden, *unseen) if name in vocabulary.settings}
    while moved := {
        name
        for name in fixed
        if any(name in vocabulary.moves.get(other, ()) for other in vocabulary.settings if other not in fixed)
    }:
        fixed -= moved
    return fixed


def fixed_metrics(vocabulary: Vocabulary, state: Any, fixed: Collection[str]) -> dict[str, tuple]:
    """{metric: (its value, the fixed settings that decide it)} for every metric the `fixed` settings alone decide,
    with `state` holding the lesson's setup."""
    sources = {name: (name,) for name in vocabulary.settings} | vocabulary.sources
    values = vocabulary.state_metrics(state)
    return {
        metric: (values[metric], settings)
        for metric, settings in sources.items()
        if metric in values and set(settings) <= set(fixed)
    }


def never_true(
    check: Check, fixed: dict[str, tuple], locked: Collection[str], hidden: Collection[str] = ()
) -> str | None:
    """Why `check` can never be true with the `fixed` metrics' values (`fixed_metrics`), naming the settings the
    student would have to change (locked, hidden, or with no control in the lesson's views), or None when it can be
    true."""
    values = {metric: value for metric, (value, _) in fixed.items() if metric in check.names}
    if check.could_hold(values):
        return None
    # The metrics that alone stop it; several together when no one alone does.
    blamed = [name for name in sorted(values) if check.could_hold({k: v for k, v in values.items() if k != name})]
    reasons = []
    for metric in blamed or sorted(values):
        settings = ", ".join(f"{name} {_why_fixed(name, locked, hidden)}" for name in fixed[metric][1])
        reasons.append(f"{metric} stays {values[metric]!r} ({settings})")
    return (
        f"can never be true in this lesson: {'; '.join(reasons)}. Let the student change it (take it out of `locked` "
        "and `hidden`, and show the view with its control), or ask for something the student can change"
    )


def _why_fixed(name: str, locked: Collection[str], hidden: Collection[str]) -> str:
    if name in locked:
        return "is locked"
    return "is hidden" if name in hidden else "has no control in the lesson's views"

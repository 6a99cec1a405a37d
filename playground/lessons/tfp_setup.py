"""A lesson's `setup: {tfp_url: LINK}`: a TensorFlow Playground link (or one of the sandbox's) whose settings become
the setup, the setup's own lines winning over the link's, and whose hidden controls join the lesson's `hidden`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from playground.core.query import changed_settings, query_of
from playground.lessons.vocabularies import apply_settings

if TYPE_CHECKING:
    from playground.lessons.vocabularies import Vocabulary

TFP_URL = "tfp_url"
EXAMPLE = "https://playground.tensorflow.org/#activation=relu&learningRate=0.01"


def linked_setup(setup: dict[str, Any], vocabulary: Vocabulary) -> tuple[dict[str, Any], list[str], list[str]]:
    """(the setup with its `tfp_url` replaced by the settings of the link, the settings whose controls the link hides,
    what of the link cannot be used); without `tfp_url`, (the setup, [], [])."""
    own = {name: value for name, value in setup.items() if name != TFP_URL}
    if TFP_URL not in setup:
        return own, [], []
    if vocabulary.page != "sandbox":
        return own, [], ["a TensorFlow Playground link sets up the sandbox only (`page: sandbox`)"]
    if not isinstance(setup[TFP_URL], str):
        return own, [], [f"expected a TensorFlow Playground link, e.g. '{EXAMPLE}'"]
    state, notices = vocabulary.state_class.from_query(query_of(setup[TFP_URL]))
    apply_settings(state, own, vocabulary)  # what of the own lines cannot be used is reported with the setup's
    linked = {name: value for name, value in changed_settings(state, own).items() if name in vocabulary.settings}
    return {**linked, **own}, list(state.hide), [f"the link's {notice}" for notice in notices]

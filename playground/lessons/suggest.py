""" "Did you mean ...?" for a name a lesson's header gets wrong: our name for TensorFlow Playground's (`learningRate`:
learning_rate; `learningRate_hide`: hidden: [learning_rate]), else the closest known name (`learning_rat`)."""

from collections.abc import Collection
from difflib import get_close_matches

from playground.core.tfp_link import tfp_hidable, tfp_settings

CLOSE = 0.75  # difflib's similarity a misspelling needs to be suggested


def did_you_mean(name: object, known: Collection[str]) -> str:
    """ " (did you mean NAME?)" for the known name `name` most likely stands for, or "" when none is close."""
    if not isinstance(name, str):
        return ""
    ours = tfp_settings(name)
    if ours and set(ours) <= set(known):
        guess = ", ".join(ours)
        guess = f"hidden: [{guess}]" if tfp_hidable(name) else guess
    else:
        guess = next(iter(get_close_matches(name, list(known), n=1, cutoff=CLOSE)), None)
    return f" (did you mean {guess}?)" if guess else ""

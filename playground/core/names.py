"""How the pages name a model's parameters for students: the engine's dotted names ("0.W", "4.b") in words."""

from collections.abc import Mapping

# What each kind of parameter is, in the words the views use.
PARAMETER_WORDS = {"W": "weights", "b": "biases", "gamma": "scales", "beta": "shifts"}


def parameter_title(name: str, layer_titles: Mapping[int, str]) -> str:
    """The name a student reads for the engine's parameter `name` ("<model layer>.<kind>"), given how the page names
    its layers ({model layer: title}): "0.W" with {0: "layer 1"} gives "Layer 1 weights"."""
    position, _, kind = name.partition(".")
    title = f"{layer_titles[int(position)]} {PARAMETER_WORDS[kind]}"
    return title[0].upper() + title[1:]

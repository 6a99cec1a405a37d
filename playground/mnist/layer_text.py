"""The layer stack as short readable text for URLs, one token per layer, comma-separated:
`conv8k3,relu,maxpool2,conv16k3s2same,relu,avgpool2,flatten,dropout0.25,dense10`.

conv{filters}k{kernel_size}, then s{stride} when not 1 and "same" for same padding; maxpool{size}, avgpool{size},
dense{units}, dropout{rate}; flatten, batchnorm and the activations by their names.
"""

import re

from nn_core import ACTIVATIONS

_CONV = re.compile(r"conv(\d+)k(\d+)(?:s(\d+))?(same)?")
_NUMBERED = re.compile(r"(maxpool|avgpool|dense|dropout)(\d+(?:\.\d+)?)")
_FIELD = {  # token prefix: (layer type, its field, the field's type)
    "maxpool": ("maxpool2d", "size", int),
    "avgpool": ("avgpool2d", "size", int),
    "dense": ("dense", "units", int),
    "dropout": ("dropout", "rate", float),
}
_PLAIN = ("flatten", "batchnorm", *ACTIVATIONS)


def stack_text(layers: list[dict]) -> str:
    """The text of a stack of layer entries (fields left out take the engine's defaults)."""
    return ",".join(map(_token, layers))


def parse_stack(text: str) -> list[dict]:
    """The layer entries `text` stands for; ValueError naming the first token that stands for no layer."""
    tokens = text.split(",") if text else []
    if not tokens:
        raise ValueError("the stack needs at least one layer")
    return [_entry(position, token.strip()) for position, token in enumerate(tokens)]


def _token(entry):
    kind = entry["type"]
    if kind == "conv2d":
        stride, same = entry.get("stride", 1), entry.get("padding", "valid") == "same"
        return (
            f"conv{entry['filters']}k{entry['kernel_size']}"
            + (f"s{stride}" if stride != 1 else "")
            + ("same" if same else "")
        )
    for prefix, (name, field, _) in _FIELD.items():
        if kind == name:
            return f"{prefix}{entry[field]}"
    return kind


def _entry(position, token):
    if match := _CONV.fullmatch(token):
        filters, kernel, stride, same = match.groups()
        padding = "same" if same else "valid"
        return {"type": "conv2d", "filters": int(filters), "kernel_size": int(kernel),
                "stride": int(stride or 1), "padding": padding}  # fmt: skip
    if match := _NUMBERED.fullmatch(token):
        kind, field, number_type = _FIELD[match.group(1)]
        try:
            return {"type": kind, field: number_type(match.group(2))}
        except ValueError:
            pass
    if token in _PLAIN:
        return {"type": token}
    raise ValueError(
        f"layer {position} {token!r} is not a layer; write e.g. conv8k3, maxpool2, avgpool2, dense10, dropout0.25, "
        f"flatten, batchnorm or an activation ({', '.join(ACTIVATIONS)})"
    )

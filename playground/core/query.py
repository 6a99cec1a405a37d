"""URL query strings <-> the parameters of a Parameterized state, by parameter type; bad values become notices.

Lists are comma-separated ("hidden_layers=4,2"; "hidden_layers=" is no hidden layer), booleans are
"true"/"false", numbers are written with repr so they read back exactly. A parameter with its own text form has
`to_text(value)` and `from_text(text)` (the latter raising ValueError), e.g. the MNIST lab's layer stack.
"""

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

import param

# TensorFlow Playground's URL keys (its state.ts) that name one of our settings differently.
TFP_KEYS = {
    "learningRate": "learning_rate",
    "regularizationRate": "regularization_rate",
    "batchSize": "batch_size",
    "percTrainData": "train_percent",
    "networkShape": "hidden_layers",
    "showTestData": "show_test_data",
}
TFP_IGNORED = {"regDataset", "collectStats", "tutorial", "initZero", "hideText"}


def encode_query(state: param.Parameterized, omit: Iterable[str] = ()) -> str:
    """ "key=value&..." for every setting that differs from its default (lists comma-separated), except `omit`."""
    pairs = []
    for name, parameter in state.param.objects("existing").items():
        value = getattr(state, name)
        if name not in ("name", *omit) and value != parameter.default:
            pairs.append((name, _encode(value, parameter)))
    return urlencode(pairs, safe=",")


def decode_query(state: param.Parameterized, query: str) -> list[str]:
    """Sets `state` from a query string (a leading "?" or "#" is fine); returns notices for what was ignored."""
    notices = []
    settable = [name for name in state.param if name != "name"]
    given = dict(_translated_tfp(parse_qsl(query.lstrip("?#"), keep_blank_values=True), notices))
    for name in [key for key in given if key not in settable]:
        notices.append(f"{name}: unknown setting, ignored")
    for name in [key for key in settable if key in given]:  # registry order: problem before dataset
        try:
            setattr(state, name, _decode(state.param[name], given[name]))
        except (ValueError, TypeError) as error:
            keeping = _encode(getattr(state, name), state.param[name])
            notices.append(f"{name}: cannot use {given[name]!r} ({refusal_reason(error)}); keeping {keeping!r}")
    if "problem" in given and "problem" in settable and given["problem"] != state.problem:
        notices.append(f"problem: the dataset {state.dataset!r} is a {state.problem} problem")
    return notices


def _encode(value, parameter=None):
    if hasattr(parameter, "to_text"):
        return parameter.to_text(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(_encode(item) for item in value)
    return repr(value) if isinstance(value, float) else str(value)


def _decode(parameter, text):
    """The value `text` stands for, of the parameter's type; raises ValueError if it stands for none."""
    if hasattr(parameter, "from_text"):
        return parameter.from_text(text)
    if isinstance(parameter, param.Boolean):
        if text not in ("true", "false"):
            raise ValueError("expected true or false")
        return text == "true"
    if isinstance(parameter, param.Integer):
        return int(text)
    if isinstance(parameter, param.List):
        items = [item for item in text.split(",")] if text else []
        return [int(item) for item in items] if parameter.item_type is int else items
    if isinstance(parameter, param.ListSelector):
        return text.split(",") if text else []
    if isinstance(parameter, param.Selector):
        kinds = {type(option) for option in parameter.objects}
        if kinds in ({int}, {float}):  # a menu of numbers: the text is one of them
            return kinds.pop()(text)
    return text


def _translated_tfp(pairs, notices):
    """The pairs with TensorFlow Playground's keys and values turned into ours (its features are booleans)."""
    tfp_features = {}
    for key, value in pairs:
        if key in TFP_IGNORED or key.endswith("_hide"):
            continue
        if key in ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY", "cosX", "cosY"):
            tfp_features[key] = value == "true"
        elif key == "seed" and "." in value:  # TFP's seeds are strings like "0.58391"
            yield key, value.replace("0.", "", 1)
        elif key == "regularization" or key == "activation":
            yield key, value.lower()
        else:
            yield TFP_KEYS.get(key, key), value
    if tfp_features:
        yield "features", ",".join(name for name, on in tfp_features.items() if on)


def refusal_reason(error: Exception) -> str:
    """The message without the parameter's name, which the notice already starts with."""
    return re.sub(r"^(\w+ parameter '[\w.]+' |\w+: )", "", str(error))

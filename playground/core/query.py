"""URL query strings <-> the parameters of a Parameterized state, by parameter type; bad values become notices.

Lists are comma-separated ("hidden_layers=4,2"; "hidden_layers=" is no hidden layer), booleans are
"true"/"false", numbers are written with repr so they read back exactly. A parameter with its own text form has
`to_text(value)` and `from_text(text)` (the latter raising ValueError), e.g. the MNIST lab's layer stack.

A page URL's settings are its query and its hash (TensorFlow Playground's links keep theirs there, with TFP's own
names: tfp_link.py); where both set one, the query's wins.

A link is anything anyone typed, so reading one is bounded and total: at most MAX_PAIRS settings are read from each
of its query and its hash, a value longer than MAX_VALUE_CHARS is refused unread, numbers are ASCII digits of a sane
length (never int() of whatever `isdigit()` likes: "²" is a digit to it), and every notice is in a student's words,
with any value shown at most SHOWN_CHARS long; past MAX_NOTICES notices, one more counts the rest.
"""

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import param

from playground.core.tfp_link import (
    TFP_DEFAULT_FEATURES,
    TFP_FEATURES,
    TFP_HIDABLE,
    TFP_KEYS,
    TFP_UNSUPPORTED,
    TFP_UNUSED,
    tfp_hidable,
)

MAX_PAIRS = 200  # settings read from a link's query, and from its hash (TFP's links have about 50 keys)
MAX_VALUE_CHARS = 1000  # a longer value is refused unread (the longest sensible one, a layer stack, is ~300)
SHOWN_CHARS = 40  # a value, name or word shown in a notice is cut to this many characters, ending in "…"
MAX_NOTICES = 10  # notices listed; one more says how many others there were
_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(?:[eE][+-]?[0-9]{1,3})?")


class SettingsError(ValueError):
    """Settings given in Python (playground/jupyter.py) that a page cannot use: `refusals`, each said as the page's
    notice says it, without what the page does instead ("keeping 0")."""

    def __init__(self, refusals: Sequence[str]) -> None:
        self.refusals = list(refusals)
        listed = "\n  ".join(self.refusals)
        super().__init__(
            listed if len(self.refusals) == 1 else f"{len(self.refusals)} settings cannot be used:\n  {listed}"
        )


def encode_query(state: param.Parameterized, omit: Iterable[str] = ()) -> str:
    """ "key=value&..." for every setting that differs from its default (lists comma-separated), except `omit`."""
    pairs = [(name, _encode(value, state.param[name])) for name, value in changed_settings(state, omit).items()]
    return urlencode(pairs, safe=",:")


def changed_settings(state: param.Parameterized, omit: Iterable[str] = ()) -> dict:
    """{name: value} of every setting of `state` that differs from its default, in registry order, except `omit`."""
    return {
        name: getattr(state, name)
        for name, parameter in state.param.objects("existing").items()
        if name not in ("name", *omit) and getattr(state, name) != parameter.default
    }


def settings_query(state_class: type[param.Parameterized], settings: Mapping[str, Any]) -> str:
    """The query a page URL would carry for settings given in Python ({name: value}), for `decode_query` to check as
    it checks a link."""
    parameters = state_class.param
    pairs = [
        (name, _python_text(value, parameters[name] if name in parameters else None))
        for name, value in settings.items()
    ]
    return urlencode(pairs, safe=",:")


def _python_text(value, parameter):
    """A setting's Python value as a URL writes it: a string as the URL's text already ("flatten,dense10"), any other
    value as `encode_query` writes it (a tuple or an array as a list); what no URL can hold as its repr, which the
    setting then refuses."""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        value = list(value)
    try:
        return _encode(value, parameter)
    except (KeyError, TypeError, AttributeError):  # a layer stack of entries that are not layers
        return repr(value)


def query_of(url: str) -> str:
    """The settings of a playground or TensorFlow Playground URL, its query and its hash as `from_query` reads them
    ("dataset=xor#noise=10"), or the text itself when it is settings ("dataset=xor&noise=10")."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # not a URL ("http://["): read as settings, whose notices say what is wrong
        return text
    if "://" not in text and "=" in parts.path:  # no page before the settings
        return text
    return f"{parts.query}#{parts.fragment}" if parts.fragment else parts.query


def read_pairs(query: str) -> tuple[list[tuple[str, str]], int]:
    """The first MAX_PAIRS (key, value) pairs of a query string (a leading "?" or "#" is fine), percent-decoded
    as `parse_qsl` does (undecodable bytes become "\ufffd"; "noise" alone is ("noise", "")), and how many more
    pairs it has, unread."""
    segments = query.lstrip("?#").split("&", MAX_PAIRS)
    rest = segments.pop() if len(segments) > MAX_PAIRS else ""
    unread = sum(1 for segment in rest.split("&") if segment)
    return parse_qsl("&".join(segments), keep_blank_values=True), unread


def decode_query(state: param.Parameterized, query: str, strict: bool = False) -> list[str]:
    """Sets `state` from a page URL's query and hash ("?noise=5", "#noise=5", "?noise=5#activation=relu": TensorFlow
    Playground's links keep their settings in the hash) and returns notices for what was ignored. Where both set a
    setting, the query's wins: the page writes its settings there (and drops the hash).
    With `strict` (settings given in Python, `settings_query`) it raises SettingsError instead, naming every setting
    it cannot use in the same words, and an unknown name with the setting it most resembles."""
    search, _, fragment = query.partition("#")
    notices, given, unread = [], {}, 0
    settable = [name for name in state.param if name != "name"]
    for part in (fragment, search):
        pairs, more = read_pairs(part)
        translated, tfp_notices = _translated_tfp(pairs)
        translated = [(key, value) for key, value in translated if key or value]  # "&=&" is nothing
        part_given = dict(translated)
        for name, times in Counter(key for key, _ in translated).items():
            if times > 1 and name in settable:
                notices.append(f"{name}: given {times} times; using the last, {shown(part_given[name])}")
        notices += tfp_notices
        given |= part_given
        unread += more
    for name in [key for key in given if key not in settable]:
        if name:
            notices.append(
                f"{shown(name, quoted=False)}: unknown setting{_closest(name, settable) if strict else ', ignored'}"
            )
        else:  # "=5": a value without a name
            notices.append(f"{shown(given[name])} has no setting name; ignored")
    for name in [key for key in settable if key in given]:  # registry order: problem before dataset
        parameter, text = state.param[name], given[name]
        try:
            setattr(state, name, _decode(parameter, text))
        except (ValueError, TypeError) as error:
            keeping = _encode(getattr(state, name), parameter) or "none"
            reason = student_reason(error, text)
            refusal = f"{name}: cannot use {shown(text)} ({reason})"
            notices.append(refusal if strict else f"{refusal}; keeping {shown(keeping, quoted=False)}")
    if "problem" in given and "problem" in settable and given["problem"] != state.problem:
        notices.append(f"problem: the dataset {state.dataset!r} is a {state.problem} problem")
    if strict and notices:
        raise SettingsError(notices)
    return capped(notices, unread)


def _closest(name: str, settable: Sequence[str]) -> str:
    """What an unknown setting's notice adds in Python: the setting `name` begins or most resembles, or them all."""
    close = [known for known in settable if known.startswith(name)] or difflib.get_close_matches(name, settable, n=1)
    return f"; did you mean {close[0]}?" if close else f"; the settings are {', '.join(settable)}"


def shown(text: str, quoted: bool = True) -> str:
    """`text` as a notice shows it: at most SHOWN_CHARS characters (the last an ellipsis when cut), characters
    that print as nothing or move the text (controls, direction marks) as "\ufffd", in quotes unless not `quoted`."""
    cut = text[: SHOWN_CHARS + 1]
    cut = "".join(char if char.isprintable() else "\ufffd" for char in cut)
    if len(cut) > SHOWN_CHARS:
        cut = cut[: SHOWN_CHARS - 1] + "…"
    return f"'{cut}'" if quoted else cut


def student_reason(error: Exception, value: str | None = None) -> str:
    """Why a value was refused, in a student's words: the message without the parameter's name (which the notice
    starts with) nor the refused `value` (ditto), each word at most SHOWN_CHARS long; Python's own wording becomes
    a plain one."""
    reason = refusal_reason(error)
    if value is not None:
        reason = reason.removeprefix(f"{shown(value)} is ")
    if not isinstance(error, ValueError) or re.search(r"[Pp]arameter|literal|\(\)|NoneType|<class|\bobject\b", reason):
        return "not a value this setting takes"
    return short_words(reason)


def short_words(text: str) -> str:
    """`text` with each word (and value in it) at most SHOWN_CHARS long, so that a notice wraps."""
    return " ".join(shown(word, quoted=False) for word in text.split())


def capped(notices: Sequence[str], unread: int = 0) -> list[str]:
    """The first MAX_NOTICES notices, then one counting the rest and the `unread` settings, if any."""
    more = max(0, len(notices) - MAX_NOTICES) + unread
    counted = f"and {more:,} more setting{'s' if more > 1 else ''} the page could not use"
    return [*notices[:MAX_NOTICES], *([counted] if more else [])]


def _encode(value, parameter=None):
    if hasattr(parameter, "to_text"):
        return parameter.to_text(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(_encode(item) for item in value)
    return repr(float(value)) if isinstance(value, float) else str(value)  # float(): numpy's repr names its type


def _decode(parameter, text):
    """The value `text` stands for, of the parameter's type; raises ValueError (in a student's words) if it stands
    for none or for one the parameter does not take."""
    if len(text) > MAX_VALUE_CHARS:
        raise ValueError(f"{len(text):,} characters: far too long")
    if hasattr(parameter, "from_text"):
        return parameter.from_text(text)
    if isinstance(parameter, param.Boolean):
        if text not in ("true", "false"):
            raise ValueError("must be true or false")
        return text == "true"
    if isinstance(parameter, param.Integer):
        return _within_bounds(_whole_number(text), parameter.bounds)
    if isinstance(parameter, param.List):
        items = text.split(",") if text else []
        _check_length(items, parameter.bounds)
        return [_whole_number(item) for item in items] if parameter.item_type is int else items
    if isinstance(parameter, param.ListSelector):
        items = text.split(",") if text else []
        for item in items:
            _check_choice(item, parameter.objects)
        return items
    if isinstance(parameter, param.Selector):
        kinds = {type(option) for option in parameter.objects}
        if kinds == {int}:  # a menu of numbers: the text is one of them
            return _check_choice(_whole_number(text), parameter.objects)
        if kinds == {float}:
            return _check_choice(_number(text), parameter.objects)
        return _check_choice(text, parameter.objects)
    return text


def _whole_number(text):
    if _WHOLE.fullmatch(text):
        return int(text)
    raise ValueError(f"{shown(text)} is not a whole number" if _NUMBER.fullmatch(text) else _not_a_number(text))


def _number(text):
    if _NUMBER.fullmatch(text):
        return float(text)
    raise ValueError(_not_a_number(text))


def _not_a_number(text):
    return f"{shown(text)} is not a number" if text else "no number given"


def _within_bounds(number, bounds):
    low, high = bounds or (None, None)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"must be from {low:,} to {high:,}" if None not in (low, high) else "out of range")
    return number


def _check_length(items, bounds):
    low, high = bounds or (0, None)
    if high is not None and len(items) > high:
        raise ValueError(f"{len(items):,} entries; at most {high} allowed")
    if low and len(items) < low:
        raise ValueError(f"{len(items)} entries; at least {low} needed")


def _check_choice(value, options):
    if value not in options:
        listed = ", ".join(map(str, options))
        if len(listed) > 80:
            listed = listed[:80].rsplit(", ", 1)[0] + ", …"
        raise ValueError(f"{shown(str(value))} is not one of {listed}")
    return value


def _translated_tfp(pairs):
    """(the pairs with TensorFlow Playground's keys and values turned into ours, notices): for TFP's booleans that are
    neither true nor false, then one naming what has no equivalent here (tfp_link.py's tables). Our keys pass as they
    are. A link with `regDataset` is TFP's: its data set is `regDataset` for a regression problem, else `dataset`."""
    last = dict(pairs)
    regression = "regDataset" in last and last.get("problem") == "regression"
    ours, notices, features, hidden, unmatched = [], [], {}, [], {}  # unmatched: {TFP's key: its value}
    for key, value in pairs:
        control = tfp_hidable(key)
        if control is not None:
            if _tfp_boolean(key, value, notices):
                hidden += TFP_HIDABLE[control]
                if not TFP_HIDABLE[control]:
                    unmatched[key] = value
        elif key in TFP_FEATURES:
            if _tfp_boolean(key, value, notices) is not None:
                features[key] = value == "true"
        elif key in TFP_UNSUPPORTED:
            if value not in TFP_UNSUPPORTED[key]:
                unmatched[key] = value
        elif key in ("dataset", "regDataset") and "regDataset" in last:  # TFP's: a data set for each problem
            if (key == "regDataset") == regression:
                ours.append(("dataset", value))
        elif key == "seed" and value.startswith("0."):  # TFP's seeds are strings like "0.58391"
            ours.append((key, value[2:]))
        elif key in ("regularization", "activation"):  # TFP's "L1", "L2"
            ours.append((key, value.lower()))
        elif key not in TFP_UNUSED:
            ours.append((TFP_KEYS.get(key, key), value))
    if features:
        ours.append(("features", ",".join(f for f in TFP_FEATURES if features.get(f, f in TFP_DEFAULT_FEATURES))))
    if hidden:
        ours.append(("hide", ",".join(dict.fromkeys(hidden))))
    if unmatched:
        listed = ", ".join(shown(f"{key}={value}", quoted=False) for key, value in unmatched.items())
        notices.append(f"TensorFlow Playground's {listed}: no equivalent here, ignored")
    return ours, notices


def _tfp_boolean(key, value, notices):
    """True or False for TFP's "true" or "false"; None, with a notice, for anything else."""
    if value in ("true", "false"):
        return value == "true"
    notices.append(f"{shown(key, quoted=False)}: cannot use {shown(value)} (must be true or false); ignored")
    return None


def refusal_reason(error: Exception) -> str:
    """The message without the parameter's name, which the notice already starts with."""
    return re.sub(r"^(\w+ parameter '[\w.]+' |\w+: )", "", str(error))

"""Bokeh's default property values worked out once per model class instead of at every read; the site's worker
applies it before building a page.

A page's start builds and serializes a few hundred Bokeh models, and every read of a property left at its default
(24,000 of them for the sandbox) makes Bokeh work the default out again: the class's overridden defaults gathered
over its bases, the value copied, then transformed and validated against the property's type. For a default that
is an immutable scalar (None, a bool, a number, a string) and not made by a function, the answer is the same for
every model of a class, so it is kept per class and property after the first read. A default a theme overrides
for a model, and every other default (lists, dicts, models, made by a function such as a model's id), goes to
Bokeh's own code as before. In CPython this took 15% off building and serializing the sandbox
(docs/benchmarks.md).

It wraps a private method of Bokeh (`PropertyDescriptor._get_default`): docs/compat.md lists it with its tests.
"""

from collections.abc import Callable
from typing import Any

from bokeh.core.property.descriptors import PropertyDescriptor

from playground.browser.compat import optional

SLOWER = "pages work out Bokeh's default values at every read again (a slower start, working otherwise)"
IMMUTABLE = (type(None), bool, int, float, str)
_MISSING = object()

_bokeh_get_default: Callable[[PropertyDescriptor, Any], Any] | None = None
_stable: dict[tuple[type, str], Any] = {}  # (model class, property name) -> its default


def _get_default(self: PropertyDescriptor, obj: Any) -> Any:
    themed = obj.themed_values()
    if themed and self.name in themed:
        return _bokeh_get_default(self, obj)
    key = (type(obj), self.name)
    value = _stable.get(key, _MISSING)
    if value is _MISSING:
        value = _bokeh_get_default(self, obj)
        if type(value) in IMMUTABLE and not self.has_unstable_default(obj):
            _stable[key] = value
    return value


def keep_stable_defaults() -> None:
    """From now on a model's immutable, fixed default is worked out once per class and property.

    If Bokeh's method is missing the wrapper is left out, with a PrivateAPIWarning naming it. Applying it again
    changes nothing."""
    global _bokeh_get_default
    get_default = optional(PropertyDescriptor, "_get_default", SLOWER, function=True)
    if get_default is not None and get_default is not _get_default:
        _bokeh_get_default, PropertyDescriptor._get_default = get_default, _get_default

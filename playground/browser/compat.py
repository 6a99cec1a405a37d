"""Loud failures for the private names of other libraries that the browser's start relies on. docs/compat.md
lists every one, with the test that guards it.

A private name can change in any release of its library. The wrappers and web/static/boot.py look each one up
through `private()` (no page works without it: `PrivateAPIError`) or `optional()` (pages work without it, only
slower: a `PrivateAPIWarning`, and the wrapper is left out). They do it when they are applied, so a renamed name
fails right there, naming the library and its version, the name and docs/compat.md. Without this, a wrapper would
silently do nothing, or an AttributeError would turn up later somewhere deep in a page's start.
"""

from __future__ import annotations

import types
import warnings
from typing import Any

COMPAT = "docs/compat.md"
_MISSING = object()


class PrivateAPIError(RuntimeError):
    """A private name that no page works without is missing from the installed library."""


class PrivateAPIWarning(RuntimeWarning):
    """A private name that a wrapper needs is missing: the wrapper is left out, and pages work, only slower."""


def qualified_name(owner: object, name: str) -> str:
    """The full name of `owner.name` ("bokeh.util.serialization._compute_datetime_types") for a module, a class
    or an instance `owner`."""
    if isinstance(owner, types.ModuleType):
        return f"{owner.__name__}.{name}"
    cls = owner if isinstance(owner, type) else type(owner)
    return f"{cls.__module__}.{cls.__qualname__}.{name}"


def library(qualified: str) -> str:
    """The library that a full name belongs to, with its installed version ("Bokeh 3.7.3")."""
    top = qualified.partition(".")[0]
    try:
        from importlib.metadata import version  # only when something is missing: not a start-up import

        return f"{top.capitalize()} {version(top)}"
    except Exception:
        return top.capitalize()


def message(owner: object, name: str, consequence: str, problem: str = "is missing") -> str:
    """What a student's console or page shows: the library, the name, what it means, where to look."""
    qualified = qualified_name(owner, name)
    return f"nn-playground: {library(qualified)}: {qualified} {problem}, so {consequence}. See {COMPAT}."


def private(owner: object, name: str, consequence: str, *, function: bool = False) -> Any:
    """`owner.name`, or a PrivateAPIError saying that `consequence` follows. With `function`, it must be callable."""
    value = getattr(owner, name, _MISSING)
    if value is _MISSING or (function and not callable(value)):
        problem = "is missing" if value is _MISSING else "is not a function"
        raise PrivateAPIError(message(owner, name, consequence, problem))
    return value


def optional(owner: object, name: str, consequence: str, *, function: bool = False) -> Any | None:
    """`owner.name`, or None after a PrivateAPIWarning saying that `consequence` follows (the caller then leaves
    its wrapper out). With `function`, it must be callable."""
    value = getattr(owner, name, _MISSING)
    if value is _MISSING or (function and not callable(value)):
        warn(owner, name, consequence, "is missing" if value is _MISSING else "is not a function")
        return None
    return value


def warn(owner: object, name: str, consequence: str, problem: str = "is missing") -> None:
    """A PrivateAPIWarning about `owner.name` (Pyodide prints it to the browser's console)."""
    warnings.warn(message(owner, name, consequence, problem), PrivateAPIWarning, stacklevel=3)

"""Panel without markdown-it and bleach for plain text; the site's worker applies it before building a page.

Panel renders every widget's description (the settings' "?" tooltips, from their parameter's doc) as Markdown
with markdown-it, and passes every string parameter of a ReactiveHTML component (AriaStates' name and layout
settings) through bleach's HTML cleaner. Importing the two and what they pull in cost a page's start about
0.3 s in Pyodide (docs/benchmarks.md), for texts that hold no markup at all. For such texts these wrappers give
what the libraries would (a paragraph of the text, escaped; the text itself) and hand every other text to them.

Both wrapped names are private to Panel (`Markdown._get_parser`, `panel.util.HTML_SANITIZER.clean`): docs/compat.md
lists them with the tests that guard them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import panel.util
from panel.pane.markup import Markdown

from playground.browser.compat import optional, warn

# What a student gets when a private name below is gone: the page still works (Panel's own code runs).
SLOWER = "pages import markdown-it and bleach at start again (about 0.3 s slower in Pyodide, working otherwise)"

# Letters, digits, spaces and punctuation that mean nothing to Markdown or HTML (no *, _, `, [, <, &, ", #, \,
# |, ~, no line break), starting with a letter, digit or bracket but not like a list item, and nothing
# markdown-it's linkify could take for an address ("www.", "://", "@", a dot before a letter: "model.py").
_PLAIN = re.compile(r"(?!\d+[.)](\s|$))[A-Za-z0-9(][A-Za-z0-9 ,.;:()'?!/%=+-]*")
_LINK = re.compile(r"[.][A-Za-z]|://|@")


def is_plain(text: str) -> bool:
    """True when Markdown would render `text` as one paragraph of its own characters (and bleach keep it)."""
    return bool(_PLAIN.fullmatch(text)) and text == text.rstrip() and not _LINK.search(text)


class _PlainFirst:
    """A Markdown parser that renders plain text itself and builds Panel's own parser for anything else."""

    def __init__(self, make_parser: Callable[[], Any]) -> None:
        self._make_parser, self._parser = make_parser, None

    def render(self, text: str) -> str:
        if is_plain(text):
            return f"<p>{html.escape(text, quote=False)}</p>\n"
        return self._real().render(text)

    def _real(self):
        if self._parser is None:
            self._parser = self._make_parser()
        return self._parser

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)


# Panel's own functions, which the wrappers hand everything else to (the tests call the wrappers unapplied, so
# they are taken here too); keep_markup_libraries_out() looks them up again and reports a missing one.
_panel_get_parser = getattr(getattr(Markdown, "_get_parser", None), "__func__", None)
_panel_clean = getattr(getattr(panel.util, "HTML_SANITIZER", None), "clean", None)


def _get_parser(cls, renderer, plugins, *args, **kwargs):
    if renderer != "markdown-it":
        return _panel_get_parser(cls, renderer, plugins, *args, **kwargs)
    return _PlainFirst(lambda: _panel_get_parser(cls, renderer, plugins, *args, **kwargs))


def _clean(text: str) -> str:
    return text if not text or is_plain(text) else _panel_clean(text)


def keep_markup_libraries_out() -> None:
    """From now on markdown-it and bleach are imported only for texts with markup in them.

    A wrapper whose private Panel name is missing is left out, with a PrivateAPIWarning naming it (the page then
    imports the library, as Panel does, and starts slower). Applying the wrappers again changes nothing.
    """
    global _panel_get_parser, _panel_clean
    get_parser = optional(Markdown, "_get_parser", SLOWER)
    if get_parser is not None:
        function = getattr(get_parser, "__func__", None)  # a classmethod, bound to the class
        if function is None:
            warn(Markdown, "_get_parser", SLOWER, "is no longer a classmethod")
        elif function is not _get_parser:
            _panel_get_parser, Markdown._get_parser = function, classmethod(_get_parser)
    sanitizer = optional(panel.util, "HTML_SANITIZER", SLOWER)
    clean = None if sanitizer is None else optional(sanitizer, "clean", SLOWER, function=True)
    if clean is not None and clean is not _clean:
        _panel_clean, sanitizer.clean = clean, _clean

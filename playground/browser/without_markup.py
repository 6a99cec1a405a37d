"""Panel without markdown-it and bleach for plain text; the site's worker applies it before building a page.

Panel renders every widget's description (the settings' "?" tooltips, from their parameter's doc) as Markdown
with markdown-it, and passes every string parameter of a ReactiveHTML component (AriaStates' name and layout
settings) through bleach's HTML cleaner. Importing the two and what they pull in cost a page's start about
0.3 s in Pyodide (docs/benchmarks.md), for texts that hold no markup at all. For such texts these wrappers give
what the libraries would (a paragraph of the text, escaped; the text itself) and hand every other text to them.
"""

import html
import re

from panel.pane.markup import Markdown
from panel.util import HTML_SANITIZER

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

    def __init__(self, make_parser):
        self._make_parser, self._parser = make_parser, None

    def render(self, text: str) -> str:
        if is_plain(text):
            return f"<p>{html.escape(text, quote=False)}</p>\n"
        return self._real().render(text)

    def _real(self):
        if self._parser is None:
            self._parser = self._make_parser()
        return self._parser

    def __getattr__(self, name):
        return getattr(self._real(), name)


_panel_get_parser = Markdown._get_parser.__func__
_panel_clean = HTML_SANITIZER.clean


def _get_parser(cls, renderer, plugins, *args, **kwargs):
    if renderer != "markdown-it":
        return _panel_get_parser(cls, renderer, plugins, *args, **kwargs)
    return _PlainFirst(lambda: _panel_get_parser(cls, renderer, plugins, *args, **kwargs))


def _clean(text: str) -> str:
    return text if not text or is_plain(text) else _panel_clean(text)


def keep_markup_libraries_out() -> None:
    """From now on markdown-it and bleach are imported only for texts with markup in them."""
    Markdown._get_parser = classmethod(_get_parser)
    HTML_SANITIZER.clean = _clean

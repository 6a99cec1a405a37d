"""The last guard on lesson HTML: only the tags and attributes Markdown produces, only safe link targets.

Lesson Markdown is rendered with raw HTML switched off, so this cleaner is a second line of defence: no
script, style, iframe, object/embed or form, no event-handler or style attributes, links only to http(s),
mailto or relative addresses, images only from relative paths (files beside the lesson) or inline
`data:image/` pictures in a raster format (SVG can carry script).
"""

import html
import re
from urllib.parse import urlsplit

from bleach.sanitizer import Cleaner

TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "img", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "span", "div", "s", "section", "details",
    "summary",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"title"},
    "img": {"alt", "title"},
    "ol": {"start"},
    "div": {"data-embed", "data-view"},
    "li": {"data-task", "data-kind", "data-option", "data-correct"},
}
CLASSES = {
    "span": {"math inline", "option-text"},
    "div": {"math block", "lesson-embed", "option-feedback"},
    "ul": {"task-options"},
    "section": {"lesson-tasks"},
    "details": {"lesson-hint"},
}
LINK_SCHEMES = {"http", "https", "mailto", ""}
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these inside a URL's scheme


def _allowed(tag, name, value):
    if name == "class":
        return value in CLASSES.get(tag, ()) or (tag == "code" and re.fullmatch(r"language-[\w+-]{1,30}", value))
    if (tag, name) == ("a", "href"):
        return urlsplit(_plain(value)).scheme.lower() in LINK_SCHEMES
    if (tag, name) == ("img", "src"):
        return is_local_path(value) or bool(IMAGE_DATA.match(_plain(value)))
    return name in ATTRIBUTES.get(tag, ())


def _plain(url):
    """The URL as a browser reads it: entities decoded, whitespace and control characters dropped."""
    return IGNORED_BY_BROWSERS.sub("", html.unescape(url))


def is_local_path(url: str) -> bool:
    """True for a relative path such as `images/loss.png`: no scheme, no host, not from the site's root."""
    parts = urlsplit(_plain(url))
    return not (parts.scheme or parts.netloc or parts.path.startswith(("/", "\\")))


CLEANER = Cleaner(
    tags=TAGS, attributes=_allowed, protocols={"http", "https", "mailto", "data"}, strip=True, strip_comments=True
)


def sanitize_html(markup: str) -> str:
    """`markup` with everything outside the lesson whitelist removed."""
    return CLEANER.clean(markup)

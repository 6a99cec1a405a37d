"""The document's changes waiting to go to the page, merged so that a page that paints slower than training
redraws skips frames instead of building a backlog (used by the site's worker, web/static/boot.py).

A newer value of a property replaces the waiting one. Merging reorders and drops events, so `take` also
drops the changes the page must not see: a change to a model that left the document, or to a model the
page has never been sent. The second kind matters: the page knows a model only once a patch has defined
it, and the patch that would have defined it may have been superseded while a change to it still waited;
sent alone, that change names an id the page has never seen ("reference … isn't known" in BokehJS) and
the page stops applying the patch. Dropping either loses nothing: a new model is sent whole, with its
current values, by the change that puts it in the document; a model that left needs no more changes.

Which models the page has been sent is Bokeh's private bookkeeping (`DocumentModelManager._new_models`, read through
`synced_references`): docs/compat.md lists it, and `check_document` fails loudly when it is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bokeh.document.events import (
    ColumnDataChangedEvent,
    ColumnsPatchedEvent,
    ColumnsStreamedEvent,
    DocumentChangedEvent,
    DocumentPatchedEvent,
    ModelChangedEvent,
)

from playground.browser.compat import private

if TYPE_CHECKING:
    from bokeh.core.serialization import Serialized
    from bokeh.document import Document
    from bokeh.document.json import PatchJson

_CHANGES_TO_A_MODEL = (ModelChangedEvent, ColumnDataChangedEvent, ColumnsStreamedEvent, ColumnsPatchedEvent)
# What a student gets without Bokeh's record of the models the page has been sent: no page can follow Python.
LOST = "the page would stop at models it has never been sent and no longer follow Python"


def check_document(doc: Document) -> None:
    """Raise a PrivateAPIError now, naming what is missing, if Bokeh's `doc` lacks what the queue relies on
    (web/static/boot.py calls it before building a page, so the page shows the error at once)."""
    private(doc.models, "_new_models", LOST)
    private(doc.models, "synced_references", LOST)


class PatchQueue:
    def __init__(self) -> None:
        self._events: dict[tuple, DocumentChangedEvent] = {}  # key -> event, in the order the page must apply them

    def __bool__(self) -> bool:
        return bool(self._events)

    def add(self, event: DocumentChangedEvent) -> None:
        """Queue a change made in Python (the page's own changes and session bookkeeping are not sent)."""
        if not isinstance(event, DocumentPatchedEvent) or getattr(event, "setter", None) == "js":
            return
        key = _key(event)
        self._events.pop(key, None)  # an older value of the same property is superseded
        self._events[key] = event

    def take(self, doc: Document) -> list[DocumentChangedEvent]:
        """Empty the queue: the waiting changes the page can apply, in order."""
        events, self._events = list(self._events.values()), {}
        known = doc.models.synced_references  # in the document and already sent to the page
        return [event for event in events if not isinstance(event, _CHANGES_TO_A_MODEL) or event.model in known]


def _key(event: DocumentChangedEvent) -> tuple[Any, ...]:
    """Events with equal keys replace each other; others (streams, patches, roots, messages) all go through."""
    if isinstance(event, ModelChangedEvent):
        return ("value", event.model.id, event.attr)
    if isinstance(event, ColumnDataChangedEvent):
        return ("columns", event.model.id, event.attr, tuple(event.cols or ()))
    return ("event", id(event))


def apply_page_patch(doc: Document, patch: PatchJson | Serialized[PatchJson], setter: str = "js") -> None:
    """Apply a change the page made to the document (a widget moved), keeping unsent models unsent.

    Bokeh's Document.apply_json_patch then marks every model of the document as known to the page: right for a
    Bokeh server, which sends each change as it happens, wrong here, where a new model may still wait in the
    queue. Marked known, it would leave as a bare reference the page has never seen ("reference … isn't known").
    """
    waiting = set(private(doc.models, "_new_models", LOST))  # Bokeh offers no public way to read or restore this set
    doc.apply_json_patch(patch, setter=setter)
    doc.models._new_models |= waiting

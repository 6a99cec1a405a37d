"""The browser's wrappers fail loudly when a private name they rely on is gone (docs/compat.md): each test plants a
missing name, as a new Bokeh or Panel release could, and expects the warning (pages still work, only slower) or
the error (no page works without it) naming the library, the name and docs/compat.md, when the wrapper is applied.

Every test restores what the wrappers change, so the process's Bokeh and Panel stay as other tests expect them.
"""

import warnings

import bokeh
import bokeh.plotting
import panel as pn
import panel.models.markup
import panel.util
import pytest
from bokeh.core.property.descriptors import PropertyDescriptor
from bokeh.document import Document
from bokeh.document.models import DocumentModelManager
from bokeh.models import ColumnDataSource, Div
from bokeh.plotting import _figure
from bokeh.util import serialization
from panel.pane.markup import Markdown
from panel.util import LazyHTMLSanitizer

from playground.browser import compat, patch_queue, stable_defaults, without_markup, without_pandas
from playground.browser.compat import PrivateAPIError, PrivateAPIWarning
from playground.widgets import live_html


@pytest.fixture
def bokeh_restored(monkeypatch):
    """Whatever keep_pandas_out() changes comes back after the test."""
    monkeypatch.setattr(ColumnDataSource, "__init__", ColumnDataSource.__init__)
    monkeypatch.setattr(_figure, "get_range", _figure.get_range)
    monkeypatch.setattr(serialization, "_compute_datetime_types", serialization._compute_datetime_types)
    monkeypatch.setattr(without_pandas, "_bokeh_get_range", without_pandas._bokeh_get_range)
    monkeypatch.setattr(without_pandas, "_bokeh_datetime_types", without_pandas._bokeh_datetime_types)
    return monkeypatch


@pytest.fixture
def panel_restored(monkeypatch):
    """Whatever keep_markup_libraries_out() changes comes back after the test."""
    monkeypatch.setattr(Markdown, "_get_parser", Markdown.__dict__["_get_parser"])
    monkeypatch.setattr(panel.util, "HTML_SANITIZER", LazyHTMLSanitizer(strip=True))  # one the test may change
    monkeypatch.setattr(without_markup, "_panel_get_parser", without_markup._panel_get_parser)
    monkeypatch.setattr(without_markup, "_panel_clean", without_markup._panel_clean)
    return monkeypatch


def only_warning(caught) -> str:
    """The one PrivateAPIWarning among `caught`, as text."""
    found = [str(w.message) for w in caught if issubclass(w.category, PrivateAPIWarning)]
    assert len(found) == 1, found
    return found[0]


def names_it(text: str, library: str, name: str) -> None:
    assert text.startswith("nn-playground: "), text
    assert library in text and name in text and "docs/compat.md" in text, text


def test_the_message_names_the_library_its_version_the_full_name_and_the_compat_table():
    text = compat.message(serialization, "_compute_datetime_types", "pages start slower")
    assert text == (
        f"nn-playground: Bokeh {bokeh.__version__}: bokeh.util.serialization._compute_datetime_types "
        "is missing, so pages start slower. See docs/compat.md."
    )
    assert compat.qualified_name(Document().models, "_new_models") == (
        "bokeh.document.models.DocumentModelManager._new_models"
    )
    assert compat.qualified_name(Markdown, "_get_parser") == "panel.pane.markup.Markdown._get_parser"


@pytest.mark.parametrize(
    "owner, name",
    [
        (bokeh.plotting, "_figure"),
        (_figure, "get_range"),
        (serialization, "_compute_datetime_types"),
    ],
)
def test_a_missing_bokeh_function_leaves_its_pandas_wrapper_out_with_a_warning(bokeh_restored, owner, name):
    bokeh_restored.delattr(owner, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        without_pandas.keep_pandas_out()
    text = only_warning(caught)
    names_it(text, f"Bokeh {bokeh.__version__}", f"{owner.__name__}.{name}")
    assert "pandas at start" in text
    # The other wrappers are applied all the same.
    assert ColumnDataSource.__init__ is without_pandas._cds_init
    if name != "_compute_datetime_types":
        assert serialization._compute_datetime_types is without_pandas._datetime_types
    else:
        assert _figure.get_range is without_pandas._get_range


def test_the_pandas_wrappers_applied_twice_still_hand_over_to_bokeh(bokeh_restored):
    """As boot.py runs twice when a page restores the snapshot that ran it: no wrapper wraps itself."""
    bokeh_get_range = _figure.get_range
    with warnings.catch_warnings():
        warnings.simplefilter("error", PrivateAPIWarning)
        without_pandas.keep_pandas_out()
        without_pandas.keep_pandas_out()
    assert _figure.get_range is without_pandas._get_range
    assert without_pandas._bokeh_get_range is bokeh_get_range
    assert bokeh.plotting.figure(x_range=["a", "b"]).x_range.factors == ["a", "b"]  # Bokeh's own, no recursion


@pytest.mark.parametrize(
    "owner, name, qualified",
    [
        (Markdown, "_get_parser", "panel.pane.markup.Markdown._get_parser"),
        (panel.util, "HTML_SANITIZER", "panel.util.HTML_SANITIZER"),
        (LazyHTMLSanitizer, "clean", "panel.util.LazyHTMLSanitizer.clean"),
    ],
)
def test_a_missing_panel_name_leaves_its_markup_wrapper_out_with_a_warning(panel_restored, owner, name, qualified):
    panel_restored.delattr(owner, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        without_markup.keep_markup_libraries_out()
    text = only_warning(caught)
    names_it(text, f"Panel {pn.__version__}", qualified)
    assert "markdown-it and bleach at start" in text
    if owner is Markdown:
        assert panel.util.HTML_SANITIZER.clean is without_markup._clean  # the other wrapper is applied
    else:
        assert Markdown._get_parser.__func__ is without_markup._get_parser


def test_a_parser_that_is_no_longer_a_classmethod_is_left_alone_with_a_warning(panel_restored):
    plain = staticmethod(lambda *args, **kwargs: None)
    panel_restored.setattr(Markdown, "_get_parser", plain)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        without_markup.keep_markup_libraries_out()
    names_it(only_warning(caught), "Panel", "panel.pane.markup.Markdown._get_parser is no longer a classmethod")
    assert Markdown.__dict__["_get_parser"] is plain


def test_the_markup_wrappers_applied_twice_still_hand_over_to_panel(panel_restored):
    panel_parser = Markdown._get_parser.__func__
    with warnings.catch_warnings():
        warnings.simplefilter("error", PrivateAPIWarning)
        without_markup.keep_markup_libraries_out()
        without_markup.keep_markup_libraries_out()
    assert without_markup._panel_get_parser is panel_parser
    assert Markdown._get_parser("markdown-it", (), False).render("a *b*") == "<p>a <em>b</em></p>\n"


@pytest.fixture
def doc():
    document = Document()
    document.add_root(Div(text="a"))
    return document


def test_without_bokehs_default_lookup_the_defaults_wrapper_is_left_out_with_a_warning(monkeypatch):
    monkeypatch.setattr(stable_defaults, "_bokeh_get_default", None)
    monkeypatch.delattr(PropertyDescriptor, "_get_default")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stable_defaults.keep_stable_defaults()
    text = only_warning(caught)
    names_it(text, f"Bokeh {bokeh.__version__}", "bokeh.core.property.descriptors.PropertyDescriptor._get_default")
    assert "slower start" in text
    assert not hasattr(PropertyDescriptor, "_get_default") and stable_defaults._bokeh_get_default is None


def test_a_document_without_bokehs_record_of_unsent_models_stops_the_start(monkeypatch, doc):
    patch_queue.check_document(doc)  # the real one passes
    monkeypatch.delattr(doc.models, "_new_models")
    with pytest.raises(PrivateAPIError) as error:
        patch_queue.check_document(doc)
    names_it(str(error.value), f"Bokeh {bokeh.__version__}", "bokeh.document.models.DocumentModelManager._new_models")
    with pytest.raises(PrivateAPIError, match="_new_models"):  # and a page's change names it too, applying nothing
        patch_queue.apply_page_patch(doc, {"events": []})


def test_a_document_without_synced_references_stops_the_start(monkeypatch, doc):
    monkeypatch.delattr(DocumentModelManager, "synced_references")
    with pytest.raises(PrivateAPIError) as error:
        patch_queue.check_document(doc)
    names_it(str(error.value), "Bokeh", "bokeh.document.models.DocumentModelManager.synced_references")


def test_without_panels_html_model_live_html_fails_on_import_naming_it(monkeypatch):
    assert live_html.panel_html_model() is panel.models.markup.HTML
    monkeypatch.delattr(panel.models.markup, "HTML")
    with pytest.raises(ImportError) as error:
        live_html.panel_html_model()
    names_it(str(error.value), f"Panel {pn.__version__}", "panel.models.markup.HTML is missing")


def test_an_html_model_without_text_fails_on_import_naming_it(monkeypatch):
    monkeypatch.setattr(panel.models.markup.HTML, "properties", classmethod(lambda cls, **kwargs: {"css_classes"}))
    with pytest.raises(ImportError) as error:
        live_html.panel_html_model()
    names_it(str(error.value), "Panel", "panel.models.markup.HTML has no property `text`")

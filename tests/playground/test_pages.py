"""Every page entry names a function that returns a Panel viewable."""

import importlib

import panel as pn
import pytest

from playground.pages import PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.slug)
def test_every_page_entry_builds_a_viewable(page):
    module, function = page.entry.split(":")
    viewable = getattr(importlib.import_module(module), function)()
    assert isinstance(viewable, (pn.viewable.Viewable, pn.viewable.Viewer))
    assert page.slug.isidentifier() and page.title and page.summary.endswith(".")

"""Fixtures shared by the site tests (tests/web) and the browser tests (tests/browser)."""

from dataclasses import dataclass
from pathlib import Path

import pytest

DEMO_APP = Path(__file__).parent / "browser" / "demo_app.py"


@dataclass(frozen=True)
class DemoPage:
    """A page as the build takes it (the contract of playground.pages.Page)."""

    slug: str
    title: str
    summary: str
    entry: str


DEMO_PAGE = DemoPage("demo", "Demo: slider, buttons and a plot", "A tiny Panel app the tests drive.", "demo_app:app")


@pytest.fixture(scope="session")
def demo_page():
    return DEMO_PAGE


@pytest.fixture(scope="session")
def demo_app_module():
    return DEMO_APP


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The self-hosted site with the demo page, built once per test session."""
    from web.site import build_site  # here, not above: the build imports playground, which the in-Pyodide

    # test run (tests/nn_core, numpy only) does not have
    out = tmp_path_factory.mktemp("demo") / "site"
    build_site(out, [DEMO_PAGE], app_modules=[DEMO_APP])
    return out

import pytest

from web.pins import load_pins
from web.pyodide_dist import Release


@pytest.fixture(scope="session")
def release():
    """The pinned Pyodide release (npm tarball and official lock), downloaded once and cached."""
    return Release.load(load_pins())

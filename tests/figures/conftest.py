"""The figure tests keep their pictures in test-artifacts/figures/ for a person to look at."""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "figures"


@pytest.fixture(scope="session")
def artifacts():
    """Where the figures are kept for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

"""The sandbox's figures: each view, untrained and trained, as PNG and SVG; kept in test-artifacts/figures/."""

import pytest
from figure_checks import assert_valid_svg, changed_share, png_pixels

from playground.figures.sandbox import SIZES, VIEWS, sandbox_figure
from playground.figures.save import FigureError
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState


def _session(epochs, **settings):
    session = Session(PlaygroundState(**settings))
    for _ in range(epochs):
        session.step_epoch()
    return session


@pytest.fixture(scope="module")
def sessions():
    """(untrained, trained) on the spiral with sin features and test points shown."""
    settings = {"dataset": "spiral", "features": ["x", "y", "sinX", "sinY"], "hidden_layers": [6, 4]}
    settings |= {"noise": 10, "show_test_data": True}
    return _session(0, **settings), _session(60, **settings)


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_is_an_image_of_the_requested_size_that_changes_with_training(view, sessions, artifacts):
    untrained, trained = sessions
    images = [sandbox_figure(view, session, "png", size=(800, 600)) for session in sessions]
    for image, name in zip(images, ("untrained", "trained"), strict=True):
        assert png_pixels(image).shape[:2] == (600, 800)
        (artifacts / f"sandbox-{view}-{name}.png").write_bytes(image)
    assert trained.view.epoch == 60 and trained.view.test_loss < untrained.view.test_loss
    assert changed_share(*images) > 0.02, "the picture hardly changed with training"


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_is_valid_svg_at_its_default_size(view, sessions, artifacts):
    image = sandbox_figure(view, sessions[1], "svg")
    assert_valid_svg(image, SIZES[view])
    (artifacts / f"sandbox-{view}.svg").write_bytes(image)


OTHER_SETUPS = {
    "regression": {"dataset": "reg-gauss"},
    "four-classes": {"dataset": "blobs4"},
    "no-hidden-layer": {"hidden_layers": []},
    "discretized": {"discretize": True},
}


@pytest.mark.parametrize("name", OTHER_SETUPS)
def test_boundary_and_network_of_other_problems(name, artifacts):
    session = _session(2, **OTHER_SETUPS[name])
    for view in ("boundary", "network"):
        image = sandbox_figure(view, session, "png", size=(600, 500))
        assert png_pixels(image).shape[:2] == (500, 600)
        (artifacts / f"sandbox-{view}-{name}.png").write_bytes(image)


def test_a_network_that_cannot_be_built_has_no_figure():
    session = _session(0)
    session.view.status, session.view.message = "error", "Cannot build this network: too wide"
    with pytest.raises(FigureError, match="cannot be built: Cannot build this network: too wide"):
        sandbox_figure("boundary", session)

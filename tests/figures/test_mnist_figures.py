"""The MNIST lab's figures: each view, untrained and after some training, as PNG and SVG; kept in
test-artifacts/figures/."""

import pytest
from figure_checks import assert_valid_svg, changed_share, png_pixels

from playground.figures.mnist import SIZES, VIEWS, mnist_figure
from playground.figures.save import FigureError
from playground.mnist.selection import Selection
from playground.mnist.session import MnistSession
from playground.mnist.state import MnistState


def _session(steps, **settings):
    session = MnistSession(MnistState(input_size=14, **settings))
    for _ in range(steps):
        session.step_batch()
    if steps:
        session.step_epoch()  # an epoch end: test predictions of every digit and a weight record
    return session


@pytest.fixture(scope="module")
def sessions():
    """(untrained, trained) small CNNs on 14x14 digits."""
    return _session(0), _session(1)


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_is_an_image_of_the_requested_size_that_changes_with_training(view, sessions, artifacts):
    untrained, trained = sessions
    images = [mnist_figure(view, session, fmt="png", size=(900, 600)) for session in sessions]
    for image, name in zip(images, ("untrained", "trained"), strict=True):
        assert png_pixels(image).shape[:2] == (600, 900)
        (artifacts / f"mnist-{view}-{name}.png").write_bytes(image)
    assert trained.view.test_accuracy > untrained.view.test_accuracy + 0.3
    assert changed_share(*images) > 0.02, "the picture hardly changed with training"


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_is_valid_svg_at_its_default_size(view, sessions, artifacts):
    image = mnist_figure(view, sessions[1], fmt="svg")
    assert_valid_svg(image, SIZES[view])
    (artifacts / f"mnist-{view}.svg").write_bytes(image)


def test_the_selected_digit_is_the_one_shown(sessions):
    session = sessions[1]
    first, other = Selection(), Selection()
    first.pick_test_digit(session.x_test, session.y_test, 0)
    other.pick_test_digit(session.x_test, session.y_test, 7)
    pictures = [mnist_figure("saliency", session, selection, size=(900, 300)) for selection in (first, other)]
    assert pictures[0] == mnist_figure("saliency", session, size=(900, 300))  # the first test digit by default
    assert changed_share(*pictures) > 0.02


def test_an_mlp_shows_its_first_weights_as_images(artifacts):
    image = mnist_figure("filters", _session(0, preset="mlp"), fmt="png", size=(700, 700))
    assert png_pixels(image).shape[:2] == (700, 700)
    (artifacts / "mnist-filters-mlp.png").write_bytes(image)


def test_a_network_that_cannot_be_built_has_no_figure():
    session = _session(0)
    session.model, session.view.message = None, "Cannot build this network: kernel larger than the image"
    with pytest.raises(FigureError, match="kernel larger than the image"):
        mnist_figure("curves", session)

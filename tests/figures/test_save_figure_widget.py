"""The pages' Save figure: a view and a format chosen on the page, the file drawn from the live session."""

import asyncio
import subprocess
import sys

import pytest
from figure_checks import assert_valid_svg, png_pixels

from playground.figures import mnist, sandbox
from playground.figures.save import FigureError
from playground.mnist.app import MnistLab
from playground.mnist.state import MnistState
from playground.sandbox.app import SandboxApp
from playground.sandbox.state import PlaygroundState


def _save(widget, title, fmt):
    """What a click on Save figure downloads after choosing `title` and `fmt` on the page."""
    widget.view.value = widget.view.options[title]
    widget.format.value = fmt
    return asyncio.run(widget._file()).read()


def test_pages_start_without_matplotlib():
    """In the browser it is loaded on the first save; importing it at start-up would cost every page."""
    code = "import sys, playground.sandbox.app, playground.mnist.app; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_sandbox_saves_each_view_as_png_or_svg(artifacts):
    app = SandboxApp(PlaygroundState(dataset="xor", hidden_layers=[4]))
    app.session.step_epoch()
    assert list(app.figure.view.options) == list(sandbox.TITLES.values())
    for name, title in sandbox.TITLES.items():
        png = _save(app.figure, title, "PNG")
        assert app.figure.download.filename == f"sandbox-{name}.png"
        assert png_pixels(png).shape[:2] == sandbox.SIZES[name][::-1]
        assert_valid_svg(_save(app.figure, title, "SVG"), sandbox.SIZES[name])
        assert app.figure.download.filename == f"sandbox-{name}.svg"
        assert f"Saved sandbox-{name}.svg" in app.figure.message.object
    (artifacts / "page-sandbox-network.png").write_bytes(_save(app.figure, sandbox.TITLES["network"], "PNG"))


def test_the_sandbox_figure_is_the_live_state():
    app = SandboxApp(PlaygroundState(dataset="xor", hidden_layers=[4]))
    before = _save(app.figure, sandbox.TITLES["boundary"], "PNG")
    app.session.step_epoch()
    assert _save(app.figure, sandbox.TITLES["boundary"], "PNG") != before


def test_a_network_that_cannot_be_built_gets_a_message_not_a_file():
    app = SandboxApp(PlaygroundState())
    app.session.view.status, app.session.view.message = "error", "Cannot build this network: no inputs"
    with pytest.raises(FigureError):  # Panel sends no file
        _save(app.figure, sandbox.TITLES["boundary"], "PNG")
    assert "No figure: no figure of a network that cannot be built" in app.figure.message.object


def test_the_mnist_lab_saves_its_views_of_the_selected_digit(artifacts):
    lab = MnistLab(MnistState(input_size=14))
    lab.session.step_epoch()
    lab.selection.pick_test_digit(lab.session.x_test, lab.session.y_test, 5)
    assert list(lab.figure.view.options) == list(mnist.TITLES.values())
    for name, title in mnist.TITLES.items():
        png = _save(lab.figure, title, "PNG")
        assert png_pixels(png).shape[:2] == mnist.SIZES[name][::-1]
        (artifacts / f"page-mnist-{name}.png").write_bytes(png)
    assert "test digit #5" in _save(lab.figure, mnist.TITLES["saliency"], "SVG").decode()

"""The glass box in the MNIST lab: its two tabs made when first shown, the engine's code as it runs, the default
CNN's step walked through with its conv maps as images and each line's layer marked in the block diagram."""

import inspect
import re
import textwrap
from html import unescape
from pathlib import Path

from nn_core.layers.conv import Conv2D
from playground.lessons.app import LessonPage
from playground.lessons.load import load_lesson
from playground.lessons.vocabularies import VOCABULARIES
from playground.mnist.app import TAB_NAMES, MnistLab
from playground.mnist.state import MnistState

LESSONS = Path(__file__).parents[3] / "lessons"

CODE, OWN_LAYER = TAB_NAMES.index("The engine's code"), TAB_NAMES.index("Write your own layer")


def text_of(html):
    """The characters an HTML fragment shows (the code view's lines follow each other without a newline)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def go_to(box, title, line_start, layer=None):
    """The walk-through at the first line of function `title` whose code starts with `line_start` (for model layer
    `layer` when given)."""
    box.line.value = next(
        option
        for option, stage in zip(box.line.options, box.stages, strict=True)
        if stage.source.title == title and stage.code_line.startswith(line_start) and layer in (None, stage.layer)
    )


def test_the_tabs_are_made_when_first_shown_and_the_code_is_conv2ds_as_the_engine_runs_it():
    lab = MnistLab()
    assert not lab.code_view.place.objects and not lab.own_layer_view.place.objects  # nothing made at the start
    lab.tabs.active = CODE
    box = lab.code_view.view
    assert len(lab.code_view.place.objects) == 1 and not lab.own_layer_view.place.objects
    assert {"Conv2D.forward", "Conv2D.backward", "MaxPool2D.backward", "Flatten.forward"} <= set(box.function.options)
    box.function.value = "Conv2D.backward"
    engine = type(lab.session.model.layers[0])
    assert engine is Conv2D and text_of(box.code.object) == "".join(
        textwrap.dedent(inspect.getsource(engine.backward)).splitlines()
    )
    assert "nn_core/layers/conv.py" in box.where.object


def test_a_step_of_the_default_cnn_walks_through_every_layer_with_conv_maps_as_images_and_blocks_marked():
    lab = MnistLab()
    lab.tabs.active = CODE
    box = lab.code_view.view
    box.run.clicks += 1
    assert lab.session.view.step == 1 and {stage.layer for stage in box.stages} == {None, *range(8)}
    go_to(box, "Conv2D.forward", "return")  # the first convolution's output: 8 channels of 26x26
    shown = unescape(box.arrays.object)
    assert "shape (32, 8, 26, 26); example 1 of the batch of 32" in shown and "8 channels of 26×26" in shown
    assert box.arrays.object.count("<img") == 8 and "alt='channel 8, 26 by 26'" in box.arrays.object
    assert lab.blocks.marked.data["y"] == [-1]  # layer 0's block, the row below the input's
    go_to(box, "ReLU.forward", "def")  # layer 1: the next block down
    assert lab.blocks.marked.data["y"] == [-2]
    go_to(box, "MaxPool2D.forward", "self.x, self.y", layer=5)  # its input and output: 16 channels each
    assert box.arrays.object.count("<img") == 16 + 16 and "16 channels of 5×5" in unescape(box.arrays.object)
    box.line.value = box.line.options[0]  # train_step: no layer, no block marked
    assert lab.blocks.marked.data["y"] == [] and box.arrays.object.count("<img") == 1  # the digit x, one channel
    box.line.value = box.line.options[10]
    assert lab.blocks.marked.data["y"] != []
    lab.tabs.active = 0  # another tab: the mark goes
    assert lab.blocks.marked.data["y"] == []
    lab.tabs.active = CODE
    box.line.value = box.line.options[10]
    lab.state.preset = "mlp"  # a new stack: its blocks are others, none marked
    assert lab.blocks.marked.data["y"] == []


def test_weights_as_many_as_the_batch_are_not_read_as_examples():
    lab = MnistLab(MnistState(batch_size=8))  # the first convolution has 8 filters too
    lab.tabs.active = CODE
    box = lab.code_view.view
    box.record_step()
    go_to(box, "Conv2D.backward_params", "self.grads", layer=0)
    assert "shape (8, 1, 3, 3)" in box.arrays.object and "example 1 of the batch" not in box.arrays.object
    go_to(box, "Adam.update", "m +=")  # the first parameter's, "0.W": (8, 1, 3, 3)
    assert "shape (8, 1, 3, 3)" in box.arrays.object and "example" not in box.arrays.object


def test_the_own_layer_tab_offers_the_networks_kinds_whose_code_runs_on_numpy_alone():
    lab = MnistLab()
    lab.tabs.active = OWN_LAYER
    own = lab.own_layer_view.view
    assert own.kind.options == ["ReLU", "MaxPool2D", "Flatten", "Dense"] and own.kind.value == "Dense"
    assert "Conv2D (its code calls the engine's cut_windows, scatter_windows)" in own.left_out.object
    own.editor.value = own.editor.value.replace("return x @", "return 1.0 * x @")
    own.use_code()
    assert "Every gradient matches" in own.result.object and type(lab.session.model.layers[7]).__name__ == "YourDense"
    lab.bar.step.clicks += 1
    assert lab.session.view.step == 1


def test_an_mnist_lesson_may_place_the_code_view_and_shows_it_only_then():
    assert "code" not in VOCABULARIES["mnist"].default_views and "code" in VOCABULARIES["mnist"].views
    page = LessonPage(load_lesson(LESSONS / "09-mnist-mlp.md"), ["playground", "view-code"])
    assert list(page.roots()) == ["lesson-toolbar", "lesson-playground", "lesson-view-code"]
    box = page.view("code").view  # made when the lesson page first drew its views
    box.run.clicks += 1
    go_to(box, "Dense.forward", "def", layer=1)
    assert page.app.session.view.step == 1 and page.app.blocks.marked.data["y"] == [-2]

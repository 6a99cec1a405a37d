"""The glass box widget: the code of any function a step runs, and the page's own Step walked through line by line."""

from playground.sandbox.app import SandboxApp
from playground.widgets.glass_box import GlassBox


def glass_box():
    app = SandboxApp()
    layers = []
    box = GlassBox(app.session, on_change=app.redraw, on_layer=layers.append)
    return app, box, layers


def test_the_code_view_shows_the_running_source_of_the_chosen_function():
    app, box, _ = glass_box()
    assert box.function.value == "train_step" and "Dense.backward" in box.function.options
    assert "prediction = model.forward(x)" in box.code.object.replace('<span class="">', "")
    assert "nn_core/trainer.py" in box.where.object
    box.show_layer(0)
    assert box.function.value == "Dense.forward" and "nn_core/layers/dense.py" in box.where.object


def test_run_one_step_trains_the_network_and_walks_through_its_lines():
    app, box, layers = glass_box()
    before = app.session.view.step
    box.record_step()
    assert app.session.view.step == before + 1 and len(box.stages) > 40
    assert (
        box.line.value.startswith("1. train_step: called with x, y") and box.previous.disabled and not box.next.disabled
    )
    assert "x</h5>" in box.arrays.object and "example 1 of the batch of 10" in box.arrays.object
    box.next.clicks += 1
    assert box.line.value.startswith("2. Sequential.forward")
    box.line.value = next(
        option for option in box.line.options if "Dense.backward_params" in option and "grads" in option
    )
    assert "self.grads[&#x27;W&#x27;]" in box.arrays.object and 'aria-current="step"' in box.code.object
    assert layers[-1] is not None
    box.line.value = box.line.options[0]
    box.example.value = 3
    assert "example 3 of the batch of 10" in box.arrays.object and layers[-1] is None


def test_a_redraw_keeps_the_marked_line_and_reads_the_code_again_only_for_new_classes():
    app, box, _ = glass_box()
    box.record_step()
    box.next.clicks += 3
    marked = box.code.object
    assert 'aria-current="step"' in marked
    box.refresh()  # what the page does at each redraw with pictures while the tab shows
    assert box.code.object is marked
    assert "ReLU.forward" not in box.function.options
    app.state.activation = "relu"  # a rebuild with another kind of layer: its functions are listed
    box.refresh()
    assert "ReLU.forward" in box.function.options

"""The sandbox app builds, shows its status in pg-status, trains through its tick and redraws in place."""

import asyncio
import re

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document
from panel.io.location import Location

from playground.browser.patch_queue import apply_page_patch
from playground.core.parameter_story import in_formula
from playground.sandbox import diagram
from playground.sandbox.app import SandboxApp, create_app
from playground.sandbox.state import SETTINGS, PlaygroundState
from playground.sandbox.views import network_view, output_view, parameter_view
from playground.widgets import page_url
from playground.widgets.access import controlled_setting


def status(app):
    return dict(re.findall(r'(data-[\w-]+)="([^"]*)"', app.status.line.object))


def test_create_app_returns_a_viewable_with_the_status_element():
    app = create_app()
    assert isinstance(app, pn.viewable.Viewer)
    assert isinstance(app.__panel__(), pn.viewable.Viewable)
    assert 'id="pg-status"' in app.status.line.object
    assert status(app).keys() >= {"data-state", "data-epoch", "data-train-loss", "data-test-loss", "data-test-accuracy"}
    assert status(app)["data-state"] == "ready"


def test_the_page_takes_its_setup_from_the_url_and_shows_what_it_could_not_use(monkeypatch):
    monkeypatch.setattr(pn.state, "_location", Location(search="?noise=999&learning_rate=0.1"))
    app = create_app()
    assert app.state.learning_rate == 0.1 and app.state.noise == PlaygroundState().noise
    assert app.notices.visible and "noise" in app.notices.object
    assert app.notices in app.layout.objects
    app.redraw()  # a redraw of the status line does not take the notice away
    assert app.notices.visible and "noise" in app.notices.object
    assert not SandboxApp().notices.visible


def test_ticks_train_and_update_the_figures_in_place():
    app = SandboxApp(PlaygroundState(learning_rate=0.1))
    points, image = app.output.points, app.output.image
    app.session.play()
    before = float(status(app)["data-train-loss"])
    for _ in range(5):
        asyncio.run(app.ticker.tick())
    assert status(app)["data-state"] == "running" and float(status(app)["data-train-loss"]) < before
    assert app.output.points is points and app.output.image is image  # same sources, new data
    assert len(app.output.curves.data["step"]) == 6


def test_a_setting_change_rebuilds_and_a_network_edit_redraws_the_diagram():
    app = SandboxApp()
    app.state.noise = 30
    assert status(app)["data-state"] == "ready"
    app.network.add_layer.clicks += 1
    assert len(app.network.width_inputs.objects) == 5  # inputs, three hidden layers, output
    assert len(app.network.nodes.data["node"]) == 2 + 4 + 2 + 2 + 1
    assert len(app.network.pictures.data["image"]) == 5  # a picture per column


def test_every_widget_has_a_name():
    app = SandboxApp()
    app.more.card.collapsed = False
    widgets = [w for w in app.__panel__().select(pn.widgets.Widget)]
    assert len(widgets) > 40 and all(w.name for w in widgets), [w for w in widgets if not w.name]


def test_each_hidden_layer_has_its_own_activation_menu_above_its_column():
    app = SandboxApp()
    menus = [w for w in app.network.width_inputs.select(pn.widgets.Select)]
    assert [m.name for m in menus] == ["Layer 1 activation", "Layer 2 activation"]
    menus[1].value = "relu"
    assert app.state.layer_activations == ["", "relu"]
    assert app.session.model.layers[3].type_name == "relu"
    assert sum(box.width for box in app.network.width_inputs.objects) == network_view.WIDTH


def test_feature_toggles_switch_inputs_but_never_the_last_one():
    app = SandboxApp()
    toggles = app.data.feature_toggles
    toggles["xSquared"].value = True
    assert app.state.features == ["x", "y", "xSquared"]
    assert len(app.network.nodes.data["node"]) == 3 + 4 + 2 + 1
    toggles["x"].value = toggles["y"].value = False
    toggles["xSquared"].value = False
    assert app.state.features == ["xSquared"] and toggles["xSquared"].value
    assert [name for name, toggle in toggles.items() if toggle.button_type == "primary"] == ["xSquared"]


def controls_of(app, setting):
    return [w for w in app.layout.select(pn.widgets.Widget) if controlled_setting(w) == setting]


def test_hidden_and_locked_controls_follow_the_state_including_rebuilt_layer_controls():
    app = SandboxApp(PlaygroundState(hide=["noise", "dataset"], lock=["hidden_layers", "learning_rate"]))
    assert {w.name for w in controls_of(app, "noise")} == {"Noise (%)"}
    assert not any(w.visible for w in controls_of(app, "noise") + controls_of(app, "dataset"))
    locked = controls_of(app, "hidden_layers")
    assert len(locked) == 4 and all(w.disabled for w in locked)  # add, remove, two neuron counts
    assert all(w.disabled for w in controls_of(app, "learning_rate"))
    assert not any(w.disabled for w in controls_of(app, "layer_activations"))
    app.state.param.update(hide=[], lock=[])
    assert all(w.visible and not w.disabled for w in controls_of(app, "noise") + controls_of(app, "hidden_layers"))
    app.state.hidden_layers = []
    assert app.network.remove_layer.disabled and not app.network.add_layer.disabled


def test_every_setting_widget_is_marked_with_its_setting():
    app = SandboxApp()
    marked = {controlled_setting(w) for w in app.layout.select(pn.widgets.Widget)} - {None}
    assert marked == set(SETTINGS)  # so hide and lock reach every setting


def test_setting_changes_reach_the_page_url_once_after_the_last_change():
    location = Location()

    async def change_twice():
        app = SandboxApp(location=location)
        app.state.noise = 10
        await asyncio.sleep(0.05)
        app.state.hidden_layers = [3]
        assert location.search == ""  # not yet: debounced
        await asyncio.sleep(page_url.DEBOUNCE_MS / 1000 + 0.2)
        return app

    app = asyncio.run(change_twice())
    assert location.search == "?noise=10&hidden_layers=3"
    restored = PlaygroundState.from_query(location.search)[0]
    assert restored.to_query() == app.state.to_query()


def test_clicking_a_node_shows_its_map_in_the_output_view_and_back():
    app = SandboxApp()
    output_pixels = app.output.image.data["image"][0].copy()
    row = app.network.nodes.data["node"].index("h0:1")
    app.network.nodes.selected.indices = [row]
    assert app.output.focus == "h0:1" and "layer 1, neuron 2" in app.output.title.object
    assert app.output.back.visible and not (app.output.image.data["image"][0] == output_pixels).all()
    app.state.hidden_layers = [1]  # the node is gone: the output comes back
    assert app.output.focus is None and not app.output.back.visible


def test_clicking_an_edge_or_picking_it_from_the_menu_lets_the_student_type_its_weight():
    app = SandboxApp()
    chosen = app.network.parameter
    row = next(
        i
        for i, (s, t) in enumerate(zip(app.network.edges.data["source"], app.network.edges.data["target"], strict=True))
        if (s, t) == ("in:y", "h0:2")
    )
    app.network.edges.selected.indices = [row]
    assert chosen.choice.value == ("0.W", (1, 2))
    assert chosen.choice.labels[chosen.choice.values.index(chosen.choice.value)] == "X₂ → layer 1, neuron 3"
    chosen.value.value = 2.5
    assert app.session.model.layers[0].params["W"][1, 2] == 2.5
    assert app.network.edges.data["weight"][row] == 2.5
    chosen.choice.value = chosen.choice.options["layer 2, neuron 2 → the output"]  # keyboard
    assert chosen.value.value == round(float(app.session.model.layers[4].params["W"][1, 0]), 6)
    chosen.value.value = -1.0
    assert app.session.model.layers[4].params["W"][1, 0] == -1.0
    app.session.step_epoch()
    app.redraw()  # paused: the input shows the weight training gave the edge
    assert chosen.value.value == round(float(app.session.model.layers[4].params["W"][1, 0]), 6) != -1.0
    app.state.hidden_layers = [2]  # a new shape: the menu lists the new weights and biases
    assert "X₂ → layer 1, neuron 2" in chosen.choice.options and len(chosen.choice.options) == 6 + 3


def click_in_page(doc, source, row):
    """What a tap on row `row` of `source` in the page sends Python: a patch selecting it."""
    selected = {"kind": "ModelChanged", "model": {"id": source.selected.id}, "attr": "indices", "new": [row]}
    apply_page_patch(doc, {"events": [selected]})


def test_clicking_the_output_neuron_chooses_its_bias_and_typing_one_changes_the_decision_map():
    app = SandboxApp()
    doc = Document()
    doc.add_root(pn.panel(app).get_root(doc))  # as in the page: widgets with their models
    chosen = app.network.parameter
    assert "Click an edge" in chosen.story.object  # until a number is chosen, the pane says how
    before = app.output.image.data["image"][0].copy()
    click_in_page(doc, app.network.nodes, app.network.nodes.data["node"].index("out:0"))
    assert chosen.choice.value == ("4.b", (0,)) and app.network.nodes.selected.indices == []
    assert "bias of the output" in chosen.choice.options
    assert app.output.focus is None and app.output.shown.value == output_view.OUTPUT  # the one output is the map
    assert chosen.value.value == round(float(app.session.model.layers[4].params["b"][0]), 6)
    assert "Bias of the output</b>" in chosen.story.object and "dLoss/db = Σ δ" in chosen.story.object
    chosen.value.value = 3.0
    assert app.session.model.layers[4].params["b"][0] == 3.0
    assert not (app.output.image.data["image"][0] == before).all()
    click_in_page(doc, app.network.nodes, app.network.nodes.data["node"].index("in:x"))  # an input has no bias
    assert chosen.choice.value == ("4.b", (0,)) and app.output.focus == "in:x"


def test_the_story_tells_the_next_steps_numbers_and_waits_while_training_runs():
    app = SandboxApp()
    chosen = app.network.parameter
    chosen.choose(("2.W", (0, 1)))
    story = chosen.story.object
    assert "Step 1 will train on a batch of 10 examples" in story and "dLoss/dw = Σ a·δ" in story
    new_value = story.rsplit("= ", 1)[1].split("<")[0]
    app.session.step_batch()
    app.redraw()
    assert in_formula(float(app.session.model.layers[2].params["W"][0, 1]), 6) == new_value  # what it said happened
    assert "Step 2 will train" in chosen.story.object
    app.session.play()
    app.redraw()
    assert parameter_view.WHILE_RUNNING in chosen.story.object
    app.session.pause()
    app.redraw()
    assert "Step 2 will train" in chosen.story.object


def test_the_map_menu_shows_any_node_big_and_follows_clicks_on_nodes():
    app = SandboxApp()
    assert app.output.shown.value == output_view.OUTPUT
    assert list(app.output.shown.options)[:2] == ["the output", "input X₁"] and len(app.output.shown.options) == 9
    app.output.shown.value = "h1:0"
    assert app.output.focus == "h1:0" and "layer 2, neuron 1" in app.output.title.object
    app.network.nodes.selected.indices = [app.network.nodes.data["node"].index("h0:3")]
    assert app.output.shown.value == "h0:3"
    app.state.dataset = "spiral3"
    assert "output for class 2" in app.output.shown.options and "the output" in app.output.shown.options
    app.output.shown.value = "h1:0"
    app.output.back.clicks += 1
    assert app.output.shown.value == output_view.OUTPUT and app.output.focus is None
    app.output.shown.value = "h0:0"
    app.output.shown.value = output_view.OUTPUT
    assert app.output.focus is None


def test_points_can_be_added_and_removed_at_typed_coordinates():
    app = SandboxApp()
    n_train = app.session.data.n_train
    app.output.click_adds.value = 1
    app.output.at_x1.value, app.output.at_x2.value = 5.5, -5.5
    app.output.apply_at.clicks += 1
    assert app.session.data.n_train == n_train + 1
    assert (app.session.data.x_train[-1].tolist(), app.session.data.y_train[-1]) == ([5.5, -5.5], 1)
    app.output.click_adds.value = output_view.REMOVE
    app.output.apply_at.clicks += 1
    assert app.session.data.n_train == n_train


def test_clicks_on_the_output_add_and_remove_points_and_csv_errors_reach_the_banner():
    app = SandboxApp()
    n_train = app.session.data.n_train
    app.output.click_adds.value = -1
    app.output.click(5.8, -5.8)
    assert app.session.data.n_train == n_train + 1 and app.output.points.data["x1"][-1] == 5.8
    app.output.click(5.7, -5.7, remove=True)
    assert app.session.data.n_train == n_train
    assert set(app.output.click_adds.options) == {"blue (+1)", "orange (−1)", output_view.REMOVE, output_view.PICK}
    app.output.import_points.value = b"x1,x2,label\n9,0,1\n"
    assert app.status.banner.visible and "x1 is 9" in app.status.banner.object
    assert app.session.data.n_train == n_train
    assert app.output.export_points.callback().read().startswith("x1,x2,label\n")


def test_node_pictures_never_touch_and_input_labels_sit_left_of_their_nodes():
    app = SandboxApp(PlaygroundState(hidden_layers=[16, 16], features=["x", "y", "xSquared", "ySquared", "sinX"]))
    nodes, labels = app.network.nodes.data, app.network.labels.data
    assert len(nodes["node"]) == 5 + 32 + 1
    assert max(nodes["dh"]) <= network_view.NODE_SHARE * diagram.NODE_GAP
    first_node_left = min(np.asarray(nodes["cx"]) - np.asarray(nodes["dw"]) / 2)
    assert all(x < first_node_left for x in labels["x"]) and len(labels["text"]) == 5
    assert sum(network_view.column_widths(4)) == network_view.WIDTH


def test_the_model_downloads_load_back_and_a_bad_file_changes_nothing_but_the_banner():
    app = SandboxApp(PlaygroundState(learning_rate=0.1))
    files = app.model_files
    saved = files.save.callback().read()
    assert "def predict" in files.export.callback().read()
    app.session.play()
    for _ in range(3):
        asyncio.run(app.ticker.tick())
    trained = app.session.view.params["0.W"].copy()
    files.load.value = b"not a zip"
    assert app.status.banner.visible and "Cannot import this model" in app.status.banner.object
    assert (app.session.view.params["0.W"] == trained).all()
    files.load.value = saved
    assert not app.status.banner.visible
    assert not (app.session.view.params["0.W"] == trained).all()
    assert app.network.edges.data["weight"][0] == app.session.view.params["0.W"][0, 0]


def test_file_widgets_show_their_name_once_and_label_the_file_input():
    app = SandboxApp()
    for download in (app.output.export_points, app.model_files.save, app.model_files.export):
        assert download.label == download.name and download.stylesheets  # the title hidden, the name kept
    model = app.model_files.load.get_root()
    assert model.title == "Load a saved model (.npz)"


def test_the_loss_chart_has_labelled_axes_and_its_legend_above_the_curves_not_on_them():
    app = SandboxApp()
    plot = app.output.loss_plot
    assert (plot.xaxis[0].axis_label, plot.yaxis[0].axis_label) == ("epoch", "loss")
    assert plot.legend[0] in plot.above and plot.legend[0] not in plot.center
    assert [item.label.value for item in plot.legend[0].items] == ["test loss", "training loss"]
    app.top.epoch_step.clicks += 1
    assert list(app.output.curves.data["epoch"]) == [0.0, 1.0] and plot.x_range.end == 1
    numbers = app.output.numbers.object
    assert numbers.index(output_view.CURVE_COLORS["test"]) < numbers.index("Test loss")
    assert numbers.index(output_view.CURVE_COLORS["train"]) < numbers.index("Training loss")


def test_the_network_shows_gradients_on_request_with_a_legend_saying_what_they_are():
    app = SandboxApp()
    app.state.network_shows = "gradients"
    assert "press Step" in app.network.legend.object
    app.top.step.clicks += 1
    assert "dLoss/dw" in app.network.legend.object
    assert app.network.nodes.data["outline_width"].max() == pytest.approx(diagram.MAX_OUTLINE_WIDTH)
    assert not np.isnan(app.network.edges.data["grad"]).any()


def test_the_folded_views_are_built_when_first_unfolded_and_redraw_only_the_open_tab():
    app = SandboxApp()
    app.session.play()
    app.session.tick(60)
    app.redraw()
    assert app.more.views == [] and app.more.shown is None and not app.more.card.objects
    app.more.card.collapsed = False  # unfolding builds the views and draws the open tab: the backprop steps
    backprop, weights, matrices, code, own, landscape, _, _ = app.more.views
    assert app.more.shown is backprop and app.more.card.objects == [app.more.tabs]
    assert landscape.slice.picture.data["image"] == []  # built, but no slice computed while another tab shows
    assert backprop.stage.options[0] == "1. Inputs" and weights.distributions.weight.options == []
    app.more.tabs.active = 1  # the weights, recorded at each epoch's end
    titles = {"Layer 1 weights": "0.W", "Layer 2 weights": "2.W", "Output weights": "4.W"}
    assert weights.distributions.weight.options == titles  # the student reads titles, the engine's names stay
    assert weights.distributions.epoch.end == app.session.view.epoch
    assert "<b>Layer 1 weights</b>: inputs → layer 1" in weights.legend.object
    assert "<b>Output weights</b>: layer 2 → output" in weights.legend.object
    assert ".W" not in weights.legend.object + weights.distributions.figures[1].title.text
    assert matrices.matrices[0].cells.data["text"] == []
    app.more.tabs.active = 2
    counts = [int(text) for text in matrices.matrices[1].cells.data["text"]]
    assert sum(counts) == len(app.session.data.x) - app.session.data.n_train


def test_backprop_steps_through_one_point_and_marks_the_layer_on_the_diagram():
    app = SandboxApp()
    app.more.card.collapsed = False
    backprop = app.more.views[0]
    assert app.network.band.visible and app.network.band.left < 0 < app.network.band.right  # the inputs
    backprop.next.clicks += 1
    assert backprop.stage.value == "2. Forward: layer 1" and "z = Σ aᵢ·wᵢ + b" in backprop.body.object
    assert app.network.band.left < diagram.LAYER_GAP < app.network.band.right
    backprop.stage.value = backprop.stage.options[-1]
    assert backprop.next.disabled and "dLoss/dw" in backprop.body.object
    backprop.point.value = 7
    assert "Point 7 of 250" in backprop.example.object and backprop.stage.value == backprop.stage.options[-1]
    app.state.hidden_layers = [3]  # fewer steps: the view stays within them
    assert backprop.stage.value == backprop.stage.options[-1] and len(backprop.stage.options) == 7
    app.more.tabs.active = 1
    assert not app.network.band.visible
    app.more.tabs.active = 0
    app.more.card.collapsed = True  # folded: nothing highlighted
    assert not app.network.band.visible


def test_a_click_in_pick_mode_chooses_the_backprop_point_and_the_map_rings_it():
    app = SandboxApp()
    n_train = app.session.data.n_train
    target = app.session.data.x_train[17]
    app.output.click_adds.value = output_view.PICK
    app.output.click(*target)
    backprop = app.more.views[0]
    assert app.more.shown is backprop and backprop.point.value == 18
    assert app.session.data.n_train == n_train  # nothing added
    assert (app.output.marked.data["x1"], app.output.marked.data["x2"]) == ([target[0]], [target[1]])
    assert f"Point 18 of {n_train}" in backprop.example.object
    app.more.tabs.active = 2
    assert app.output.marked.data["x1"] == []


def test_the_glass_box_tabs_show_the_engines_code_walk_a_step_and_train_the_students_layer():
    app = SandboxApp()
    code = app.more.show("The engine's code")
    assert code.function.value == "train_step" and "nn_core/trainer.py" in code.where.object
    code.run.clicks += 1  # the page's step, line by line: the diagram marks each line's layer
    assert app.session.view.step == 1
    backward = next(
        k for k, option in enumerate(code.line.options) if "Dense.backward_params: called with grad_y" in option
    )
    code.line.value = code.line.options[backward]  # the last dense layer's: the output column
    assert app.network.band.visible and app.network.band.left > 2 * diagram.LAYER_GAP
    own = app.more.show("Write your own layer")
    assert not app.network.band.visible  # only the views about a column mark one
    own.editor.value = own.editor.value.replace("return x @", "return 1.0 * x @")
    own.use_code()
    assert type(app.session.model.layers[0]).__name__ == "YourDense" and "✓ right" in own.result.object
    app.session.state.hidden_layers = [3]  # a new network keeps the student's code
    assert type(app.session.model.layers[0]).__name__ == "YourDense"

"""The MNIST lab's settings in the page URL: the layer stack's text form, round trips, notices instead of errors,
the lab writing its URL back, and hidden and locked controls."""

import asyncio

import panel as pn
import pytest
from panel.io.location import Location

from playground.mnist.app import MnistLab, create_app
from playground.mnist.architecture import LAYER_DEFAULTS, PRESETS
from playground.mnist.layer_text import parse_stack, stack_text
from playground.mnist.state import SETTINGS, MnistState
from playground.widgets import page_url
from playground.widgets.access import controlled_setting

TINY = [{"type": "flatten"}, {"type": "dense", "units": 10}]


def test_the_stack_text_is_short_and_reads_back_for_every_kind_of_layer():
    assert stack_text(PRESETS["small-cnn"]) == "conv8k3,relu,maxpool2,conv16k3,relu,maxpool2,flatten,dense10"
    every_kind = [{"type": kind, **fields} for kind, fields in LAYER_DEFAULTS.items()]
    strided = {"type": "conv2d", "filters": 4, "kernel_size": 5, "stride": 2, "padding": "same"}
    for stack in [*PRESETS.values(), every_kind, [strided, {"type": "dropout", "rate": 0.5}]]:
        assert parse_stack(stack_text(stack)) == stack
    assert stack_text([strided]) == "conv4k5s2same"


@pytest.mark.parametrize("text", ["", "pool2", "conv8", "dense", "dense1.5", "relu,,dense10", "conv8k3s", "Dense10"])
def test_text_that_is_no_stack_raises_a_value_error_naming_the_token(text):
    with pytest.raises(ValueError, match="is not a layer|at least one layer"):
        parse_stack(text)


@pytest.mark.parametrize(
    "settings",
    [
        {"preset": "mlp"},
        {"preset": "cerny-kopecka", "learning_rate": 0.0003, "batch_size": 128, "optimizer": "sgd", "seed": 7},
        {"layers": [{"type": "flatten"}, {"type": "dense", "units": 64}, {"type": "tanh"}, *TINY[1:]]},
        {"preset": "mlp", "input_size": 14, "layers": [*TINY[:1], {"type": "dropout", "rate": 0.1}, *TINY[1:]]},
        {"hide": ["preset", "seed"], "lock": ["layers", "learning_rate"]},
    ],
)
def test_a_state_reads_back_from_its_query_with_no_notice(settings):
    state = MnistState(**settings)
    restored, notices = MnistState.from_query("?" + state.to_query())
    assert notices == []
    assert {name: getattr(restored, name) for name in [*SETTINGS, "hide", "lock"]} == {
        name: getattr(state, name) for name in [*SETTINGS, "hide", "lock"]
    }


def test_the_query_names_only_what_differs_and_the_stack_only_when_it_is_not_the_presets():
    assert MnistState().to_query() == ""
    assert MnistState(preset="mlp").to_query() == "preset=mlp"
    assert MnistState(layers=TINY, input_size=14).to_query() == "layers=flatten,dense10&input_size=14"


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("layers=conv8k3,relu,pool2,dense10", "layers"),
        ("layers=", "layers"),
        ("layers=conv8k3,relu", "layers"),  # parses, but gives no 10 scores
        ("input_size=13", "input_size"),
        ("input_size=big", "input_size"),
        ("learning_rate=7", "learning_rate"),
        ("batch_size=x", "batch_size"),
        ("optimizer=lbfgs", "optimizer"),
        ("seed=-1", "seed"),
        ("preset=resnet", "preset"),
        ("lock=everything", "lock"),
        ("problem=regression", "problem"),
        ("colour=red", "colour"),
    ],
)
def test_a_bad_value_keeps_the_default_with_a_notice_naming_the_key(query, key):
    good = "seed=3" if key != "seed" else "batch_size=64"  # a good value beside the bad one is used
    state, notices = MnistState.from_query(f"{query}&{good}")
    assert len(notices) == 1 and notices[0].startswith(key + ":")
    assert state.to_query() == good


def test_a_stack_too_deep_for_14_pixels_falls_back_to_the_preset_with_the_reason():
    deep = "conv8k3,relu,maxpool2,conv8k3,relu,maxpool2,conv8k3,flatten,dense10"
    state, notices = MnistState.from_query(f"preset=mlp&input_size=14&layers={deep}")
    assert state.layers == PRESETS["mlp"] and state.input_size == 14
    assert len(notices) == 1 and "kernel_size" in notices[0] and "mlp preset" in notices[0]


def test_the_lab_page_takes_its_setup_from_the_url_and_shows_what_it_could_not_use(monkeypatch):
    location = Location(search="?layers=flatten,dense10&input_size=14&optimizer=nope")
    monkeypatch.setattr(pn.state, "_location", location)
    app = create_app()
    assert app.state.layers == TINY and app.state.input_size == 14 and app.state.optimizer == "adam"
    assert app.notices.visible and "optimizer: cannot use" in app.notices.object
    assert not MnistLab(MnistState(layers=TINY, input_size=14)).notices.visible


def test_setting_changes_reach_the_page_url_once_after_the_last_change():
    location = Location()

    async def change_twice():
        app = MnistLab(MnistState(layers=TINY, input_size=14), location=location)
        app.state.learning_rate = 0.01
        await asyncio.sleep(0.05)
        app.state.layers = [*TINY[:1], {"type": "dense", "units": 32}, {"type": "relu"}, *TINY[1:]]
        assert location.search == ""  # not yet: debounced
        await asyncio.sleep(page_url.DEBOUNCE_MS / 1000 + 0.2)

    asyncio.run(change_twice())
    assert location.search == "?layers=flatten,dense32,relu,dense10&input_size=14&learning_rate=0.01"


def controls_of(app, name):
    return [widget for widget in app.layout.select(pn.widgets.Widget) if controlled_setting(widget) == name]


def test_every_control_of_the_lab_is_marked_with_its_setting():
    marked = {controlled_setting(widget) for widget in MnistLab().layout.select(pn.widgets.Widget)} - {None}
    assert marked == set(SETTINGS) - {"seed"}  # the seed has no control in the lab


def test_hidden_and_locked_controls_follow_the_state_including_the_rebuilt_editor_rows():
    app = MnistLab(MnistState(layers=TINY, input_size=14, hide=["preset"], lock=["layers", "learning_rate"]))
    assert [widget.visible for widget in controls_of(app, "preset")] == [False]
    assert all(widget.disabled for widget in controls_of(app, "learning_rate") + controls_of(app, "layers"))
    assert not any(widget.disabled for widget in controls_of(app, "optimizer") + controls_of(app, "input_size"))
    app.state.layers = [*TINY[:1], {"type": "dense", "units": 32}, *TINY[1:]]  # new editor rows
    layer_controls = controls_of(app, "layers")
    assert len(layer_controls) == 10 and all(w.disabled for w in layer_controls)  # kind, 4 add, 3 x, 2 units
    app.state.param.update(hide=[], lock=[])
    assert all(widget.visible and not widget.disabled for widget in controls_of(app, "preset") + layer_controls)

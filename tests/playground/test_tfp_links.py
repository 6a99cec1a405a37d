"""TensorFlow Playground's links: every key of its URL state (its src/state.ts) becomes one of our settings, a hidden
control or a notice; the hash is read as well as the query (the query winning), and the page writes its settings to
the query and drops the hash."""

import asyncio
import re
from pathlib import Path

import panel as pn
import pytest
from panel.io.location import Location

from playground.core.tfp_link import TFP_FEATURES, TFP_HIDABLE, TFP_KEYS, TFP_UNSUPPORTED, TFP_UNUSED
from playground.sandbox.app import SandboxApp
from playground.sandbox.state import PlaygroundState
from playground.widgets import page_url
from playground.widgets.page_url import follow_link, state_from_location

DOCS = Path(__file__).resolve().parents[2] / "docs" / "tfp-compat.md"
# Every key of TFP's state (State.PROPS in its src/state.ts) and every control it can hide (HIDABLE_CONTROLS).
STATE_KEYS = [
    "activation", "regularization", "batchSize", "dataset", "regDataset", "learningRate", "regularizationRate", "noise",
    "networkShape", "seed", "showTestData", "discretize", "percTrainData", "x", "y", "xTimesY", "xSquared", "ySquared",
    "cosX", "sinX", "cosY", "sinY", "collectStats", "tutorial", "problem", "initZero", "hideText",
]  # fmt: skip
HIDABLE = [
    "showTestData", "discretize", "playButton", "stepButton", "resetButton", "learningRate", "activation",
    "regularization", "regularizationRate", "problem", "dataset", "percTrainData", "noise", "batchSize",
    "numHiddenLayers",
]  # fmt: skip
# A link as TFP's "share" writes it (State.serialize: every key, then the hidden controls), a regression problem.
SHARED = (
    "#activation=relu&regularization=L2&batchSize=20&dataset=spiral&regDataset=reg-gauss&learningRate=0.01"
    "&regularizationRate=0.003&noise=15&networkShape=6,4,2&seed=0.61435&showTestData=true&discretize=true"
    "&percTrainData=70&x=true&y=false&xTimesY=true&xSquared=true&ySquared=false&cosX=false&sinX=true&cosY=false"
    "&sinY=false&collectStats=false&problem=regression&initZero=false&hideText=false&learningRate_hide=true"
    "&numHiddenLayers_hide=true&noise_hide=false"
)


def test_a_shared_link_sets_every_setting_it_names_without_a_notice():
    state, notices = PlaygroundState.from_query(SHARED)
    assert notices == []
    assert state.param.values() | {"name": None} == PlaygroundState(
        name=None,
        activation="relu",
        regularization="l2",
        batch_size=20,
        dataset="reg-gauss",
        learning_rate=0.01,
        regularization_rate=0.003,
        noise=15,
        hidden_layers=[6, 4, 2],
        seed=61435,
        show_test_data=True,
        discretize=True,
        train_percent=70,
        features=["x", "xSquared", "xTimesY", "sinX"],
        hide=["learning_rate", "hidden_layers"],
    ).param.values() | {"name": None}
    assert state.problem == "regression"


@pytest.mark.parametrize(
    ("link", "setting", "value"),
    [
        ("activation=sigmoid", "activation", "sigmoid"),
        ("regularization=L1", "regularization", "l1"),
        ("regularization=none", "regularization", "none"),
        ("batchSize=1", "batch_size", 1),
        ("dataset=xor", "dataset", "xor"),
        ("dataset=gauss&regDataset=reg-plane&problem=classification", "dataset", "gauss"),
        ("dataset=xor&regDataset=reg-gauss", "dataset", "xor"),  # TFP's default problem: classification
        ("dataset=xor&regDataset=reg-gauss&problem=regression", "dataset", "reg-gauss"),
        ("problem=regression&regDataset=reg-gauss", "dataset", "reg-gauss"),
        ("problem=regression", "dataset", "reg-plane"),  # TFP's default regDataset
        ("learningRate=0.00001", "learning_rate", 0.00001),
        ("learningRate=1e-5", "learning_rate", 0.00001),
        ("regularizationRate=0.3", "regularization_rate", 0.3),
        ("noise=50", "noise", 50),
        ("networkShape=", "hidden_layers", []),
        ("networkShape=8,8,8,8,8,8", "hidden_layers", [8] * 6),
        ("seed=0.00042", "seed", 42),
        ("seed=7", "seed", 7),
        ("showTestData=true", "show_test_data", True),
        ("discretize=true", "discretize", True),
        ("percTrainData=90", "train_percent", 90),
        ("x=false", "features", ["y"]),  # the others keep TFP's start: x and y on
        ("xTimesY=true", "features", ["x", "y", "xTimesY"]),
        ("x=false&y=false&cosY=true", "features", ["cosY"]),
        ("collectStats=true", "seed", 0),  # read, nothing to do
        ("hideText=true", "seed", 0),  # TFP's article text: the sandbox has none
        ("initZero=false", "seed", 0),
        ("tutorial=", "seed", 0),
        ("problem=classification", "problem", "classification"),
    ],
)
def test_each_key_of_tfp_becomes_our_setting(link, setting, value):
    for form in (link, "#" + link, "?" + link):
        state, notices = PlaygroundState.from_query(form)
        assert (getattr(state, setting), notices) == (value, []), form


def test_every_key_of_tfps_state_and_every_control_it_hides_is_handled():
    translated = {*TFP_KEYS, *TFP_FEATURES, *TFP_UNUSED, *TFP_UNSUPPORTED, "regDataset"}
    shared_names = {"activation", "regularization", "dataset", "noise", "seed", "discretize", "problem"}
    assert set(STATE_KEYS) == translated | shared_names and shared_names <= set(PlaygroundState.param)
    assert list(TFP_HIDABLE) == HIDABLE
    assert all(set(settings) <= set(PlaygroundState.param) for settings in TFP_HIDABLE.values())


@pytest.mark.parametrize("control", [name for name, settings in TFP_HIDABLE.items() if settings])
def test_a_hidden_control_of_tfp_hides_ours(control):
    state, notices = PlaygroundState.from_query(f"#{control}_hide=true&noise_hide=false")
    assert (state.hide, notices) == (list(TFP_HIDABLE[control]), [])


def test_what_has_no_equivalent_is_named_in_one_notice():
    link = "#playButton_hide=true&stepButton_hide=false&resetButton_hide=true&initZero=true&tutorial=dropout&noise=5"
    state, notices = PlaygroundState.from_query(link)
    assert state.noise == 5 and state.hide == []
    assert notices == [
        "TensorFlow Playground's playButton_hide=true, resetButton_hide=true, initZero=true, tutorial=dropout: "
        "no equivalent here, ignored"
    ]


@pytest.mark.parametrize(
    ("link", "notice"),
    [
        ("x=yes", "x: cannot use 'yes' (must be true or false); ignored"),
        ("learningRate_hide=1", "learningRate_hide: cannot use '1' (must be true or false); ignored"),
        ("problem=regression&regDataset=reg-maximum",
         "dataset: cannot use 'reg-maximum' (not one of circle, xor, gauss, spiral, moons, checkerboard, spiral3, "
         "spiral5, blobs4, …); keeping reg-plane"),
        ("learningRate=0.05", "learning_rate: cannot use '0.05' (not one of 1e-05, 0.0001, 0.001, 0.003, 0.01, 0.03, "
         "0.1, 0.3, 1.0, 3.0, 10.0); keeping 0.03"),
        ("networkShape=4,40",
         "hidden_layers: cannot use '4,40' (every width must be from 1 to 16, got 40); keeping 4,2"),
        ("x=false&y=false", "features: cannot use '' (switch on at least one feature); keeping x,y"),
        ("seed=0.x", "seed: cannot use 'x' (not a number); keeping 0"),
        ("foo_hide=true", "foo_hide: unknown setting, ignored"),
    ],
)  # fmt: skip
def test_a_bad_value_in_a_tfp_link_gives_a_notice_and_the_rest_applies(link, notice):
    state, notices = PlaygroundState.from_query(f"#{link}&batchSize=7")
    assert notices == [notice] and state.batch_size == 7


def test_the_query_wins_over_the_hash_where_both_set_a_setting():
    state, notices = PlaygroundState.from_query("?learning_rate=0.1&noise=10#learningRate=0.3&activation=relu&noise=20")
    assert (state.learning_rate, state.noise, state.activation, notices) == (0.1, 10, "relu", [])
    state, notices = PlaygroundState.from_query("?dataset=xor#problem=regression&regDataset=reg-gauss")
    assert state.dataset == "xor" and notices == ["problem: the dataset 'xor' is a classification problem"]
    _, notices = PlaygroundState.from_query("?noise=1&noise=2#noise=3&noise=4")
    assert notices == ["noise: given 2 times; using the last, '4'", "noise: given 2 times; using the last, '2'"]


def test_a_page_reads_the_hash_of_its_url_and_writes_the_query_dropping_the_hash():
    location = Location()
    follow_link(location, "?noise=10", "#activation=relu&learningRate_hide=true&playButton_hide=true")
    state, notices = state_from_location(PlaygroundState, location)
    assert (state.noise, state.activation, state.hide) == (10, "relu", ["learning_rate"])
    assert notices == ["TensorFlow Playground's playButton_hide=true: no equivalent here, ignored"]

    async def change():
        app = SandboxApp(state, location=location)
        app.state.noise = 20
        await asyncio.sleep(page_url.DEBOUNCE_MS / 1000 + 0.2)

    asyncio.run(change())
    assert (location.search, location.hash) == ("?noise=20&activation=relu&hide=learning_rate", "")
    assert PlaygroundState.from_query(location.search)[0].to_query() == state.to_query()


def test_a_hash_alone_opens_the_page_and_no_link_gives_the_defaults():
    location = Location()
    follow_link(location, "", "#problem=regression&regDataset=reg-gauss")
    assert state_from_location(PlaygroundState, location)[0].dataset == "reg-gauss"
    assert state_from_location(PlaygroundState, Location())[0].to_query() == ""


def test_the_docs_table_names_every_key_and_hidable_control_of_tfp():
    table = DOCS.read_text(encoding="utf-8")
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    documented = {name for cell in first_cells for name in re.findall(r"`(\w+)`", cell)}
    assert set(STATE_KEYS) | {f"{name}_hide" for name in HIDABLE} <= documented


def test_under_panel_serve_the_hash_the_page_reports_once_open_sets_the_page_as_a_link_does(monkeypatch):
    """A browser never sends a URL's hash: under `panel serve` a TensorFlow Playground link is built without it, and
    Panel's Location reports it once the page is open. Its settings then take effect (the query's win), the notice
    says what was not used, and the settings move into the query; a hash written later is no link."""
    from playground.widgets import training_page

    location = Location(search="?noise=10")
    monkeypatch.setattr(pn.state, "_location", location)
    monkeypatch.setattr(training_page, "served_by_bokeh", lambda: True)

    async def open_link():
        app = SandboxApp.from_page_url()
        assert (app.state.activation, app.state.noise, app.notices.visible) == ("tanh", 10, False)
        location.hash = "#activation=relu&learningRate=0.3&noise=20&playButton_hide=true"
        await asyncio.sleep(page_url.DEBOUNCE_MS / 1000 + 0.2)
        location.hash = "#activation=sigmoid"
        return app

    app = asyncio.run(open_link())
    assert (app.state.activation, app.state.learning_rate, app.state.noise) == ("relu", 0.3, 10)
    assert "relu" in [layer["type"] for layer in app.session.model.spec()["layers"]]
    assert app.notices.visible and "playButton_hide=true: no equivalent here" in app.notices.object
    assert location.search == "?noise=10&activation=relu&learning_rate=0.3"

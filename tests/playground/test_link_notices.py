"""What a page says about the parts of a link it cannot use: a student's words, values cut to 40 characters, at most
ten notices and a count of the rest, in a box whose long words wrap; and `safe_search`, the part of a link Panel's
own query parser is given."""

import pytest
from bokeh.document import Document

from playground.core.query import MAX_PAIRS, SHOWN_CHARS
from playground.mnist.state import MnistState
from playground.sandbox.state import PlaygroundState
from playground.widgets.alert import Alert
from playground.widgets.page_url import safe_search, url_notices

ALL_WIDTHS = "1,1,1,1,1,1,1,1,1"


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("noise=%C2%B2", "noise: cannot use '²' (not a number); keeping 0"),
        ("noise=٣", "noise: cannot use '٣' (not a number); keeping 0"),
        ("seed=1.5", "seed: cannot use '1.5' (not a whole number); keeping 0"),
        ("noise=99", "noise: cannot use '99' (must be from 0 to 50); keeping 0"),
        ("seed=2147483648", "seed: cannot use '2147483648' (must be from 0 to 2,147,483,647); keeping 0"),
        ("batch_size=", "batch_size: cannot use '' (no number given); keeping 10"),
        ("show_test_data=yes", "show_test_data: cannot use 'yes' (must be true or false); keeping false"),
        ("optimizer=lbfgs", "optimizer: cannot use 'lbfgs' (not one of sgd, adam, rmsprop); keeping sgd"),
        (f"hidden_layers={ALL_WIDTHS}",
         f"hidden_layers: cannot use '{ALL_WIDTHS}' (9 entries; at most 8 allowed); keeping 4,2"),
        ("hidden_layers=4,%E2%91%A0", "hidden_layers: cannot use '4,①' ('①' is not a number); keeping 4,2"),
        ("hidden_layers=4,40",
         "hidden_layers: cannot use '4,40' (every width must be from 1 to 16, got 40); keeping 4,2"),
        ("layer_activations=foo", "layer_activations: cannot use 'foo' (not one of tanh, relu, sigmoid, linear, "
         "leaky_relu, elu, swish, softplus); keeping none"),
        ("dataset=%3Cb%3E", "dataset: cannot use '<b>' (not one of circle, xor, gauss, spiral, moons, checkerboard, "
         "spiral3, spiral5, blobs4, …); keeping circle"),
        ("colour=red", "colour: unknown setting, ignored"),
        ("=5", "'5' has no setting name; ignored"),
        ("noise=3&noise=4", "noise: given 2 times; using the last, '4'"),
        ("learningRate=nan", "learning_rate: cannot use 'nan' (not a number); keeping 0.03"),
        ("networkShape=%C2%B2", "hidden_layers: cannot use '²' (not a number); keeping 4,2"),
        ("hide=seed,%00", "hide: cannot use 'seed,\ufffd' ('\ufffd' is not one of problem, dataset, noise, "
         "train_percent, batch_size, seed, features, …); keeping none"),
    ],
)  # fmt: skip
def test_a_notice_says_in_plain_words_what_was_wrong_and_what_is_kept(query, notice):
    assert PlaygroundState.from_query(query)[1] == [notice]


def test_the_mnist_labs_notices_too():
    _, notices = MnistState.from_query("batch_size=33&input_size=%E2%91%A0&seed=" + "9" * 5000)
    assert notices == [
        "input_size: cannot use '①' (not a number); keeping 28",
        "batch_size: cannot use '33' (not one of 8, 16, 32, 64, 128); keeping 32",
        f"seed: cannot use '{'9' * (SHOWN_CHARS - 1)}…' (5,000 characters: far too long); keeping 0",
    ]
    _, notices = MnistState.from_query("layers=" + "dense10," * 100 + "flatten")
    assert notices[0].startswith(f"layers: cannot build '{'dense10,dense10,dense10,dense10,dense10'[:39]}…' (")


def test_a_long_value_is_shown_cut_and_the_notice_wraps():
    _, notices = PlaygroundState.from_query("noise=" + "x" * 10_000)
    assert notices == [f"noise: cannot use '{'x' * 39}…' (10,000 characters: far too long); keeping 0"]
    alert = url_notices(notices)
    assert alert.visible and len(alert.object) < 200
    assert ":host { overflow-wrap: anywhere; }" in Alert("x").get_root(Document()).stylesheets


def test_thousands_of_unknown_keys_give_ten_notices_and_a_count_of_the_rest():
    _, notices = PlaygroundState.from_query("&".join(f"key{n}=1" for n in range(2000)) + "&noise=5")
    assert notices == [f"key{n}: unknown setting, ignored" for n in range(10)] + [
        "and 1,991 more settings the page could not use"
    ]
    state, notices = PlaygroundState.from_query("noise=5&" + "&".join(f"key{n}=1" for n in range(11)))
    assert state.noise == 5 and notices[-1] == "and 1 more setting the page could not use"


def test_only_the_first_settings_of_a_link_are_read():
    state, _ = PlaygroundState.from_query("&".join(["noise=3"] * MAX_PAIRS + ["seed=4"]))
    assert (state.noise, state.seed) == (3, 0)


def test_safe_search_gives_panel_a_harmless_link_whole_and_leaves_out_what_its_parser_chokes_on():
    assert safe_search("?noise=10&hidden_layers=4,2") == ("?noise=10&hidden_layers=4,2", [])
    assert safe_search("") == ("", [])
    clean, notices = safe_search("?noise=%C2%B2&seed=3&foo=" + "[" * 250 + "&bar=" + "9" * 101 + "&=%7B")
    assert clean == "?seed=3"
    assert notices == [
        "noise: '²' cannot be read; ignored",
        f"foo: '{'[' * 39}…' cannot be read; ignored",
        f"bar: '{'9' * 39}…' cannot be read; ignored",
        "a value without a name: '{' cannot be read; ignored",
    ]
    clean, notices = safe_search("?" + "&".join(f"key{n}=1" for n in range(2000)))
    assert clean.count("&") == MAX_PAIRS - 1 and notices == ["and 1,800 more settings the page could not use"]

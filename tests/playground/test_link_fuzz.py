"""Odd links cannot stop a page: a few hundred generated page URLs (fixed seed) read into both pages' settings the
way the site reads them (the query set as the Location's search, then `state_from_location`) end with valid
settings and short notices in plain words, and the nastiest of them build the real pages.

Python in the browser's worker has a small stack: Panel's query parsing (json, then ast, on any value starting with
"[" or "{") overflowed it at about 250 nested brackets, a fatal error nothing in Python can catch. `pyodide_stack`
makes deep parses in Panel's parser raise such an uncatchable error here too."""

import ast
import json
import random
import types
from urllib.parse import quote

import panel as pn
import panel.util
import pytest
from panel.io.location import Location
from plain_words import PYTHON_WORDS

from playground.mnist.app import MnistLab
from playground.mnist.state import MnistState
from playground.sandbox.app import SandboxApp
from playground.sandbox.state import PlaygroundState
from playground.widgets.page_url import state_from_location, url_notices

STATES = [PlaygroundState, MnistState]
KNOWN_KEYS = sorted((set(PlaygroundState.param) | set(MnistState.param)) - {"name"})
TFP_KEYS = [
    "activation", "batchSize", "dataset", "regDataset", "learningRate", "regularizationRate", "noise", "networkShape",
    "seed", "showTestData", "discretize", "percTrainData", "x", "y", "xTimesY", "xSquared", "ySquared", "cosX",
    "sinX", "cosY", "sinY", "collectStats", "problem", "initZero", "hideText", "regularization", "activation_hide",
    "tutorial",
]  # fmt: skip
ODD_KEYS = ["", "foo", "Noise", "noise ", "%6Eoise", "no%00ise", "²", "%C2%B2", "<b>x</b>", "k" * 5000, "%", "[", "a+b"]
ODD_VALUES = [
    # unicode digits: isdigit() is true, int() refuses them (or takes them: Arabic-Indic)
    "%C2%B2", "²", "①", "%E2%91%A0", "٣", "𝟗", "½", "Ⅻ", "1%C2%B2", "⁴,²",
    # numbers in odd forms
    "nan", "inf", "-inf", "-0", "1_000", " 5 ", "+3", "0x10", "1.5", "1e-05", "1e400", "0.03", "-1", "2147483648",
    "0.", ".", "0.58391", "", "9" * 30, "1" + "0" * 400,
    # percent-encoding junk
    "%", "%%", "%G1", "%C3%28", "%FF%FE", "%00", "%E2%80%AE", "%0A", "%2", "%25", "%26noise%3D5", "+++", "%2B",
    # lists, booleans, names, markup
    "4,2", ",,,", "1," * 20, "16,16,16", "0", "17", "relu,foo", "x,y", "x,zz", "seed,noise", "seed,%00",
    "true", "True", "TRUE", "yes", "false", "<script>alert(1)</script>", "'\"", "\\", "xor", "spiral3", "mlp",
    "conv8k3,relu,maxpool2,flatten,dense10", "conv²k3,flatten,dense10", "flatten,dense10", "dense0", "dropout9.9",
]  # fmt: skip


def deep(rng):
    n = rng.choice([50, 100, 250, 300, 1000])
    return rng.choice(["[" * n, "{" * n, "[" * n + "]" * n, '{"a":' * n, "%5B" * n, "[1," * n])


def huge(rng):
    return rng.choice(["9", "-9", "1"])[:1] + "9" * rng.choice([4300, 4301, 5000, 10000])


def long(rng):
    return rng.choice(["x" * 10_000, "%41" * 3000, "1," * 5000, "relu," * 3000, "dense10," * 2000, "²" * 3000])


def odd_value(rng):
    kind = rng.random()
    if kind < 0.15:
        return deep(rng)
    if kind < 0.25:
        return huge(rng)
    if kind < 0.32:
        return long(rng)
    value = rng.choice(ODD_VALUES)
    return quote(value, safe=",") if rng.random() < 0.3 else value


def odd_key(rng):
    kind = rng.random()
    return rng.choice(KNOWN_KEYS) if kind < 0.5 else rng.choice(TFP_KEYS) if kind < 0.8 else rng.choice(ODD_KEYS)


def generated_queries(count=300, seed=20240609):
    rng = random.Random(seed)
    queries = [
        "?foo=" + "[" * 250,  # the issue's hanging link
        "?noise=%C2%B2",  # the issue's broken start
        "?colour=%C2%B2",  # ... even under a key no page knows
        "?seed=" + "9" * 5000,
        "?noise=" + "x" * 10_000,
        "?" + "&".join(f"key{n}=1" for n in range(2000)),
        "?" + "&".join(f"noise={n}" for n in range(300)),
        "?" + "&" * 500,
        "?=",
        "?==",
        "?=5&=&noise=3",
        "?noise=1;seed=2",
    ]
    while len(queries) < count:
        pairs = [f"{odd_key(rng)}={odd_value(rng)}" for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.1:
            pairs += [f"{rng.choice(KNOWN_KEYS)}={odd_value(rng)}"] * rng.randint(2, 4)  # a repeated key
        if rng.random() < 0.05:
            pairs += [f"junk{n}={odd_value(rng)}" for n in range(rng.randint(100, 400))]
        rng.shuffle(pairs)
        queries.append(rng.choice(["?", "??", "?&", "?#"]) + rng.choice(["&", "&&"]).join(pairs))
    return queries


QUERIES = generated_queries()


class StackOverflow(BaseException):
    """What Pyodide's fatal stack error is to Python: nothing catches it."""


def nesting(text):
    depth = most = 0
    for char in text:
        depth += char in "[{(" or -(char in "]})")
        most = max(most, depth)
    return most


@pytest.fixture
def pyodide_stack(monkeypatch):
    """Panel's parser (panel.util.parse_query) overflows the stack on a value nested 100 deep, as in the worker."""

    def shallow(parse):
        def parse_shallow(text, *args, **kwargs):
            if nesting(text) >= 100:
                raise StackOverflow(f"{parse.__module__}.{parse.__name__} of a value nested {nesting(text)} deep")
            return parse(text, *args, **kwargs)

        return parse_shallow

    monkeypatch.setattr(panel.util, "json", types.SimpleNamespace(loads=shallow(json.loads)))
    monkeypatch.setattr(panel.util, "ast", types.SimpleNamespace(literal_eval=shallow(ast.literal_eval)))


def opened(search):
    """The Location of a page opened at `search`: boot.py and Panel's server set the search on a made Location."""
    location = Location()
    location.search = search
    return location


def assert_plain_short_notices(notices):
    assert type(notices) is list and len(notices) <= 12
    for notice in notices:
        assert type(notice) is str and 0 < len(notice) <= 400 and notice.isprintable(), notice
        assert max(len(word) for word in notice.split()) <= 60, notice
        assert not PYTHON_WORDS.search(notice), notice


def test_the_fuzz_has_hostile_links_of_every_kind():
    assert len(QUERIES) == 300 and len(set(QUERIES)) > 290
    assert sum("[" * 250 in query for query in QUERIES) > 5 and sum("9" * 4301 in query for query in QUERIES) > 5
    assert sum("%C2%B2" in query or "²" in query for query in QUERIES) > 20
    assert sum(query.count("&") > 200 for query in QUERIES) > 5


@pytest.mark.parametrize("state_class", STATES, ids=lambda state_class: state_class.__name__)
def test_every_generated_link_opens_with_valid_settings_and_short_plain_notices(state_class, pyodide_stack):
    failures = []
    for query in QUERIES:
        try:
            state, notices = state_from_location(state_class, opened(query))
            assert isinstance(state, state_class)
            restored, again = state_class.from_query(state.to_query())  # valid settings read back unchanged
            assert again == [] and restored.to_query() == state.to_query()
            assert_plain_short_notices(notices)
            assert len(url_notices(notices).object) < 8000
        except (Exception, StackOverflow) as error:
            failures.append(f"{query[:80]!r}: {type(error).__name__}: {str(error)[:300]}")
    assert failures == [], f"{len(failures)} of {len(QUERIES)} links failed:\n" + "\n".join(failures[:10])


NASTIEST = [
    "?foo=" + "[" * 250,
    "?noise=%C2%B2&layers=conv%C2%B2k3&seed=" + "9" * 5000,
    "?" + "&".join(f"key{n}=1" for n in range(2000)) + "&noise=5",
    "?hidden_layers=" + "1," * 5000 + "&preset=" + "x" * 10_000 + "&hide=seed,%00&lock=%E2%80%AE",
    "?learningRate=nan&networkShape=%5B%5B%5B&x=" + "{" * 300 + "&batchSize=%E2%91%A0&percTrainData=1e400",
]


@pytest.mark.parametrize("page", [SandboxApp, MnistLab], ids=lambda page: page.__name__)
@pytest.mark.parametrize("search", NASTIEST, ids=range(len(NASTIEST)))
def test_the_nastiest_links_build_the_real_pages_with_their_notices(page, search, monkeypatch, pyodide_stack):
    monkeypatch.setattr(pn.state, "_location", opened(search))
    app = page.from_page_url()
    assert app.notices.visible
    assert_plain_short_notices(app.state.from_query(search)[1])
    assert app.notices.object.count("<div>") <= 12


def test_panels_own_parse_of_any_generated_link_neither_raises_nor_recurses(pyodide_stack):
    # Set as a Location's search (boot.py), updated with the rest of a request's URL (Panel's server), read back.
    for query in QUERIES:
        location = opened(query)
        location.param.update(search="?" + query.lstrip("?"), pathname="/app")
        assert isinstance(location.query_params, dict)


def test_the_guard_leaves_panels_reading_of_a_harmless_link_as_it_was():
    harmless = "?noise=10&learning_rate=0.3&hidden_layers=4,2&show_test_data=true&dataset=xor"
    assert opened(harmless).query_params == panel.util.parse_query(harmless)
    assert opened(harmless).query_params == {
        "noise": 10, "learning_rate": 0.3, "hidden_layers": "4,2", "show_test_data": True, "dataset": "xor"
    }  # fmt: skip
    assert opened("?noise=%C2%B2&seed=3&foo=" + "[" * 250).query_params == {"seed": 3}


def test_under_panel_serve_the_issues_links_open_the_page_with_their_notices():
    import socket
    import time
    import urllib.request

    from playground.sandbox.app import create_app

    built = []

    def app():
        try:
            page = create_app()
        except BaseException as error:
            built.append(f"{type(error).__name__}: {error}")
            raise
        built.append(page.notices.object)
        return page

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = pn.serve({"app": app}, port=port, address="127.0.0.1", show=False, threaded=True, start=True)
    try:
        for query, notice in [
            ("?noise=%C2%B2", "noise: cannot use &#x27;²&#x27; (not a number); keeping 0"),
            ("?foo=" + "[" * 250, "foo: unknown setting, ignored"),
            ("?seed=" + "9" * 5000, "seed: cannot use &#x27;9999"),
        ]:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/app{query}", timeout=60).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            assert notice in built[-1]
    finally:
        server.stop()

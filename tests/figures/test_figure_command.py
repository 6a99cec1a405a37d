"""`nn-playground figure`: a playground link becomes a figure file; every mistake gets a message saying what to fix."""

import pytest
from figure_checks import assert_valid_svg, changed_share, png_pixels

from playground.cli import main
from playground.core.query import query_of

LINK = "http://127.0.0.1:8000/sandbox.html?dataset=xor&hidden_layers=4&noise=5&seed=3"


def test_a_shared_link_becomes_the_same_svg_every_time(tmp_path, capsys, artifacts):
    outputs = [tmp_path / "a.svg", tmp_path / "b.svg"]
    for out in outputs:
        assert main(["figure", "--url", LINK, "--view", "boundary", "--epochs", "20", "--out", str(out)]) == 0
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    assert_valid_svg(outputs[0].read_bytes(), (900, 750))
    assert "boundary after 20 epochs, step 500" in capsys.readouterr().out
    (artifacts / "cli-boundary-xor.svg").write_bytes(outputs[0].read_bytes())


def test_the_epochs_size_and_dpi_are_used(tmp_path, artifacts):
    pictures = []
    for epochs in (0, 30):
        out = tmp_path / f"net{epochs}.png"
        argv = ["figure", "--url", LINK, "--view", "network", "--epochs", str(epochs), "--size", "640x480"]
        assert main([*argv, "--dpi", "100", "--out", str(out)]) == 0
        assert png_pixels(out.read_bytes()).shape[:2] == (480, 640)
        pictures.append(out.read_bytes())
    assert changed_share(*pictures) > 0.02
    (artifacts / "cli-network-xor.png").write_bytes(pictures[1])


@pytest.mark.parametrize(
    ("url", "query"),
    [(LINK, "dataset=xor&hidden_layers=4&noise=5&seed=3"), ("?noise=5", "noise=5"), ("noise=5", "noise=5"),
     ("https://example.org/sandbox.html#noise=5", "#noise=5"), ("https://example.org/sandbox.html", ""),
     ("https://playground.tensorflow.org/?noise=5#activation=relu", "noise=5#activation=relu"),
     ("sandbox.html#activation=relu", "#activation=relu"), ("noise=5#activation=relu", "noise=5#activation=relu"),
     ("http://[noise=5", "http://[noise=5")],
)  # fmt: skip
def test_a_full_link_or_just_its_query(url, query):
    assert query_of(url) == query


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--url", "dataset=nope&foo=1", "--view", "boundary"], "dataset: cannot use 'nope'"),
        (["--url", "dataset=nope&foo=1", "--view", "boundary"], "foo: unknown setting"),
        (["--url", "noise=5", "--view", "boundary", "--epochs", "-1"], "--epochs must be from 0 to 5000"),
        (["--url", "noise=5", "--view", "boundary", "--size", "20x20"], "size must be WIDTHxHEIGHT in pixels"),
        (["--url", "noise=5", "--view", "boundary", "--dpi", "5"], "dpi must be from 50 to 600"),
    ],
)
def test_bad_settings_are_named(argv, message, tmp_path, capsys):
    assert main(["figure", *argv, "--out", str(tmp_path / "fig.png")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "fig.png").exists()


def test_an_unknown_format_or_an_unwritable_file_is_named(tmp_path, capsys):
    assert main(["figure", "--url", "noise=5", "--view", "curves", "--epochs", "1", "--out", "fig.gif"]) == 1
    assert "--out must end in .png, .svg, .pdf, got 'fig.gif'" in capsys.readouterr().err
    out = tmp_path / "missing" / "fig.png"
    assert main(["figure", "--url", "noise=5", "--view", "curves", "--epochs", "1", "--out", str(out)]) == 1
    assert f"cannot write {out} (No such file or directory); choose another --out" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--view", "boundry"], "invalid choice: 'boundry'"), (["--view", "curves", "--size", "big"], "WIDTHxHEIGHT")],
)
def test_unknown_views_and_sizes_are_refused_by_the_parser(argv, message, capsys):
    with pytest.raises(SystemExit):
        main(["figure", "--url", "noise=5", *argv, "--out", "fig.png"])
    assert message in capsys.readouterr().err

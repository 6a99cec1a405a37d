"""docs/export.md's example runs as written: its commands on a model saved from the sandbox at ?dataset=xor, then its
Python, which prints what the page says it prints."""

import re
import runpy
import shlex
import sys
from pathlib import Path

import pytest

from playground.cli import main
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

DOCS = (Path(__file__).parents[2] / "docs" / "export.md").read_text()
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```\n", re.M | re.S)


def test_the_commands_and_the_python_example_run_as_written(tmp_path, monkeypatch, capsys):
    pytest.importorskip("torch")
    blocks = BLOCK.findall(DOCS)
    commands, python, printed = (
        next(text for kind, text in blocks if kind == wanted) for wanted in ("sh", "python", "text")
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "model", raising=False)
    (tmp_path / "model.npz").write_bytes(Session(PlaygroundState.from_query("dataset=xor")[0]).model_npz())
    for line in commands.splitlines():
        program, *args = shlex.split(line)
        if program == "python":
            runpy.run_path(args[0], run_name="__main__")
        else:
            assert (program, main(args)) == ("nn-playground", 0), capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "model.ipynb",
        "model.npz",
        "model.py",
        "numpy_model.py",
    ]
    output = capsys.readouterr().out
    assert output.count("largest difference from nn-playground: ") == 1 and output.count("\nwrote ") == 2
    exec(python, {})
    assert capsys.readouterr().out == printed

"""`nn-playground export MODEL.npz --to pytorch|notebook|python --out FILE` (playground/export_command.py): writes
each file from a page's saved model; every bad input is one line on stderr and exit code 2, never a traceback."""

import json

import pytest

from nn_core import export_torch
from playground.cli import main
from playground.mnist.session import MnistSession
from playground.mnist.state import MnistState
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

SPIRAL = "dataset=spiral&hidden_layers=6&activation=relu&optimizer=rmsprop&learning_rate=0.01&batch_size=4"


@pytest.fixture
def saved(tmp_path):
    """A trained sandbox model (the SPIRAL settings) saved as the page saves it."""
    session = Session(PlaygroundState.from_query(SPIRAL)[0])
    session.step_epoch()
    path = tmp_path / "spiral.npz"
    path.write_bytes(session.model_npz())
    return path


def export(*args, capsys):
    """(exit code, stdout, stderr) of `nn-playground export ARGS`."""
    code = main(["export", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *args):
    code, out, err = export(*args, capsys=capsys)
    assert code == 2 and not out and err.count("\n") == 1 and "Traceback" not in err
    return err.removeprefix("nn-playground export: ")


def test_pytorch_and_python_scripts_are_written_and_named_as_they_are_saved(saved, tmp_path, capsys):
    code, out, _ = export(saved, "--to", "pytorch", "--out", tmp_path / "spiral_model.py", capsys=capsys)
    assert code == 0 and out.startswith(f"wrote {tmp_path / 'spiral_model.py'} (")
    script = (tmp_path / "spiral_model.py").read_text()
    assert "`from spiral_model import model`" in script and "nn.Linear(2, 6)" in script
    compile(script, "spiral_model.py", "exec")
    assert export(saved, "--to", "python", "--out", tmp_path / "numpy_model.py", capsys=capsys)[0] == 0
    assert "def predict(x)" in (tmp_path / "numpy_model.py").read_text()


def test_the_notebook_takes_data_loss_and_optimizer_from_the_pages_address(saved, tmp_path, capsys):
    url = f"https://example.org/sandbox.html?{SPIRAL}"
    assert export(saved, "--to", "notebook", "--out", tmp_path / "n.ipynb", "--settings", url, capsys=capsys)[0] == 0
    code = "".join("".join(cell["source"]) for cell in json.loads((tmp_path / "n.ipynb").read_text())["cells"])
    assert "torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE, alpha=0.9, eps=1e-08)" in code
    assert "BATCH_SIZE = 4" in code and "the spiral data set (noise 0%, seed 0)" in code


def test_a_lab_model_gets_a_notebook_of_digits(tmp_path, capsys):
    settings = "layers=flatten,dense10&input_size=14"
    path = tmp_path / "lab.npz"
    path.write_bytes(MnistSession(MnistState.from_query(settings)[0]).model_npz())
    assert (
        export(path, "--to", "notebook", "--out", tmp_path / "lab.ipynb", "--settings", settings, capsys=capsys)[0] == 0
    )
    assert "FULL_MNIST = False" in (tmp_path / "lab.ipynb").read_text()


def test_bad_input_is_one_line_and_exit_code_2(saved, tmp_path, capsys):
    out = tmp_path / "model.py"
    assert refused(capsys, tmp_path / "none.npz", "--out", out) == (
        f"{tmp_path / 'none.npz'}: cannot read the file: No such file or directory\n"
    )
    (tmp_path / "text.npz").write_text("not a zip")
    assert "this is not a model file saved by nn-playground" in refused(capsys, tmp_path / "text.npz", "--out", out)
    assert refused(capsys, saved, "--to", "notebook", "--out", out).startswith("--to notebook writes a .ipynb file")
    assert refused(capsys, saved, "--out", out, "--settings", SPIRAL).startswith("--settings goes with --to notebook")
    assert refused(capsys, saved, "--to", "notebook", "--out", tmp_path / "n.ipynb").startswith(
        "the file's network is 2 inputs → dense 6 → relu → dense 1 → tanh, the settings' 2 inputs → dense 4 → tanh"
    )
    assert "learning_rate: cannot use '0.7'" in refused(
        capsys, saved, "--to", "notebook", "--out", tmp_path / "n.ipynb", "--settings", "learning_rate=0.7"
    )


def test_an_existing_file_is_replaced_only_with_force(saved, tmp_path, capsys):
    out = tmp_path / "model.py"
    out.write_text("mine")
    assert refused(capsys, saved, "--out", out) == f"{out} exists; add --force to replace it\n"
    assert out.read_text() == "mine"
    assert export(saved, "--out", out, "--force", capsys=capsys)[0] == 0 and "import torch" in out.read_text()


def test_a_layer_the_export_cannot_write_is_named(saved, tmp_path, capsys, monkeypatch):
    monkeypatch.delitem(export_torch.TRANSLATIONS, "relu")
    assert refused(capsys, saved, "--out", tmp_path / "model.py").startswith(
        "layer 1 (relu): the PyTorch export cannot write this layer"
    )

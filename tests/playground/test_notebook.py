"""docs/notebooks/playground.ipynb and the examples of docs/jupyter.md run as written, in a Jupyter kernel of this
Python (nbclient): both pages are built, shown, trained from code and played in the kernel's event loop."""

import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs" / "notebooks" / "playground.ipynb"
GUIDE = ROOT / "docs" / "jupyter.md"
PANEL_OUTPUT = "application/vnd.holoviews_exec.v0+json"  # what a cell showing a Panel object puts out
EXAMPLE = re.compile(r"^```python\n(.*?)^```\n(?:\n?```text\n(.*?)^```\n)?", re.M | re.S)


@pytest.fixture
def execute(monkeypatch):
    """Runs a notebook in a kernel of this very interpreter (ipykernel's own "python3", whatever kernels the machine
    has installed: KernelSpecManager finds none in no folders and falls back to it), from the project's folder."""
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # the kernel's: BLAS threads are 10x slower on a busy machine

    def run(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
        notebook.cells.insert(0, nbformat.v4.new_code_cell("import sys\nprint(sys.executable)"))
        kernel = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
        NotebookClient(notebook, km=kernel, timeout=120, resources={"metadata": {"path": str(ROOT)}}).execute()
        assert printed(notebook.cells.pop(0)) == f"{sys.executable}\n"
        return notebook

    return run


def printed(cell: nbformat.NotebookNode) -> str:
    return "".join(output.text for output in cell.outputs if output.output_type == "stream" and output.name == "stdout")


def test_the_notebook_is_stored_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert notebook.metadata.kernelspec.name == "python3"


def test_the_notebook_shows_both_pages_trains_them_and_plays_the_sandbox(execute):
    cells = [cell for cell in execute(nbformat.read(NOTEBOOK, as_version=4)).cells if cell.cell_type == "code"]
    shown = [cell for cell in cells if any(PANEL_OUTPUT in output.get("data", {}) for output in cell.outputs)]
    assert [cell.source.splitlines()[-1] for cell in shown] == ["app", "lab"]
    text = "".join(map(printed, cells))
    reports = re.findall(r"^epoch (\d+): train loss [\d.]+, test loss [\d.]+, test accuracy ([\d.]+)%", text, re.M)
    assert [int(epoch) for epoch, _ in reports] == [10, 20, 30, 1, 2]  # the sandbox's, then the lab's
    assert float(reports[2][1]) > 90 and float(reports[4][1]) > 80  # the spiral learnt, and the digits
    played = re.search(r"^Paused · epoch (\d+) · step \d+ ", text, re.M)
    assert played and int(played.group(1)) > 30  # Play trained on in the kernel's event loop until Pause
    assert "Dense" in cells[-1].outputs[0].data["text/plain"]


def test_every_example_of_the_guide_runs_as_written_and_prints_what_it_shows(execute):
    examples = EXAMPLE.findall(GUIDE.read_text())
    assert len(examples) >= 5
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code, _ in examples])
    cells = execute(notebook).cells
    for cell, (code, shown) in zip(cells, examples, strict=True):
        if shown:
            assert printed(cell) == shown, code

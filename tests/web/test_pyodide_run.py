"""The in-Pyodide runner reports what ran, and fails when Python fails (so `make test` cannot pass blindly)."""

import subprocess
import sys

import pytest

from web.pins import load_pins
from web.pyodide_run import PROJECT


def run_script(tmp_path, source: str) -> subprocess.CompletedProcess:
    # The script must live inside the project: only the project folder is mounted into Pyodide.
    script = PROJECT / "build" / f"pyodide_probe_{tmp_path.name}.py"
    script.parent.mkdir(exist_ok=True)
    script.write_text(source)
    try:
        return subprocess.run(
            [sys.executable, "-m", "web.pyodide_run", "--script", str(script.relative_to(PROJECT))],
            capture_output=True,
            text=True,
            cwd=PROJECT,
            timeout=300,
        )
    finally:
        script.unlink()


@pytest.fixture(scope="module")
def probe_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("probe")


def test_a_script_runs_under_pyodide_with_the_project_importable(probe_dir):
    result = run_script(probe_dir, "import sys, numpy, nn_core\nprint('platform', sys.platform, numpy.__version__)\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"platform emscripten {load_pins().version('numpy')}" in result.stdout


def test_a_python_error_fails_the_run_with_its_traceback(probe_dir):
    result = run_script(probe_dir, "raise ValueError('boom')\n")
    assert result.returncode == 1
    assert "ValueError: boom" in result.stderr

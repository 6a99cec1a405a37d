"""The in-Pyodide runner reports what ran, and fails when Python fails (so `make test` cannot pass blindly)."""

import subprocess
import sys
import tempfile
from pathlib import Path

from web.pins import load_pins
from web.pyodide_run import PROJECT


def run_script(source: str) -> subprocess.CompletedProcess:
    # The script must live inside the project: only the project folder is mounted into Pyodide. Its name is unique:
    # parallel test workers share the project folder.
    build = PROJECT / "build"
    build.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=build, prefix="pyodide_probe_", suffix=".py", delete=False) as f:
        f.write(source)
    script = Path(f.name)
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


def test_a_script_runs_under_pyodide_with_the_project_importable():
    result = run_script("import sys, numpy, nn_core\nprint('platform', sys.platform, numpy.__version__)\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"platform emscripten {load_pins().version('numpy')}" in result.stdout


def test_a_python_error_fails_the_run_with_its_traceback():
    result = run_script("raise ValueError('boom')\n")
    assert result.returncode == 1
    assert "ValueError: boom" in result.stderr

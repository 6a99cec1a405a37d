"""Run code in a fresh Python interpreter, for checks that depend on what has not been imported yet."""

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    """Run `code` (dedented) in a new interpreter; return the last line it printed."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]

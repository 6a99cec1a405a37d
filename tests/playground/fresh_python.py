"""Run code in a fresh Python interpreter, for checks that depend on what has not been imported yet."""

import os
import subprocess
import sys
import textwrap


def run(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Run `code` (dedented) in a new interpreter, with `args` as sys.argv[1:] and `env` added to the environment;
    return the last line it printed."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]

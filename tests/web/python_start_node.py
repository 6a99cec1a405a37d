"""web/static/python_start.js run on Node as worker.js runs it (its functions global), for the tests that check its
bundle restore against stand-ins."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

PYTHON_START = Path(__file__).resolve().parent.parent.parent / "web" / "static" / "python_start.js"
PRELUDE = """
const vm = require("node:vm");
const fs = require("node:fs");
vm.runInThisContext(fs.readFileSync(process.argv[1], "utf8"));  // as web/node/python_start.mjs does
"""


def run_with_python_start(script: str, *args: str) -> dict:
    """`script` run by Node after python_start.js, with `args` as process.argv[2:]; the JSON it printed last."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: `make test` installs it (apt-get install nodejs)")
    result = subprocess.run(
        [node, "-e", PRELUDE + script, str(PYTHON_START), *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])

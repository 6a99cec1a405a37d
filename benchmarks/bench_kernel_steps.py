"""The engine's training step with its kernels chosen per runtime (nn_core/kernels.py) against the same engine at an
earlier commit, in CPython and inside Pyodide on Node, side by side in one run (issue 24; docs/benchmarks.md).

    python benchmarks/bench_kernel_steps.py                 # against the commit before nn_core/kernels.py came
    python benchmarks/bench_kernel_steps.py --before REV    # against REV

The earlier engine is taken from git into build/ and imported beside the current one as `nn_core_before` (nn_core's
imports are relative), so both run in one process on the same weights and batch; their steps alternate in rounds, a
figure is the smallest per-round median of `train_step` (forward, loss, backward, SGD).
"""

# ruff: noqa: E402  (the thread setting must precede numpy's import)
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import importlib.util
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))  # runnable as a script from the project

import nn_core
from benchmarks.bench_engine import CASES

SANDBOX = {  # the sandbox's default network: x, y in; 4 and 2 tanh neurons; TFP's tanh output neuron
    "input_shape": [2],
    "init": "tfp",
    "layers": [
        {"type": "dense", "units": 4, "activation": "tanh"},
        {"type": "dense", "units": 2, "activation": "tanh"},
        {"type": "dense", "units": 1, "activation": "tanh"},
    ],
}
STEPS = [("sandbox default 2-4-2-1 tanh, batch 10", SANDBOX, "mse", 10), *(case[:4] for case in CASES[1:])]


def load_before(folder: Path):
    """The nn_core package kept in `folder`, imported as `nn_core_before`."""
    spec = importlib.util.spec_from_file_location(
        "nn_core_before", folder / "nn_core" / "__init__.py", submodule_search_locations=[str(folder / "nn_core")]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["nn_core_before"] = package
    spec.loader.exec_module(package)
    return package


def step_of(package, spec, loss_name, batch):
    """One SGD train_step of `package`'s engine on a fixed seeded model and batch; returns the batch loss."""
    model = package.build_model(spec, seed=0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, *model.input_shape)).astype(model.dtype)
    y = rng.standard_normal((batch, 1)).astype(model.dtype) if loss_name == "mse" else rng.integers(0, 10, batch)
    loss, optimizer = package.make_loss(loss_name), package.SGD(0.01)
    return lambda: package.train_step(model, loss, optimizer, x, y)


def measure(steps, seconds, rounds=5):
    """{name: ms per step}, the smallest per-round median, the steps alternating round by round."""
    first = {name: step() for name, step in steps.items()}
    if max(first.values()) - min(first.values()) > 1e-4 * max(1.0, abs(max(first.values()))):
        raise AssertionError(f"the engines disagree on the first loss: {first}")
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(rounds):
        for name, step in steps.items():
            times, deadline = [], time.perf_counter() + seconds / rounds / len(steps)
            while len(times) < 3 or time.perf_counter() < deadline:
                start = time.perf_counter()
                step()
                times.append(time.perf_counter() - start)
            best[name] = min(best[name], statistics.median(times) * 1e3)
    return best


def inside(folder: Path, seconds: float) -> dict:
    """This runtime's figures: {"runtime": ..., "cases": {case: {"before": ms, "now": ms}}}."""
    before = load_before(folder)
    cases = {}
    for name, spec, loss_name, batch in STEPS:
        steps = {"before": step_of(before, spec, loss_name, batch), "now": step_of(nn_core, spec, loss_name, batch)}
        cases[name] = measure(steps, seconds)
    runtime = f"Python {platform.python_version()} ({sys.platform}), numpy {np.__version__}"
    return {"runtime": runtime, "cases": cases}


def run_in(python: list[str], folder: Path, seconds: float) -> dict:
    script = ["benchmarks/bench_kernel_steps.py", "--inside", str(folder.relative_to(PROJECT)), str(seconds)]
    out = subprocess.run([*python, *script], cwd=PROJECT, capture_output=True, text=True, check=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("{")))


def git(*args) -> str:
    return subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True, check=True).stdout.strip()


def main(argv):
    if argv[:1] == ["--inside"]:
        print(json.dumps(inside(Path(argv[1]), float(argv[2]))))
        return
    added = git("log", "--diff-filter=A", "--format=%H", "--", "nn_core/kernels.py").splitlines()[-1]
    before = argv[argv.index("--before") + 1] if "--before" in argv else f"{added}~1"
    before, now = git("rev-parse", "--short", before), git("rev-parse", "--short", "HEAD")
    folder = PROJECT / "build" / "bench-kernel-steps" / before
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", before, "nn_core"], cwd=PROJECT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    try:
        pyodide = [sys.executable, "-m", "web.pyodide_run", "--script"]
        found = [run_in([sys.executable], folder, 6.0), run_in(pyodide, folder, 6.0)]
    finally:
        shutil.rmtree(folder.parent)
    print(f"ms per training step, engine at {before} (before) and at {now} with its working tree (now)")
    for figures in found:
        print(f"\n{figures['runtime']}")
        print(f"{'case':<58}{'before':>9}{'now':>9}{'now/before':>12}")
        for name, ms in figures["cases"].items():
            print(f"{name:<58}{ms['before']:9.3f}{ms['now']:9.3f}{ms['now'] / ms['before']:12.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])

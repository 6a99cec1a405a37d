"""The glass box's costs, measured in this runtime (CPython, or Pyodide on Node with `python -m web.pyodide_run
--script benchmarks/bench_glass_box.py`), side by side in one run:

- recording one training step line by line (what "Run one step, line by line" adds to a step) against the step alone;
- "Use my code": compiling a student's dense layer and its gradient check;
- training with the student's code (the engine's own text, so the same numbers) against the engine's code.

The sandbox's default network (2 -> 4 tanh -> 2 tanh -> 1 tanh, batch 10) and, for the MNIST lab, its MLP
(784 -> 128 relu -> 10, batch 64). Prints medians in milliseconds and the ratios.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import build_model  # noqa: E402
from nn_core.layers.dense import Dense  # noqa: E402
from nn_core.losses import MSE, SoftmaxCrossEntropy  # noqa: E402
from nn_core.optimizers import SGD  # noqa: E402
from nn_core.trainer import train_step  # noqa: E402
from playground.core.code_starts import engine_text  # noqa: E402
from playground.core.code_trace import record_step  # noqa: E402
from playground.core.student_code import compile_methods, gradient_check, swap_in  # noqa: E402

NETWORKS = {
    "sandbox 2-4-2-1, batch 10": (
        {"input_shape": [2], "layers": [{"type": "dense", "units": 4, "activation": "tanh"},
                                        {"type": "dense", "units": 2, "activation": "tanh"},
                                        {"type": "dense", "units": 1, "activation": "tanh"}]},
        10, MSE,
    ),
    "MNIST MLP 784-128-10, batch 64": (
        {"input_shape": [784], "layers": [{"type": "dense", "units": 128, "activation": "relu"},
                                          {"type": "dense", "units": 10}]},
        64, SoftmaxCrossEntropy,
    ),
}  # fmt: skip


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def batch(spec, size, loss_class, rng):
    x = rng.standard_normal((size, *spec["input_shape"]))
    if loss_class is SoftmaxCrossEntropy:
        return x, rng.integers(0, 10, size)
    return x, rng.standard_normal((size, 1))


def measure(name, spec, size, loss_class, rng) -> None:
    """Prints one network's figures."""
    model, loss, optimizer = build_model(spec, seed=0), loss_class(), SGD(0.01)
    x, y = batch(spec, size, loss_class, rng)
    repeat = 30 if size == 10 else 10
    step = median_ms(lambda: train_step(model, loss, optimizer, x, y), repeat)
    recorded = median_ms(lambda: record_step(model, loss, optimizer, x, y), repeat)
    text = engine_text(Dense)
    use = median_ms(lambda: gradient_check(model.layers[0], compile_methods(text)), 5)
    yours = build_model(spec, seed=0)
    swap_in(yours, Dense, compile_methods(text))
    own_step = median_ms(lambda: train_step(yours, loss, optimizer, x, y), repeat)
    print(f"\n{name}")
    print(f"  one training step                     {step:8.2f}")
    print(f"  the same step, recorded line by line  {recorded:8.2f}   ({recorded / step:.1f}x)")
    print(f"  Use my code: compile + gradient check {use:8.2f}")
    print(f"  a step with the student's dense code  {own_step:8.2f}   ({own_step / step:.2f}x the engine's)")


def main() -> None:
    runtime = "Pyodide" if sys.platform == "emscripten" else f"CPython {sys.version.split()[0]}"
    print(f"glass box costs in {runtime}, numpy {np.__version__} (median ms)")
    rng = np.random.default_rng(0)
    for name, (spec, size, loss_class) in NETWORKS.items():
        measure(name, spec, size, loss_class, rng)


if __name__ == "__main__":
    main()

"""The loss landscape's and the parameter story's costs, measured in this runtime (CPython, or Pyodide on Node with
`python -m web.pyodide_run --script benchmarks/bench_landscape.py`), side by side in one run:

- one 21x21 slice (441 networks' losses over the training points, a row of 21 in one pass of the stack) of the
  sandbox's default network and of its largest one (6 hidden layers of 8), against the same one network at a time
  (what a student's own layer code gets) and one training step: how many redraws a slice takes while training;
- the story of one weight (the next step run on a copy under the recorder), what choosing a number costs.

Prints medians in milliseconds.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nn_core import MSE, SGD, build_model  # noqa: E402
from nn_core.datasets import feature_matrix, make_dataset  # noqa: E402
from nn_core.trainer import Trainer  # noqa: E402
from playground.core import landscape  # noqa: E402
from playground.core.parameter_story import parameter_story  # noqa: E402

NETWORKS = {"default 2-4-2-1": [4, 2], "largest 2-8x6-1": [8] * 6}  # the sandbox's, as its state builds them


def sandbox_trainer(widths: list[int]) -> Trainer:
    """The sandbox's network of these hidden widths on its default data (circle, half of 500 points to train)."""
    data = make_dataset("circle", noise=0, train_percent=50, seed=0)
    layers = [{"type": "dense", "units": width, "activation": "tanh"} for width in widths]
    spec = {"input_shape": [2], "init": "tfp", "layers": [*layers, {"type": "dense", "units": 1, "activation": "tanh"}]}
    y = data.y_train.astype(float).reshape(-1, 1)
    return Trainer(build_model(spec, seed=0), MSE(), SGD(0.03), feature_matrix(data.x_train, ["x", "y"]), y,
                   batch_size=10, rng=np.random.default_rng(0))  # fmt: skip


def median_ms(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    print(f"runtime: {sys.version.split()[0]} on {sys.platform}")
    for title, layers in NETWORKS.items():
        trainer = sandbox_trainer(layers)
        model = trainer.model
        d1, d2 = landscape.random_directions(model, np.random.default_rng(0))
        values = landscape.grid(1.0, landscape.GRID_POINTS)

        def one_slice(model=model, trainer=trainer, d1=d1, d2=d2, values=values):
            plane = landscape.Slice(landscape.flat_params(model), d1, d2, values, values)
            plane.compute_rows(model, trainer.loss, trainer.x_train, trainer.y_train, n_rows=landscape.GRID_POINTS)

        def story(model=model, trainer=trainer):
            x, y = trainer.upcoming_batch()
            parameter_story(model, trainer.loss, trainer.optimizer, x, y, "0.W", (0, 0))

        slice_ms = median_ms(one_slice, 5)
        stackable, landscape.STACKABLE = landscape.STACKABLE, ()
        alone_ms = median_ms(one_slice, 5)  # one network at a time, as for a student's own layer code
        landscape.STACKABLE = stackable
        step_ms = median_ms(lambda trainer=trainer: next(trainer.steps(1)), 20)
        print(f"{title} ({len(trainer.x_train)} training points): slice {slice_ms:.1f} ms, a network at a time "
              f"{alone_ms:.1f} ms "
              f"(~{slice_ms / (1000 * landscape.ROW_SECONDS):.1f} redraws while training), one step {step_ms:.2f} ms, "
              f"story of a weight {median_ms(story, 20):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()

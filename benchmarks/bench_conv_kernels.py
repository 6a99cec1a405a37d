"""Formulations of the convolution layer's three products (issue 24's next part), timed in this runtime: the
engine's broadcast `@` against `np.einsum` and `np.tensordot`, on the small CNN's two convolutions.

    python benchmarks/bench_conv_kernels.py                                  # CPython
    python -m web.pyodide_run --script benchmarks/bench_conv_kernels.py      # inside Pyodide on Node

Then, to show where a step of the small CNN spends its time, each of its layers' forward and backward, µs.

Conv2D's products on im2col columns `cols` (N, C*k*k, P): forward `W @ cols` with W (F, C*k*k) -> (N, F, P);
weight gradient `(dY @ cols.transpose(0, 2, 1)).sum(axis=0)` -> (F, C*k*k); column gradient `W.T @ dY` ->
(N, C*k*k, P). Every candidate must agree with the engine's formulation; formulations alternate in rounds, a
figure is the smallest per-round median, µs.
"""

# ruff: noqa: E402  (the thread setting must precede numpy's import)
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import platform
import statistics
import sys
import time

import numpy as np

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PROJECT)  # runnable as a script from the project

from benchmarks.bench_engine import CASES
from nn_core import build_model

PRODUCTS = {  # product: {formulation: function(W, cols, dY)}; the first is the engine's
    "forward W @ cols": {
        "@": lambda W, cols, dY: W @ cols,
        "einsum": lambda W, cols, dY: np.einsum("fk,nkp->nfp", W, cols),
        "tensordot": lambda W, cols, dY: np.tensordot(W, cols, axes=(1, 1)).transpose(1, 0, 2),
    },
    "dW": {
        "@": lambda W, cols, dY: (dY @ cols.transpose(0, 2, 1)).sum(axis=0),
        "einsum": lambda W, cols, dY: np.einsum("nfp,nkp->fk", dY, cols),
        "tensordot": lambda W, cols, dY: np.tensordot(dY, cols, axes=([0, 2], [0, 2])),
    },
    "d_cols W.T @ dY": {
        "@": lambda W, cols, dY: W.T @ dY,
        "einsum": lambda W, cols, dY: np.einsum("fk,nfp->nkp", W, dY),
        "tensordot": lambda W, cols, dY: np.tensordot(W, dY, axes=(0, 1)).transpose(1, 0, 2),
    },
}
# (batch, channels, kernel, filters, output positions): the small CNN's convolutions on 1x28x28 and 8x13x13
LAYERS = [(32, 1, 3, 8, 26 * 26), (32, 8, 3, 16, 11 * 11)]


def time_of(function, args, seconds):
    times, deadline = [], time.perf_counter() + seconds
    while len(times) < 3 or time.perf_counter() < deadline:
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def per_layer(seconds=0.3):
    """Each layer of the small CNN (bench_engine's case), batch 32: forward and backward (the first layer's
    backward_params, as training skips its input gradient), µs."""
    _, spec, _, batch, _ = CASES[2]
    model = build_model(spec, seed=0)
    outputs = model.forward_trace(np.random.default_rng(0).standard_normal((batch, *model.input_shape)))
    print(f"\n{'layer of the CNN, batch 32':<30}{'forward':>10}{'backward':>10}")
    for index, layer in enumerate(model.layers):
        x = outputs[index - 1] if index else np.random.default_rng(0).standard_normal((batch, *model.input_shape))
        x = x.astype(model.dtype)
        grad_y = np.ones_like(outputs[index])
        backward = layer.backward_params if index == 0 else layer.backward
        forward_us = time_of(layer.forward, (x,), seconds)
        layer.forward(x)
        print(f"{index} {layer.type_name:<28}{forward_us:10.0f}{time_of(backward, (grad_y,), seconds):10.0f}")


def main(seconds=0.3, rounds=3):
    print(f"Python {platform.python_version()} ({sys.platform}), numpy {np.__version__}; µs per product, float32")
    print(f"{'layer':<30}{'product':<18}{'@':>10}{'einsum':>10}{'tensordot':>10}  fastest")
    rng = np.random.default_rng(0)
    for batch, channels, k, filters, positions in LAYERS:
        W = rng.standard_normal((filters, channels * k * k)).astype(np.float32)
        cols = rng.standard_normal((batch, channels * k * k, positions)).astype(np.float32)
        dY = rng.standard_normal((batch, filters, positions)).astype(np.float32)
        for product, formulations in PRODUCTS.items():
            engine = formulations["@"](W, cols, dY)
            for name, function in formulations.items():
                np.testing.assert_allclose(function(W, cols, dY), engine, rtol=1e-4, atol=1e-3, err_msg=name)
            best = dict.fromkeys(formulations, float("inf"))
            for _ in range(rounds):
                for name, function in formulations.items():
                    best[name] = min(best[name], time_of(function, (W, cols, dY), seconds / rounds / len(best)))
            cells = "".join(f"{best[name]:10.0f}" for name in formulations)
            layer = f"N{batch} C{channels} k{k} F{filters} P{positions}"
            print(f"{layer:<30}{product:<18}{cells}  {min(best, key=best.get)}")
    per_layer()


if __name__ == "__main__":
    main()

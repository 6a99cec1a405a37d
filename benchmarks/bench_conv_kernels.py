"""Formulations of the convolution's window cut (im2col) and its adjoint, the input gradient's scatter (issue 24),
timed in this runtime on the small CNN's two convolutions; then each CNN layer's forward and backward.

    python benchmarks/bench_conv_kernels.py                                  # CPython
    python -m web.pyodide_run --script benchmarks/bench_conv_kernels.py      # inside Pyodide on Node

The engine's (windows.cut_windows, scatter_windows) cuts columns (C*k*k, H_out*W_out*N) one kernel offset at a
time from the input with examples last, so each offset's slice is made of long runs of memory; against it np.take
with a precomputed index into (N, C*k*k, H_out*W_out) (the engine before), and offset slices with examples first.
Every candidate must give the engine's numbers; formulations alternate in rounds, a figure is the smallest
per-round median, µs. The products on the columns are bench_kernels.py's.
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
from nn_core.layers.windows import cut_windows, scatter_windows


def take_index(c, h, w, k):
    """Where window elements sit in a flattened (C, H, W) example: (C*k*k, H_out*W_out), for np.take."""
    oh, ow = h - k + 1, w - k + 1
    c, ky, kx, oy, ox = np.ix_(range(c), range(k), range(k), range(oh), range(ow))
    return (c * h * w + (oy + ky) * w + (ox + kx)).reshape(-1, oh * ow)


def cut_examples_first(x, k):
    """Offset slices into (C, k, k, N, H_out, W_out): each slice's rows are W_out numbers long."""
    n, c, h, w = x.shape
    cols = np.empty((c, k, k, n, h - k + 1, w - k + 1), x.dtype)
    for ky in range(k):
        for kx in range(k):
            cols[:, ky, kx] = x.transpose(1, 0, 2, 3)[:, :, ky : ky + h - k + 1, kx : kx + w - k + 1]
    return cols


def scatter_examples_first(d_cols, shape):
    """The adjoint of cut_examples_first: (C, k, k, N, H_out, W_out) -> (N, C, H, W)."""
    c, k, _, n, oh, ow = d_cols.shape
    grad = np.zeros((c, n, *shape[2:]), d_cols.dtype)
    for ky in range(k):
        for kx in range(k):
            grad[:, :, ky : ky + oh, kx : kx + ow] += d_cols[:, ky, kx]
    return np.ascontiguousarray(grad.transpose(1, 0, 2, 3))


def formulations(x, k):
    """{operation: {formulation: (function, its result to (C, k, k, H_out, W_out, N) or NCHW)}}; engine's first."""
    n, c, h, w = x.shape
    oh, ow = h - k + 1, w - k + 1
    index = take_index(c, h, w, k)
    d_cols = np.random.default_rng(1).standard_normal((c, k, k, oh, ow, n)).astype(x.dtype)
    d_first = np.ascontiguousarray(d_cols.transpose(0, 1, 2, 5, 3, 4))
    return {
        "cut": {
            "examples last": (lambda: cut_windows(x, k, 1, oh, ow), lambda r: r.reshape(c, k, k, oh, ow, n)),
            "examples first": (lambda: cut_examples_first(x, k), lambda r: r.transpose(0, 1, 2, 4, 5, 3)),
            "np.take": (
                lambda: np.take(x.reshape(n, -1), index, axis=1),
                lambda r: r.reshape(n, c, k, k, oh, ow).transpose(1, 2, 3, 4, 5, 0),
            ),
        },
        "scatter": {
            "examples last": (lambda: scatter_windows(d_cols, x.shape, 1), lambda r: r),
            "examples first": (lambda: scatter_examples_first(d_first, x.shape), lambda r: r),
        },
    }


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
    print(f"Python {platform.python_version()} ({sys.platform}), numpy {np.__version__}; µs, float32")
    print(f"{'layer input':<22}{'operation':<10}{'formulation':<16}{'µs':>8}")
    rng = np.random.default_rng(0)
    for shape in [(32, 1, 28, 28), (32, 8, 13, 13)]:
        x = rng.standard_normal(shape).astype(np.float32)
        for operation, candidates in formulations(x, 3).items():
            (engine, in_common), *_ = candidates.values()
            for name, (function, to_common) in candidates.items():
                np.testing.assert_allclose(to_common(function()), in_common(engine()), rtol=1e-6, err_msg=name)
            best = dict.fromkeys(candidates, float("inf"))
            for _ in range(rounds):
                for name, (function, _) in candidates.items():
                    best[name] = min(best[name], time_of(function, (), seconds / rounds / len(candidates)))
            for name, us in best.items():
                print(f"{'x'.join(map(str, shape)):<22}{operation:<10}{name:<16}{us:8.0f}")
    per_layer()


if __name__ == "__main__":
    main()

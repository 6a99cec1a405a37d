"""Which formulation of a matrix product is fastest in this runtime, for the products the engine's dense and
convolution layers make, and from which size and width (the larger of k and n) `np.einsum` beats `@`; and which
formulation of kernels.masked (ReLU's forward and backward) takes the least time over ReLU's layers (the kernel table
nn_core/kernel_table.py keeps both per runtime).

    python benchmarks/bench_kernels.py                                       # CPython: prints the table
    python -m web.pyodide_run --script benchmarks/bench_kernels.py           # the same inside Pyodide on Node
    python benchmarks/bench_kernels.py --write                               # both runtimes, then rewrites the table

Each dense layer makes three products: forward x @ W, weight gradient x.T @ g, input gradient g @ W.T (the last two
on transposed views, as the layer makes them); each convolution three on its im2col columns cols
(C*k*k, H_out*W_out*N): forward W @ cols, weight gradient dY @ cols.T, column gradient W.T @ dY. Formulations
alternate in rounds; a figure is the smallest per-round median. numpy in Pyodide has no BLAS: there `@` runs numpy's
own loops, and einsum's are quicker on large products (docs/benchmarks.md, "Kernels chosen per runtime").
"""

# ruff: noqa: E402  (the thread setting must precede numpy's import)
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from nn_core.kernels import MASKINGS

PROJECT = Path(__file__).resolve().parent.parent
TABLE = PROJECT / "nn_core" / "kernel_table.py"
FORMULATIONS = {
    "@": lambda a, b: a @ b,
    "einsum": lambda a, b: np.einsum("ij,jk->ik", a, b),
    "dot": lambda a, b: np.dot(a, b),
    "tensordot": lambda a, b: np.tensordot(a, b, axes=1),
}
# (batch, n_in, units, dtype): the sandbox's layers (widths 2-8, batch 10-32), its maps' forward passes (2,500 or
# 10,000 grid points through layers of 8 or 16), the MNIST lab's (784-128-10, the small CNN's 400-10 head), and a
# ladder of sizes between them that places the crossover.
LAYERS = [
    (10, 2, 8, "float64"),
    (2500, 16, 16, "float64"),
    (2500, 8, 8, "float64"),
    (10000, 8, 8, "float64"),
    (2500, 32, 32, "float64"),
    (10, 8, 8, "float64"),
    (10, 8, 1, "float64"),
    (32, 8, 8, "float64"),
    (64, 128, 10, "float32"),
    (32, 400, 10, "float32"),
    (64, 32, 32, "float32"),
    (64, 64, 64, "float32"),
    (64, 128, 64, "float32"),
    (64, 128, 128, "float32"),
    (64, 256, 128, "float32"),
    (64, 784, 32, "float32"),
    (64, 784, 128, "float32"),
    (64, 784, 128, "float64"),
]
# (batch, channels, size, filters, kernel): the small CNN's convolutions (1x28x28 -> 8, 8x13x13 -> 16), float32.
CONVOLUTIONS = [(32, 1, 28, 8, 3), (32, 8, 13, 16, 3)]
# ReLU's inputs (shape, dtype): the sandbox's hidden layer, the MNIST MLP's, the small CNN's two.
RELUS = [((10, 8), "float64"), ((64, 128), "float32"), ((32, 8, 26, 26), "float32"), ((32, 16, 11, 11), "float32")]


def products(batch, n_in, units, dtype, rng):
    """{name: (a, b)} of a dense layer's three products, as the layer makes them."""
    x = rng.standard_normal((batch, n_in)).astype(dtype)
    W = rng.standard_normal((n_in, units)).astype(dtype)
    g = rng.standard_normal((batch, units)).astype(dtype)
    return {"x @ W": (x, W), "x.T @ g": (x.T, g), "g @ W.T": (g, W.T)}


def conv_products(batch, channels, size, filters, kernel, rng):
    """{name: (a, b)} of a convolution's three products (stride 1, no padding), as Conv2D makes them."""
    rows, positions = channels * kernel * kernel, batch * (size - kernel + 1) ** 2
    cols = rng.standard_normal((rows, positions)).astype("float32")
    W = rng.standard_normal((filters, rows)).astype("float32")
    dY = rng.standard_normal((filters, positions)).astype("float32")
    return {"W @ cols": (W, cols), "dY @ cols.T": (dY, cols.T), "W.T @ dY": (W.T, dY)}


def time_of(function, a, b, seconds):
    times, deadline = [], time.perf_counter() + seconds
    while len(times) < 5 or time.perf_counter() < deadline:
        start = time.perf_counter()
        function(a, b)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def measure(seconds=0.15, rounds=3):
    """Rows (layer, product, size m*k*n, width max(k, n), {formulation: µs})."""
    rng = np.random.default_rng(0)
    cases = [
        (f"{batch}x{n_in}->{units} {dtype}", products(batch, n_in, units, dtype, rng))
        for batch, n_in, units, dtype in LAYERS
    ]
    cases += [
        (f"conv {n}x{c}x{size}x{size}->{f}", conv_products(n, c, size, f, k, rng)) for n, c, size, f, k in CONVOLUTIONS
    ]
    rows = []
    for layer, made in cases:
        for product, (a, b) in made.items():
            best = dict.fromkeys(FORMULATIONS, float("inf"))
            for _ in range(rounds):
                for name, function in FORMULATIONS.items():
                    best[name] = min(best[name], time_of(function, a, b, seconds / rounds / len(FORMULATIONS)))
            rows.append((layer, product, a.shape[0] * a.shape[1] * b.shape[1], max(a.shape[1], b.shape[1]), best))
    return rows


def measure_masks(seconds=0.15, rounds=3):
    """Rows (shape, dtype, {formulation: µs}) of ReLU's forward and backward, masked(x, x > 0) and masked(g, x > 0)."""
    rng, rows = np.random.default_rng(0), []
    for shape, dtype in RELUS:
        x, g = (rng.standard_normal(shape).astype(dtype) for _ in range(2))
        mask = x > 0
        best = dict.fromkeys(MASKINGS, float("inf"))
        for _ in range(rounds):
            for name, function in MASKINGS.items():
                step = time_of(function, x, mask, seconds / rounds / len(MASKINGS))
                best[name] = min(best[name], step + time_of(function, g, mask, seconds / rounds / len(MASKINGS)))
        rows.append((str(shape), dtype, best))
    return rows


def mask_by(rows):
    """The masking that takes the least time over all of ReLU's measured layers."""
    return min(MASKINGS, key=lambda name: sum(us[name] for _, _, us in rows))


def einsum_rule(rows):
    """(size, width): computing by einsum the products of at least `size` multiply-adds whose k or n is at least
    `width` (the others by `@`) takes the least time over all measured products; (None, None): `@` for all. A total,
    so that one noisy row near a crossover cannot move the thresholds far; the smallest thresholds among equals."""
    sizes, widths = sorted({row[2] for row in rows}), sorted({row[3] for row in rows})

    def total(rule):
        size_from, width_from = rule
        return sum(
            us["einsum" if size_from is not None and size >= size_from and width >= width_from else "@"]
            for _, _, size, width, us in rows
        )

    return min([(None, None)] + [(size, width) for size in sizes for width in widths], key=total)


def print_table(runtime, rows):
    print(f"{runtime}; µs per product")
    print(
        f"{'layer':<26}{'product':<13}{'m*k*n':>10}{'width':>7}"
        + "".join(f"{name:>11}" for name in FORMULATIONS)
        + "  fastest"
    )
    for layer, product, size, width, us in rows:
        cells = "".join(f"{us[name]:11.1f}" for name in FORMULATIONS)
        print(f"{layer:<26}{product:<13}{size:>10,}{width:>7}{cells}  {min(us, key=us.get)}")
    size, width = einsum_rule(rows)
    print(f"einsum from m*k*n = {size} and max(k, n) = {width} takes the least time in all")


def print_masks(rows):
    print("ReLU's forward and backward, µs: masked(values, mask) by")
    print(f"{'input':<22}{'dtype':<9}" + "".join(f"{name:>11}" for name in MASKINGS) + "  fastest")
    for shape, dtype, us in rows:
        print(f"{shape:<22}{dtype:<9}" + "".join(f"{us[name]:11.1f}" for name in MASKINGS) + f"  {min(us, key=us.get)}")
    print(f"{mask_by(rows)} takes the least time in all")


def in_pyodide():
    """This script's measurement inside Pyodide on Node: (runtime line, rows)."""
    run = [sys.executable, "-m", "web.pyodide_run", "--script", "benchmarks/bench_kernels.py", "--json"]
    out = subprocess.run(run, cwd=PROJECT, capture_output=True, text=True, check=True).stdout
    found = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    return found["runtime"], found["rows"], found["masks"]


def write_table(rules, maskings):
    """Rewrites nn_core/kernel_table.py with {sys.platform: einsum's smallest size or None}, {sys.platform: its
    smallest width max(k, n) or None} (from `rules`, {sys.platform: (size, width)}) and {sys.platform: the masking}."""

    def entries(table):
        quoted = {name: f'"{value}"' if isinstance(value, str) else repr(value) for name, value in table.items()}
        return ",\n".join(f'    "{platform_name}": {value}' for platform_name, value in quoted.items())

    TABLE.write_text(
        '"""Written by benchmarks/bench_kernels.py --write (do not edit by hand): per runtime (`sys.platform`), the\n'
        "product size m*k*n and width max(k, n) from which computing the measured products of dense and convolution\n"
        "layers (and the sandbox maps') by `np.einsum` (the others by `@`) took the least time in all, None: `@` for\n"
        "all; and the formulation of kernels.masked (ReLU's) that took the least time over the measured ReLU layers.\n"
        'Read by kernels.py."""\n\n'
        f"EINSUM_FROM = {{\n{entries({name: rule[0] for name, rule in rules.items()})},\n}}\n"
        f"EINSUM_WIDTH = {{\n{entries({name: rule[1] for name, rule in rules.items()})},\n}}\n"
        f"MASK_BY = {{\n{entries(maskings)},\n}}\n"
    )


def main(argv):
    runtime = f"Python {platform.python_version()} ({sys.platform}), numpy {np.__version__}"
    rows, masks = measure(), measure_masks()
    if "--json" in argv:
        print(json.dumps({"runtime": runtime, "rows": rows, "masks": masks}))
        return
    print_table(runtime, rows)
    print_masks(masks)
    if "--write" in argv:
        pyodide_runtime, pyodide_rows, pyodide_masks = in_pyodide()
        print()
        print_table(pyodide_runtime, pyodide_rows)
        print_masks(pyodide_masks)
        write_table(
            {sys.platform: einsum_rule(rows), "emscripten": einsum_rule(pyodide_rows)},
            {sys.platform: mask_by(masks), "emscripten": mask_by(pyodide_masks)},
        )
        print(f"\nwrote {TABLE.relative_to(PROJECT)}")


if __name__ == "__main__":
    main(sys.argv[1:])

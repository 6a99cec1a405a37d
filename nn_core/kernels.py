"""matmul(a, b): the matrix product a @ b, computed the way that is fastest in this runtime.

In CPython numpy's `@` calls BLAS and nothing beats it. In the browser (Pyodide, `sys.platform == "emscripten"`)
numpy has no BLAS, and for the larger products of dense and convolution layers `np.einsum("ij,jk->ik", a, b)` gives
the same numbers in a quarter to three quarters of the time of `@`'s own loops. kernel_table.py, written by
benchmarks/bench_kernels.py, says from which size m*k*n einsum wins in each runtime; the choice is made once, at
import. Either way the result is a @ b (to rounding: the sums are added in another order), which
tests/nn_core/test_kernels.py and test_conv_kernels.py check in both runtimes.
"""

import math
import operator
import sys

import numpy as np

from .kernel_table import EINSUM_FROM

# The smallest m*k*n computed with einsum here; infinity: always `@`. A benchmark may set it to compare the two.
einsum_from = EINSUM_FROM.get(sys.platform) or math.inf


def by_size(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (m, k) @ b (k, n) -> (m, n): by einsum for products of at least `einsum_from` multiply-adds, else `@`
    (also for stacks of matrices, as the loss landscape's stack of networks: (m, k) @ (G, k, n) -> (G, m, n))."""
    if a.size * b.shape[-1] < einsum_from or a.ndim != 2 or b.ndim != 2:  # small layers pay only the first test
        return a @ b
    return np.einsum("ij,jk->ik", a, b)


# Where `@` is the fastest at every size, matmul is `@` itself: no size to test on every call.
matmul = by_size if einsum_from < math.inf else operator.matmul

"""Written by benchmarks/bench_kernels.py --write (do not edit by hand): per runtime (`sys.platform`), the
product size m*k*n and width max(k, n) from which computing the measured products of dense and convolution
layers (and the sandbox maps') by `np.einsum` (the others by `@`) took the least time in all, None: `@` for
all; and the formulation of kernels.masked (ReLU's) that took the least time over the measured ReLU layers.
Read by kernels.py."""

EINSUM_FROM = {
    "linux": None,
    "emscripten": 262144,
}
EINSUM_WIDTH = {
    "linux": None,
    "emscripten": 128,
}
MASK_BY = {
    "linux": "multiply",
    "emscripten": "where",
}

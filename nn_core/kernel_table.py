"""Written by benchmarks/bench_kernels.py --write (do not edit by hand): per runtime (`sys.platform`), the
smallest product size m*k*n from which `np.einsum` computed a dense layer's products faster than `@`; None:
`@` was the faster at every size measured. Read by kernels.py."""

EINSUM_FROM = {
    "linux": None,
    "emscripten": 262144,
}

"""Time of one training step (forward, backward, SGD update): this engine vs PyTorch vs hand-fused numpy.

    python benchmarks/bench_engine.py                                  # CPython; torch column if installed
    python -m web.pyodide_run --script benchmarks/bench_engine.py      # inside Pyodide on Node (no torch)

Every contender runs one thread (OpenBLAS, torch, and Pyodide has none anyway), starts from the same
weights and data, and must agree on the first loss. Contenders alternate in rounds so that machine load
hits them alike; the figure is the smallest per-round median.
"""

# ruff: noqa: E402  (the thread setting must precede numpy's import)
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import platform
import statistics
import sys
import time

import numpy as np

from nn_core import SGD, build_model, make_loss

try:
    import torch
except ImportError:  # Pyodide, or torch not installed
    torch = None

LEARNING_RATE = 0.01
CONV_RELU_POOL = [{"type": "conv2d", "kernel_size": 3, "activation": "relu"}, {"type": "maxpool2d", "size": 2}]
CASES = [
    # name, spec, loss, batch, target engine/torch ratio
    (
        "tiny MLP 2-8-8-1 tanh, batch 10",
        {
            "input_shape": [2],
            "layers": [
                {"type": "dense", "units": 8, "activation": "tanh"},
                {"type": "dense", "units": 8, "activation": "tanh"},
                {"type": "dense", "units": 1},
            ],
        },
        "mse",
        10,
        0.5,
    ),
    (
        "MNIST MLP 784-128-10 relu, batch 64, float32",
        {
            "input_shape": [784],
            "dtype": "float32",
            "init": "he",
            "layers": [{"type": "dense", "units": 128, "activation": "relu"}, {"type": "dense", "units": 10}],
        },
        "softmax_cross_entropy",
        64,
        1.0,
    ),
    (
        "CNN 8c3-pool-16c3-pool-10 on 1x28x28, batch 32, float32",
        {
            "input_shape": [1, 28, 28],
            "dtype": "float32",
            "init": "he",
            "layers": [
                {**CONV_RELU_POOL[0], "filters": 8},
                CONV_RELU_POOL[1],
                {**CONV_RELU_POOL[0], "filters": 16},
                CONV_RELU_POOL[1],
                {"type": "flatten"},
                {"type": "dense", "units": 10},
            ],
        },
        "softmax_cross_entropy",
        32,
        1.5,
    ),
]
FUSED_OVERHEAD_TARGET = 1.3


# -- hand-fused numpy: the same steps written straight through, no layers, no caches ------------------


def descend(param, grad):
    """The SGD update, in place."""
    param -= LEARNING_RATE * grad


def output_grad(loss_name, out, y):
    """Loss value and d loss / d out of the fused steps (mean over the batch, as the engine's losses)."""
    n = len(out)
    if loss_name == "mse":
        diff = out - y
        return 0.5 * float(np.sum(diff * diff)) / n, diff / n
    shifted = out - out.max(axis=1, keepdims=True)
    probabilities = np.exp(shifted)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    value = -float(np.log(probabilities[np.arange(n), y]).mean())
    probabilities[np.arange(n), y] -= 1
    return value, probabilities / n


def fused_mlp(params, activation, loss_name):
    """One SGD step of a dense network with one activation between layers; params [W0, b0, W1, b1, ...]."""
    weights = list(zip(params[::2], params[1::2], strict=True))
    act, act_grad = {"tanh": (np.tanh, lambda y: 1 - y * y), "relu": (lambda z: np.maximum(z, 0), lambda y: y > 0)}[
        activation
    ]

    def step(x, y):
        outs = [x]
        for i, (W, b) in enumerate(weights):
            z = outs[-1] @ W + b
            outs.append(act(z) if i < len(weights) - 1 else z)
        value, d = output_grad(loss_name, outs[-1], y)
        for i in reversed(range(len(weights))):
            W, b = weights[i]
            dW, db = outs[i].T @ d, d.sum(axis=0)
            if i:
                d = (d @ W.T) * act_grad(outs[i])
            descend(W, dW)
            descend(b, db)
        return value

    return step


def fused_cnn(params, loss_name):
    """One SGD step of conv3x3-relu-maxpool2 twice then dense, NCHW, with the engine's formulation inline:
    im2col by np.take into (N, C*9, H_out*W_out), pooling as a maximum over the four 2x2 offsets."""
    W1, b1, W2, b2, W3, b3 = params
    indices = {}
    offsets = [(slice(None), slice(None), slice(i, None, 2), slice(j, None, 2)) for i in (0, 1) for j in (0, 1)]

    def conv_relu(x, W, b):
        n, c, h, w = x.shape
        oh, ow = h - 2, w - 2
        if x.shape[1:] not in indices:
            ch, i, j, r, q = np.ix_(range(c), range(3), range(3), range(oh), range(ow))
            indices[x.shape[1:]] = (ch * h * w + (r + i) * w + (q + j)).reshape(c * 9, -1)
        cols = np.take(x.reshape(n, -1), indices[x.shape[1:]], axis=1)
        return cols, np.maximum(W.reshape(len(W), -1) @ cols + b[:, None], 0).reshape(n, -1, oh, ow)

    def pool(a):
        h, w = a.shape[2] // 2 * 2, a.shape[3] // 2 * 2
        a = a[:, :, :h, :w]  # odd sizes drop the last row/column
        out = a[offsets[0]].copy()
        for index in offsets[1:]:
            np.maximum(out, a[index], out=out)
        return out

    def unpool_relu(d, a, pooled):
        grad = np.zeros_like(a)
        pooled_area = (slice(None), slice(None), slice(0, 2 * d.shape[2]), slice(0, 2 * d.shape[3]))
        for index in offsets:  # ties between positive values are left aside: random data has none
            grad[pooled_area][index] = d * (a[pooled_area][index] == pooled)
        return grad * (a > 0)

    def conv_backward(dZ, cols, W, b, x_shape, need_dx):
        n, c, h, w = x_shape
        dZ = dZ.reshape(n, len(W), -1)
        dx = None
        if need_dx:
            d_cols = (W.reshape(len(W), -1).T @ dZ).reshape(n, c, 3, 3, h - 2, w - 2)
            dx = np.zeros(x_shape, dZ.dtype)
            for i in range(3):
                for j in range(3):
                    dx[:, :, i : i + h - 2, j : j + w - 2] += d_cols[:, :, i, j]
        descend(W, (dZ @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(W.shape))
        descend(b, dZ.sum(axis=(0, 2)))
        return dx

    def step(x, y):
        cols1, a1 = conv_relu(x, W1, b1)
        p1 = pool(a1)
        cols2, a2 = conv_relu(p1, W2, b2)
        p2 = pool(a2)
        flat = p2.reshape(len(x), -1)
        value, d = output_grad(loss_name, flat @ W3 + b3, y)
        d_flat = d @ W3.T
        descend(W3, flat.T @ d)
        descend(b3, d.sum(axis=0))
        d_p1 = conv_backward(unpool_relu(d_flat.reshape(p2.shape), a2, p2), cols2, W2, b2, p1.shape, True)
        conv_backward(unpool_relu(d_p1, a1, p1), cols1, W1, b1, x.shape, False)
        return value

    return step


# -- PyTorch: the same network with the engine's initial weights -------------------------------------


def torch_step(model, loss_name):
    """One SGD step of a torch copy of the engine model (dense/conv/maxpool/flatten/tanh/relu layers)."""
    torch.set_num_threads(1)
    modules = []
    for layer in model.layers:
        params = {name: torch.from_numpy(array.copy()) for name, array in layer.params.items()}
        kind = layer.type_name
        if kind == "dense":
            modules.append(torch.nn.Linear(*params["W"].shape))
            params["W"] = params["W"].T
        elif kind == "conv2d":
            modules.append(torch.nn.Conv2d(layer.params["W"].shape[1], layer.filters, layer.kernel_size))
        else:
            modules.append(
                {
                    "maxpool2d": lambda: torch.nn.MaxPool2d(2),
                    "flatten": torch.nn.Flatten,
                    "tanh": torch.nn.Tanh,
                    "relu": torch.nn.ReLU,
                }[kind]()
            )
        with torch.no_grad():
            for name, attribute in (("W", "weight"), ("b", "bias")):
                if name in params:
                    getattr(modules[-1], attribute).copy_(params[name])
    net = torch.nn.Sequential(*modules).to(getattr(torch, model.dtype.name))
    loss_fn = {
        "mse": lambda out, y: 0.5 * ((out - y) ** 2).sum() / len(out),
        "softmax_cross_entropy": torch.nn.functional.cross_entropy,
    }[loss_name]
    optimizer = torch.optim.SGD(net.parameters(), lr=LEARNING_RATE)

    def step(x, y):
        optimizer.zero_grad(set_to_none=True)
        value = loss_fn(net(x), y)
        value.backward()
        optimizer.step()
        return value.item()

    return step


# -- measuring -----------------------------------------------------------------------------------


def engine_step(model, loss_name):
    loss, optimizer = make_loss(loss_name), SGD(LEARNING_RATE)

    def step(x, y):
        value = loss.forward(model.forward(x), y)
        model.backward(loss.backward(), input_grad=False)
        optimizer.step(model.named_params())
        return value

    return step


def contenders(spec, loss_name, batch):
    """{name: (step, x, y)} from one seeded model and data set, each contender with its own weights."""
    rng = np.random.default_rng(0)
    model = build_model(spec, seed=0)
    x = rng.standard_normal((batch, *model.input_shape)).astype(model.dtype)
    y = rng.standard_normal((batch, 1)) if loss_name == "mse" else rng.integers(0, 10, batch)
    y = y.astype(model.dtype) if loss_name == "mse" else y
    params = [param.copy() for _, param, _ in model.named_params()]
    is_cnn = any(layer.type_name == "conv2d" for layer in model.layers)
    activation = model.layers[1].type_name
    found = {
        "engine": (engine_step(model, loss_name), x, y),
        "fused": (fused_cnn(params, loss_name) if is_cnn else fused_mlp(params, activation, loss_name), x, y),
    }
    if torch is not None:
        found["torch"] = (torch_step(build_model(spec, seed=0), loss_name), torch.from_numpy(x), torch.from_numpy(y))
    return found


def measure(found, seconds, rounds=5):
    """Per-step milliseconds of each contender: the smallest per-round median, rounds interleaved."""
    first_losses = {name: step(x, y) for name, (step, x, y) in found.items()}
    if max(first_losses.values()) - min(first_losses.values()) > 1e-3 * max(1.0, abs(first_losses["engine"])):
        raise AssertionError(f"contenders disagree on the first loss: {first_losses}")
    best = dict.fromkeys(found, float("inf"))
    for _ in range(rounds):
        for name, (step, x, y) in found.items():
            times, deadline = [], time.perf_counter() + seconds / rounds / len(found)
            while len(times) < 3 or time.perf_counter() < deadline:
                start = time.perf_counter()
                step(x, y)
                times.append(time.perf_counter() - start)
            best[name] = min(best[name], statistics.median(times) * 1e3)
    return best


def main(seconds_per_case=6.0):
    print(
        f"Python {platform.python_version()} ({sys.platform}), numpy {np.__version__}, "
        f"torch {torch.__version__ if torch else 'absent'}; ms per training step (forward, backward, SGD)"
    )
    header = f"{'case':<58}{'engine':>8}{'torch':>8}{'fused':>8}  {'engine/torch':>16}  {'engine/fused':>16}"
    print(header)
    for name, spec, loss_name, batch, torch_target in CASES:
        ms = measure(contenders(spec, loss_name, batch), seconds_per_case)
        vs_torch = f"{ms['engine'] / ms['torch']:.2f} (<={torch_target})" if "torch" in ms else "-"
        vs_fused = f"{ms['engine'] / ms['fused']:.2f} (<={FUSED_OVERHEAD_TARGET})"
        torch_ms = f"{ms['torch']:8.3f}" if "torch" in ms else f"{'-':>8}"
        print(f"{name:<58}{ms['engine']:8.3f}{torch_ms}{ms['fused']:8.3f}  {vs_torch:>16}  {vs_fused:>16}")


if __name__ == "__main__":
    main()

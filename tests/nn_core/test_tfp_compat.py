"""With TensorFlow Playground's conventions, our engine and Trainer train exactly as TFP's nn.ts does.

Conventions: MSE (1/2 squared error, mean over the batch), tfp init (uniform ±0.5, bias 0.1), plain SGD on the
mean gradient of each batch, L1/L2 on weights after the gradient step, batches in stored order. The
oracle `tfp_reference` is a line-by-line transcription of nn.ts, started from our model's initial weights.
"""

import numpy as np
import pytest
import tfp_reference as tfp

from nn_core import MSE, SGD, build_model
from nn_core.trainer import Trainer

LEARNING_RATE = 0.03
TFP_ACTIVATIONS = {"tanh": tfp.TANH, "relu": tfp.RELU, "sigmoid": tfp.SIGMOID, "linear": tfp.LINEAR}
TFP_REGULARIZATIONS = {None: None, "l1": tfp.L1, "l2": tfp.L2}
ARCHITECTURES = {
    # (features, hidden layer sizes, hidden activation, output activation): TFP classification and regression.
    "2-4-2-1 tanh": (2, [4, 2], "tanh", "tanh"),
    "5-3-1 relu, linear output": (5, [3], "relu", "linear"),
}


def make_data(features, count, seed):
    """TFP-like points: inputs (count, features) in [-1, 1], labels (count, 1) of ±1 by quadrant."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (count, features))
    return x, np.where(x[:, :1] * x[:, 1:2] >= 0, 1.0, -1.0)


def make_pair(architecture, regularization, regularization_rate, x, y, batch_size):
    """Our model and trainer, and the TFP reference network holding the same initial weights."""
    features, hidden, activation, output_activation = ARCHITECTURES[architecture]
    layers = [entry for units in hidden for entry in ({"type": "dense", "units": units}, {"type": activation})]
    spec = {
        "input_shape": [features],
        "init": "tfp",
        "layers": [*layers, {"type": "dense", "units": 1}, {"type": output_activation}],
    }
    model = build_model(spec, seed=1)
    optimizer = SGD(
        LEARNING_RATE, regularization=regularization, regularization_rate=regularization_rate, freeze_dead_weights=True
    )
    trainer = Trainer(model, MSE(), optimizer, x, y, batch_size=batch_size, rng=np.random.default_rng(0), shuffle=False)
    network = tfp.build_network(
        [features, *hidden, 1],
        TFP_ACTIVATIONS[activation],
        TFP_ACTIVATIONS[output_activation],
        TFP_REGULARIZATIONS[regularization],
        [f"x{i}" for i in range(features)],
        random=lambda: 0.0,
    )
    for layer, weights, biases in zip(network[1:], *dense_arrays(model), strict=True):
        for i, node in enumerate(layer):
            node.bias = float(biases[i])
            for j, link in enumerate(node.input_links):
                link.weight = float(weights[j, i])
    return trainer, network


def dense_arrays(model):
    """Our Dense layers' weights (n_in, n_out) and biases (n_out,), in order."""
    params = {name: param for name, param, _ in model.named_params()}
    dense = sorted({name.split(".")[0] for name in params}, key=int)
    return [params[f"{i}.W"] for i in dense], [params[f"{i}.b"] for i in dense]


def tfp_arrays(network):
    """The reference network's weights and biases, laid out like dense_arrays."""
    weights = [np.array([[link.weight for link in node.input_links] for node in layer]).T for layer in network[1:]]
    biases = [np.array([node.bias for node in layer]) for layer in network[1:]]
    return weights, biases


def max_difference(model, network):
    ours, theirs = dense_arrays(model), tfp_arrays(network)
    return max(
        np.max(np.abs(a - b))
        for mine, reference in zip(ours, theirs, strict=True)
        for a, b in zip(mine, reference, strict=True)
    )


def dead_links(network):
    return sum(link.is_dead for layer in network[1:] for node in layer for link in node.input_links)


@pytest.mark.parametrize("architecture", ARCHITECTURES)
@pytest.mark.parametrize("batch_size, points", [(1, 25), (10, 50)])
@pytest.mark.parametrize("regularization, rate", [(None, 0.0), ("l1", 0.001), ("l2", 0.01)])
def test_100_steps_give_tfp_weights(architecture, batch_size, points, regularization, rate):
    features = ARCHITECTURES[architecture][0]
    x, y = make_data(features, points, seed=2)
    trainer, network = make_pair(architecture, regularization, rate, x, y, batch_size)
    initial_weights = [weights.copy() for weights in dense_arrays(trainer.model)[0]]

    events = list(trainer.steps(100))
    # playground.ts oneStep: one pass over the points, updating after every batch_size of them.
    for _ in range(100 * batch_size // points):
        tfp.one_step(network, x, y[:, 0], batch_size, LEARNING_RATE, rate)

    assert [event.step for event in events] == list(range(1, 101))
    assert max_difference(trainer.model, network) < 1e-9
    assert (
        max(np.max(np.abs(w - w0)) for w, w0 in zip(dense_arrays(trainer.model)[0], initial_weights, strict=True))
        > 1e-2
    )
    assert trainer.evaluate(x, y)[0] == pytest.approx(tfp.get_loss(network, x, y[:, 0]), abs=1e-12)


def test_l1_kills_links_as_tfp_does_and_they_stay_dead():
    """A strong L1 penalty stops weights at zero; TFP marks those links dead and never updates them again."""
    x, y = make_data(2, 10, seed=3)
    trainer, network = make_pair("2-4-2-1 tanh", "l1", 1.0, x, y, batch_size=10)
    for _ in range(100):
        next(trainer.steps(1))
        tfp.one_step(network, x, y[:, 0], 10, LEARNING_RATE, 1.0)
        assert max_difference(trainer.model, network) < 1e-12
    dead = dead_links(network)
    assert dead > 0
    assert sum(np.count_nonzero(weights == 0.0) for weights in dense_arrays(trainer.model)[0]) == dead

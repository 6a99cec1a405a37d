"""Sequential: traces, names, modes, state, and whole-model gradients."""

import numpy as np
import pytest

from nn_core import (
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    ReLU,
    Sequential,
    SoftmaxCrossEntropy,
    Tanh,
)


def mlp(**settings):
    return Sequential([Dense(4), Tanh(), Dense(3), ReLU(), Dense(2)], (3,), **settings)


def small_cnn(dtype="float64"):
    layers = [
        Conv2D(3, 3, padding="same"),
        BatchNorm(),
        ReLU(),
        MaxPool2D(2),
        Conv2D(4, 3, stride=2),
        ReLU(),
        Flatten(),
        Dropout(0.5),
        Dense(3),
    ]
    return Sequential(layers, (2, 8, 8), init="he", dtype=dtype)


def test_mlp_gradients_match_finite_differences(check_model):
    report = check_model(mlp(), np.random.default_rng(0).standard_normal((5, 3)))
    assert set(report.errors) == {"0.W", "0.b", "2.W", "2.b", "4.W", "4.b", "input"}


def test_cnn_with_batchnorm_and_dropout_in_inference_mode_matches_finite_differences(check_model):
    rng = np.random.default_rng(0)
    model = small_cnn()
    model.forward(rng.standard_normal((6, 2, 8, 8)))  # training step: running statistics move off 0 and 1
    check_model(model.eval(), rng.standard_normal((4, 2, 8, 8)), SoftmaxCrossEntropy(), [0, 1, 2, 1])


def test_traces_give_every_layers_output_and_output_gradient():
    model = mlp()
    x = np.random.default_rng(1).standard_normal((4, 3))
    outputs = model.forward_trace(x)
    assert [out.shape for out in outputs] == [(4, 4), (4, 4), (4, 3), (4, 3), (4, 2)]
    np.testing.assert_array_equal(outputs[1], np.tanh(outputs[0]))
    grad_y = np.ones((4, 2))
    output_grads = model.backward_trace(grad_y)
    assert [grad.shape for grad in output_grads] == [out.shape for out in outputs]
    assert output_grads[-1] is grad_y
    np.testing.assert_allclose(output_grads[0], output_grads[1] * (1 - outputs[1] ** 2))
    np.testing.assert_allclose(model.backward(grad_y), output_grads[0] @ model.layers[0].params["W"].T)


def test_params_have_stable_dotted_names_and_a_count():
    model = mlp()
    assert [name for name, _, _ in model.named_params()] == ["0.W", "0.b", "2.W", "2.b", "4.W", "4.b"]
    assert model.param_count == (3 * 4 + 4) + (4 * 3 + 3) + (3 * 2 + 2)
    assert "total" in model.summary() and "(3,)" in model.summary()


def test_train_and_eval_switch_every_layer_and_predict_restores_the_mode():
    model = small_cnn()
    assert all(layer.training for layer in model.layers)
    x = np.random.default_rng(0).standard_normal((7, 2, 8, 8))
    batched = model.predict(x, batch_size=3)
    assert all(layer.training for layer in model.layers)
    np.testing.assert_allclose(batched, model.eval().forward(x))
    assert not any(layer.training for layer in model.layers)


def test_state_dict_round_trips_params_and_buffers():
    source, target = small_cnn(), Sequential(small_cnn().layers, (2, 8, 8))
    source.forward(np.ones((2, 2, 8, 8)))
    state = source.state_dict()
    assert "1.running_mean" in state and "1.gamma" in state
    target.load_state_dict(state)
    for name, array in target.state_dict().items():
        np.testing.assert_array_equal(array, state[name])


@pytest.mark.parametrize("model", [mlp(dtype="float32"), small_cnn(dtype="float32")], ids=["mlp", "cnn"])
def test_float32_models_keep_float32_end_to_end(model):
    y = model.forward(np.ones((2, *model.input_shape)))  # float64 input is cast once
    grad_x = model.backward(np.ones_like(y))
    assert y.dtype == grad_x.dtype == np.float32
    assert all(param.dtype == grad.dtype == np.float32 for _, param, grad in model.named_params())


def test_prebuilt_layers_keep_their_parameters():
    model = mlp()
    rebuilt = Sequential(model.layers, (3,), seed=99)
    assert rebuilt.layers[0].params["W"] is model.layers[0].params["W"]


def test_backward_without_input_gradient_fills_the_same_grads():
    model = small_cnn()
    x = np.random.default_rng(0).standard_normal((2, 2, 8, 8))
    grad_y = np.ones((2, 3))
    model.forward(x)
    assert model.backward(grad_y).shape == x.shape
    full = {name: grad.copy() for name, _, grad in model.named_params()}
    assert model.backward(grad_y, input_grad=False) is None
    assert all(np.array_equal(grad, full[name]) for name, _, grad in model.named_params())


def test_dtype_may_be_given_as_a_name_or_a_numpy_type():
    assert mlp(dtype=np.float32).dtype == mlp(dtype="float32").dtype == np.float32

"""The metric tables of lessons: derived from each page's registry, computed from a live session."""

from pathlib import Path

from playground.lessons.app import LessonLab, LessonSandbox
from playground.lessons.metrics import DOCTOR_METRICS, SANDBOX_METRICS, TRAINING_METRICS, lesson_metrics
from playground.lessons.mnist_metrics import MNIST_METRICS, mnist_metrics
from playground.lessons.vocabularies import MNIST_VIEWS, SANDBOX_VIEWS
from playground.mnist.session import MnistSession
from playground.mnist.state import MnistState
from playground.sandbox.session import Session
from playground.sandbox.state import SETTINGS, PlaygroundState


def test_every_scalar_setting_is_a_metric_of_the_right_kind():
    assert {name for name in SETTINGS if name not in ("hidden_layers", "layer_activations")} <= set(SANDBOX_METRICS)
    assert SANDBOX_METRICS["learning_rate"].kind == "number" and SANDBOX_METRICS["keep_weights"].kind == "bool"
    assert SANDBOX_METRICS["activation"].choices == tuple(PlaygroundState.param.activation.objects)
    assert SANDBOX_METRICS["features"].kind == "strings"


def test_metrics_of_a_session_before_and_after_training():
    session = Session(PlaygroundState(dataset="xor", hidden_layers=[3, 2], layer_activations=["", "relu"]))
    metrics = lesson_metrics(session)
    assert set(metrics) == set(SANDBOX_METRICS)
    assert (metrics["epoch"], metrics["depth"], metrics["hidden_neurons"], metrics["widest_layer"]) == (0, 2, 5, 3)
    assert metrics["activations"] == ["tanh", "relu"] and metrics["dataset"] == "xor" and not metrics["diverged"]
    assert metrics["gradcheck_passed"] and metrics["gradcheck_error"] < 1e-6
    session.step_epoch()
    metrics = lesson_metrics(session, {"epoch", "loss_gap"})
    assert metrics == {"epoch": 1, "loss_gap": session.view.test_loss - session.view.train_loss}


def test_a_regression_has_no_accuracy():
    metrics = lesson_metrics(Session(PlaygroundState(dataset="reg-plane")), {"test_accuracy", "test_loss"})
    assert metrics["test_accuracy"] is None and metrics["test_loss"] > 0


def test_every_lesson_view_name_is_a_view_of_the_lesson_pages_sandbox_and_mnist_lab():
    app = LessonSandbox()
    assert all(hasattr(app, attribute) for attribute in SANDBOX_VIEWS.values())
    lab = LessonLab()
    assert all(hasattr(lab, attribute) for attribute in MNIST_VIEWS.values())


def test_mnist_metrics_read_the_labs_settings_its_layer_stack_and_training():
    session = MnistSession(MnistState(preset="small-cnn", input_size=14))
    metrics = mnist_metrics(session)
    assert metrics.keys() == MNIST_METRICS.keys() and "layers" not in metrics
    assert (metrics["preset"], metrics["input_size"], metrics["learning_rate"]) == ("small-cnn", 14, 0.003)
    assert (metrics["conv_layers"], metrics["filters"], metrics["pooling_layers"]) == (2, 8, 2)
    assert (metrics["hidden_layers"], metrics["hidden_units"], metrics["epoch"]) == (0, 0, 0)
    assert metrics["parameters"] == sum(value.size for _, value, _ in session.model.named_params()) > 0
    session.state.layers = [{"type": "flatten"}, {"type": "dense", "units": 8}, {"type": "relu"},
                            {"type": "dense", "units": 10}]  # fmt: skip
    session.step_batch()
    metrics = mnist_metrics(session, {"hidden_layers", "hidden_units", "conv_layers", "filters", "step"})
    assert metrics == {"hidden_layers": 1, "hidden_units": 8, "conv_layers": 0, "filters": 0, "step": 1}


def test_the_authors_reference_lists_every_metric():
    reference = (Path(__file__).parents[2] / "docs" / "lessons.md").read_text()
    assert all(f"`{name}`" in reference for name in TRAINING_METRICS | DOCTOR_METRICS | MNIST_METRICS)

"""Confusion matrices: counts by true and predicted class, the playground's classes named and coloured as its
points, and the view's cells."""

import numpy as np
import pytest

from playground.core import confusion
from playground.core.palette import CLASS_COLORS, NEGATIVE, POSITIVE
from playground.sandbox import confusion as sandbox_confusion
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState
from playground.sandbox.views.confusion_view import SandboxConfusion


def test_the_confusion_matrix_counts_true_classes_in_rows_and_predictions_in_columns():
    labels, predicted = np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2])
    assert confusion.confusion_matrix(labels, predicted, 3).tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_outputs_become_classes_by_sign_or_by_the_largest_logit():
    assert sandbox_confusion.predicted_classes(np.array([[-0.3], [0.2], [0.0]]), "mse").tolist() == [0, 1, 0]
    assert sandbox_confusion.predicted_classes(np.array([[1.0, 3.0, 2.0]]), "softmax_cross_entropy").tolist() == [1]


def test_classes_are_named_and_coloured_as_the_points():
    assert sandbox_confusion.classes(2) == [("orange (−1)", NEGATIVE), ("blue (+1)", POSITIVE)]
    assert sandbox_confusion.classes(3) == [(f"class {k}", CLASS_COLORS[k]) for k in range(3)]


def test_the_matrix_counts_every_point_and_its_diagonal_is_the_engines_accuracy():
    for settings in ({}, {"dataset": "spiral3"}, {"loss": "cross_entropy"}):
        session = Session(PlaygroundState(**settings))
        session.play()
        session.tick(100)
        data = session.data
        for split, n in (("train", data.n_train), ("test", len(data.x) - data.n_train)):
            counts = sandbox_confusion.playground_confusion(session, split)
            assert counts.shape == (data.n_classes, data.n_classes) and counts.sum() == n
        test = confusion.accuracy(sandbox_confusion.playground_confusion(session, "test"))
        assert test == pytest.approx(session.view.test_accuracy), settings


def test_a_title_names_the_data_and_counts_or_asks_for_training():
    assert confusion.matrix_title("test", np.array([[3, 1], [0, 4]])) == "Test data (8 points): 87.5% right"
    assert confusion.matrix_title("train", None) == "Training data: train to fill"
    digits = confusion.matrix_title("test", np.zeros((10, 10), int) + 20, "test digits")
    assert digits.startswith("Test data (2,000 test digits): ")


def test_cells_shade_by_the_share_of_their_row_and_put_the_first_class_on_top():
    counts = np.array([[9, 1], [0, 0]])
    cells = confusion.cells(counts, sandbox_confusion.classes(2))
    assert (
        cells["text"] == ["9", "1", "0", "0"] and list(cells["y"]) == [1, 1, 0, 0] and list(cells["x"]) == [0, 1, 0, 1]
    )
    assert cells["alpha"][0] > cells["alpha"][1] > cells["alpha"][2] == cells["alpha"][3]
    assert cells["color"] == [NEGATIVE, POSITIVE, NEGATIVE, POSITIVE]
    assert cells["share"][0] == "90% of the true orange (−1) points"


def test_the_view_shows_both_splits_titled_from_the_start_and_explains_why_regression_has_none():
    session = Session(PlaygroundState())
    view = SandboxConfusion(session)
    titles = [m.figure.title.text for m in view.matrices]
    assert titles == ["Training data: train to fill", "Test data: train to fill"]  # before any refresh
    view.refresh()  # untrained: the grid with its classes, no counts yet
    assert [m.figure.title.text for m in view.matrices] == titles and "press Play, Step or Epoch" in view.note.object
    assert view.matrices[0].cells.data["text"] == ["", "", "", ""]
    assert "orange (−1)" in view.matrices[0].labels.data["text"]
    session.step_batch()
    view.refresh()
    assert [m.figure.title.text.split(" (")[0] for m in view.matrices] == ["Training data", "Test data"]
    assert "(250 points): " in view.matrices[0].figure.title.text and "press Play" not in view.note.object
    assert all(m.figure.visible for m in view.matrices)
    session.state.problem = "regression"
    view.refresh()
    assert "classification" in view.note.object and not any(m.figure.visible for m in view.matrices)

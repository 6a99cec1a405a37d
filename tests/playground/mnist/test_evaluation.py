"""Predictions, the confusion matrix, its cells and the per-digit gallery."""

import numpy as np

from playground.mnist.evaluation import cell_indices, gallery, predict

LABELS = np.array([0, 0, 1, 2, 2, 2])
PREDICTED = np.array([0, 1, 1, 2, 0, 2])


def test_a_cell_gives_the_indices_of_its_digits():
    assert cell_indices(LABELS, PREDICTED, 2, 0).tolist() == [4]
    assert cell_indices(LABELS, PREDICTED, 2, 2).tolist() == [3, 5]
    assert cell_indices(LABELS, PREDICTED, 1, 0).tolist() == []


def test_the_gallery_splits_a_digit_into_correct_and_misclassified():
    correct, wrong = gallery(LABELS, PREDICTED, 2, count=5)
    assert correct.tolist() == [3, 5] and wrong.tolist() == [4]
    assert gallery(LABELS, PREDICTED, 2, count=1)[0].tolist() == [3]


def test_predict_gives_probabilities_and_the_most_likely_digit(linear_model):
    x = np.random.default_rng(0).random((7, 1, 6, 6))
    probabilities, digits = predict(linear_model, x)
    scores = x.reshape(7, -1) @ linear_model.layers[1].params["W"]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1)
    assert digits.tolist() == scores.argmax(axis=1).tolist()

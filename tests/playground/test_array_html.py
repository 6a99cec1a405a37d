"""A recorded step's arrays on screen: the selected example's numbers by sign, conv maps as maps, big ones summed up."""

import numpy as np

from playground.core.array_html import arrays_html


def test_small_arrays_are_tables_of_the_selected_example_and_scalars_a_cell():
    batch = np.array([[1.0, -2.0], [3.0, -4.0], [5.0, 6.0]])
    html = arrays_html({"x": batch, "batch_loss": 0.25}, example=1, batch=3)
    assert "shape (3, 2); example 2 of the batch of 3" in html
    assert "<td class='pos'>+3.0000</td><td class='neg'>-4.0000</td>" in html and "+1.0000" not in html
    assert "<h5>batch_loss</h5>" in html and "+0.2500" in html


def test_weights_are_shown_whole_conv_maps_as_maps_and_big_arrays_summed_up():
    rng = np.random.default_rng(0)
    weights = rng.standard_normal((2, 3))  # not per example: its first axis is not the batch
    maps = rng.standard_normal((4, 8, 13, 13))
    big = rng.standard_normal((4, 100))
    html = arrays_html({"self.params['W']": weights, "returns": maps, "h": big}, example=0, batch=4)
    assert "shape (2, 3)</p><table>" in html and html.count("<tr>") == 2
    assert html.count("<svg") == 8 and "a 13 by 13 map" in html
    assert f"largest {big[0].max():.4g}" in html and "example 1 of the batch of 4" in html
    assert "&#x27;W&#x27;" in html  # names are escaped


def test_a_list_of_arrays_is_described():
    html = arrays_html({"returns": [np.zeros((2, 4)), np.zeros((2, 1))]}, example=0, batch=2)
    assert "a list of 2 arrays: (2, 4), (2, 1)" in html

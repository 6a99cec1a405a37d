"""A recorded step's arrays on screen: the selected example's numbers by sign, conv maps as images, big ones summed
up."""

import re
from html import unescape

import numpy as np
from png_file import decode_uri

from playground.core.array_html import MAPS_LIMIT, arrays_html
from playground.core.palette import NEGATIVE, NEUTRAL, POSITIVE, rgb


def images(html):
    """[(alt text, width, height, PNG rows)] of the <img> elements of `html`."""
    found = re.findall(r"<img src='([^']+)' width='(\d+)' height='(\d+)' alt='([^']+)'>", html)
    return [(alt, int(width), int(height), decode_uri(uri)) for uri, width, height, alt in found]


def test_small_arrays_are_tables_of_the_selected_example_and_scalars_a_cell():
    batch = np.array([[1.0, -2.0], [3.0, -4.0], [5.0, 6.0]])
    html = arrays_html({"x": batch, "batch_loss": 0.25}, example=1, batch=3)
    assert "shape (3, 2); example 2 of the batch of 3" in html
    assert "<td class='pos'>+3.0000</td><td class='neg'>-4.0000</td>" in html and "+1.0000" not in html
    assert "<h5>batch_loss</h5>" in html and "+0.2500" in html


def test_weights_are_shown_whole_and_big_arrays_summed_up():
    rng = np.random.default_rng(0)
    weights = rng.standard_normal((2, 3))  # not per example: its first axis is not the batch
    big = rng.standard_normal((4, 100))
    html = arrays_html({"self.params['W']": weights, "h": big}, example=0, batch=4)
    assert "shape (2, 3)</p><table>" in html and html.count("<tr>") == 2
    assert f"largest {big[0].max():.4g}" in html and "example 1 of the batch of 4" in html
    assert "&#x27;W&#x27;" in html  # names are escaped


def test_a_layers_parameters_and_arrays_without_a_batch_are_never_read_as_examples():
    filters = np.ones((4, 1, 3, 3))  # as many filters as the batch has examples
    html = arrays_html({"self.grads['W']": filters}, example=0, batch=4)
    assert "example" not in html and "<img" not in html
    assert "example" not in arrays_html({"param": filters}, example=0, batch=0)  # the optimizer's (batch 0)


def test_conv_maps_are_images_of_the_selected_example_one_per_channel_on_one_scale():
    maps = np.zeros((2, 3, 5, 4))
    maps[1, 0, 0, 0], maps[1, 2, 4, 3] = 2.0, -1.0  # example 2: channel 1's top left, channel 3's bottom right
    html = arrays_html({"returns": maps}, example=1, batch=2)
    assert "shape (2, 3, 5, 4); example 2 of the batch of 2" in html
    words = "3 channels of 5×4, values from -1 to 2 (blue positive, orange negative, full colour at ±2)"
    assert words in unescape(html)
    shown = images(html)
    assert [(alt, width, height) for alt, width, height, _ in shown] == [
        (f"channel {k}, 5 by 4", 16, 20) for k in (1, 2, 3)
    ]  # 4 screen pixels a value
    (_, _, first), (_, _, empty), (_, _, last) = (png for *_, png in shown)
    assert tuple(first[0][:3]) == rgb(POSITIVE) and tuple(first[4][:3]) == rgb(NEUTRAL)  # row 0 at the top
    assert {bytes(row) for row in empty} == {bytes(rgb(NEUTRAL) + (255,)) * 4}
    half_orange = np.array(rgb(NEUTRAL)) + (np.array(rgb(NEGATIVE)) - rgb(NEUTRAL)) / 2
    assert np.abs(np.array(tuple(last[4][-4:-1])) - half_orange).max() <= 1  # -1 on the scale of 2


def test_many_channels_are_drawn_up_to_the_limit_and_a_mask_as_ones_and_zeros():
    many = np.random.default_rng(1).standard_normal((1, MAPS_LIMIT + 4, 6, 6))
    html = arrays_html({"y": many}, example=0, batch=1)
    assert len(images(html)) == MAPS_LIMIT and "… and 4 more channels" in html
    mask = many > 0
    assert "values from 0 to 1" in arrays_html({"self.positive": mask}, example=0, batch=1)


def test_a_list_of_arrays_is_described():
    html = arrays_html({"returns": [np.zeros((2, 4)), np.zeros((2, 1))]}, example=0, batch=2)
    assert "a list of 2 arrays: (2, 4), (2, 1)" in html

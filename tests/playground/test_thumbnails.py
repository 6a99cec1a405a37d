"""Button pictures: each feature's heatmap as a PNG inside an SVG."""

import re

from png_file import decode_uri

from playground.core.palette import NEGATIVE, POSITIVE, rgb
from playground.sandbox.state import FEATURES, PlaygroundState
from playground.sandbox.thumbnails import feature_svgs


def test_every_feature_has_a_picture_of_its_values():
    svgs = feature_svgs(PlaygroundState())
    assert svgs.keys() == FEATURES.keys()
    width, _, rows = decode_uri(re.search(r'href="([^"]+)"', svgs["x"]).group(1))
    assert tuple(rows[0][:3]) == rgb(NEGATIVE) and tuple(rows[0][-4:-1]) == rgb(POSITIVE)  # x runs left to right

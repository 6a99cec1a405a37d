import re

import nn_core


def test_the_engine_has_a_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", nn_core.__version__)

"""The trained model as files a student takes away (.npz with its spec, a standalone Python file) and brings back.

No Panel here: the output view offers these as downloads and an upload; the session applies an upload.
"""

import io

import numpy as np

from nn_core.export import export_python
from nn_core.model import Sequential
from nn_core.saving import ModelFileError, load_model, save_model


def model_npz(model: Sequential) -> bytes:
    """The model's spec and arrays as the bytes of an .npz file (nn_core.saving)."""
    buffer = io.BytesIO()
    save_model(model, buffer)
    return buffer.getvalue()


def model_python(model: Sequential) -> str:
    """Python source defining predict(x) with the trained weights; it needs only numpy (nn_core.export)."""
    return export_python(model)


def describe(spec: dict) -> str:
    """A network's shape in words, e.g. "2 inputs → 4 tanh → 2 tanh → 1 tanh"."""
    parts = [f"{spec['input_shape'][0]} inputs"]
    for layer in spec["layers"]:
        if layer["type"] == "dense":
            parts.append(str(layer["units"]))
        else:
            parts[-1] += f" {layer['type']}"
    return " → ".join(parts)


def loaded(model: Sequential) -> str:
    """What loading a model file did, in words: "Loaded the saved weights (2 inputs → 4 tanh → 2 tanh → 1 tanh)."."""
    return f"Loaded the saved weights ({describe(model.spec())})."


def weights_for(model: Sequential, data: bytes) -> dict[str, np.ndarray]:
    """The arrays of the model saved in `data` (bytes of an .npz) for `model`, whose network must be the same;
    raises ModelFileError saying why they do not fit."""
    loaded = load_model(io.BytesIO(data))
    own, theirs = model.spec(), loaded.spec()
    if (own["input_shape"], own["layers"]) != (theirs["input_shape"], theirs["layers"]):
        raise ModelFileError(
            f"the file's network is {describe(theirs)}, this one is {describe(own)}; "
            "set up the same features and layers first"
        )
    return loaded.state_dict()

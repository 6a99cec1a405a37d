"""Saving and loading models as .npz files that load without pickle: the spec as JSON plus one array each.

A file holds "spec", a 0-d string array with the model's spec as JSON, and one array per parameter and
buffer (BatchNorm's running statistics) under its dotted name, like "0.W" or "3.running_mean".
"""

import json
import zipfile

import numpy as np

from .spec import SpecError, build_model

SPEC_KEY = "spec"


class ModelFileError(ValueError):
    """A model file that cannot be loaded: not an npz, truncated, bad JSON, or arrays that do not fit the spec."""


def save_model(model, file):
    """Writes the model's spec and arrays to `file`, a path or a binary file object, as an uncompressed .npz."""
    np.savez(file, **{SPEC_KEY: np.array(json.dumps(model.spec()))}, **model.state_dict())


def load_model(file):
    """The model saved in `file` (a path or a binary file object); raises ModelFileError if it cannot be."""
    try:
        with np.load(file, allow_pickle=False) as archive:
            stored = {name: archive[name] for name in archive.files}
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"not a readable model file (.npz): {error}") from error
    model = _model_from_spec(stored.pop(SPEC_KEY, None))
    try:
        model.load_state_dict(stored)
    except (KeyError, ValueError) as error:
        raise ModelFileError(f"the arrays do not fit the stored spec: {error.args[0]}") from error
    return model


def _model_from_spec(spec_array):
    """A freshly built model for the stored spec array; raises ModelFileError naming what is wrong with it."""
    if spec_array is None:
        raise ModelFileError(f"the {SPEC_KEY!r} array is missing")
    if spec_array.shape != () or spec_array.dtype.kind != "U":
        raise ModelFileError(f"the {SPEC_KEY!r} array must be one string, got {spec_array.dtype} {spec_array.shape}")
    try:
        spec = json.loads(str(spec_array))
    except json.JSONDecodeError as error:
        raise ModelFileError(f"the {SPEC_KEY!r} array is not valid JSON: {error}") from error
    try:
        return build_model(spec)
    except (SpecError, TypeError, KeyError) as error:
        raise ModelFileError(f"the stored spec does not describe a model: {error}") from error

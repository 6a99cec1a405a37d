"""Saving and loading models as .npz files that load without pickle: the spec as JSON plus one array each.

A file holds "spec", a 0-d string array with the model's spec as JSON, and one array per parameter and
buffer (BatchNorm's running statistics) under its dotted name, like "0.W" or "3.running_mean".

Loading trusts nothing in the file: it reads the zip's table of contents first and refuses a file that would
unpack to more than MAX_FILE_BYTES, a spec whose network stores more than MAX_STORED_NUMBERS numbers (counted
before anything is built), any array bigger than the spec says it is (so a zip bomb is never inflated), arrays
of Python objects, and weights that are NaN or infinite. Every refusal is a ModelFileError in plain words.
"""

import contextlib
import json
import math
import os
import zipfile
import zlib

import numpy as np

from .quoting import quoted
from .spec import SpecError, build_model, stored_size

SPEC_KEY = "spec"
# 64 MB: room for MAX_STORED_NUMBERS float64 numbers twice over, and still a small share of a browser tab's memory.
MAX_FILE_BYTES = 64_000_000
# 4 million numbers (32 MB as float64): far beyond the networks the pages build (the sandbox's largest stores about
# 2,000, the MNIST lab's a few hundred thousand), small enough to allocate in Pyodide without trouble.
MAX_STORED_NUMBERS = 4_000_000
MAX_SPEC_BYTES = 1_000_000  # the spec's JSON as a numpy string (4 bytes a character); a real one takes a few KB
MAX_MEMBERS = 10_000  # arrays in one file; a network of MAX_STORED_NUMBERS has far fewer
NPY_HEADER_BYTES = 10_000  # numpy's own limit on an .npy header (its max_header_size); np.savez writes 128
NOT_A_MODEL_FILE = "this is not a model file saved by nn-playground (.npz)"
DAMAGED = "the file is damaged (it is incomplete or its contents do not match); save the model again"
# What reading a zip member or an .npy header raises on a damaged or foreign file.
READ_ERRORS = (
    OSError,
    EOFError,
    ValueError,
    TypeError,
    SyntaxError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
)


class ModelFileError(ValueError):
    """A model file that cannot be loaded: not an npz, truncated, bad JSON, or arrays that do not fit the spec."""


def save_model(model, file):
    """Writes the model's spec and arrays to `file`, a path or a binary file object, as an uncompressed .npz."""
    np.savez(file, **{SPEC_KEY: np.array(json.dumps(model.spec()))}, **model.state_dict())


def load_model(file):
    """The model saved in `file` (a path or a binary file object); raises ModelFileError saying in plain words why
    it cannot be, without unpacking more than the file's spec calls for."""
    try:
        with _opened(file) as stream:
            start = stream.tell()
            size = stream.seek(0, os.SEEK_END) - start
            stream.seek(start)
            if size == 0:
                raise ModelFileError("the file is empty")
            if size > MAX_FILE_BYTES:
                raise ModelFileError(f"the file is {_size(size)}; a model file holds at most {_size(MAX_FILE_BYTES)}")
            try:
                archive = zipfile.ZipFile(stream)
            except READ_ERRORS:
                raise ModelFileError(f"{NOT_A_MODEL_FILE}, or it is incomplete") from None
            with archive:
                return _load(archive)
    except ModelFileError:
        raise
    except OSError as error:  # opening a path
        raise ModelFileError(f"cannot read the file: {error.strerror or error}") from None


@contextlib.contextmanager
def _opened(file):
    """A binary stream for a path (opened and closed here) or a binary file object (left open)."""
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as stream:
            yield stream
    else:
        yield file


def _load(archive):
    """The model of an open archive: sizes from its table of contents, then the spec, then each array."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ModelFileError(f"{NOT_A_MODEL_FILE}: it holds {len(infos):,} files")
    members = {}
    for info in infos:
        name = info.filename.removesuffix(".npy")
        if not info.filename.endswith(".npy") or name in members:
            raise ModelFileError(f"{NOT_A_MODEL_FILE}: it holds {quoted(info.filename)}")
        members[name] = info
    unpacked = sum(info.file_size for info in infos)  # as the zip declares; reading never goes past it
    if unpacked > MAX_FILE_BYTES:
        raise ModelFileError(
            f"the file would unpack to {_size(unpacked)}, but a model file unpacks to at most {_size(MAX_FILE_BYTES)}: "
            "it is damaged or not a model file saved by nn-playground"
        )
    spec_info = members.pop(SPEC_KEY, None)
    if spec_info is None:
        raise ModelFileError(f"{NOT_A_MODEL_FILE}: the {SPEC_KEY!r} array is missing")
    model = _model_from_spec(_read_array(archive, spec_info, SPEC_KEY, MAX_SPEC_BYTES))
    own = model.state_dict()
    if own.keys() != members.keys():
        differences = [
            f"{what} {_names(names)}"
            for what, names in [("missing", own.keys() - members.keys()), ("unexpected", members.keys() - own.keys())]
            if names
        ]
        raise ModelFileError(f"the arrays do not fit the stored network: {'; '.join(differences)}")
    stored = {
        name: _read_array(archive, members[name], name, array.nbytes + NPY_HEADER_BYTES, array.shape)
        for name, array in own.items()
    }
    model.load_state_dict(stored)
    return model


def _read_array(archive, info, name, limit, shape=None):
    """The array `name` in zip member `info`, read without pickle and never past `limit` bytes; with `shape`, it must
    be a finite array of numbers of that shape."""
    what = f"the array {name!r}"
    if info.file_size > limit:
        allowed = "the network in the file needs" if shape is not None else "it may take"
        raise ModelFileError(
            f"{what} would unpack to {_size(info.file_size)}, more than the {_size(limit)} {allowed}: "
            "the file is damaged or not a model file saved by nn-playground"
        )
    try:
        with archive.open(info) as member:
            stored_shape, fortran_order, dtype = _npy_header(member)
            count = math.prod(stored_shape)
            if dtype.hasobject:
                raise ModelFileError(f"{what} holds Python objects; a model file holds numbers only")
            if shape is not None and stored_shape != shape:
                raise ModelFileError(
                    f"the arrays do not fit the stored network: {name}: shape {stored_shape} does not fit {shape}"
                )
            if count * dtype.itemsize > info.file_size:  # the header claims more than the member holds
                raise ModelFileError(DAMAGED)
            data = member.read(count * dtype.itemsize)
            if len(data) != count * dtype.itemsize or member.read(1):  # reading to the end checks the CRC
                raise ModelFileError(DAMAGED)
        array = np.frombuffer(data, dtype=dtype, count=count).reshape(stored_shape, order="F" if fortran_order else "C")
    except ModelFileError:
        raise
    except READ_ERRORS:
        raise ModelFileError(DAMAGED) from None
    if shape is not None:
        if dtype.kind not in "fiu":
            raise ModelFileError(f"{what} holds {_KINDS.get(dtype.kind, 'values of another kind')}, not numbers")
        finite = np.isfinite(array)
        if not finite.all():
            bad = array.size - int(finite.sum())
            raise ModelFileError(
                f"{what} holds {bad:,} {'value that is' if bad == 1 else 'values that are'} NaN or infinite; a model "
                "loads only with finite weights (save it before its weights run away)"
            )
    return array


def _npy_header(member):
    """(shape, fortran_order, dtype) of the .npy stream `member`, read up to its data; ValueError if it is none."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(member, max_header_size=NPY_HEADER_BYTES)
    if version == (2, 0):
        return np.lib.format.read_array_header_2_0(member, max_header_size=NPY_HEADER_BYTES)
    raise ValueError(f"unsupported .npy version {version}")


# What an array of another kind than numbers holds, in words (numpy's dtype.kind).
_KINDS = {"U": "text", "S": "bytes", "b": "true/false values", "c": "complex numbers", "M": "dates", "m": "durations"}


def _model_from_spec(spec_array):
    """A freshly built model for the stored spec array; raises ModelFileError naming what is wrong with it, and
    refuses a network bigger than MAX_STORED_NUMBERS before building it."""
    if spec_array.shape != () or spec_array.dtype.kind != "U":
        raise ModelFileError(f"the {SPEC_KEY!r} array must be one piece of text describing the network")
    try:
        spec = json.loads(str(spec_array))
    except (ValueError, RecursionError) as error:
        raise ModelFileError(f"the {SPEC_KEY!r} array is not valid JSON: {error}") from None
    size = _described(stored_size, spec)
    if size > MAX_STORED_NUMBERS:
        raise ModelFileError(
            f"the network in the file has {size:,} parameters; nn-playground loads networks of at most "
            f"{MAX_STORED_NUMBERS:,}"
        )
    return _described(build_model, spec)


def _described(function, spec):
    """function(spec), with a spec it cannot take reported as a ModelFileError."""
    try:
        return function(spec)
    except (SpecError, TypeError, KeyError, AttributeError, ArithmeticError) as error:
        raise ModelFileError(f"the stored spec does not describe a model: {error}") from None


def _size(n_bytes):
    """A size as a person reads it: "800 bytes", "64 MB", "762.9 MB"."""
    return f"{n_bytes:,} bytes" if n_bytes < 100_000 else f"{round(n_bytes / 1e6, 1):,g} MB"


def _names(names, shown=5):
    """Array names from a file, quoted for a message: "'0.W', '1.b'", "'a', 'b', 'c', 'd', 'e' and 3 more"."""
    names = sorted(names)
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(map(quoted, names[:shown])) + more

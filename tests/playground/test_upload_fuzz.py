"""Odd files cannot break the sandbox: a few hundred generated model files and points files (fixed seed), made from
good ones by cutting, flipping and splicing bytes and by writing arrays and rows a student's tools might write, are
each either taken with a sentence saying what was loaded or refused with a plain message; the session trains on
after every one."""

import io
import json
import random
import zipfile

import numpy as np
import pytest
from plain_words import PYTHON_WORDS

from nn_core.datasets import DataError
from playground.core.status import Status
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

SEED = 20261206


def npz(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def saved_arrays() -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(Session(PlaygroundState(seed=7)).model_npz())) as archive:
        return {name: archive[name] for name in archive.files}


def mangled_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0:  # cut short
        return bytes(data[: rng.randrange(len(data))])
    if kind == 1:  # bytes flipped
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 2:  # a stretch zeroed
        start = rng.randrange(len(data))
        data[start : start + rng.randint(1, 200)] = bytes(min(200, len(data) - start))
        return bytes(data)
    if kind == 3:  # junk spliced in
        at = rng.randrange(len(data))
        return bytes(data[:at]) + rng.randbytes(rng.randint(1, 500)) + bytes(data[at:])
    return rng.randbytes(rng.randint(0, 3000))  # noise


def mangled_arrays(rng: random.Random, arrays: dict) -> bytes:
    arrays = dict(arrays)
    name = rng.choice([key for key in arrays if key != "spec"])
    kind = rng.randrange(8)
    if kind == 0:
        del arrays[name]
    elif kind == 1:
        arrays[name] = arrays[name].T.copy() if arrays[name].ndim == 2 else arrays[name][:-1]
    elif kind == 2:
        arrays[name] = arrays[name].astype(rng.choice([np.float32, np.int64, np.complex128, np.bool_, "U3"]))
    elif kind == 3:
        arrays[name] = np.full_like(arrays[name], rng.choice([np.nan, np.inf, -np.inf, 1e300]))
    elif kind == 4:
        arrays[f"{rng.randrange(9)}.{rng.choice('WbXγ')}"] = np.zeros((rng.randint(0, 3), 2))
    elif kind == 5:
        arrays["spec"] = np.array(rng.choice(['{"layers": []}', "[]", "{", "null", '"x"', "{}", "1e400"]))
    elif kind == 6:
        spec = json.loads(str(arrays["spec"]))
        layer = rng.choice(spec["layers"])
        layer[rng.choice(list(layer))] = rng.choice([None, -1, 0, "tanh²", 10**9, [], {"a": 1}, 1.5])
        arrays["spec"] = np.array(json.dumps(spec))
    else:
        arrays = {key: np.zeros(()) for key in arrays}  # every array a scalar
    return npz(arrays)


def odd_model_files(count: int = 200) -> list[bytes]:
    rng = random.Random(SEED)
    good_arrays = saved_arrays()
    good = npz(good_arrays)
    with_names = io.BytesIO()
    with zipfile.ZipFile(with_names, "w") as archive:  # members that are not .npy files
        archive.writestr("spec.npy", b"\x93NUMPY")
        archive.writestr("../../etc/passwd", b"root")
    files = [b"", b"PK", b"PK\x05\x06" + bytes(18), with_names.getvalue()]
    while len(files) < count:
        files.append(mangled_bytes(rng, good) if rng.random() < 0.5 else mangled_arrays(rng, good_arrays))
    return files


CELLS = [
    "0", "1", "-1", "0.5", "-5.9", "6", "6.01", "nan", "NaN", "inf", "-inf", "", " ", "1e3", "1e-300", "1e400",
    "²", "١", "x", "label", '"1"', "'1'", "1,5", "0x1", "1_0", "+2", "--1", "2", "3", "1.0", "TRUE", "\t1", "😀",
    "9" * 120, "-0", "0.000000001",
]  # fmt: skip
HEADERS = ["x1,x2,label", "label,x1,x2", "x1,x2", "x1;x2;label", "\ufeffx1,x2,label", "X1, X2, Label", "a,b,c", ""]


def odd_csv(rng: random.Random) -> bytes:
    rows = [rng.choice(HEADERS)]
    for _ in range(rng.choice([0, 1, 2, 5, 20, 200])):
        rows.append(
            rng.choice([",", ";", "\t", ", "]).join(rng.choice(CELLS) for _ in range(rng.choice([2, 3, 3, 3, 4])))
        )
    text = rng.choice(["\n", "\r\n", "\r"]).join(rows)
    return text.encode(rng.choice(["utf-8", "utf-8", "utf-16", "latin-1"]), errors="replace")


def odd_points_files(count: int = 200) -> list[bytes]:
    rng = random.Random(SEED + 1)
    good = Session(PlaygroundState(dataset="xor")).points_csv().encode()
    files = [good, b"\x00" * 100, b"x1,x2,label\n" * 1000, b"x1,x2,label\n" + b"0,0,1\n" * 5000]
    while len(files) < count:
        files.append(mangled_bytes(rng, good) if rng.random() < 0.3 else odd_csv(rng))
    return files


MODEL_FILES = odd_model_files()
POINTS_FILES = odd_points_files()


def assert_plain(message: str) -> None:
    assert 0 < len(message) <= 400 and message.isprintable(), message
    assert not PYTHON_WORDS.search(message), message


def trains_on(session: Session) -> None:
    """Play and a few updates: the session still trains (or says plainly that the loaded weights diverged)."""
    session.play()
    session.tick(3)
    assert session.view.status in (Status.RUNNING, Status.DIVERGED), session.view.status
    if session.view.status == Status.DIVERGED:
        assert_plain(session.view.message)
    session.pause()


def test_the_fuzz_has_files_of_every_kind():
    assert len(set(MODEL_FILES)) > 150 and len(set(POINTS_FILES)) > 150  # a few mutations repeat
    loaded = sum(Session(PlaygroundState()).import_model(data) != "" for data in MODEL_FILES[:60])
    imported = sum(Session(PlaygroundState()).import_csv(data) != "" for data in POINTS_FILES[:60])
    assert 0 < loaded < 50 and 0 < imported < 50  # both outcomes occur


@pytest.mark.parametrize("chunk", range(4))
def test_every_odd_model_file_is_loaded_or_refused_in_words_and_training_goes_on(chunk):
    failures = []
    for index in range(chunk, len(MODEL_FILES), 4):
        session = Session(PlaygroundState())
        try:
            said = session.import_model(MODEL_FILES[index])
            if said:
                assert said.startswith("Loaded the saved weights (") and session.view.message == "", said
            else:
                assert session.view.message.startswith("Cannot import this model: "), session.view.message
                assert_plain(session.view.message)
            trains_on(session)
        except Exception as error:  # noqa: BLE001 - every failure is listed below
            failures.append(f"file {index}: {type(error).__name__}: {str(error)[:200]}")
    assert failures == [], "\n".join(failures[:10])


@pytest.mark.parametrize("chunk", range(4))
def test_every_odd_points_file_is_imported_or_refused_in_words_and_training_goes_on(chunk):
    failures = []
    for index in range(chunk, len(POINTS_FILES), 4):
        session = Session(PlaygroundState())
        before = session.data
        try:
            said = session.import_csv(POINTS_FILES[index])
            if said:
                assert said.startswith("Imported ") and len(session.data.x) >= 1, said
                assert np.isfinite(session.data.x).all() and np.isfinite(session.data.y).all()
            else:
                assert session.data is before
                assert session.view.message.startswith("Cannot import these points: "), session.view.message
                assert_plain(session.view.message)
            trains_on(session)
        except (Exception, DataError) as error:  # noqa: BLE001 - every failure is listed below
            failures.append(f"file {index}: {type(error).__name__}: {str(error)[:200]}")
    assert failures == [], "\n".join(failures[:10])

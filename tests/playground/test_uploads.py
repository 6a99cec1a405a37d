"""Files a student brings to the sandbox (points as CSV, a saved model as .npz): every bad one is refused with a plain
message beside its picker and leaves the session as it was; a good one says what it did; a lesson that locks the
data set refuses own points."""

import io
import json
import re
import zipfile

import numpy as np
import pytest

from playground.sandbox.app import SandboxApp
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

POINTS = b"x1,x2,label\n" + b"".join(f"{i % 5},{i % 3},{1 if i % 2 else -1}\n".encode() for i in range(20))
IMPORTED = "Imported 20 points (10 training, 10 test); the data set buttons bring back the generated data."


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def arrays_of(session: Session) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(session.model_npz())) as archive:
        return {name: archive[name] for name in archive.files}


def nan_weights(session: Session) -> bytes:
    arrays = arrays_of(session)
    arrays["0.W"][0, 0] = np.nan
    return npz(**arrays)


def zip_bomb(session: Session) -> bytes:
    """The session's own model file whose table of contents claims that 0.W unpacks to 800 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays_of(session).items():
            member = io.BytesIO()
            np.save(member, array)
            archive.writestr(f"{name}.npy", member.getvalue())
        archive.getinfo("0.W.npy").file_size = 800_000_000
    return buffer.getvalue()


def huge_spec(session: Session) -> bytes:
    return npz(spec=np.array(json.dumps({"input_shape": [2], "layers": [{"type": "dense", "units": 10**8}]})))


BAD_MODELS = {
    "empty": (lambda session: b"", "Cannot import this model: the file is empty"),
    "not npz": (
        lambda session: POINTS,
        r"Cannot import this model: this is not a model file saved by nn-playground \(\.npz\), or it is incomplete",
    ),
    "npy": (lambda session: b"\x93NUMPY\x01\x00", "this is not a model file saved by nn-playground"),
    "zip bomb": (zip_bomb, "the file would unpack to 800 MB, but a model file unpacks to at most 64 MB"),
    "nan weights": (nan_weights, "the array '0.W' holds 1 value that is NaN or infinite"),
    "10^8 units": (
        huge_spec,
        "the network in the file has 300,000,000 parameters; nn-playground loads networks of at most 4,000,000",
    ),
}


@pytest.mark.parametrize("name", BAD_MODELS)
def test_a_bad_model_file_gets_its_plain_message_and_changes_nothing(name):
    make, message = BAD_MODELS[name]
    session = Session(PlaygroundState())
    before, status = session.model.state_dict(), session.view.status
    assert session.import_model(make(session)) == ""
    assert session.view.status == status
    assert re.search(message, session.view.message), session.view.message
    assert "pickle" not in session.view.message
    assert all((session.model.state_dict()[key] == value).all() for key, value in before.items())


def test_a_good_model_file_says_what_it_loaded():
    saved = Session(PlaygroundState(seed=3))
    session = Session(PlaygroundState())
    assert session.import_model(saved.model_npz()) == "Loaded the saved weights (2 inputs → 4 tanh → 2 tanh → 1 tanh)."
    assert (session.model.state_dict()["0.W"] == saved.model.state_dict()["0.W"]).all()


BAD_CSVS = {
    "empty": (b"", "Cannot import these points: the file is empty; it needs the header x1,x2,label"),
    "10 MB field": (
        b"x1,x2,label\n1," + b"9" * 10 * 2**20 + b",1\n",
        "Cannot import these points: the file is 10.5 MB; a points file may be at most 1 MB",
    ),
    "long field": (
        b"x1,x2,label\n1," + b"9" * 200 + b",1\n",
        "row 2: x2 has 200 characters; a number needs at most 100",
    ),
    "outside": (b"x1,x2,label\n9,0,1\n", r"row 2: x1 is 9, outside \[-6, 6\]"),
}


@pytest.mark.parametrize("name", BAD_CSVS)
def test_a_bad_csv_file_gets_its_plain_message_and_changes_nothing(name):
    text, message = BAD_CSVS[name]
    session = Session(PlaygroundState())
    before = session.data
    assert session.import_csv(text) == ""
    assert re.search(message, session.view.message), session.view.message
    assert session.data is before and session.own_data is None


def test_a_good_csv_file_says_what_it_did():
    session = Session(PlaygroundState())
    assert session.import_csv(POINTS) == IMPORTED
    assert len(session.data.x) == 20 and session.own_data is session.data and session.view.message == ""


@pytest.mark.parametrize("access", ["lock", "hide"])
def test_a_lesson_that_locks_the_data_set_refuses_own_points(access):
    session = Session(PlaygroundState(**{access: ["dataset"]}))
    before = session.data
    assert session.import_csv(POINTS) == ""
    assert (
        session.view.message
        == "Cannot import these points: this lesson keeps its data set (the data controls are locked)"
    )
    session.add_point(1, 1, 1)
    assert session.view.message.startswith("Cannot add that point: this lesson keeps its data set")
    x1, x2 = before.x[0]
    assert not session.remove_point(x1, x2, radius=0.5)
    assert session.view.message.startswith("Cannot remove that point: this lesson keeps its data set")
    assert session.data is before and session.own_data is None


def pick(file_input, data: bytes, filename: str, one_by_one: bool = False) -> None:
    """What the page does when a file is picked: value, file name and type change together (Panel serve) or one by
    one (the site); an empty file's value arrives as None."""
    changes = {"value": data or None, "filename": filename, "mime_type": "text/csv"}
    if one_by_one:
        for name, value in changes.items():
            file_input.param.update({name: value})
    else:
        file_input.param.update(changes)


def test_the_csv_notice_sits_under_its_picker_and_a_refused_file_is_not_shown_as_picked():
    app = SandboxApp()
    output, before = app.output, app.session.data
    pick(output.import_points, b"x1,x2,label\n9,0,1\n", "bad.csv")
    notice = output.points_notice
    assert not notice.done and notice.text.startswith("Cannot import these points: row 2: x1 is 9")
    assert notice.pane.visible and "pg-refused" in notice.pane.object
    assert output.import_points.value is None and output.import_points.filename is None
    assert app.status.banner.visible and app.session.data is before
    column = list(output.__panel__())
    assert column.index(notice.pane) == column.index(output.import_points) + 1
    pick(output.import_points, POINTS, "good.csv")
    assert notice.done and notice.text == IMPORTED and "pg-done" in notice.pane.object
    assert not app.status.banner.visible and len(app.output.points.data["x1"]) == 10  # the 10 training points


def test_a_data_set_button_after_an_import_brings_the_generated_data_back():
    app = SandboxApp()
    pick(app.output.import_points, POINTS, "points.csv")
    app.data.dataset_buttons["xor"].clicks += 1
    assert app.session.own_data is None and len(app.session.data.x) > 20
    assert not app.output.points_notice.pane.visible  # the notice spoke of data that is gone
    pick(app.output.import_points, POINTS, "points.csv", one_by_one=True)  # the same file: the picker forgot it
    assert app.output.points_notice.text == IMPORTED and len(app.session.data.x) == 20


def test_the_selected_data_set_button_after_an_import_brings_the_generated_data_back():
    app = SandboxApp()
    pick(app.output.import_points, POINTS, "points.csv")
    app.data.dataset_buttons[app.state.dataset].clicks += 1
    assert app.session.own_data is None and len(app.session.data.x) > 20


def test_the_model_notice_sits_under_its_picker_and_the_same_file_loads_twice():
    app = SandboxApp()
    files = app.model_files
    saved = files.save.callback().read()
    for one_by_one in (False, True):
        pick(files.load, b"", "empty.npz", one_by_one)  # Panel gives an empty file no value, only its name
        assert files.notice.text == "Cannot import this model: the file is empty" and not files.notice.done
        pick(files.load, b"PK\x05\x06" + bytes(18), "broken.npz", one_by_one)
        assert files.notice.text.startswith("Cannot import this model: this is not a model file")
        assert files.load.value is None and files.load.filename is None
    column = list(files.__panel__())
    assert column.index(files.notice.pane) == column.index(files.load) + 1
    for one_by_one in (False, True, True):
        app.session.model.layers[0].params["W"][:] = 0
        pick(files.load, saved, "model.npz", one_by_one)
        assert files.notice.done and files.notice.text.startswith("Loaded the saved weights (2 inputs")
        assert (app.session.model.layers[0].params["W"] != 0).all()


def test_with_the_data_set_locked_the_csv_picker_is_disabled_and_clicks_are_refused_beside_it():
    app = SandboxApp(PlaygroundState(lock=["dataset"]))
    assert app.output.import_points.disabled and not app.output.export_points.disabled
    before = app.session.data
    app.output.click_adds.value = 1
    app.output.click(1, 1)
    assert (
        app.output.points_notice.text
        == "Cannot add that point: this lesson keeps its data set (the data controls are locked)"
    )
    pick(app.output.import_points, POINTS, "points.csv")
    assert app.output.points_notice.text.startswith("Cannot import these points: this lesson keeps its data set")
    assert app.session.data is before
    app.state.lock = []
    assert not app.output.import_points.disabled

"""Files stored gzipped beside the plain file (web/precompress.py): the same bytes every build, inflating to the plain
file; a folder without them (a CDN build's) gets nothing; the site knows which plain files pages fetch gzipped."""

import gzip

from web.precompress import precompress, stored_gzipped


def test_the_runtime_is_stored_gzipped_beside_itself_with_the_same_bytes_every_time(tmp_path):
    runtime = b"\0asm\1\0\0\0" + bytes(range(256)) * 400
    (tmp_path / "pyodide.asm.wasm").write_bytes(runtime)
    assert precompress(tmp_path) == ["pyodide.asm.wasm.gz"]
    stored = (tmp_path / "pyodide.asm.wasm.gz").read_bytes()
    assert gzip.decompress(stored) == runtime and len(stored) < len(runtime) / 10
    assert (tmp_path / "pyodide.asm.wasm").read_bytes() == runtime  # Node's tools read the plain file
    precompress(tmp_path)
    assert (tmp_path / "pyodide.asm.wasm.gz").read_bytes() == stored


def test_a_folder_without_the_runtime_gets_nothing(tmp_path):
    assert precompress(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_the_site_knows_which_files_it_stores_gzipped_beside_themselves(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "bokeh.min.js").write_text("var Bokeh = {};\n" * 100)
    (tmp_path / "sandbox.preview.json").write_text("{}")
    (tmp_path / "snapshot.bin.gz").write_bytes(b"\x1f\x8b")  # gzipped only: fetched as such
    assert precompress(tmp_path, ["static/bokeh.min.js", "sandbox.preview.json"]) == [
        "static/bokeh.min.js.gz",
        "sandbox.preview.json.gz",
    ]
    assert stored_gzipped(tmp_path) == {"static/bokeh.min.js", "sandbox.preview.json"}

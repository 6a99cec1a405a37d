"""web/static/python_start.js reads the later-visit bundle as it streams in from the cache (`streamSnapshotBundle`):
Pyodide gets where its memory will be as soon as the header has arrived, and the parts once all of it has. A
stream that ends early, runs long or lacks its memory's size is refused with a message (the worker then starts from
the small snapshot).

On Node, with python_start.js run as the worker runs it, against bundles made here in the layout
web/node/make_snapshot.mjs writes, delivered in chunks of chosen sizes.
"""

import base64
import json
import struct

import pytest
from python_start_node import run_with_python_start

SCRIPT = r"""
const bytes = new Uint8Array(Buffer.from(process.argv[2], "base64"));
const chunks = JSON.parse(process.argv[3]);  // chunk sizes; the rest in one chunk
const events = [];
let offset = 0, next = 0;
const stream = new ReadableStream({
  async pull(controller) {
    await new Promise((resolve) => setTimeout(resolve, 1));  // each chunk arrives on a later turn
    if (offset >= bytes.length) return controller.close();
    const size = next < chunks.length ? chunks[next++] : bytes.length - offset;
    events.push(`chunk ${offset}`);
    controller.enqueue(bytes.slice(offset, (offset += size)));
  },
});
const bundle = streamSnapshotBundle(stream);
const text = (view) => Buffer.from(view).toString("hex");
const report = {};
bundle.memory.then((memory) => { events.push("memory"); report.memoryLength = memory.length; }, () => {});
bundle.parts.then(
  (parts) => {
    report.memory = text(parts.memory);
    report.libraries = parts.libraries.map(({ name, data }) => [name, text(data)]);
    report.files = parts.files.map(([file, data]) => [file, text(data)]);
    report.memoryBeforeEnd = events.indexOf("memory") < events.length - 1;
  },
  (error) => { report.error = String(error.message); },
).then(() => console.log(JSON.stringify(report)));
"""


def bundle(memory=b"MEMORY-OF-PYTHON", *, state_size=True, extra=b"", cut=0):
    """A bundle in make_snapshot.mjs's layout: two libraries, one other file, the memory after zeros to a multiple
    of 16; `extra` bytes appended, `cut` bytes taken off the end."""
    libraries = [("/lib/a.so", b"AAAA"), ("/lib/b.so", b"BBBBBBB")]
    files = [("/site/x.py", b"print(1)\n")]
    header = {
        "libraries": [{"name": name, "global": False, "size": len(data)} for name, data in libraries],
        "handles": [],
        "table": {"length": 0, "hash": 0},
        "files": [[name, len(data)] for name, data in files],
        "loaded": {},
    }
    if state_size:
        header["memory"] = len(memory)
    text = json.dumps(header).encode()
    parts = struct.pack("<I", len(text)) + text + b"".join(data for _, data in libraries + files)
    whole = parts + bytes(-len(parts) & 15) + memory + extra
    return whole[: len(whole) - cut]


def stream(data: bytes, chunks: list[int]) -> dict:
    return run_with_python_start(SCRIPT, base64.b64encode(data).decode(), json.dumps(chunks))


@pytest.mark.parametrize("chunks", [[1, 1, 1, 1, 1, 3], [7, 100, 5], [100_000], [2, 9, 40, 1, 1, 1, 1]])
def test_the_parts_come_out_whole_however_the_stream_is_cut(chunks):
    report = stream(bundle(), chunks)
    assert report == {
        "memoryLength": 16,
        "memory": b"MEMORY-OF-PYTHON".hex(),
        "libraries": [["/lib/a.so", b"AAAA".hex()], ["/lib/b.so", b"BBBBBBB".hex()]],
        "files": [["/site/x.py", b"print(1)\n".hex()]],
        "memoryBeforeEnd": report["memoryBeforeEnd"],
    }


def test_pyodide_learns_where_its_memory_goes_before_the_rest_has_arrived():
    data = bundle(memory=bytes(range(256)) * 64)
    header_end = 4 + struct.unpack("<I", data[:4])[0]
    report = stream(data, [header_end] + [1024] * 20)
    assert report["memoryLength"] == 256 * 64 and report["memoryBeforeEnd"], report
    assert bytes.fromhex(report["memory"]) == bytes(range(256)) * 64


@pytest.mark.parametrize(
    "data, expected",
    [
        (bundle(cut=5), "the bundle ended after"),
        (bundle(extra=b"??"), "the bundle is longer than the"),
        (bundle(state_size=False), "does not give its memory's size"),
        (b"\x00\x00", "the bundle ended after 2 bytes"),
    ],
    ids=["cut short", "too long", "no memory size", "no header"],
)
def test_a_bundle_that_does_not_match_its_header_is_refused_saying_why(data, expected):
    report = stream(data, [3, 50])
    assert expected in report.get("error", ""), report

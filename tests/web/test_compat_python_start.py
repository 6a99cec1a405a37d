"""web/static/python_start.js refuses, naming it, to restore the snapshot with the packages when Pyodide's
Emscripten module lacks an internal the restore reaches into (docs/compat.md): worker.js then warns in the console
and starts from the small snapshot, and web/node/make_snapshot.mjs (which checks the same list) stops the build.

On Node, with python_start.js run as the worker and the build scripts run it, against a stand-in for the module
Pyodide creates: complete, it restores; with one internal taken away, it throws.
"""

import pytest
from python_start_node import run_with_python_start

SCRIPT = r"""
const [remove, defineFactory] = [process.argv[2], process.argv[3] === "yes"];

// The module Pyodide's factory creates, with what the restore uses (one library at a handle in its memory).
const M = {
  loadDynamicLibrary: async () => {},
  _calloc: () => 8,
  _free: () => {},
  HEAPU8: new Uint8Array(64),
  HEAPU32: new Uint32Array(16),
  LDSO: { loadedLibsByName: { "/lib/a.so": { name: "/lib/a.so" } }, loadedLibsByHandle: {} },
  wasmTable: new WebAssembly.Table({ initial: 2, element: "anyfunc" }),
};
const bundle = {
  header: { handles: [], table: tableDigest(M.wasmTable), loaded: { a: "default channel" } },
  libraries: [{ name: "/lib/a.so", global: false, memoryBase: 1024, memorySize: 16, tableBase: 1, tableSize: 1,
                data: new Uint8Array(4) }],
  files: [],
  memory: new Uint8Array(16),
};
if (remove) {
  const path = remove.split(".");
  delete path.slice(0, -1).reduce((owner, key) => owner[key], M)[path[path.length - 1]];
}
const factory = async () => M;
if (defineFactory) globalThis._createPyodideModule = factory;
const loadPyodide = async () => {
  await globalThis._createPyodideModule({});
  return { FS: { mkdirTree() {}, writeFile() {} }, loadedPackages: {} };
};
// As streamSnapshotBundle hands it over: where the memory goes, then all the parts.
restoreSnapshotBundle(loadPyodide, {}, { memory: Promise.resolve(bundle.memory), parts: Promise.resolve(bundle) }).then(
  (pyodide) => ({ restored: true, loaded: pyodide.loadedPackages }),
  (error) => ({ restored: false, message: String(error.message) }),
).then((report) => {
  report.factoryPutBack = !defineFactory || globalThis._createPyodideModule === factory;
  console.log(JSON.stringify(report));
});
"""


def restore(remove: str = "", define_factory: bool = True) -> dict:
    return run_with_python_start(SCRIPT, remove, "yes" if define_factory else "no")


def test_with_every_internal_there_the_bundle_restores():
    report = restore()
    assert report == {"restored": True, "loaded": {"a": "default channel"}, "factoryPutBack": True}


@pytest.mark.parametrize(
    "internal",
    [
        "loadDynamicLibrary",
        "_calloc",
        "_free",
        "HEAPU8",
        "HEAPU32",
        "LDSO.loadedLibsByName",
        "LDSO.loadedLibsByHandle",
        "wasmTable",
    ],
)
def test_a_missing_emscripten_internal_stops_the_restore_naming_it(internal):
    report = restore(internal)
    assert not report["restored"] and report["factoryPutBack"], report
    message = report["message"]
    assert message.startswith("nn-playground: Pyodide's Emscripten module lacks "), message
    assert f"Module.{internal}," in message + ",", message
    assert message.endswith("see docs/compat.md"), message


def test_without_pyodides_module_factory_the_restore_says_so():
    report = restore(define_factory=False)
    assert not report["restored"]
    assert "_createPyodideModule" in report["message"] and "docs/compat.md" in report["message"]

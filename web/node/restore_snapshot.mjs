// Restore a built site's snapshot of Python's start on Node as worker.js does in the browser, optionally load
// packages after it, run Python code and print {"restored", "loaded", "ran" (seconds), "result"} as JSON.
// usage: node restore_snapshot.mjs CONFIG_JSON
// CONFIG_JSON: {"dist", "snapshot": a gzipped snapshot file, "bundle": whether it is a bundle with packages
// (make_snapshot.mjs), "kind": the engine whose tables to emulate (python_start.mjs emulateTables), "lock",
// "on_import", "packages": [to load after the restore], "code"}
// The build runs it to check the snapshot it made (web/snapshot.py); tests run it too.
import { createRequire } from "node:module";
import path from "node:path";
import fs from "node:fs";
import zlib from "node:zlib";
import { emulateTables, pyodideLoader, writeStartLock } from "./python_start.mjs";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
emulateTables(config.kind);
const loadPyodide = await pyodideLoader(config.dist);
const seconds = (since) => Number(((performance.now() - since) / 1000).toFixed(2));
let since = performance.now();
const memory = new Uint8Array(zlib.gunzipSync(fs.readFileSync(config.snapshot)));
const options = { indexURL: path.resolve(config.dist) + "/" };
if (config.lock) options.lockFileURL = writeStartLock(config.lock, config.on_import).file;
let pyodide;
if (config.bundle) {
  createRequire(import.meta.url)(path.resolve(config.dist, "pyodide.asm.js")); // defines _createPyodideModule
  pyodide = await restoreSnapshotBundle(loadPyodide, options, streamSnapshotBundle(new Blob([memory]).stream()));
} else {
  pyodide = await loadPyodide({ ...options, _loadSnapshot: memory });
}
const restored = seconds(since);
since = performance.now();
if (config.packages) await pyodide.loadPackage(config.packages, { messageCallback() {} });
const loaded = seconds(since);
since = performance.now();
const result = String(pyodide.runPython(config.code));
console.log(JSON.stringify({ restored, loaded, ran: seconds(since), result }));

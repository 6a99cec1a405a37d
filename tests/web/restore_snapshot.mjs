// Restore a built site's snapshot of Python's start on Node, as worker.js does in the browser, and print the
// names of the modules Python holds right after it (JSON).  usage: node restore_snapshot.mjs DIST_DIR
import { pathToFileURL } from "node:url";
import path from "node:path";
import fs from "node:fs";
import zlib from "node:zlib";

const [dist] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
const memory = zlib.gunzipSync(fs.readFileSync(path.join(dist, "snapshot.bin.gz")));
const pyodide = await loadPyodide({ indexURL: path.resolve(dist) + "/", _loadSnapshot: new Uint8Array(memory) });
console.log(pyodide.runPython("import json, sys; json.dumps(sorted(sys.modules))"));
